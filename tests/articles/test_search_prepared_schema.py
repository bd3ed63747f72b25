"""A migration while workers keep running (a rolling deploy): a statement this worker's
connection prepared earlier must not fail for ever once another connection changes the columns
it reads.

PostgreSQL refuses to run a prepared statement whose result columns changed since it was
prepared ("cached plan must not change result type"), every time, on that connection. The
search's statements run prepared (`fetch_prepared`); outside a transaction they are prepared
again and run once more, inside one the error stands and the transaction's rollback lets psycopg
forget its statements. PostgreSQL only: SQLite prepares nothing that outlives a schema change,
and its in-memory test database cannot be shared between connections."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from django.db import NotSupportedError, connection, connections, transaction

from podium.articles import search
from podium.articles.models import Article
from podium.articles.search import postgresql

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="prepared statements (PostgreSQL)"
    ),
]

P = Article.State.PUBLISHED


def _elsewhere(sql: str) -> None:
    """Run `sql` on another connection (another worker, or the deploy's `migrate`)."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute(sql)
        except BaseException as exc:  # reported in the test's thread
            failure.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    assert not thread.is_alive() and not failure, failure


@pytest.fixture
def probe() -> Iterator[str]:
    _elsewhere("CREATE TABLE podium_prepared_probe (id integer)")
    _elsewhere("INSERT INTO podium_prepared_probe VALUES (1)")
    yield "SELECT * FROM podium_prepared_probe WHERE id >= %s"
    connection.close()  # its prepared statements go with it
    _elsewhere("DROP TABLE podium_prepared_probe")


def test_search_survives_a_column_type_change(make_article, contributor):
    """The results page's statement reads the article's title; a migration that lengthens it
    (varchar(120) to varchar(200)) changes the statement's result type."""
    make_article(contributor, P, title="Oude begroting", lead="Over de begroting.")
    for _ in range(2):
        assert [hit.article.title for hit in search.search("begroting")[:10]] == ["Oude begroting"]
    table = Article._meta.db_table
    _elsewhere(f"ALTER TABLE {table} ALTER COLUMN title TYPE varchar(200)")
    try:
        assert [hit.article.title for hit in search.search("begroting")[:10]] == ["Oude begroting"]
    finally:
        connection.close()
        _elsewhere(f"ALTER TABLE {table} ALTER COLUMN title TYPE varchar(120)")


def test_select_star_survives_an_added_column(probe):
    for _ in range(3):
        assert postgresql.fetch_prepared(probe, [0]) == [(1,)]
    _elsewhere("ALTER TABLE podium_prepared_probe ADD COLUMN note text DEFAULT 'nieuw'")
    assert postgresql.fetch_prepared(probe, [0]) == [(1, "nieuw")]
    # Prepared again, under psycopg's new name: the next runs need no second try.
    assert postgresql.fetch_prepared(probe, [0]) == [(1, "nieuw")]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone() == (1,)


def test_inside_a_transaction_the_error_stands_and_the_rollback_clears_it(probe):
    """A transaction that failed cannot run the statement again; the request fails once, and
    the rollback (psycopg forgets its prepared statements on one) lets the next one work."""
    assert postgresql.fetch_prepared(probe, [0]) == [(1,)]
    _elsewhere("ALTER TABLE podium_prepared_probe ADD COLUMN note text DEFAULT 'nieuw'")
    with pytest.raises(NotSupportedError), transaction.atomic():
        postgresql.fetch_prepared(probe, [0])
    assert postgresql.fetch_prepared(probe, [0]) == [(1, "nieuw")]
