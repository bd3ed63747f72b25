"""allauth's signals (the library's extension point: a contributor or editor changing their own
password, address or second factor goes through allauth's views): second factors written to the
audit log, and every other session of the person signed out after a new password or address."""

from __future__ import annotations

from typing import Any

from allauth.account import signals as account_signals
from allauth.mfa import signals
from allauth.mfa.models import Authenticator

from . import audit, mfa, services
from .models import AuditEvent


def _added(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    audit.record(action=AuditEvent.Action.MFA_ADDED, subject=user, by=user, type=authenticator.type)
    if request is not None and authenticator.type != Authenticator.Type.RECOVERY_CODES:
        # Set up in this session with a code or a key: that is a second factor used here.
        mfa.record_second_factor_set_up(request.session, user)


def _removed(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    audit.record(
        action=AuditEvent.Action.MFA_REMOVED, subject=user, by=user, type=authenticator.type
    )


def _sign_out_elsewhere(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """A new password or address: every other session of the person signs in again. After a
    password reset the request's own session is not signed in to the account, so none is kept."""
    keep = None
    if request is not None and getattr(request.user, "pk", None) == user.pk:
        keep = request.session.session_key
    services.end_sessions(user=user, keep=keep)


def connect() -> None:
    signals.authenticator_added.connect(_added, dispatch_uid="podium-audit-mfa-added")
    signals.authenticator_removed.connect(_removed, dispatch_uid="podium-audit-mfa-removed")
    for signal, name in (
        (account_signals.password_changed, "password-changed"),
        (account_signals.password_set, "password-set"),
        (account_signals.password_reset, "password-reset"),
        (account_signals.email_changed, "email-changed"),
    ):
        signal.connect(_sign_out_elsewhere, dispatch_uid=f"podium-sign-out-on-{name}")
