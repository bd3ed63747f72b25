"""The site's address follows the port it is served on: links in e-mails never point to a port
nobody listens on (`PORT=8080 make run`)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from django.contrib.sites.models import Site
from django.core import mail
from django.test import Client
from django.urls import reverse

from podium.core.management.commands.serve import child_environment
from podium.core.site import sync_site, url_for_bind

ROOT = Path(__file__).resolve().parents[2]


def _make_variable(name: str, *args: str, env: dict[str, str] | None = None) -> str:
    """What the Makefile exports as `name` to the commands of `make run`."""
    out = subprocess.run(
        [
            "make",
            "-s",
            "--no-print-directory",
            "--eval",
            f'print-env: ; @echo "$${name}"',
            "print-env",
            *args,
        ],
        cwd=ROOT,
        # The environment is exactly `env` when given: merging it over os.environ would let a
        # SITE_URL exported by an outer make (as `make test` does) win over the PORT under test.
        env={**(os.environ if env is None else env), "PYTHON": "python3"},
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def test_make_run_sets_the_site_url_from_the_port() -> None:
    outer_make = ("SITE_URL", "PORT", "MAKEFLAGS", "MFLAGS", "MAKELEVEL")
    env = {k: v for k, v in os.environ.items() if k not in outer_make}
    assert _make_variable("SITE_URL", env=env) == "http://127.0.0.1:8000"
    assert _make_variable("SITE_URL", "PORT=8080", env=env) == "http://127.0.0.1:8080"
    assert _make_variable("SITE_URL", env={**env, "PORT": "8081"}) == "http://127.0.0.1:8081"


def test_an_explicit_site_url_wins_over_the_port() -> None:
    env = {"SITE_URL": "https://podium.example.org", "PORT": "8080"}
    assert _make_variable("SITE_URL", env=env) == "https://podium.example.org"


def test_serve_gives_its_children_the_address_it_serves() -> None:
    env = child_environment({"PATH": "/bin"}, host="127.0.0.1", port=8080)
    assert env["SITE_URL"] == "http://127.0.0.1:8080"
    assert child_environment({}, host="0.0.0.0", port=9000)["SITE_URL"] == "http://127.0.0.1:9000"  # noqa: S104
    kept = child_environment({"SITE_URL": "https://podium.example.org"}, host="127.0.0.1", port=1)
    assert kept["SITE_URL"] == "https://podium.example.org"
    assert url_for_bind("::1", 8000) == "http://[::1]:8000"


@pytest.mark.django_db
def test_the_sites_row_follows_site_url(settings: pytest.FixtureRequest) -> None:
    settings.SITE_URL = "http://127.0.0.1:8080"  # type: ignore[attr-defined]
    sync_site()
    assert Site.objects.get_current().domain == "127.0.0.1:8080"
    sync_site("https://podium.example.org")
    assert Site.objects.get_current().domain == "podium.example.org"


@pytest.mark.django_db
def test_links_in_the_verification_mail_use_site_url(settings: pytest.FixtureRequest) -> None:
    settings.SITE_URL = "http://127.0.0.1:8080"  # type: ignore[attr-defined]
    sync_site()
    Client().post(
        reverse("account_signup"),
        {
            "email": "nieuw@example.org",
            "password1": "zeer-geheim-77",
            "password2": "zeer-geheim-77",
        },
    )
    body = mail.outbox[0].body
    links = re.findall(r"https?://\S+", body)
    assert links, body
    assert all(link.startswith("http://127.0.0.1:8080/") for link in links), links
    assert "8000" not in body
