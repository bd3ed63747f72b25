"""The PostgreSQL backend's health check (podium.core.postgresql): no round trip for a kept
connection that nothing happened to, and a connection the server closed is found and replaced
before the request's first query."""

from __future__ import annotations

import time

import psycopg
import pytest
from django.db import connection, connections
from django.db.backends.postgresql import base as django_postgresql
from django.db.backends.signals import connection_created

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]


def _terminate(pid: int) -> None:
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
        for _ in range(100):  # until the server has closed it
            alive = other.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid]
            ).fetchone()
            if alive and alive[0] == 0:
                return
            time.sleep(0.02)


def test_the_engine_is_podiums() -> None:
    assert type(connections["default"]).__module__ == "podium.core.postgresql.base"


def _count_select_1(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Django's own check (SELECT 1), counted each time the backend falls back to it."""
    calls: list[bool] = []
    original = django_postgresql.DatabaseWrapper.is_usable

    def counted(self: django_postgresql.DatabaseWrapper) -> bool:
        calls.append(True)
        return bool(original(self))

    monkeypatch.setattr(django_postgresql.DatabaseWrapper, "is_usable", counted)
    return calls


def test_an_idle_kept_connection_is_usable_without_select_1(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    connection.ensure_connection()
    calls = _count_select_1(monkeypatch)
    assert connection.is_usable()
    assert calls == []


def test_a_connection_the_server_closed_is_not_usable_and_is_replaced() -> None:
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    _terminate(pid)
    assert not connection.is_usable()

    # What Django does at a request's first query with CONN_HEALTH_CHECKS: the dead connection
    # is closed and a new one opened, and the query succeeds.
    opened: list[object] = []

    def on_created(sender: object, connection: object, **kwargs: object) -> None:
        opened.append(connection)

    connection_created.connect(on_created)
    try:
        connection.health_check_enabled = True
        connection.health_check_done = False
        connection.close_if_health_check_failed()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            new_pid = cursor.fetchone()[0]
    finally:
        connection_created.disconnect(on_created)
    assert new_pid != pid
    assert opened


def test_a_notice_waiting_on_the_socket_is_asked_select_1(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    connection.ensure_connection()
    calls = _count_select_1(monkeypatch)
    raw = connection.connection
    # Another session sends this one a notification while it is idle: the socket is readable,
    # so the check falls back to SELECT 1, which reads it, and the connection is usable.
    raw.execute("LISTEN podium_health")
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("NOTIFY podium_health")
    time.sleep(0.1)
    assert connection.is_usable()
    assert calls == [True]
    raw.execute("UNLISTEN podium_health")
