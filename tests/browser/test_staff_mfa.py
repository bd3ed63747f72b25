"""An editor without a second factor is led through TOTP set-up before the desk; no page on the
way needs an inline script or style (CSP violation reports: zero)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time
from typing import Any

import pytest

from podium.accounts.models import AuditEvent, User

from ..podium_helpers import PASSWORD
from .support import assert_no_csp_violations, screenshot, watch_csp_console


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238 in a few lines: HMAC-SHA1 over the 30-second counter, 6 digits."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = struct.pack(">Q", int((at or time.time()) // 30))
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_editor_sets_up_totp_before_reaching_the_desk(
    open_page: Any, live_server: Any, editor: User, settings: Any
) -> None:
    settings.PODIUM_STAFF_MFA_REQUIRED = True
    page = open_page(editor)
    csp_console = watch_csp_console(page)

    page.goto(f"{live_server.url}/redactie/")
    # allauth first asks for the password again before a second factor is added.
    assert "/account/reauthenticate/" in page.url
    screenshot(page, "mfa-1-reauthenticate")
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")

    page.wait_for_url("**/2fa/totp/activate/**")
    screenshot(page, "mfa-2-activate")
    secret = page.input_value("#authenticator_secret")
    assert page.locator("img[src^='data:image/svg+xml']").count() == 1
    page.fill("input[name=code]", totp(secret))
    page.press("input[name=code]", "Enter")

    page.wait_for_url("**/recovery-codes/**")
    screenshot(page, "mfa-3-recovery-codes")
    page.click(".mfa-continue a")
    page.wait_for_url(f"{live_server.url}/redactie/")
    assert page.locator("h1").first.is_visible()
    screenshot(page, "mfa-4-desk")

    assert AuditEvent.objects.filter(
        subject=editor, action=AuditEvent.Action.MFA_ADDED, details__type="totp"
    ).exists()
    assert_no_csp_violations(page, csp_console)
    assert page.js_errors == []
