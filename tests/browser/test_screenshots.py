"""`make screenshots`: every public page, Activiteiten, the editor and every desk page, in Dutch and
English, at 375 and 1280 px, into test-artifacts/screenshots/<language>/, with one contact sheet
per language (test-artifacts/screenshots/contact-sheet-<language>.png) to look over at a glance.

Skipped in the ordinary suite (it takes a few minutes and checks nothing the layout and
accessibility tests do not); PODIUM_SCREENSHOTS=1 runs it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw

from .support import SCREENSHOTS
from .test_layout import open_stop
from .tour import build_site, stops

pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("PODIUM_SCREENSHOTS"), reason="make screenshots (PODIUM_SCREENSHOTS=1)"
    ),
]

WIDTHS = (375, 1280)
THUMB_WIDTH = {375: 150, 1280: 420}
THUMB_HEIGHT = 420  # the top of each page: what a reader sees first


def contact_sheet(shots: list[tuple[str, dict[int, Path]]], target: Path) -> Path:
    """One row per page: its name, the phone and the desktop view (cut to the first screenfuls)."""
    label_w, gap = 170, 12
    row_h = THUMB_HEIGHT + gap
    width = label_w + sum(THUMB_WIDTH.values()) + gap * (len(WIDTHS) + 1)
    sheet = Image.new("RGB", (width, row_h * len(shots) + gap), "white")
    draw = ImageDraw.Draw(sheet)
    for row, (name, paths) in enumerate(shots):
        top = gap + row * row_h
        draw.text((gap, top + 4), name, fill="black")
        left = label_w
        for w in WIDTHS:
            with Image.open(paths[w]) as shot:
                scale = THUMB_WIDTH[w] / shot.width
                cropped = shot.crop((0, 0, shot.width, min(shot.height, int(THUMB_HEIGHT / scale))))
                thumb = cropped.resize((THUMB_WIDTH[w], int(cropped.height * scale)))
            sheet.paste(thumb, (left, top))
            draw.rectangle(
                (left - 1, top - 1, left + thumb.width, top + thumb.height), outline="#999999"
            )
            left += THUMB_WIDTH[w] + gap
    sheet.save(target, optimize=True)
    return target


@pytest.mark.parametrize("language", ["nl", "en"])
def test_screenshots_of_every_page(browser: Any, live_server: Any, language: str) -> None:
    site = build_site()
    folder = SCREENSHOTS / language
    folder.mkdir(parents=True, exist_ok=True)
    shots: list[tuple[str, dict[int, Path]]] = []
    for stop in stops(site):
        paths: dict[int, Path] = {}
        for width in WIDTHS:
            page = open_stop(browser, live_server, stop, width=width, language=language)
            try:
                paths[width] = folder / f"{stop.name}-{width}.png"
                page.screenshot(path=str(paths[width]), full_page=True)
            finally:
                page.context.close()
        shots.append((stop.name, paths))
    sheet = contact_sheet(shots, SCREENSHOTS / f"contact-sheet-{language}.png")
    assert sheet.stat().st_size > 0
    assert len(list(folder.glob("*.png"))) >= 2 * len(stops(site))
