"""The articles of a list page (all articles, a topic's, an author's, the home page's latest):
how many there are, counted up to a limit, and one page of them ready for their cards, each in one
statement whose SQL is built once per process.

Asked through the ORM (`for_listing()`: `select_related` of the author and the header image, the
co-authors and the topics as two annotated subqueries, the page's ids in a subquery), building and
compiling a page's query cost about 2 ms of CPU, and the count's another 0.5 ms: a fifth of a list
page's render with the page cache off (issue #20, (c′)). The statements are the same for every
page of every list of one kind (the topic, the author, the page's position are parameters), so
they are built here once, from the models' table and column names and each backend's JSON and
id-list SQL (`search.base`), and their rows become model instances through `Model.from_db` with
the fields' own converters, as the ORM's would. The SQL is the ORM's, planned as the ORM's was:
the page's ids are taken by walking indexes only (state + publication time; for a topic the topic
table's index, for an author theirs), and only those rows are read."""

# ruff: noqa: S608 — SQL is assembled only from our own fragments; every value is a parameter.
from __future__ import annotations

import datetime
import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, router
from django.db.models import Model
from django.utils import timezone

from podium.images.models import Image
from podium.topics.models import Topic

from .models import BYLINE_ROWS, BYLINE_USER_FIELDS, TOPIC_FIELDS, TOPIC_ROWS, Article
from .rows import Converters, converters, fields, values
from .search.base import Backend, backend, column
from .search.page import byline_json

# What a card shows of an article, of its author (as of each co-author: the byline) and of its
# header image; anything else is deferred (read from the database if ever asked for).
ARTICLE_FIELDS = frozenset(
    [
        "id",
        "author",
        "title",
        "slug",
        "lead",
        "state",
        "header_image",
        "word_count",
        "published_at",
    ]
)
AUTHOR_FIELDS = frozenset(["id", *BYLINE_USER_FIELDS])
IMAGE_FIELDS = frozenset(["id", "file", "width", "height", "alt_text", "is_decorative", "variants"])


@dataclass(frozen=True)
class Selection:
    """Which published articles a list shows, newest first: all of them; a topic's
    (`topic_id`); an author's (`author_id`), with the articles they co-wrote (`also`); less
    those in `exclude`."""

    topic_id: int | None = None
    author_id: int | None = None
    also: tuple[int, ...] = ()
    exclude: tuple[int, ...] = ()

    def shape(self) -> tuple[bool, bool, bool, bool]:
        """What the statement's SQL depends on (not the values)."""
        return (
            self.topic_id is not None,
            self.author_id is not None,
            bool(self.also),
            bool(self.exclude),
        )

    def params(self, found: Backend, now: datetime.datetime) -> list[Any]:
        """The parameters of `_selected`'s SQL, in its order."""
        params: list[Any] = [Article.State.PUBLISHED.value, now]
        if self.topic_id is not None:
            params.append(self.topic_id)
        if self.author_id is not None:
            params.append(self.author_id)
            if self.also:
                params.append(found.ids_param(self.also))
        if self.exclude:
            params.append(found.ids_param(self.exclude))
        return params


def _selected(found: Backend, shape: tuple[bool, bool, bool, bool]) -> str:
    """FROM and WHERE of the selected articles (aliased `v`), as `Selection.params` fills them."""
    topic, author, also, exclude = shape
    a = Article._meta.db_table
    vid = f"v.{column(Article, 'id')}"
    sql = f"FROM {a} v"
    where = [f"v.{column(Article, 'state')} = %s", f"v.{column(Article, 'published_at')} <= %s"]
    if topic:
        through = Article.topics.through
        sql += f" JOIN {through._meta.db_table} x ON x.{column(through, 'article')} = {vid}"
        where.append(f"x.{column(through, 'topic')} = %s")
    if author:
        own = f"v.{column(Article, 'author')} = %s"
        where.append(f"({own} OR {found.id_in(vid)})" if also else own)
    if exclude:
        where.append(f"NOT ({found.id_in(vid)})")
    return f"{sql} WHERE {' AND '.join(where)}"


def _topics_json(found: Backend) -> str:
    """A column: the article's topics as a JSON array of [id, *TOPIC_FIELDS], as text (NULL or
    [] without any), as `topics_column` gives it to `Article.card_topics`."""
    through = Article.topics.through
    t = Topic._meta.db_table
    row = found.json_array(
        [f"t.{column(Topic, 'id')}", *(f"t.{column(Topic, name)}" for name in TOPIC_FIELDS)]
    )
    return (
        f"(SELECT {found.json_rows(row)} FROM {through._meta.db_table} x "
        f"JOIN {t} t ON t.{column(Topic, 'id')} = x.{column(through, 'topic')} "
        f"WHERE x.{column(through, 'article')} = {Article._meta.db_table}.{column(Article, 'id')})"
    )


@dataclass(frozen=True)
class Statements:
    """A kind of list's SQL: its count and its page, and how the page's columns are read."""

    count: str
    page: str
    page_counted: str
    article: Converters
    author: Converters
    image: Converters
    byline_params: list[Any]


def _author_model() -> type[Model]:
    model = Article._meta.get_field("author").related_model
    assert model is not None and not isinstance(model, str)
    return model


