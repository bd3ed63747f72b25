"""Security headers on every page, the CSP report counter, and uploaded media never served as a page."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from podium.security.models import CSPViolation

pytestmark = pytest.mark.django_db


def test_pages_carry_a_strict_csp_and_the_other_headers(client: Client) -> None:
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "report-uri /csp-rapport/" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "publickey-credentials-get=(self)" in response["Permissions-Policy"]


@pytest.mark.parametrize("url", ["/", "/account/login/", "/account/signup/", "/privacy/"])
def test_no_page_needs_inline_script_or_style(client: Client, url: str) -> None:
    html = client.get(url).content.decode()
    assert ' style="' not in html
    assert "<style" not in html
    for chunk in html.split("<script")[1:]:
        opening = chunk.split(">", 1)[0]
        assert "src=" in opening or 'type="application/json"' in opening, opening


def test_editor_pages_need_no_inline_script_or_style(
    contributor_client: Client, editor_client: Client
) -> None:
    for client, url in [
        (contributor_client, "/profiel/activiteiten/nieuw/"),
        (editor_client, "/redactie/"),
    ]:
        html = client.get(url, follow=True).content.decode()
        assert ' style="' not in html and "<style" not in html


def test_csp_report_is_counted(client: Client) -> None:
    report = {
        "csp-report": {
            "document-uri": "http://testserver/",
            "violated-directive": "style-src-attr",
            "blocked-uri": "inline",
        }
    }
    response = client.post(
        "/csp-rapport/", json.dumps(report), content_type="application/csp-report"
    )
    assert response.status_code == 204
    violation = CSPViolation.objects.get()
    assert violation.directive == "style-src-attr" and violation.blocked_uri == "inline"


def test_reporting_api_format_is_counted(client: Client) -> None:
    body = [
        {
            "type": "csp-violation",
            "body": {
                "documentURL": "http://testserver/",
                "effectiveDirective": "script-src-elem",
                "blockedURL": "inline",
            },
        }
    ]
    assert (
        client.post(
            "/csp-rapport/", json.dumps(body), content_type="application/reports+json"
        ).status_code
        == 204
    )
    assert CSPViolation.objects.get().directive == "script-src-elem"


@pytest.mark.parametrize("body", [b"not json", b"\xff\xfe", b"{}", b"[1, 2]"])
def test_garbage_reports_are_refused_and_not_stored(client: Client, body: bytes) -> None:
    assert (
        client.post("/csp-rapport/", body, content_type="application/csp-report").status_code == 400
    )
    assert not CSPViolation.objects.exists()


def test_csp_reports_are_rate_limited(client: Client) -> None:
    report = json.dumps({"csp-report": {"document-uri": "x", "violated-directive": "img-src"}})
    codes = [
        client.post("/csp-rapport/", report, content_type="application/csp-report").status_code
        for _ in range(65)
    ]
    assert codes.count(204) == 60 and codes[-1] == 429
    assert CSPViolation.objects.count() == 60


def test_csp_report_endpoint_accepts_only_post(client: Client) -> None:
    assert client.get("/csp-rapport/").status_code == 405


# --- Uploaded media ------------------------------------------------------------------------------


def _upload(settings: Any, name: str, content: bytes) -> None:
    target = Path(settings.MEDIA_ROOT) / "authors" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)


def test_a_photo_is_served_as_an_image(client: Client, settings: Any) -> None:
    _upload(settings, "a.jpg", b"\xff\xd8\xff\xe0fake")
    response = client.get("/media/authors/a.jpg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert not response.get("Content-Disposition", "").startswith("attachment")


@pytest.mark.parametrize(
    "name", ["evil.html", "evil.svg", "evil.htm", "evil", "evil.js", "evil.xml"]
)
def test_anything_else_is_a_download_never_a_page(client: Client, settings: Any, name: str) -> None:
    _upload(settings, name, b"<html><script>alert(1)</script></html>")
    response = client.get(f"/media/authors/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == "attachment"
    assert response["Content-Security-Policy"].startswith("default-src 'none'; sandbox")


def test_media_path_traversal_is_refused(client: Client, settings: Any) -> None:
    _upload(settings, "a.jpg", b"x")
    assert client.get("/media/../settings.py").status_code in (400, 404)
    assert client.get("/media/%2e%2e/%2e%2e/etc/passwd").status_code in (400, 404)


# --- Production settings ---------------------------------------------------------------------------


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if not k.startswith(
                ("DEBUG", "PODIUM_EMBEDDED", "DJANGO_SETTINGS", "DJANGO_ALLOW_ASYNC_UNSAFE")
            )
        },
        "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789",
        "SITE_URL": "https://podium.example",
        "ALLOWED_HOSTS": "podium.example",
        "PODIUM_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "podium.settings",
    }
    result = subprocess.run(
        [sys.executable, "-m", "podium", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_switch_on_hsts_and_secure_cookies(tmp_path: Path) -> None:
    code = (
        "from django.conf import settings as s; import django; django.setup();"
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)"
    )
    env = {
        **os.environ,
        "SECRET_KEY": "k" * 50,
        "SITE_URL": "https://podium.example",
        "PODIUM_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "podium.settings",
    }
    env.pop("DEBUG", None)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["31536000", "True", "True", "True"]
