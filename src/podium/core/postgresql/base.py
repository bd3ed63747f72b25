"""Django's PostgreSQL backend with a health check that costs no round trip when nothing
happened to the connection.

With `CONN_HEALTH_CHECKS`, Django asks a kept connection `SELECT 1` before the first query of
every request: one more round trip on every page, which on a busy machine is a wait for the
server's process to be scheduled (a third of a list page's time in a profile, issue #20), and
across machines a network round trip. A connection the server has closed (a restart,
`pg_terminate_backend`, an idle timeout) has already said so: the server sends its FATAL message
and closes the socket, so the socket is readable. A socket with nothing to read, of a
connection psycopg holds as open and idle, is taken as usable; anything else is asked
`SELECT 1` as before. A connection lost without a word (a network partition) is found by its
first query, as it would be by `SELECT 1`."""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        if connection.info.transaction_status != pq.TransactionStatus.IDLE:
            return bool(super().is_usable())
        try:
            readable, _, _ = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        if not readable:
            return True
        # Something arrived while the connection was idle: a notice, or the server's goodbye.
        return bool(super().is_usable())
