"""Security keys (WebAuthn) as a second factor, with Chromium's virtual authenticator: an editor
without a second factor chooses a key instead of an authenticator app, reaches the desk, and later
signs in with password and key. No page on the way needs an inline script (CSP reports: zero)."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.models import Authenticator

from podium.accounts.models import AuditEvent, User

from ..podium_helpers import PASSWORD
from .support import assert_no_csp_violations, screenshot, watch_csp_console


def virtual_authenticator(page: Any) -> tuple[Any, str]:
    """A CTAP2 key that answers at once (user present and verified), attached to this page."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, added["authenticatorId"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_editor_registers_a_security_key_and_signs_in_with_it(
    open_page: Any, live_server: Any, editor: User, settings: Any
) -> None:
    settings.PODIUM_STAFF_MFA_REQUIRED = True
    page = open_page(editor)
    csp_console = watch_csp_console(page)
    cdp, authenticator_id = virtual_authenticator(page)

    # Sent to the set-up before the desk; the authenticator app's page offers a key instead.
    page.goto(f"{live_server.url}/redactie/")
    assert "/account/reauthenticate/" in page.url
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url("**/2fa/totp/activate/**")
    page.click(".mfa-alternative a")
    page.wait_for_url("**/2fa/webauthn/add/")
    screenshot(page, "security-key-1-add")
    page.fill("input[name=name]", "Sleutel aan de bos")
    page.click("#mfa_webauthn_add")

    # The first second factor comes with recovery codes, then back to where the editor was going.
    page.wait_for_url("**/recovery-codes/**")
    screenshot(page, "security-key-2-recovery-codes")
    key = Authenticator.objects.get(user=editor, type=Authenticator.Type.WEBAUTHN)
    assert key.wrap().name == "Sleutel aan de bos"
    assert not Authenticator.objects.filter(user=editor, type=Authenticator.Type.TOTP).exists()
    stored = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})
    assert len(stored["credentials"]) == 1
    page.click(".mfa-continue a")
    page.wait_for_url(f"{live_server.url}/redactie/")
    assert page.locator("h1").first.is_visible()

    # The overview lists the key.
    page.goto(f"{live_server.url}/account/2fa/")
    assert "1 beveiligingssleutel" in page.inner_text("main")
    screenshot(page, "security-key-3-overview")

    # The same key a second time: the browser refuses, and the page says why.
    page.goto(f"{live_server.url}/account/2fa/webauthn/add/")
    page.click("#mfa_webauthn_add")
    error = page.locator("#security-key-error")
    error.wait_for(state="visible")
    assert "al aan uw account toegevoegd" in error.inner_text()
    assert Authenticator.objects.filter(user=editor, type=Authenticator.Type.WEBAUTHN).count() == 1

    # Signing in again: password, then the key instead of a code.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/account/login/")
    page.fill("input[name=login]", editor.email)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url("**/2fa/authenticate/**")
    screenshot(page, "security-key-4-sign-in")
    page.click("#mfa_webauthn_authenticate")
    page.wait_for_url(lambda url: "/account/" not in url)
    page.goto(f"{live_server.url}/redactie/")
    assert page.url == f"{live_server.url}/redactie/"
    key.refresh_from_db()
    assert key.last_used_at is not None

    assert AuditEvent.objects.filter(
        subject=editor, action=AuditEvent.Action.MFA_ADDED, details__type="webauthn"
    ).exists()
    assert_no_csp_violations(page, csp_console)
    assert page.js_errors == []
