"""Podium's session store: Django's cached database sessions (``cached_db``) in
``accounts.Session``, which also records the member signed in to each session (an indexed
column), so that a member's sessions are found without decoding every row and are deleted with
their account.

A signed-in request reads its session from the default cache (Redis in production, files in the
embedded set-up) and goes to the database only on a miss; every save writes both. That saves the
ORM's session query on nearly every signed-in request (`make bench-request-cpu`). A session
ended outside Django's own session code (`accounts.services.end_sessions`: sign out everywhere)
drops the cached copies too (`forget_cached`).

Only the two extension points Django documents for a custom database session model are used
(``get_model_class`` and ``create_model_instance``); reading, saving, deleting and clearing
expired sessions are Django's own code."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.cache import caches
from django.db import transaction


def member_id(data: dict[str, Any]) -> int | None:
    """The id of the member signed in to a session with this data, or None."""
    try:
        return int(data[SESSION_KEY])
    except (KeyError, TypeError, ValueError):
        return None


class SessionStore(cached_db.SessionStore):
    @classmethod
    def get_model_class(cls) -> type[AbstractBaseSession]:
        from .models import Session

        return Session

    def create_model_instance(self, data: dict[str, Any]) -> AbstractBaseSession:
        from .models import Session

        session = super().create_model_instance(data)
        assert isinstance(session, Session)
        session.user_id = member_id(data)
        return session


def forget_cached(session_keys: list[str]) -> None:
    """Drop the cached copies of these sessions (their rows are being deleted): now, and again
    once the transaction commits, so that a request that read a row just before the delete
    cannot leave a copy behind."""
    if not session_keys:
        return
    cache_keys = [SessionStore.cache_key_prefix + key for key in session_keys]
    cache = caches[settings.SESSION_CACHE_ALIAS]
    cache.delete_many(cache_keys)
    transaction.on_commit(lambda: cache.delete_many(cache_keys))