@functools.cache
def statements(vendor: str, shape: tuple[bool, bool, bool, bool]) -> Statements:
    """The statements of the current connection's database (`vendor`) for lists of `shape`."""
    found = backend()
    assert found is not None, f"no list statements for {vendor}"
    author = _author_model()
    article_fields = fields(Article, ARTICLE_FIELDS)
    author_fields = fields(author, AUTHOR_FIELDS)
    image_fields = fields(Image, IMAGE_FIELDS)
    a, u, i = Article._meta.db_table, author._meta.db_table, Image._meta.db_table
    byline, byline_params = byline_json(found)
    selected = _selected(found, shape)
    pk, published_at = column(Article, "id"), column(Article, "published_at")
    columns = [
        *(f"{a}.{f.column}" for f in article_fields),
        *(f"u.{f.column}" for f in author_fields),
        *(f"i.{f.column}" for f in image_fields),
        _topics_json(found),
        byline,
    ]
    count = f"SELECT COUNT(*) FROM (SELECT v.{pk} {selected} LIMIT %s) counted"
    tables = (
        f"FROM {a} JOIN {u} u ON u.{column(author, 'id')} = {a}.{column(Article, 'author')} "
        f"LEFT JOIN {i} i ON i.{column(Image, 'id')} = {a}.{column(Article, 'header_image')} "
        f"WHERE {a}.{pk} IN (SELECT v.{pk} {selected} "
        f"ORDER BY v.{published_at} DESC, v.{pk} DESC LIMIT %s OFFSET %s)"
    )
    # The page with the list's count: the count's one row, and the page's rows joined to it
    # (none: one row of NULLs), so that the count comes even with an empty page.
    named = ", ".join(f"{sql} AS c{n}" for n, sql in enumerate(columns))
    ordered = f"p.c{article_fields.index(Article._meta.get_field('published_at'))}"
    page_counted = (
        f"SELECT p.*, counted.n FROM (SELECT COUNT(*) AS n FROM (SELECT v.{pk} {selected} "
        f"LIMIT %s) c) counted LEFT JOIN (SELECT {named} {tables}) p ON 1 = 1 "
        f"ORDER BY {ordered} DESC, p.c{article_fields.index(Article._meta.pk)} DESC"
    )
    return Statements(
        count=count,
        page=(
            f"SELECT {', '.join(columns)} {tables} ORDER BY {a}.{published_at} DESC, {a}.{pk} DESC"
        ),
        page_counted=page_counted,
        article=converters(article_fields),
        author=converters(author_fields),
        image=converters(image_fields),
        byline_params=byline_params,
    )


def _run(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def count(selection: Selection, limit: int) -> int:
    """How many articles `selection` has, counted up to `limit`."""
    found = backend()
    assert found is not None
    s = statements(connection.vendor, selection.shape())
    rows = _run(s.count, [*selection.params(found, timezone.now()), limit])
    return int(rows[0][0])


def page(selection: Selection, start: int, stop: int) -> list[Article]:
    """`selection`'s articles from `start` up to `stop` (newest first), each with its author,
    header image, co-authors (`Article.authors`) and topics (`Article.card_topics`)."""
    return _page(selection, start, stop, None)[0]


def page_and_count(
    selection: Selection, start: int, stop: int, limit: int
) -> tuple[list[Article], int]:
    """`page(selection, start, stop)` and `count(selection, limit)` in one statement."""
    rows, counted = _page(selection, start, stop, limit)
    if counted is None:  # an empty slice: nothing was run
        counted = count(selection, limit)
    return rows, counted


def _page(
    selection: Selection, start: int, stop: int, count_limit: int | None
) -> tuple[list[Article], int | None]:
    if stop <= start:
        return [], None
    found = backend()
    assert found is not None
    s = statements(connection.vendor, selection.shape())
    now = timezone.now()
    selected = selection.params(found, now)
    params = [*s.byline_params, *selected, stop - start, start]
    if count_limit is not None:  # the count comes first in its statement
        params = [*selected, count_limit, *params]
    db = router.db_for_read(Article)
    author_model = _author_model()
    na, nu, ni = len(s.article.names), len(s.author.names), len(s.image.names)
    out = []
    counted = None
    for row in _run(s.page if count_limit is None else s.page_counted, params):
        if count_limit is not None:
            counted = int(row[-1])
            if row[0] is None:  # the count's row alone: no article on this page
                continue
        article = Article.from_db(db, s.article.names, values(row[:na], s.article))
        article.author = author_model.from_db(  # type: ignore[assignment]
            db, s.author.names, values(row[na : na + nu], s.author)
        )
        image = row[na + nu : na + nu + ni]
        article.header_image = (
            None if image[0] is None else Image.from_db(db, s.image.names, values(image, s.image))
        )
        topics, byline = row[na + nu + ni : na + nu + ni + 2]
        # As `topics_column` and `byline_column` hand them to `card_topics` and `authors`.
        article.__dict__[TOPIC_ROWS] = json.loads(topics) if topics else None
        article.__dict__[BYLINE_ROWS] = json.loads(byline) if byline else None
        out.append(article)
    return out, counted
