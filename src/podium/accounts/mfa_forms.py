"""Podium's forms for allauth's security-key pages (MFA_FORMS in the settings), apart from
podium.accounts.mfa, which every request's middleware imports: these import fido2 and
cryptography, loaded with the security-key pages only (see podium.accounts.mfa_urls)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.webauthn.forms import AddWebAuthnForm, AuthenticateWebAuthnForm


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
