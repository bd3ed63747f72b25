"""Podium's session store: Django's database sessions in ``accounts.Session``, which also
records the member signed in to each session (an indexed column), so that a member's sessions
are found without decoding every row and are deleted with their account.

The one lookup every signed-in request makes (the session row by its key) is read with SQL
written once instead of compiled by the ORM on every request: compiling
``Session.objects.get(session_key=…, expire_date__gt=now)`` costs about 0.3 ms of CPU, the query
itself about 0.02 ms. Everything else (creating, saving, deleting, clearing expired sessions) is
Django's own code."""

from __future__ import annotations

import datetime
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import db
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import connections, router
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from podium.core.rawsql import column


@cache
def _lookup_sql(model: type[AbstractBaseSession], alias: str) -> str:
    quote = connections[alias].ops.quote_name
    key, data, expires = (
        quote(column(model, name)) for name in ("session_key", "session_data", "expire_date")
    )
    return (
        f"SELECT {data}, {expires} FROM {quote(model._meta.db_table)} "  # noqa: S608 (names from _meta)
        f"WHERE {key} = %s AND {expires} > %s"
    )


def member_id(data: dict[str, Any]) -> int | None:
    """The id of the member signed in to a session with this data, or None."""
    try:
        return int(data[SESSION_KEY])
    except (KeyError, TypeError, ValueError):
        return None


class SessionStore(db.SessionStore):
    @classmethod
    def get_model_class(cls) -> type[AbstractBaseSession]:
        from .models import Session

        return Session

    def create_model_instance(self, data: dict[str, Any]) -> AbstractBaseSession:
        session = super().create_model_instance(data)
        session.user_id = member_id(data)  # type: ignore[attr-defined]
        return session

    def _get_session_from_db(self) -> AbstractBaseSession | None:
        if not self.session_key:  # absent or refused by the key check: nothing to read
            self._session_key = None
            return None
        alias = router.db_for_read(self.model)
        connection = connections[alias]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(_lookup_sql(self.model, alias), [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        data, expires = row
        if isinstance(expires, str):
            expires = parse_datetime(expires)
        if expires is not None and settings.USE_TZ and timezone.is_naive(expires):
            expires = expires.replace(tzinfo=datetime.UTC)  # SQLite's stored value is in UTC
        session = self.model(session_key=self.session_key, session_data=data, expire_date=expires)
        session._state.adding = False
        session._state.db = alias
        return session
