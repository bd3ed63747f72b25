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
from the share of that window that matched (none: the rest at once), so a query reads two or
three windows whatever its words, all of them in one statement (the function NEWEST). The
publication time is kept in the row (written with the tokens, in the transaction that publishes
or schedules the article) so that a window reads this table alone: joining the article rows to
ask whether readers may see them yet cost more than the search itself (a random read of a wide
row per match). The table holds published articles only (`index`), so their state need not be
asked."""

# ruff: noqa: S608 — SQL is assembled only from our own fragments; every value is a parameter.
from __future__ import annotations

import datetime
import logging
from collections.abc import Sequence
from typing import Any, Self

import psycopg
from django.conf import settings
from django.db import NotSupportedError, connection

from .base import TABLE, Candidate, Filters, Matches, names
from .text import IndexRow, Term, topic_tag

logger = logging.getLogger(__name__)

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
    # The lowest id of a period (in NEWEST) from the index alone.
    f"CREATE INDEX IF NOT EXISTS {TABLE}_published ON {TABLE} (published_at, article_id)",
]
# Article ids. Since the windows are asked in one statement, a further window costs no round
# trip, only its plan: a first window of 1,000 ids serves words in most articles ("we": 1,001
# matches in two windows), and a rare word, which finds (almost) nothing in it before the GIN
# index answers the rest, walks half the rows it did with 2,000 (server time per search, median
# of the bench's mix: 3.6-5.7 ms against 3.8-8.2, two runs at load 12-15, A/B alternated).
FIRST_WINDOW = 1_000
MARGIN = 1.25  # a later window is this much larger than the first window's share of matches asks

# The windows (see the module's docstring) are asked for inside the database, by one function,
# so a search is one statement whatever the number of windows: each statement is a round trip,
# and on a busy machine each round trip waits for both processes to be scheduled again. Each
# window is planned afresh, as the statements sent from here were (EXECUTE of a string with the
# query and the later windows' bounds as literals: never a generic plan, which cannot tell a
# first window from the rest of the table). No percent sign in its text: a migration runs it
# through a cursor that formats parameters.
NEWEST = f"{TABLE}_newest"
CREATE_NEWEST = (
    f"CREATE OR REPLACE FUNCTION {NEWEST}(query tsquery, since timestamptz, "
    "until timestamptz, lim integer, ranked integer, first_window bigint, "
    "margin double precision) "
    "RETURNS TABLE (article_id bigint, published_at timestamptz, title text, meta text) "
    "LANGUAGE plpgsql STABLE AS $$\n"
    "#variable_conflict use_column\n"
    "DECLARE\n"
    "  top bigint; floor bigint := 0; low bigint; high bigint; size bigint;\n"
    "  n_found integer := 0; got integer; to_rank integer;\n"
    "  bound text := '(SELECT '; bound_end text := '::bigint)';\n"
    "  visible text := ' AND s.published_at <= ' || quote_literal(until) || '::timestamptz';\n"
    "BEGIN\n"
    f"  SELECT max(s.article_id) INTO top FROM {TABLE} s;\n"
    "  IF top IS NULL THEN RETURN; END IF;\n"
    "  IF since IS NOT NULL THEN\n"
    "    visible := visible || ' AND s.published_at >= ' || quote_literal(since) || '::timestamptz';\n"
    # The period's lowest id, below which no window need look, from the (published_at,
    # article_id) index, fenced by OFFSET 0: ids grow with the publication time, which the
    # planner cannot know; asked for min(article_id) directly, it walks the primary key upwards
    # through every older article (100 ms at 100,000) instead of reading the period's few
    # entries of the time index.
    "    SELECT coalesce(min(p.article_id), -1) INTO floor FROM (SELECT s.article_id "
    f"FROM {TABLE} s WHERE s.published_at >= since AND s.published_at <= until OFFSET 0) p;\n"
    "    IF floor < 0 THEN RETURN; END IF;\n"
    "  END IF;\n"
    "  high := top + 1;\n"
    "  low := greatest(floor, top - first_window + 1);\n"
    "  LOOP\n"
    # A window's matches, newest first, with the ranking data of those still to be ranked.
    # The first window's bounds are hidden from the planner (a subquery each): it then walks the
    # primary key from the newest id, which for a window of FIRST_WINDOW ids costs 1-2 ms at
    # most whatever the words; told the bounds, it chose to intersect the GIN index's lists of
    # every match of the words with the window instead (10-30 ms for a common prefix and a
    # topic at 100,000).
    "    to_rank := greatest(0, ranked - n_found);\n"
    "    RETURN QUERY EXECUTE 'SELECT s.article_id, '\n"
    "      || 'CASE WHEN row_number() OVER w <= ' || to_rank || ' THEN s.published_at END, '\n"
    "      || 'CASE WHEN row_number() OVER w <= ' || to_rank || ' THEN s.title END, '\n"
    "      || 'CASE WHEN row_number() OVER w <= ' || to_rank || ' THEN s.meta END '\n"
    f"      || 'FROM {TABLE} s WHERE s.vector @@ ' || quote_literal(query::text) || '::tsquery'\n"
    "      || ' AND s.article_id >= ' || bound || low || bound_end\n"
    "      || ' AND s.article_id < ' || bound || high || bound_end || visible\n"
    "      || ' WINDOW w AS (ORDER BY s.article_id DESC) ORDER BY s.article_id DESC LIMIT '\n"
    "      || (lim - n_found);\n"
    "    GET DIAGNOSTICS got = ROW_COUNT;\n"
    "    n_found := n_found + got;\n"
    "    EXIT WHEN n_found >= lim OR low <= floor;\n"
    # The next window: as many ids as the matches still wanted need at the share of the last
    # window that matched; none matched: the rest at once.
    "    size := CASE WHEN got > 0 THEN ceil((lim - n_found) * (high - low)::double precision / got"
    " * margin)::bigint ELSE high END;\n"
    "    bound := ''; bound_end := '';\n"
    "    high := low;\n"
    "    low := greatest(floor, low - size);\n"
    "  END LOOP;\n"
    "END\n"
    "$$"
)
CREATE.append(CREATE_NEWEST)


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


def newest_matches(
    terms: Sequence[Term],
    filters: Filters,
    now: datetime.datetime,
    limit: int,
    ranked: int,
) -> Matches:
    """One statement: the function NEWEST asks the windows (see the module's docstring), run
    prepared (`fetch_prepared`: its 1,001 rows arrive without client-side quoting or a plan)."""
    ids: list[int] = []
    candidates: dict[int, Candidate] = {}
    query = tsquery(terms, filters.topic_id)
    rows = fetch_prepared(
        f"SELECT * FROM {NEWEST}(%s::tsquery, %s::timestamptz, %s::timestamptz, %s::integer, "
        "%s::integer, %s::bigint, %s::double precision)",
        [query, filters.since, now, limit, ranked, FIRST_WINDOW, MARGIN],
    )
    for pk, published, title, meta in rows:
        ids.append(pk)
        if published is not None and title is not None and meta is not None:
            candidates[pk] = Candidate(title, meta, published)
    return Matches(ids, candidates)


def topics_json() -> str:
    n = names()
    return (
        f"(SELECT coalesce(json_agg(json_build_array(t.{n.topic_id}, t.{n.topic_name}, "
        f"t.{n.topic_name_en}) ORDER BY t.{n.topic_name}), '[]') FROM {n.topics} x "
        f"JOIN {n.topic} t ON t.{n.topic_id} = x.{n.topics_topic} "
        f'WHERE x.{n.topics_article} = "{n.article}"."{n.id}")::text'  # decoded by JSONField
    )


def json_array(values: Sequence[str]) -> str:
    return f"json_build_array({', '.join(values)})"


def json_rows(row: str) -> str:
    """The rows' `row` as one JSON array, as text (NULL without rows)."""
    return f"json_agg({row})::text"


def id_in(column: str) -> str:
    """`column` is one of the ids given as one parameter (`ids_param`): one statement for any
    number of ids."""
    return f"{column} = ANY(%s)"


def ids_param(ids: Sequence[int]) -> list[int]:
    return list(ids)


_NEVER = 2**31 - 1


class _PreparedCursor(psycopg.Cursor[tuple[Any, ...]]):
    """Binds its parameters on the server and runs its statement prepared (psycopg keeps it per
    connection, prepared once)."""

    def execute(
        self,
        query: Any,
        params: Any = None,
        *,
        prepare: bool | None = None,
        binary: bool | None = None,
    ) -> Self:
        return super().execute(query, params, prepare=True, binary=binary)


def fetch_prepared(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """The rows of `sql`, run as a prepared statement (settings.PODIUM_DB_PREPARED_STATEMENTS),
    for the statements every search runs: the page query, the same statement for every page
    whatever its ids, is then planned once per connection instead of every time (0.6-0.9 ms of a
    search's server time, a join and two subqueries, at load 10), and the windows' function call
    sends its parameters and reads its 1,001 rows without quoting them on the client. Django's
    cursors bind on the client and prepare nothing (so that a transaction-mode pooler works:
    that set-up turns this off); this one goes through Django's cursor wrapper all the same, so
    the statement is logged and counted as any other.

    A statement prepared before a migration changed the columns it reads (a rolling deploy:
    this worker keeps running while `migrate` alters a table) fails on this connection every
    time from then on ("cached plan must not change result type", FeatureNotSupported).
    Outside a transaction the connection's statements are then deallocated and this one runs
    once more, prepared anew; inside one the error stands (the transaction cannot go on), and
    its rollback makes psycopg deallocate them."""
    if not settings.PODIUM_DB_PREPARED_STATEMENTS:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    try:
        return _run_prepared(sql, params)
    except NotSupportedError as error:
        if not isinstance(error.__cause__, psycopg.errors.FeatureNotSupported) or (
            connection.in_atomic_block
        ):
            raise
        # (Told by its SQLSTATE, 0A000, not its message, which the server may give in Dutch.)
        logger.warning("Prepared statements deallocated and the statement retried: %s", error)
        _deallocate_all()
        return _run_prepared(sql, params)


def _run_prepared(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    connection.ensure_connection()
    if connection.connection.prepare_threshold is None:
        # Django turns psycopg's preparing off, which also refuses a statement asked to be
        # prepared; a threshold no statement reaches keeps every other statement unprepared.
        connection.connection.prepare_threshold = _NEVER
    raw = _PreparedCursor(connection.connection)
    # (The stubs say these take a wrapper; Django gives them the DB-API cursor to wrap.)
    wrapped = (
        connection.make_debug_cursor(raw)  # type: ignore[arg-type]
        if connection.queries_logged
        else connection.make_cursor(raw)  # type: ignore[arg-type]
    )
    with wrapped as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _deallocate_all() -> None:
    """Deallocates the connection's prepared statements on the server, and in psycopg: it
    forgets the names it prepared when it sees a DEALLOCATE ALL succeed (as on a ROLLBACK or a
    DISCARD ALL), and prepares each statement again under a new name when next asked.
    tests/articles/test_search_prepared_schema.py holds psycopg to that."""
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")


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
