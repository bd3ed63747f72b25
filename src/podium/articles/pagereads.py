"""The article page's two reads, each one statement whose SQL is built once per process.

A signed-in reader's page of an article nothing asked for before reads the article (by its slug,
with its author and header image) and its "read more" teasers (the stored lines' articles with
their authors, header images, co-authors and topics). Asked through the ORM (`select_related`,
an annotated `Exists`, two annotated JSON subqueries, `defer`), building and compiling those two
queries cost more CPU than anything else the page does (about 6 of 9 ms of such a request on
either database, `bench/cold_render.py --profile signed`), and PostgreSQL planned both again on
every request. As for a search's page (`search.page`), each statement is the same for every
article (the slug or id is a parameter), so it is built here once from the models' table and
column names and each database's JSON SQL, run prepared on PostgreSQL (planned once per
connection), and its rows become model instances through `Model.from_db` with the fields' own
converters, as the ORM's would: the same rows, fields and instances as before.
"""

# ruff: noqa: S608 — SQL is assembled only from our own fragments; every value is a parameter.
from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, router
from django.db.models import Field, Model
from django.utils import timezone

from podium.images.models import Image
from podium.topics.models import Topic

from .models import BYLINE_ROWS, TOPIC_FIELDS, TOPIC_ROWS, Article, CoAuthor, RelatedArticle
from .rows import converters, fields, values
from .search.base import Backend, backend, column
from .search.page import _author_model, byline_json


@dataclass(frozen=True)
class Shape:
    """A statement's SQL, the fields its columns hold (article, author, header image, in that
    order) and the parameters that come before the caller's (those of its subqueries)."""

    sql: str
    article: list[Field[Any, Any]]
    author: list[Field[Any, Any]]
    image: list[Field[Any, Any]]
    params: tuple[Any, ...]


def _table(model: type[Model]) -> str:
    """`model`'s table, quoted as the ORM writes it."""
    return str(connection.ops.quote_name(model._meta.db_table))


def _found() -> Backend:
    found = backend()
    if found is None:
        raise RuntimeError(f"No SQL for the {connection.vendor} database")
    return found


def _joined(article_fields: list[Field[Any, Any]]) -> tuple[list[str], str]:
    """The columns of an article, its author and its header image, and the joins that give
    them (the article table under its own name, the author `u`, the image `i`)."""
    author = _author_model()
    a, u, i = _table(Article), _table(author), _table(Image)
    columns = [
        *(f"{a}.{f.column}" for f in article_fields),
        *(f"u.{f.column}" for f in fields(author)),
        *(f"i.{f.column}" for f in fields(Image)),
    ]
    joins = (
        f"JOIN {u} u ON u.{column(author, 'id')} = {a}.{column(Article, 'author')} "
        f"LEFT JOIN {i} i ON i.{column(Image, 'id')} = {a}.{column(Article, 'header_image')} "
    )
    return columns, joins


def _published() -> str:
    """Published now (parameters: the state, then now, `_now()`)."""
    a = _table(Article)
    return f"{a}.{column(Article, 'state')} = %s AND {a}.{column(Article, 'published_at')} <= %s"


@functools.cache
def article_shape(vendor: str) -> Shape:
    """The published article with this slug, its author and header image, and whether it has
    co-authors who accepted (as `get_published_article`'s ORM query read them)."""
    _found()
    a, c = _table(Article), _table(CoAuthor)
    article_fields = fields(Article)
    columns, joins = _joined(article_fields)
    co_written = (
        f"EXISTS (SELECT 1 FROM {c} c WHERE c.{column(CoAuthor, 'article')} = "
        f"{a}.{column(Article, 'id')} AND c.{column(CoAuthor, 'state')} = %s)"
    )
    sql = (
        f"SELECT {', '.join(columns)}, {co_written} FROM {a} {joins}"
        f"WHERE {a}.{column(Article, 'slug')} = %s AND {_published()}"
    )
    return Shape(
        sql,
        article_fields,
        fields(_author_model()),
        fields(Image),
        (CoAuthor.State.ACCEPTED.value,),
    )


