"""What the search backends share: the filters of a query, the names of the tables and columns
they read (taken from the models), and the one function that picks the backend for the current
database."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Protocol

from django.db import connection
from django.db.models import Model

from podium.topics.models import Topic

from ..models import Article
from .text import IndexRow, Term

# The index is not a Django model (an FTS5 virtual table on SQLite; on PostgreSQL a table the
# ORM has no field type for): its name is here, and only the backends' SQL uses it.
TABLE = "articles_search"


@dataclass(frozen=True)
class Filters:
    topic_id: int | None = None
    since: datetime.datetime | None = None


@dataclass(frozen=True)
class Names:
    """Table and column names of the article rows a search reads, from the models' `_meta`."""

    article: str
    id: str
    state: str
    published_at: str
    topics: str
    topics_article: str
    topics_topic: str
    topic: str
    topic_id: str
    topic_name: str
    topic_name_en: str


def column(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    column = getattr(field, "column", None)
    if not isinstance(column, str):
        raise TypeError(f"{model.__name__}.{name} has no column")
    return column


def names() -> Names:
    through = Article.topics.through
    return Names(
        article=Article._meta.db_table,
        id=column(Article, "id"),
        state=column(Article, "state"),
        published_at=column(Article, "published_at"),
        topics=through._meta.db_table,
        topics_article=column(through, "article"),
        topics_topic=column(through, "topic"),
        topic=Topic._meta.db_table,
        topic_id=column(Topic, "id"),
        topic_name=column(Topic, "name"),
        topic_name_en=column(Topic, "name_en"),
    )


Param = str | int | datetime.datetime


def filters_sql(
    filters: Filters, now: datetime.datetime, alias: str = "a"
) -> tuple[str, list[Param]]:
    """The WHERE part every backend applies to the article rows (aliased `alias`): published,
    visible now, and the reader's period. (The topic is a tag in the index: see `topic_tag`.)"""
    n = names()
    sql = f"{alias}.{n.state} = %s AND {alias}.{n.published_at} <= %s"
    params: list[Param] = [Article.State.PUBLISHED, now]
    if filters.since is not None:
        sql += f" AND {alias}.{n.published_at} >= %s"
        params.append(filters.since)
    return sql, params


@dataclass(frozen=True)
class Candidate:
    """What ranking needs of a match: its title and meta tokens and its publication time."""

    title: str
    meta: str
    published_at: datetime.datetime


@dataclass(frozen=True)
class Matches:
    """The newest matches of a query (article ids, newest first) and, for the first of them,
    what ranking needs."""

    ids: list[int]
    candidates: dict[int, Candidate]


class Backend(Protocol):
    def write(self, rows: Sequence[IndexRow]) -> None: ...
    def delete(self, article_ids: Sequence[int]) -> None: ...
    def clear(self) -> None: ...
    def bulk_started(self) -> None: ...
    def bulk_finished(self) -> None: ...
    def purge_removed(self) -> int: ...
    def newest_matches(
        self,
        terms: Sequence[Term],
        filters: Filters,
        now: datetime.datetime,
        limit: int,
        ranked: int,
    ) -> Matches:
        """The newest `limit` matches readers may see now, and the candidates of the first
        `ranked` of them."""
        ...

    def in_title_or_meta(
        self, stems: Sequence[str], *, floor: int, exclude: int
    ) -> list[tuple[int, int]]: ...
    def topics_json(self) -> str:
        """SQL of a subquery in a query of articles: each article's topics, by name, as a JSON
        array of [id, name, name_en] (so the results page reads its articles in one query)."""
        ...

    def json_array(self, values: Sequence[str]) -> str:
        """SQL of a JSON array of the SQL expressions `values`."""
        ...

    def json_rows(self, row: str) -> str:
        """SQL of an aggregate: the rows' JSON arrays `row` as one JSON array, as text."""
        ...

    def id_in(self, column: str) -> str:
        """SQL of a condition: `column` is one of the ids given as one parameter (`ids_param`)."""
        ...

    def fetch_prepared(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        """The rows of `sql`, a statement run often (prepared where the database allows)."""
        ...

    def ids_param(self, ids: Sequence[int]) -> list[int] | str:
        """The parameter of `id_in` for `ids`."""
        ...


def backend() -> Backend | None:
    """The backend for the current database, or None for a database without full-text search
    (nothing is indexed and nothing is found)."""
    from . import postgresql, sqlite

    module: ModuleType | None = {"sqlite": sqlite, "postgresql": postgresql}.get(connection.vendor)
    return module  # type: ignore[return-value]
