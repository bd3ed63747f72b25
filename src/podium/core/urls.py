"""`slug_url(view_name, slug)`: `reverse(view_name, kwargs={"slug": slug})` for the public pages
named by a slug (an article, a topic, an author), without Django's reverse on every call.

A page links dozens of them (a card's article, byline and topics), and each reverse cost about
150,000 instructions (~25 on a cold article page: ~8% of its render, issue #20). Such an address
is a fixed text around the slug, so the text around it is reversed once per view, language,
script prefix and URLconf (a stand-in slug, split off), and a slug the `slug` converter takes is
put between: the same address reverse gives (quoting leaves the converter's characters alone).
Anything else goes through reverse itself, which then refuses it as it always did."""

from __future__ import annotations

import re

from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils import translation

_SLUG = re.compile(r"[-a-zA-Z0-9_]+")  # Django's `slug` path converter
_STAND_IN = "podium0slug0stand0in"
_MAX = 256  # views × languages × script prefixes: a handful in practice

_around: dict[tuple[object, ...], tuple[str, str]] = {}


def slug_url(view_name: str, slug: str | None) -> str:
    if not isinstance(slug, str) or not _SLUG.fullmatch(slug):  # reverse decides, as before
        return reverse(view_name, kwargs={"slug": slug})
    # The resolver is Django's own cached one: a changed URLconf (tests) is a new key.
    key = (view_name, translation.get_language(), get_script_prefix(), get_resolver(get_urlconf()))
    around = _around.get(key)
    if around is None:
        before, stand_in, after = reverse(view_name, kwargs={"slug": _STAND_IN}).partition(
            _STAND_IN
        )
        around = (before, after)
        if stand_in and _STAND_IN not in after:
            if len(_around) >= _MAX:
                _around.clear()
            _around[key] = around
        else:  # not an address with the slug once: no shortcut
            return reverse(view_name, kwargs={"slug": slug})
    return around[0] + slug + around[1]