def _topics_json(found: Backend) -> str:
    """A column of the article's topics as `topics_column` gives them (JSON text of [topic id,
    *TOPIC_FIELDS] rows; NULL or [] without any)."""
    through = Article.topics.through
    x, t = _table(through), _table(Topic)
    row = found.json_array(
        [f"t.{column(Topic, 'id')}", *(f"t.{column(Topic, name)}" for name in TOPIC_FIELDS)]
    )
    return (
        f"(SELECT {found.json_rows(row)} FROM {x} x "
        f"JOIN {t} t ON t.{column(Topic, 'id')} = x.{column(through, 'topic')} "
        f"WHERE x.{column(through, 'article')} = {_table(Article)}.{column(Article, 'id')})"
    )


@functools.cache
def teasers_shape(vendor: str) -> Shape:
    """The stored "read more" lines of an article whose articles are published now, in order,
    at most a given number, each with what a teaser shows (as `related._teasers`: everything but
    the body, the author, the header image, the co-authors and the topics in the row). Driven by
    the lines' (article, position) index on both databases, each line's article then checked by
    primary key (on PostgreSQL by the (id, state, published_at) index)."""
    found = _found()
    a, r = _table(Article), _table(RelatedArticle)
    article_fields = [f for f in fields(Article) if f.name != "body"]
    columns, joins = _joined(article_fields)
    byline, byline_params = byline_json(found)
    sql = (
        f"SELECT {', '.join(columns)}, {_topics_json(found)}, {byline} FROM {r} r "
        f"JOIN {a} ON {a}.{column(Article, 'id')} = r.{column(RelatedArticle, 'related')} "
        f"{joins}WHERE r.{column(RelatedArticle, 'article')} = %s AND {_published()} "
        f"ORDER BY r.{column(RelatedArticle, 'position')} LIMIT %s"
    )
    return Shape(sql, article_fields, fields(_author_model()), fields(Image), tuple(byline_params))


def _instances(shape: Shape, rows: Sequence[Sequence[Any]]) -> list[tuple[Article, list[Any]]]:
    """Each row's article (its author and header image attached) and the row's other columns."""
    db = router.db_for_read(Article)
    article_read, author_read, image_read = (
        converters(shape.article),
        converters(shape.author),
        converters(shape.image),
    )
    author_model = _author_model()
    na, nu, ni = len(shape.article), len(shape.author), len(shape.image)
    out = []
    for row in rows:
        article = Article.from_db(db, article_read.names, values(row[:na], article_read))
        article.author = author_model.from_db(  # type: ignore[assignment]
            db, author_read.names, values(row[na : na + nu], author_read)
        )
        image_row = row[na + nu : na + nu + ni]
        article.header_image = (
            None
            if image_row[0] is None
            else Image.from_db(db, image_read.names, values(image_row, image_read))
        )
        out.append((article, list(row[na + nu + ni :])))
    return out


def _now() -> Any:
    """Now, as the ORM would send it for a DateTimeField."""
    return connection.ops.adapt_datetimefield_value(timezone.now())


def published_article(slug: str) -> tuple[Article, bool] | None:
    """The article with this slug if it is published now (with its author and header image),
    and whether it has co-authors who accepted; None otherwise."""
    found = _found()
    shape = article_shape(connection.vendor)
    rows = found.fetch_prepared(
        shape.sql, [*shape.params, slug, Article.State.PUBLISHED.value, _now()]
    )
    if not rows:
        return None
    ((article, (co_written,)),) = _instances(shape, rows)
    return article, bool(co_written)


def related_teasers(article_id: int, *, limit: int) -> list[Article]:
    """The articles of `article_id`'s stored "read more" lines that are published now, in order,
    at most `limit`, ready for teasers: co-authors in `BYLINE_ROWS`, topics in `TOPIC_ROWS` (as
    `for_listing()` gives them: `authors` and `card_topics` read them), the body deferred."""
    found = _found()
    shape = teasers_shape(connection.vendor)
    rows = found.fetch_prepared(
        shape.sql,
        [*shape.params, article_id, Article.State.PUBLISHED.value, _now(), limit],
    )
    out = []
    for article, (topics, byline) in _instances(shape, rows):
        # As the ORM's JSONField would decode `topics_column` and `byline_column`.
        article.__dict__[TOPIC_ROWS] = json.loads(topics) if topics else None
        article.__dict__[BYLINE_ROWS] = json.loads(byline) if byline else None
        out.append(article)
    return out
