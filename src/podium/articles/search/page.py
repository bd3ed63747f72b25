"""The articles of one page of results, in one query whose SQL is built once per process.

A results page shows, per article, its title, link, author, co-authors, publication time, topics
and header image, and its snippet reads the lead and the body. Asked through the ORM
(`select_related`, `only`, two annotated subqueries, `in_bulk`), building and compiling that
query cost about three times the CPU of running it and reading its rows (3.5 against 0.5 ms per
page at 100,000 articles on PostgreSQL): the largest share of a search's client time. The
statement is the same for every page (the ids are one parameter), so it is built here once, from
the models' table and column names and each backend's JSON and id-list SQL, and its rows become
model instances through `Model.from_db` with the fields' own converters, as the ORM's would.
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

from podium.images.models import Image

from ..models import BYLINE_ROWS, BYLINE_USER_FIELDS, Article, CoAuthor
from ..rows import converters, fields, values
from .base import Backend, backend, column

# What a page reads of an article (as `Article.objects.only(...)` would), of its author and, all
# of it, of its header image (the picture tag reads its file, size, focal point and variants).
ARTICLE_FIELDS = frozenset(
    ["id", "author", "title", "slug", "lead", "body", "header_image", "published_at"]
)
AUTHOR_FIELDS = frozenset(["id", "display_name"])


@dataclass(frozen=True)
class Shape:
    """The page query's SQL and how its columns are read back."""

    sql: str
    article: list[Field[Any, Any]]
    author: list[Field[Any, Any]]
    image: list[Field[Any, Any]]


def byline_json(found: Backend) -> tuple[str, list[str]]:
    """A column of accepted co-authors as `byline_column` gives it (JSON text of [co-author id,
    answered at, account id, display name, slug, e-mail] rows, NULL or [] without any), and its
    parameters."""
    user = _author_model()
    c, u = CoAuthor._meta.db_table, user._meta.db_table
    row = found.json_array(
        [
            f"c.{column(CoAuthor, 'id')}",
            f"c.{column(CoAuthor, 'answered_at')}",
            f"c.{column(CoAuthor, 'user')}",
            *(f"u.{column(user, name)}" for name in BYLINE_USER_FIELDS),
        ]
    )
    sql = (
        f"(SELECT {found.json_rows(row)} FROM {c} c "
        f"LEFT JOIN {u} u ON u.{column(user, 'id')} = c.{column(CoAuthor, 'user')} "
        f"WHERE c.{column(CoAuthor, 'article')} = {Article._meta.db_table}.{column(Article, 'id')} "
        f"AND c.{column(CoAuthor, 'state')} = %s)"
    )
    return sql, [CoAuthor.State.ACCEPTED.value]


def _author_model() -> type[Model]:
    model = Article._meta.get_field("author").related_model
    assert model is not None and not isinstance(model, str)
    return model


@functools.cache
def shape(vendor: str) -> Shape:
    """The page query of the database `vendor` (the current connection's)."""
    found = backend()
    assert found is not None
    author = _author_model()
    article_fields = fields(Article, ARTICLE_FIELDS)
    author_fields = fields(author, AUTHOR_FIELDS)
    image_fields = fields(Image)
    a, u, i = Article._meta.db_table, author._meta.db_table, Image._meta.db_table
    byline, _ = byline_json(found)
    columns = [
        *(f"{a}.{f.column}" for f in article_fields),
        *(f"u.{f.column}" for f in author_fields),
        *(f"i.{f.column}" for f in image_fields),
        found.topics_json(),
        byline,
    ]
    sql = (
        f"SELECT {', '.join(columns)} FROM {a} "
        f"JOIN {u} u ON u.{column(author, 'id')} = {a}.{column(Article, 'author')} "
        f"LEFT JOIN {i} i ON i.{column(Image, 'id')} = {a}.{column(Article, 'header_image')} "
        f"WHERE {found.id_in(f'{a}.{column(Article, "id")}')}"
    )
    return Shape(sql, article_fields, author_fields, image_fields)


@dataclass
class PageArticle:
    article: Article
    topics: list[tuple[int, str, str]]


def read(found: Backend, ids: Sequence[int]) -> dict[int, PageArticle]:
    """The articles with these ids (those that exist), by id, each with its author, header image
    and co-authors (the byline's column, see `Article.authors`) and its topics by name."""
    s = shape(connection.vendor)
    _, byline_params = byline_json(found)
    rows = found.fetch_prepared(s.sql, [*byline_params, found.ids_param(ids)])
    db = router.db_for_read(Article)
    na, nu, ni = len(s.article), len(s.author), len(s.image)
    article_conv, author_conv, image_conv = (
        converters(s.article),
        converters(s.author),
        converters(s.image),
    )
    author_model = s.author[0].model
    out: dict[int, PageArticle] = {}
    for row in rows:
        article = Article.from_db(db, article_conv.names, values(row[:na], article_conv))
        article.author = author_model.from_db(  # type: ignore[assignment]
            db, author_conv.names, values(row[na : na + nu], author_conv)
        )
        image_row = row[na + nu : na + nu + ni]
        article.header_image = (
            None
            if image_row[0] is None
            else Image.from_db(db, image_conv.names, values(image_row, image_conv))
        )
        topics, byline = row[na + nu + ni :]
        # As `byline_column` hands it to `Article.authors`.
        article.__dict__[BYLINE_ROWS] = json.loads(byline) if byline else None
        out[article.pk] = PageArticle(
            article, [(pk, name, name_en) for pk, name, name_en in json.loads(topics or "[]")]
        )
    return out
