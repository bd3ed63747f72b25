"""The SQLite backend: an FTS5 table `articles_search` (title, meta, body) of index tokens, the
article's id as its rowid.

FTS5 walks a term's matches in rowid order, newest first when asked, and stops at the LIMIT: the
newest matches of even the commonest word cost a few hundred row look-ups, whatever the number
of matches. `detail=column` keeps which column a token is in (for "read more", which compares
titles and meta only) but no positions, which no query here needs."""

# ruff: noqa: S608 — SQL is assembled only from our own fragments; every value is a parameter.
from __future__ import annotations

import datetime
import functools
import json
from collections.abc import Sequence
from typing import Any

from django.db import connection

from ..models import Article
from .base import TABLE, Candidate, Filters, Matches, filters_sql, names
from .text import IndexRow, Term, topic_tag

CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(title, meta, body, tags, "
    "tokenize = 'unicode61 remove_diacritics 2 tokenchars ''_''', detail = column)"
)


def match_expression(terms: Sequence[Term], topic_id: int | None = None) -> str:
    # Stems are letters and digits only (see text._WORD), so quoting them is all FTS5 needs.
    parts = [f'"{t.stem}"*' if t.is_prefix else f'"{t.stem}"' for t in terms]
    if topic_id is not None:
        parts.append(f'"{topic_tag(topic_id)}"')
    return " AND ".join(parts)


def write(rows: Sequence[IndexRow]) -> None:
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT OR REPLACE INTO {TABLE} (rowid, title, meta, body, tags) "
            "VALUES (%s, %s, %s, %s, %s)",
            [(r.article_id, r.title, r.meta, r.body, r.tags) for r in rows],
        )


def delete(article_ids: Sequence[int]) -> None:
    if not article_ids:
        return
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {TABLE} WHERE rowid = %s", [(pk,) for pk in article_ids])


def clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")


def bulk_started() -> None:
    pass


def bulk_finished() -> None:
    # Merge the many small segments a bulk load leaves into one: fewer to walk per query.
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('optimize')")


def purge_removed(pages_per_step: int = 500) -> int:
    """FTS5 keeps a removed or replaced row's tokens in its segments (readable in the shadow
    table `articles_search_data`) until they happen to merge. Merge every segment, in steps of
    about `pages_per_step` pages, each its own short transaction so the site's writes go on in
    between (FTS5's incremental 'merge' with a negative size takes segments of any level; it is
    done when a step changes nothing), with secure_delete on so the freed pages are zeroed.
    Must not run inside a transaction. Returns the number of steps."""
    from django.db import transaction

    connection.ensure_connection()
    raw = connection.connection
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        previous = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA secure_delete = 1")
        steps = 0
        try:
            while True:
                before = raw.total_changes
                with transaction.atomic():
                    cursor.execute(
                        f"INSERT INTO {TABLE} ({TABLE}, rank) VALUES ('merge', %s)",
                        [-pages_per_step],
                    )
                steps += 1
                if raw.total_changes - before < 2:
                    return steps
        finally:
            cursor.execute(f"PRAGMA secure_delete = {previous}")


def since_floor(filters: Filters, now: datetime.datetime) -> int:
    """The lowest article id published within the reader's period (0 without one): every match
    in the period has an id at least this high, so FTS5's walk may stop there (SQLite reads the
    period's ids from the (state, published_at) index, which holds them)."""
    if filters.since is None:
        return 0
    floor = (
        Article.objects.filter(
            state=Article.State.PUBLISHED, published_at__gte=filters.since, published_at__lte=now
        )
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    return floor if floor is not None else -1  # -1: nothing in the period


def newest_matches(
    terms: Sequence[Term],
    filters: Filters,
    now: datetime.datetime,
    limit: int,
    ranked: int,
) -> Matches:
    floor = since_floor(filters, now)
    if floor < 0:
        return Matches([], {})
    n = names()
    where, params = filters_sql(filters, now)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.rowid FROM {TABLE} s "
            f"JOIN {n.article} a INDEXED BY {_visible_index()} ON a.{n.id} = s.rowid "
            f"WHERE {TABLE} MATCH %s AND s.rowid >= %s AND {where} "
            "ORDER BY s.rowid DESC LIMIT %s",
            [match_expression(terms, filters.topic_id), floor, *params, limit],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
    return Matches(ids, _candidates(ids[:ranked]))


@functools.cache
def _visible_index() -> str:
    """The article index that says whether readers may see a match (state, publication time)
    by id: a thousand look-ups in it cost a fifth of reading the article rows, which hold the
    body (1.5 -> 0.3 ms for the commonest word at 100,000 articles). SQLite's planner prefers the
    rowid, so the search's joins name it (INDEXED BY)."""
    return next(
        index.name
        for index in Article._meta.indexes
        if list(index.fields) == ["id", "state", "published_at"] and index.name
    )


def _datetime(value: str | datetime.datetime) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value
    # Django stores an aware datetime as ISO 8601 in UTC; fromisoformat is C, parse_datetime a
    # regular expression, for each of the 200 candidates.
    parsed = datetime.datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)


def _candidates(article_ids: Sequence[int]) -> dict[int, Candidate]:
    if not article_ids:
        return {}
    n = names()
    marks = ", ".join(["%s"] * len(article_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.rowid, s.title, s.meta, a.{n.published_at} FROM {TABLE} s "
            f"JOIN {n.article} a INDEXED BY {_visible_index()} ON a.{n.id} = s.rowid "
            f"WHERE s.rowid IN ({marks})",
            list(article_ids),
        )
        return {
            pk: Candidate(title, meta, _datetime(published))
            for pk, title, meta, published in cursor.fetchall()
        }


def topics_json() -> str:
    n = names()
    # json_group_array keeps the order of the rows it is given.
    return (
        f"(SELECT json_group_array(json_array(id, name, name_en)) FROM (SELECT t.{n.topic_id} AS id, "
        f"t.{n.topic_name} AS name, t.{n.topic_name_en} AS name_en FROM {n.topics} x "
        f"JOIN {n.topic} t ON t.{n.topic_id} = x.{n.topics_topic} "
        f'WHERE x.{n.topics_article} = "{n.article}"."{n.id}" ORDER BY t.{n.topic_name}))'
    )


def json_array(values: Sequence[str]) -> str:
    return f"json_array({', '.join(values)})"


def json_rows(row: str) -> str:
    """The rows' `row` as one JSON array (an empty one without rows)."""
    return f"json_group_array({row})"


def id_in(column: str) -> str:
    """`column` is one of the ids given as one parameter (`ids_param`, a JSON array): one
    statement, kept in SQLite's statement cache, for any number of ids."""
    return f"{column} IN (SELECT value FROM json_each(%s))"


def ids_param(ids: Sequence[int]) -> str:
    return json.dumps(list(ids))


def fetch_prepared(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """The rows of `sql` (SQLite keeps its statements prepared: its statement cache)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def in_title_or_meta(stems: Sequence[str], *, floor: int, exclude: int) -> list[tuple[int, int]]:
    """(index of the stem, article id) for each article with id ≥ `floor`, other than
    `exclude`, whose title or meta holds the stem."""
    if not stems:
        return []
    branch = f"SELECT %s, rowid FROM {TABLE} WHERE {TABLE} MATCH %s AND rowid >= %s AND rowid <> %s"
    params: list[int | str] = []
    for index, stem in enumerate(stems):
        params += [index, '{title meta}: "' + stem + '"', floor, exclude]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join([branch] * len(stems)), params)
        return [(index, pk) for index, pk in cursor.fetchall()]
