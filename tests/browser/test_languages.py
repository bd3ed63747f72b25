"""The language switch in a real browser with JavaScript off: it stays on the page the reader is
on, at that page's address in the other language, and back."""

from __future__ import annotations

from typing import Any

import pytest

from podium.accounts.models import User
from podium.topics.models import Topic

from ..podium_helpers import bulk_publish
from .support import screenshot

sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_switch_without_javascript_keeps_the_page(
    browser: Any, live_server: Any, contributor: User, topics: list[Topic]
) -> None:
    Topic.objects.filter(pk=topics[0].pk).update(name_en="Labour market")
    (article,) = bulk_publish(contributor, topics[:2], 1, prefix="taal")
    context = browser.new_context(
        viewport={"width": 375, "height": 800}, java_script_enabled=False, locale="nl-NL"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    dutch = live_server.url + article.get_absolute_url()
    page.goto(dutch)
    assert page.locator("html").get_attribute("lang") == "nl"
    page.select_option("#language-select", "en")
    page.get_by_role("button", name="Wisselen").click()
    page.wait_for_url(live_server.url + "/en" + article.get_absolute_url())
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Labour market").first.is_visible()
    screenshot(page, "language-switch-en-375")
    # Back to Dutch from the English address: the Dutch address, and it stays Dutch.
    page.select_option("#language-select", "nl")
    page.get_by_role("button", name="Switch").click()
    page.wait_for_url(dutch)
    assert page.locator("html").get_attribute("lang") == "nl"
    context.close()
