"""Second factors for staff: editors and administrators must have one (an authenticator app or a
security key, via allauth.mfa) before they reach the desk or the admin; contributors may add one.
Resets are audited."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from allauth.mfa.webauthn.forms import AddWebAuthnForm, AuthenticateWebAuthnForm
from django.conf import settings
from django.contrib import messages
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


def needs_mfa(user: User) -> bool:
    """Staff (editors, administrators, anyone with admin access) must use a second factor."""
    return bool(user.is_authenticated and (user.is_staff or user.is_superuser or user.is_editor))


def has_mfa(user: User) -> bool:
    return is_mfa_enabled(user, types=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN])


class AddSecurityKeyForm(AddWebAuthnForm):
    """allauth's form for adding a key (MFA_FORMS["add_webauthn"]). allauth turns only a
    TypeError of a malformed credential into a form error; fido2 raises ValueError for garbage in
    the client data, which would be a 500. Either is "the key's answer was not right"."""

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValueError:
            raise get_adapter().validation_error("incorrect_code") from None


class SecurityKeyAuthenticateForm(AuthenticateWebAuthnForm):
    """allauth's security-key step at sign-in, knowing whether the person has a key at all: the
    sign-in page offers the key only then (MFA_FORMS["authenticate_webauthn"])."""

    @cached_property
    def has_keys(self) -> bool:
        return Authenticator.objects.filter(
            user_id=self.user.pk, type=Authenticator.Type.WEBAUTHN
        ).exists()


class StaffMFAMiddleware:
    """Sends staff without a second factor to the set-up before the desk or the admin (the
    authenticator app's page, which also offers a security key)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.PODIUM_STAFF_MFA_REQUIRED
            and request.path.startswith(PROTECTED_PREFIXES)
            and needs_mfa(request.user)  # type: ignore[arg-type]
            and not has_mfa(request.user)  # type: ignore[arg-type]
        ):
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
        return self.get_response(request)


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
