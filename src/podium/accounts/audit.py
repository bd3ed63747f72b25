"""The audit log's one writer. Callers are the services and admin actions that change roles,
trust and second factors; each passes the acting user (None for automatic changes)."""

from __future__ import annotations

from typing import Any

from .models import AuditEvent, User


def record(*, action: str, subject: User | None, by: User | None, **details: Any) -> AuditEvent:
    actor = by if by is not None and by.pk else None
    return AuditEvent.objects.create(action=action, subject=subject, actor=actor, details=details)
