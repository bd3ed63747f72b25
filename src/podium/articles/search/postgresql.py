"""The PostgreSQL backend: a table `articles_search` with, per published article, its
publication time, the tokens of its title and meta (for ranking and "read more"), `vector`, a
tsvector of all its tokens (GIN index), and `meta_vector`, that of the title and meta alone
(small, kept in the row).

The tokens are the ones Python made (`text.tokens`), taken verbatim: a tsvector or tsquery typed
as a literal is not parsed or stemmed again, so PostgreSQL matches exactly what SQLite's FTS5
matches and both give the same answers.

A GIN index returns a term's matches in no particular order; for the commonest words that is
nearly every article. The newest matches are therefore asked for in windows of article ids, the
newest first: a first window of FIRST_WINDOW ids, which answers the common words, then one sized
from the share of that window that matched (none: the rest at once), so a query costs two or
three statements whatever its words. The publication time is kept in the row (written with the
tokens, in the transaction that publishes or schedules the article) so that a window reads this
table alone: joining the article rows to ask whether readers may see them yet cost more than the
search itself (a random read of a wide row per match). The table holds published articles only
(`index`), so their state need not be asked."""

# ruff: noqa: S608 — SQL is assembled only from our own fragments; every value is a parameter.
from __future__ import annotations

import datetime
import math
from collections.abc import Sequence

from django.db import connection

from .base import TABLE, Candidate, Filters, Matches, Param, names
from .text import IndexRow, Term, topic_tag

GIN_INDEX = f"{TABLE}_vector_gin"
CREATE = [
    f"CREATE TABLE IF NOT EXISTS {TABLE} ("
    " article_id bigint PRIMARY KEY,"
    " published_at timestamptz NOT NULL,"
    " title text NOT NULL,"
    " meta text NOT NULL,"
    " vector tsvector NOT NULL,"
    " meta_vector tsvector NOT NULL)",
    f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON {TABLE} USING gin (vector)",
    # The lowest id of a period (`_floor`) from the index alone.
    f"CREATE INDEX IF NOT EXISTS {TABLE}_published ON {TABLE} (published_at, article_id)",
]
FIRST_WINDOW = 2_000  # article ids
MARGIN = 1.25  # a later window is this much larger than the first window's share of matches asks


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
            f"INSERT INTO {TABLE} (article_id, published_at, title, meta, vector, meta_vector) "
            "VALUES (%s, %s, %s, %s, %s::tsvector, %s::tsvector) "
            "ON CONFLICT (article_id) DO UPDATE SET published_at = EXCLUDED.published_at, "
            "title = EXCLUDED.title, meta = EXCLUDED.meta, "
            "vector = EXCLUDED.vector, meta_vector = EXCLUDED.meta_vector",
            [
                (
                    r.article_id,
                    r.published_at,
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


def _floor(filters: Filters, now: datetime.datetime) -> tuple[str, list[Param]]:
    """SQL for the lowest id of an article readers may see that was published within the
    reader's period (0 without one; -1: none), from this table's (published_at, article_id)
    index: every match in the period has an id at least this high."""
    if filters.since is None:
        return "0", []
    # The fence (OFFSET 0): ids grow with the publication time, which the planner cannot know;
    # asked for min(article_id) directly, it walks the primary key upwards through every older
    # article (100 ms at 100,000) instead of reading the period's few entries of the time index.
    # (A MATERIALIZED CTE fences too, but its scan of the stored rows cost more than the index
    # scan itself: 1.3 against 0.5 ms for a month of 6,400 articles.)
    return (
        f"(SELECT coalesce(min(article_id), -1) FROM (SELECT article_id FROM {TABLE} "
        "WHERE published_at >= %s AND published_at <= %s OFFSET 0) period)"
    ), [filters.since, now]


def newest_matches(
    terms: Sequence[Term],
    filters: Filters,
    now: datetime.datetime,
    limit: int,
    ranked: int,
) -> Matches:
    query = tsquery(terms, filters.topic_id)
    visible, visible_params = "published_at <= %s", [now]
    if filters.since is not None:
        visible += " AND published_at >= %s"
        visible_params.append(filters.since)

    def window(low: str, high: str) -> str:
        """A window's matches, newest first, with the publication time, title and meta of those
        still to be ranked only (parameters: how many to rank, three times; the query; the
        window's bounds; the period's; the limit)."""
        return (
            "SELECT article_id, "
            "CASE WHEN row_number() OVER w <= %s THEN published_at END AS published_at, "
            "CASE WHEN row_number() OVER w <= %s THEN title END AS title, "
            "CASE WHEN row_number() OVER w <= %s THEN meta END AS meta "
            f"FROM {TABLE} WHERE vector @@ %s::tsquery AND article_id >= {low} "
            f"AND article_id < {high} AND {visible} WINDOW w AS (ORDER BY article_id DESC) "
            "ORDER BY article_id DESC LIMIT %s"
        )

    ids: list[int] = []
    candidates: dict[int, Candidate] = {}

    def take(
        rows: Sequence[tuple[int, datetime.datetime | None, str | None, str | None]],
    ) -> None:
        for pk, published, title, meta in rows:
            ids.append(pk)
            if published is not None and title is not None and meta is not None:
                candidates[pk] = Candidate(title, meta, published)

    with connection.cursor() as cursor:
        # The first window, with the newest id and the period's lowest (its floor) in the same
        # statement (always one row: the two ids, and no match when the window has none). The
        # period's own condition is in every window; the floor only says where to stop.
        # The bounds are read once (MATERIALIZED): as a subquery, each of their uses in the
        # window's index condition ran it again (the period's floor twice, the top three times).
        floor_sql, floor_params = _floor(filters, now)
        cursor.execute(
            f"WITH m AS MATERIALIZED (SELECT (SELECT max(article_id) FROM {TABLE}) AS top, "
            f"{floor_sql} AS floor) SELECT m.top, m.floor, w.* FROM m LEFT JOIN LATERAL "
            f"({window('GREATEST(m.top - %s, m.floor)', 'm.top + 1')}) w ON true",
            [
                *floor_params,
                ranked,
                ranked,
                ranked,
                query,
                FIRST_WINDOW - 1,
                *visible_params,
                limit,
            ],
        )
        first = cursor.fetchall()
        top, floor = first[0][0], first[0][1]
        if top is None or floor < 0:
            return Matches([], {})
        rows = [row[2:] for row in first if row[2] is not None]
        take(rows)
        low, high = max(floor, top - FIRST_WINDOW + 1), top + 1
        while len(ids) < limit and low > floor:
            # The next window: as many ids as the matches still wanted need at the share of the
            # last window that matched; none matched: the rest at once.
            share = len(rows) / (high - low)
            size = math.ceil((limit - len(ids)) / share * MARGIN) if rows else high
            high, low = low, max(floor, low - size)
            to_rank = max(0, ranked - len(ids))
            cursor.execute(
                window("%s", "%s"),
                [to_rank, to_rank, to_rank, query, low, high, *visible_params, limit - len(ids)],
            )
            rows = cursor.fetchall()
            take(rows)
    return Matches(ids, candidates)


def topics_json() -> str:
    n = names()
    return (
        f"(SELECT coalesce(json_agg(json_build_array(t.{n.topic_id}, t.{n.topic_name}, "
        f"t.{n.topic_name_en}) ORDER BY t.{n.topic_name}), '[]') FROM {n.topics} x "
        f"JOIN {n.topic} t ON t.{n.topic_id} = x.{n.topics_topic} "
        f'WHERE x.{n.topics_article} = "{n.article}"."{n.id}")::text'  # decoded by JSONField
    )


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
