"""No page scrolls sideways on a phone or a tablet, in Dutch or English, even with the long
compound words Dutch writers use ("bestuursverantwoordelijkheid,"): every public page,
Activiteiten, the editor and every desk page at 320, 375 and 768 px. Words that do not fit are
hyphenated (lang="nl", hyphens: auto) or wrapped; nothing runs out of its column."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from .support import screenshot
from .tour import Stop, build_site, stops

pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Everything that sticks out to the right of the viewport, and every block whose text is wider
# than its box, outside deliberate scroll containers (a wide table in a scrolling wrapper).
OVERFLOW_JS = """() => {
  const vw = document.documentElement.clientWidth;
  const found = [];
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
    ' "' + (el.textContent || '').trim().slice(0, 40) + '"';
  const scrolls = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') return true;
    }
    return false;
  };
  if (document.documentElement.scrollWidth > vw) {
    found.push('page is ' + document.documentElement.scrollWidth + ' px wide in a ' + vw + ' px window');
  }
  for (const el of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden' || style.position === 'fixed') continue;
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1 || scrolls(el)) continue;
    if (r.right > vw + 1) found.push(name(el) + ' reaches ' + Math.round(r.right) + ' px');
    if (style.display !== 'inline' && style.overflowX === 'visible' && el.children.length === 0 &&
        el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) {
      found.push(name(el) + ' text is ' + el.scrollWidth + ' px in a ' + el.clientWidth + ' px box');
    }
  }
  return found.slice(0, 8);
}"""


def open_stop(browser: Any, live_server: Any, stop: Stop, *, width: int, language: str) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="nl-NL")
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    if stop.user is not None:
        client = Client()
        client.force_login(stop.user)
        cookies.append(
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        )
    context.add_cookies(cookies)
    page = context.new_page()
    page.set_default_timeout(15_000)
    response = page.goto(live_server.url + stop.path)
    assert response is not None and response.status == 200, (
        stop.name,
        response and response.status,
    )
    return page


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_page_scrolls_sideways(browser: Any, live_server: Any, language: str) -> None:
    site = build_site()
    failures: dict[str, list[str]] = {}
    for stop in stops(site):
        shown = stop.name in ("home", "article", "desk-review")
        for width in (320, 375, 768, 1280) if shown else (320, 375, 768):
            page = open_stop(browser, live_server, stop, width=width, language=language)
            try:
                found = page.evaluate(OVERFLOW_JS)
                if found:
                    failures[f"{stop.name} at {width} px"] = found
                if shown and width in (375, 1280):
                    screenshot(page, f"long-words-{stop.name}-{language}-{width}")
            finally:
                page.context.close()
    assert failures == {}, "\n".join(f"{k}:\n  " + "\n  ".join(v) for k, v in failures.items())
