"""Podium's session store: Django's database sessions in ``accounts.Session``, which also
records the member signed in to each session (an indexed column), so that a member's sessions
are found without decoding every row and are deleted with their account.

Only the two extension points Django documents for a custom database session model are used
(``get_model_class`` and ``create_model_instance``); reading, saving, deleting and clearing
expired sessions are Django's own code."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import db
from django.contrib.sessions.base_session import AbstractBaseSession


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
        from .models import Session

        session = super().create_model_instance(data)
        assert isinstance(session, Session)
        session.user_id = member_id(data)
        return session
