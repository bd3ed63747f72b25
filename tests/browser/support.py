"""Constants and helpers shared by the browser tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"


def screenshot(page: Any, name: str, *, full_page: bool = True, **options: Any) -> Path:
    """test-artifacts/screenshots/<name>.png; `options` go to Playwright (clip=...)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page, **options)
    return path


def watch_csp_console(page: Any) -> list[str]:
    """The browser's console messages about the Content Security Policy on this page, collected
    from now on."""
    messages: list[str] = []
    page.on(
        "console",
        lambda msg: messages.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return messages


def assert_no_csp_violations(page: Any, console: list[str]) -> None:
    """Nothing in the console (see watch_csp_console) and no report stored by the site."""
    from podium.security.models import CSPViolation

    page.wait_for_timeout(500)  # reports are sent after the page has rendered
    assert console == []
    assert list(CSPViolation.objects.values_list("directive", "document_uri")) == []
