"""Each language has its own addresses: Dutch as the site has always had them, English under /en/.

The public pages (podium.urls's `i18n_patterns`) exist once per language; what a page's address
says is the language it is in, so search engines see both. The language cookie that the switch
writes remembers a reader's choice: an English reader who opens a Dutch address of a public page
is sent on to its English address, and pages that have one address only (the desk, the profile,
sign-in) are shown in the chosen language, as before.

Django resolves a prefixed address only while its language is active (LocalePrefixPattern reads
the active language), so every translation of an address here happens in the language of the
address itself.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import translate_url
from django.utils import translation
from django.views.i18n import set_language


def language_of_path(path: str) -> str | None:
    """The language an address names with its prefix ("/en/..."), or None for an address
    without one (Dutch, the default, has no prefix)."""
    language = translation.get_language_from_path(path)
    return language if language and language != settings.LANGUAGE_CODE else None


def translated_path(path: str, language: str) -> str:
    """`path` (with its query) in `language`: the same page at that language's address, or `path`
    itself for a page with one address only (or none)."""
    with translation.override(language_of_path(path) or settings.LANGUAGE_CODE):
        return translate_url(path, language)


def alternates(path: str) -> list[tuple[str, str]]:
    """(language, address) for every language of the page at `path`, Dutch first; empty for a
    page that has one address only."""
    found = [(code, translated_path(path, code)) for code, _name in settings.LANGUAGES]
    return found if len({url for _code, url in found}) == len(found) else []


def switch_language(request: HttpRequest) -> HttpResponse:
    """Django's `set_language` (cookie, then back to `next`), with `next` read in its own
    language, so that the reader lands on the same page in the language they chose."""
    following = request.POST.get("next", request.GET.get("next")) or ""
    with translation.override(language_of_path(following) or settings.LANGUAGE_CODE):
        return set_language(request)
