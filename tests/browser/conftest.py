"""Shared set-up for the browser tests: Debian's Chromium driven by Playwright, signed-in pages
from a test client's session cookie, and screenshots under test-artifacts/ for a person to see."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

# The sync Playwright API runs an event loop in this thread; Django would otherwise refuse ORM
# calls from it (SynchronousOnlyOperation).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from ..podium_helpers import sign_in
from .support import CHROMIUM, CHROMIUM_ARGS


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """Browser tests need Debian's Chromium. On CI its absence is a failure (the set-up must
    install it); elsewhere they are skipped with the reason."""
    if Path(CHROMIUM).exists() or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (run scripts/system-packages)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser(live_server: Any) -> Iterator[Any]:
    """One Chromium per test process: a second sync_playwright() in the same process fails
    ("Sync API inside the asyncio loop"), so every browser test shares this one.

    It asks for the live server so that the server starts first and stops last: Chromium's
    keep-alive connections end when it closes, and the server's request threads then close the
    shared in-memory SQLite connection, which is allowed only while the server is running."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser: Any, live_server: Any) -> Iterator[Any]:
    """open_page(user=None, width=1280) → a fresh page, signed in as `user` when given."""
    contexts: list[Any] = []

    def _open(user: Any = None, *, width: int = 1280, height: int = 900) -> Any:
        context = browser.new_context(viewport={"width": width, "height": height}, locale="nl-NL")
        contexts.append(context)
        if user is not None:
            client = sign_in(Client(), user)
            context.add_cookies(
                [
                    {
                        "name": "sessionid",
                        "value": client.cookies["sessionid"].value,
                        "url": live_server.url,
                    }
                ]
            )
        page = context.new_page()
        page.set_default_timeout(15_000)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.js_errors = errors
        return page

    yield _open
    for context in contexts:
        context.close()
