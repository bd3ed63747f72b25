"""allauth's own MFA signals (the library's extension point; a contributor or editor adding or
removing a second factor on their own goes through allauth's views) written to the audit log."""

from __future__ import annotations

from typing import Any

from allauth.mfa import signals

from . import audit
from .models import AuditEvent


def _added(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    audit.record(action=AuditEvent.Action.MFA_ADDED, subject=user, by=user, type=authenticator.type)


def _removed(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    audit.record(
        action=AuditEvent.Action.MFA_REMOVED, subject=user, by=user, type=authenticator.type
    )


def connect() -> None:
    signals.authenticator_added.connect(_added, dispatch_uid="podium-audit-mfa-added")
    signals.authenticator_removed.connect(_removed, dispatch_uid="podium-audit-mfa-removed")
