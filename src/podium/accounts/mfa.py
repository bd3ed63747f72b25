"""Second factors for staff: editors and administrators must have one (an authenticator app or a
security key, via allauth.mfa) before they reach the desk or the admin; contributors may add one.
Resets are audited.

Having a second factor is not enough: the session itself must have been signed in by a staff
member who used it. Every sign-in that completes (allauth's, whatever led to it: the sign-in form,
the admin's sign-in, which is the same form, an e-mail confirmation link) records in the session
whether the person was staff at that moment and whether a second factor was used
(`record_sign_in`, called from the account adapter's `login`). Setting up a second factor in the
session counts as using one: the code or the key proved it. On the desk and the admin,
`StaffMFAMiddleware` then asks, in this order:

1. was this session signed in as staff? If not (a role granted since, a session from anywhere
   else), it is signed out and sent to sign in again, which leads through the second factor;
2. does the person have a second factor? If not, to the set-up;
3. was it used in this session? If not, signed out and sent to sign in again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from . import audit
from .models import AuditEvent, User

PROTECTED_PREFIXES = ("/redactie/", "/beheer/")
NEXT_SESSION_KEY = "podium_mfa_next"
SIGN_IN_SESSION_KEY = "podium_sign_in"


def needs_mfa(user: User) -> bool:
    """Staff (editors, administrators, anyone with admin access) must use a second factor."""
    return bool(user.is_authenticated and (user.is_staff or user.is_superuser or user.is_editor))


def has_mfa(user: User) -> bool:
    return is_mfa_enabled(user, types=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN])


def record_sign_in(session: SessionBase, user: User, *, second_factor: bool) -> None:
    """Note in the session who signed in, whether they were staff then, and whether they used a
    second factor. Called once a sign-in has completed (and by tests that sign in by force)."""
    session[SIGN_IN_SESSION_KEY] = {
        "user": user.pk,
        "staff": needs_mfa(user),
        "second_factor": second_factor,
    }


def used_second_factor(request: HttpRequest, user: User) -> bool:
    """Whether a second factor was used in this request's session (allauth's record of it)."""
    return any(r.get("method") == "mfa" for r in get_authentication_records(request, user))


def record_second_factor_set_up(session: SessionBase, user: User) -> None:
    """The person just set up a second factor here, proving it with a code or a key."""
    sign_in = session.get(SIGN_IN_SESSION_KEY)
    if isinstance(sign_in, dict) and sign_in.get("user") == user.pk:
        session[SIGN_IN_SESSION_KEY] = {**sign_in, "second_factor": True}


def _sign_in(request: HttpRequest) -> dict[str, Any]:
    sign_in = request.session.get(SIGN_IN_SESSION_KEY)
    if isinstance(sign_in, dict) and sign_in.get("user") == request.user.pk:
        return sign_in
    return {}


class StaffMFAMiddleware:
    """Lets staff onto the desk and the admin only in a session signed in as staff with a second
    factor (see the module's docstring); sends staff without one to the set-up (the authenticator
    app's page, which also offers a security key)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not (
            settings.PODIUM_STAFF_MFA_REQUIRED
            and request.path.startswith(PROTECTED_PREFIXES)
            and needs_mfa(request.user)  # type: ignore[arg-type]
        ):
            return self.get_response(request)
        sign_in = _sign_in(request)
        if not sign_in.get("staff"):
            return _sign_in_again(
                request,
                _("Your role has changed. Please sign in again, with your second factor."),
            )
        if not has_mfa(request.user):  # type: ignore[arg-type]
            # Where they were going: the recovery-codes page after set-up links back there.
            request.session[NEXT_SESSION_KEY] = request.get_full_path()
            target = (
                reverse("mfa_activate_totp") + "?" + urlencode({"next": request.get_full_path()})
            )
            messages.info(
                request,
                _(
                    "Editors and administrators sign in with a second factor. Set up an authenticator app or a security key first."
                ),
            )
            return redirect(target)
        if not sign_in.get("second_factor"):
            return _sign_in_again(
                request, _("Please sign in again, with your second factor, to continue.")
            )
        return self.get_response(request)


def _sign_in_again(request: HttpRequest, message: str) -> HttpResponse:
    """Signs the session out and sends it to the sign-in form, which leads through the second
    factor and back here."""
    next_url = request.get_full_path()
    logout(request)
    messages.info(request, message)
    return redirect(reverse("account_login") + "?" + urlencode({REDIRECT_FIELD_NAME: next_url}))


def continue_url(request: HttpRequest) -> str:
    """The page staff were sent away from to set up a second factor ("" when there is none)."""
    url = request.session.get(NEXT_SESSION_KEY, "")
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return str(url)
    return ""


@transaction.atomic
def reset_mfa(*, user: User, by: User) -> int:
    """Remove every second factor of `user` (lost phone), so they set one up again at next sign-in.
    Only administrators may do this; the reset is audited. Returns the number removed."""
    if not (by.is_superuser or by.has_perm("mfa.delete_authenticator")):
        raise PermissionDenied(_("Only administrators can reset a second factor."))
    authenticators = list(Authenticator.objects.filter(user=user))
    Authenticator.objects.filter(pk__in=[a.pk for a in authenticators]).delete()
    audit.record(
        action=AuditEvent.Action.MFA_RESET,
        subject=user,
        by=by,
        types=sorted({a.type for a in authenticators}),
    )
    return len(authenticators)
