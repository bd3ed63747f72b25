"""The PostgreSQL backend: a table `articles_search` with, per published article, the tokens of
its title and meta (for ranking and "read more"), `vector`, a tsvector of all its tokens (GIN
index), and `meta_vector`, that of the title and meta alone (small, kept in the row).

The tokens are the ones Python made (`text.tokens`), taken verbatim: a tsvector or tsquery typed
as a literal is not parsed or stemmed again, so PostgreSQL matches exactly what SQLite's FTS5
matches and both give the same answers.

A GIN index returns a term's matches in no particular order; for the commonest words that is a
quarter of all articles. The newest matches are therefore asked for in windows of article ids,
the newest window first (`WINDOWS`), so a common word is answered from the first window's few
thousand rows and only rare words, whose matches are few anyway, reach the older ones."""

# ruff: noqa: S608 — SQL is assembled only from our own fragments; every value is a parameter.
from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import connection

from .base import TABLE, Candidate, Filters, filters_sql, names, since_floor
from .text import IndexRow, Term, topic_tag

GIN_INDEX = f"{TABLE}_vector_gin"
CREATE = [
    f"CREATE TABLE IF NOT EXISTS {TABLE} ("
    " article_id bigint PRIMARY KEY,"
    " title text NOT NULL,"
    " meta text NOT NULL,"
    " vector tsvector NOT NULL,"
    " meta_vector tsvector NOT NULL)",
    f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON {TABLE} USING gin (vector)",
]
WINDOWS = (2_000, 8_000, 32_000, None)  # article ids per step, newest first; None: the rest


def _vector(*fields: str) -> str:
    """A tsvector literal of the tokens in `fields` (letters and digits only: nothing to escape)."""
    return " ".join(f"'{token}'" for token in sorted({t for f in fields for t in f.split()}))


def tsquery(terms: Sequence[Term], topic_id: int | None = None) -> str:
    parts = [f"'{t.stem}':*" if t.is_prefix else f"'{t.stem}'" for t in terms]
    if topic_id is not None:
        parts.append(f"'{topic_tag(topic_id)}'")
    return " & ".join(parts)


def write(rows: Sequence[IndexRow]) -> None:
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {TABLE} (article_id, title, meta, vector, meta_vector) "
            "VALUES (%s, %s, %s, %s::tsvector, %s::tsvector) "
            "ON CONFLICT (article_id) DO UPDATE SET title = EXCLUDED.title, meta = EXCLUDED.meta, "
            "vector = EXCLUDED.vector, meta_vector = EXCLUDED.meta_vector",
            [
                (
                    r.article_id,
                    r.title,
                    r.meta,
                    _vector(r.title, r.meta, r.body, r.tags),
                    _vector(r.title, r.meta),
                )
                for r in rows
            ],
        )


def delete(article_ids: Sequence[int]) -> None:
    if not article_ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE article_id = ANY(%s)", [list(article_ids)])


def clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {TABLE}")


def bulk_started() -> None:
    # Filling a table and then building its GIN index is many times faster than keeping the
    # index up to date row by row.
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")


def bulk_finished() -> None:
    with connection.cursor() as cursor:
        cursor.execute(CREATE[1])
        cursor.execute(f"ANALYZE {TABLE}")


def purge_removed() -> int:
    # Nothing to do: an old row version cannot be read through SQL, and autovacuum reclaims it.
    return 0


def newest_matches(
    terms: Sequence[Term], filters: Filters, now: datetime.datetime, limit: int
) -> list[int]:
    floor = since_floor(filters, now)
    if floor < 0:
        return []
    n = names()
    where, params = filters_sql(filters, now)
    query = tsquery(terms, filters.topic_id)
    found: list[int] = []
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT max(article_id) FROM {TABLE}")
        top = cursor.fetchone()[0]
        if top is None:
            return []
        high = top + 1
        for size in WINDOWS:
            low = floor if size is None else max(floor, high - size)
            cursor.execute(
                f"SELECT s.article_id FROM {TABLE} s "
                f"JOIN {n.article} a ON a.{n.id} = s.article_id "
                "WHERE s.vector @@ %s::tsquery AND s.article_id >= %s AND s.article_id < %s "
                f"AND {where} ORDER BY s.article_id DESC LIMIT %s",
                [query, low, high, *params, limit - len(found)],
            )
            found += [pk for (pk,) in cursor.fetchall()]
            if len(found) >= limit or low <= floor:
                break
            high = low
    return found


def candidates(article_ids: Sequence[int]) -> dict[int, Candidate]:
    if not article_ids:
        return {}
    n = names()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.article_id, s.title, s.meta, a.{n.published_at} FROM {TABLE} s "
            f"JOIN {n.article} a ON a.{n.id} = s.article_id WHERE s.article_id = ANY(%s)",
            [list(article_ids)],
        )
        return {
            pk: Candidate(title, meta, published)
            for pk, title, meta, published in cursor.fetchall()
        }


def in_title_or_meta(stems: Sequence[str], *, floor: int, exclude: int) -> list[tuple[int, int]]:
    """(index of the stem, article id) for each article with id ≥ `floor`, other than
    `exclude`, whose title or meta holds the stem: one pass over the window's rows (by primary
    key), each testing the small `meta_vector` in the row, never the (TOASTed) `vector`."""
    if not stems:
        return []
    holds = ", ".join(["meta_vector @@ %s::tsquery"] * len(stems))
    queries = [f"'{stem}'" for stem in stems]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT article_id, {holds} FROM {TABLE} WHERE article_id >= %s AND article_id <> %s "
            "AND meta_vector @@ %s::tsquery",
            [*queries, floor, exclude, " | ".join(queries)],
        )
        return [
            (index, row[0])
            for row in cursor.fetchall()
            for index, held in enumerate(row[1:])
            if held
        ]
