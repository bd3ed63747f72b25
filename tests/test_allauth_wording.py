"""allauth's pages speak Podium's Dutch: "u", never "je", on the second-factor pages and the
re-authentication before them (src/podium/allauth_wording.py, the project catalogue)."""

from __future__ import annotations

import re
from pathlib import Path

import allauth
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from podium.accounts.models import User
from podium.allauth_wording import ALLAUTH_MSGIDS

from .accounts.softkey import SoftKey
from .accounts.test_mfa_webauthn import add_key
from .podium_helpers import PASSWORD
from .test_translations import parse_po

ALLAUTH_NL = Path(allauth.__file__).parent / "locale" / "nl" / "LC_MESSAGES" / "django.po"
INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jezelf|jullie)\b", re.IGNORECASE)


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_every_reworded_msgid_is_one_allauth_uses() -> None:
    """A msgid that allauth does not (or no longer) use would override nothing."""
    allauth_msgids = {entry.msgid for entry in parse_po(ALLAUTH_NL)}
    assert set(ALLAUTH_MSGIDS) - allauth_msgids == set()


def test_every_reworded_msgid_says_u_in_dutch() -> None:
    with translation.override("nl"):
        for msgid in ALLAUTH_MSGIDS:
            dutch = gettext(msgid)
            assert dutch != msgid, msgid
            assert not INFORMAL.search(dutch), (msgid, dutch)


def _pages(client: Client, urls: list[str], *, stage: str = "") -> dict[str, str]:
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        pages[stage + url] = visible_text(response.content.decode())
    return pages


@pytest.mark.django_db
def test_second_factor_pages_say_u(contributor: User) -> None:
    client = Client(HTTP_HOST="localhost")  # WebAuthn accepts localhost over plain HTTP
    client.force_login(contributor)
    pages = _pages(client, ["/account/reauthenticate/"])
    client.post("/account/reauthenticate/", {"password": PASSWORD})
    pages |= _pages(
        client, ["/account/2fa/", "/account/2fa/totp/activate/", "/account/2fa/webauthn/add/"]
    )

    add_key(client, SoftKey())
    TOTP.activate(contributor, generate_totp_secret())
    RecoveryCodes.activate(contributor)
    key = Authenticator.objects.get(user=contributor, type=Authenticator.Type.WEBAUTHN)
    pages |= _pages(
        client,
        [
            "/account/2fa/",
            "/account/2fa/totp/deactivate/",
            "/account/2fa/recovery-codes/",
            "/account/2fa/recovery-codes/generate/",
            "/account/2fa/webauthn/",
            f"/account/2fa/webauthn/keys/{key.pk}/edit/",
            f"/account/2fa/webauthn/keys/{key.pk}/remove/",
        ],
        stage="with factors: ",
    )
    # With a second factor, re-authentication offers it first.
    fresh = Client(HTTP_HOST="localhost")
    fresh.force_login(contributor)
    pages |= _pages(fresh, ["/account/2fa/reauthenticate/"])

    for url, text in pages.items():
        assert not INFORMAL.search(text), (url, INFORMAL.findall(text))
    activate = pages["/account/2fa/totp/activate/"]
    assert "Beveilig uw account met tweestapsverificatie" in activate
    assert "Authenticator-app instellen" in activate
    assert "Vul uw wachtwoord in" in pages["/account/reauthenticate/"]
    assert "Weet u het zeker?" in pages["with factors: /account/2fa/recovery-codes/generate/"]
