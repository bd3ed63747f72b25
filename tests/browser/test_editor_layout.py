"""The editor offers "Voorbeeld" from the start, and on a wide screen the text gets most of the
width with the topics and buttons beside it; on a phone everything stacks. Screenshots at 375
and 1280 px."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from .support import screenshot
from .test_layout import open_stop
from .tour import Stop, build_site

pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_editor_uses_the_width_and_offers_a_preview(browser: Any, live_server: Any) -> None:
    site = build_site()
    stop = Stop("editor-new", reverse("articles:create"), site["authors"][0])
    page = open_stop(browser, live_server, stop, width=1280, language="nl")
    try:
        preview = page.get_by_role("button", name="Voorbeeld")
        assert preview.is_visible()
        wrap = page.locator("main .wrap").bounding_box()
        body = page.locator(".body-field").bounding_box()
        actions = page.locator(".form-actions.sticky-actions").bounding_box()
        assert body["width"] >= 0.6 * wrap["width"], (body, wrap)
        assert actions["x"] > body["x"] + body["width"], "the buttons sit beside the text"
        screenshot(page, "editor-wide-1280")
        page.fill("#id_title", "Een titel die nog nooit is bewaard")
        preview.click()
        page.wait_for_url("**/voorbeeld/")
        assert "Een titel die nog nooit is bewaard" in page.content()
    finally:
        page.context.close()
    phone = open_stop(browser, live_server, stop, width=375, language="nl")
    try:
        body = phone.locator(".body-field").bounding_box()
        actions = phone.locator(".form-actions.sticky-actions").bounding_box()
        assert actions["y"] > body["y"] + body["height"] - 1, "stacked under the text"
        screenshot(phone, "editor-phone-375")
    finally:
        phone.context.close()
