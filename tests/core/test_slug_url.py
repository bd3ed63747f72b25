"""`slug_url` gives exactly the address `reverse` gives, in every language and under a script
prefix, and refuses what reverse refuses."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

from podium.core.urls import slug_url

VIEWS = ("web:article", "web:topic", "web:author")


@pytest.mark.parametrize("view_name", VIEWS)
@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("prefix", ["/", "/podium-site/"])
def test_same_address_as_reverse(view_name: str, language: str, prefix: str) -> None:
    set_script_prefix(prefix)
    try:
        with translation.override(language):
            for slug in ("a", "de-zorg-van-morgen_2", "X-9"):
                assert slug_url(view_name, slug) == reverse(view_name, kwargs={"slug": slug})
    finally:
        set_script_prefix("/")


@pytest.mark.parametrize("slug", ["", "met spatie", "één", "a/b"])
def test_refuses_what_reverse_refuses(slug: str) -> None:
    with pytest.raises(NoReverseMatch):
        reverse("web:topic", kwargs={"slug": slug})
    with pytest.raises(NoReverseMatch):
        slug_url("web:topic", slug)


def test_follows_a_changed_urlconf(settings: Any) -> None:
    before = slug_url("web:topic", "zorg")
    settings.ROOT_URLCONF = "tests.core.urls_moved"
    assert slug_url("web:topic", "zorg") == reverse("web:topic", kwargs={"slug": "zorg"})
    assert slug_url("web:topic", "zorg") != before


def test_a_missing_slug_goes_through_reverse() -> None:
    assert slug_url("web:article", None) == reverse("web:article", kwargs={"slug": None})
