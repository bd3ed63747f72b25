"""Security keys and passkeys (WebAuthn) as a second factor beside the authenticator app: the
pages render without inline script, a key is registered and used through allauth's real checks
(a software key stands in for the browser), and either factor satisfies the staff requirement."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.test import Client

from podium.accounts import mfa
from podium.accounts.models import AuditEvent, User

from ..podium_helpers import PASSWORD
from .softkey import SoftKey

pytestmark = pytest.mark.django_db

ADD = "/account/2fa/webauthn/add/"


def signed_in(user: User) -> Client:
    """Signed in through the real form and freshly re-authenticated, as allauth asks before a
    second factor is added. The host is "localhost", which WebAuthn accepts over plain HTTP."""
    client = Client(HTTP_HOST="localhost")
    client.post("/account/login/", {"login": user.email, "password": PASSWORD})
    client.post("/account/reauthenticate/", {"password": PASSWORD})
    return client


def assert_csp_clean(html: str) -> None:
    """Nothing the strict CSP would block: scripts are files or JSON data, no inline styles."""
    assert ' style="' not in html and "<style" not in html
    for opening in re.findall(r"<script\b([^>]*)>", html):
        assert "src=" in opening or 'type="application/json"' in opening, opening
    for src in re.findall(r'<script[^>]*src="/static/([^"]+)"', html):
        assert finders.find(src), f"missing static file {src}"


def add_key(client: Client, key: SoftKey, name: str = "Sleutelbos") -> Any:
    page = client.get(ADD)
    credential = key.register(page.context["js_data"]["creation_options"])
    return client.post(ADD, {"name": name, "credential": credential})


def test_security_keys_are_a_supported_second_factor_beside_the_app() -> None:
    assert {"totp", "webauthn", "recovery_codes"} <= set(django_settings.MFA_SUPPORTED_TYPES)
    assert not getattr(django_settings, "MFA_PASSKEY_LOGIN_ENABLED", False), "a second factor only"


def test_the_overview_offers_both_factors(contributor: User) -> None:
    response = signed_in(contributor).get("/account/2fa/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Authenticator-app" in html and "Beveiligingssleutels" in html
    assert 'href="/account/2fa/totp/activate/"' in html and f'href="{ADD}"' in html
    assert_csp_clean(html)


def test_the_add_key_page_renders_without_inline_script(contributor: User) -> None:
    response = signed_in(contributor).get(ADD)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Beveiligingssleutel toevoegen" in html and "Naam van de sleutel" in html
    assert 'id="mfa_webauthn_add"' in html and 'id="security-key-error"' in html
    assert "/static/accounts/security-key.js" in html
    assert_csp_clean(html)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "publickey-credentials-create=(self)" in response["Permissions-Policy"]
    options = response.context["js_data"]["creation_options"]["publicKey"]
    assert options["rp"]["id"] == "localhost"


def test_adding_a_key_needs_a_fresh_password(contributor: User) -> None:
    client = Client(HTTP_HOST="localhost")
    client.post("/account/login/", {"login": contributor.email, "password": PASSWORD})
    response = client.get(ADD)
    assert response.status_code == 302 and "/reauthenticate/" in response["Location"]


def test_a_key_is_registered_listed_renamed_and_removed(
    contributor: User, django_capture_on_commit_callbacks: Any
) -> None:
    client = signed_in(contributor)
    with django_capture_on_commit_callbacks(execute=True):
        response = add_key(client, SoftKey())
    assert response.status_code == 302
    assert "/recovery-codes/" in response["Location"], "the first factor comes with codes"
    key = Authenticator.objects.get(user=contributor, type=Authenticator.Type.WEBAUTHN)
    assert key.wrap().name == "Sleutelbos"
    assert Authenticator.objects.filter(
        user=contributor, type=Authenticator.Type.RECOVERY_CODES
    ).exists()
    added = AuditEvent.objects.filter(action=AuditEvent.Action.MFA_ADDED, subject=contributor)
    assert sorted(e.details["type"] for e in added) == ["recovery_codes", "webauthn"]

    overview = client.get("/account/2fa/").content.decode()
    assert "U heeft 1 beveiligingssleutel toegevoegd." in overview
    listing = client.get("/account/2fa/webauthn/")
    assert listing.status_code == 200 and "Sleutelbos" in listing.content.decode()
    assert_csp_clean(listing.content.decode())

    edit = f"/account/2fa/webauthn/keys/{key.pk}/edit/"
    assert client.get(edit).status_code == 200
    client.post(edit, {"name": "Reservesleutel"})
    key.refresh_from_db()
    assert key.wrap().name == "Reservesleutel"

    remove = f"/account/2fa/webauthn/keys/{key.pk}/remove/"
    page = client.get(remove)
    assert page.status_code == 200 and "Reservesleutel" in page.content.decode()
    assert client.post(remove).status_code == 302
    assert not Authenticator.objects.filter(pk=key.pk).exists()


def test_a_forged_credential_adds_no_key(contributor: User) -> None:
    client = signed_in(contributor)
    page = client.get(ADD)
    credential = json.loads(SoftKey().register(page.context["js_data"]["creation_options"]))
    credential["response"]["clientDataJSON"] = (
        credential["response"]["clientDataJSON"][:-4] + "AAAA"
    )
    response = client.post(ADD, {"name": "Vals", "credential": json.dumps(credential)})
    assert response.status_code == 200
    assert not Authenticator.objects.filter(user=contributor).exists()
    assert client.post(ADD, {"name": "Leeg", "credential": ""}).status_code == 200
    assert not Authenticator.objects.filter(user=contributor).exists()


def test_nobody_sees_or_removes_someone_elses_key(
    contributor: User, other_contributor: User
) -> None:
    add_key(signed_in(contributor), SoftKey())
    key = Authenticator.objects.get(user=contributor, type=Authenticator.Type.WEBAUTHN)
    other = signed_in(other_contributor)
    assert other.get(f"/account/2fa/webauthn/keys/{key.pk}/edit/").status_code == 404
    assert other.post(f"/account/2fa/webauthn/keys/{key.pk}/remove/").status_code == 404
    assert "Sleutelbos" not in other.get("/account/2fa/webauthn/").content.decode()
    assert Authenticator.objects.filter(pk=key.pk).exists()


def test_signing_in_with_password_and_key(contributor: User) -> None:
    key = SoftKey()
    add_key(signed_in(contributor), key)
    client = Client(HTTP_HOST="localhost")
    response = client.post("/account/login/", {"login": contributor.email, "password": PASSWORD})
    assert response.status_code == 302 and "/2fa/authenticate/" in response["Location"]
    page = client.get(response["Location"])
    html = page.content.decode()
    assert 'id="mfa_webauthn_authenticate"' in html and "Mijn beveiligingssleutel gebruiken" in html
    assert_csp_clean(html)
    assertion = key.sign_in(page.context["js_data"]["request_options"])
    response = client.post("/account/2fa/authenticate/", {"credential": assertion})
    assert response.status_code == 302 and "/2fa/" not in response["Location"]
    assert client.get("/profiel/").status_code == 200
    stored = Authenticator.objects.get(user=contributor, type=Authenticator.Type.WEBAUTHN)
    assert stored.last_used_at is not None


def test_another_key_does_not_sign_in(contributor: User) -> None:
    add_key(signed_in(contributor), SoftKey())
    client = Client(HTTP_HOST="localhost")
    client.post("/account/login/", {"login": contributor.email, "password": PASSWORD})
    page = client.get("/account/2fa/authenticate/")
    stranger = SoftKey().sign_in(page.context["js_data"]["request_options"])
    response = client.post("/account/2fa/authenticate/", {"credential": stranger})
    assert response.status_code == 200
    response = client.get("/profiel/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_sign_in_step_offers_a_key_only_to_those_who_have_one(contributor: User) -> None:
    TOTP.activate(contributor, generate_totp_secret())
    client = Client(HTTP_HOST="localhost")
    client.post("/account/login/", {"login": contributor.email, "password": PASSWORD})
    html = client.get("/account/2fa/authenticate/").content.decode()
    assert 'name="code"' in html
    assert "mfa_webauthn_authenticate" not in html and "webauthn.js" not in html
    assert_csp_clean(html)


@pytest.mark.parametrize("factor", ["totp", "webauthn"])
def test_either_factor_lets_staff_reach_the_desk(
    editor: User, settings: Any, factor: str, client_for: Any
) -> None:
    settings.PODIUM_STAFF_MFA_REQUIRED = True
    assert client_for(editor).get("/redactie/").status_code == 302
    if factor == "totp":
        TOTP.activate(editor, generate_totp_secret())
    else:
        add_key(signed_in(editor), SoftKey())
    assert mfa.has_mfa(editor)
    assert client_for(editor).get("/redactie/").status_code == 200


def test_the_app_set_up_page_points_to_a_key_instead(editor: User, settings: Any) -> None:
    settings.PODIUM_STAFF_MFA_REQUIRED = True
    client = signed_in(editor)
    response = client.get("/redactie/", follow=True)
    html = response.content.decode()
    assert "/2fa/totp/activate/" in response.redirect_chain[-1][0]
    assert "authenticator-app of een beveiligingssleutel" in html
    assert f'href="{ADD}"' in html


@pytest.mark.django_db
def test_a_totp_code_of_the_step_just_past_is_taken() -> None:
    """A code typed as the 30-second step turns over (a slow phone, a slow submit) is not
    refused: one step of tolerance, as RFC 6238 advises; two steps back is refused."""
    import time

    from allauth.mfa.totp.internal import auth as totp_auth

    secret = totp_auth.generate_totp_secret()
    step = int(time.time()) // 30

    def code(counter: int) -> str:
        return totp_auth.format_hotp_value(totp_auth.hotp_value(secret, counter))

    assert totp_auth.validate_totp_code(secret, code(step - 1))
    assert not totp_auth.validate_totp_code(secret, code(step - 3))
