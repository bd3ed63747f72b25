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
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.urls import clear_url_caches, get_script_prefix, translate_url
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


def alternates(request: HttpRequest) -> list[tuple[str, str]]:
    """(language, path) for every language of the page this request resolved to, Dutch first;
    empty for a page that has one address only (or none). Prefixes are all that differs
    between the languages' addresses, so only whether the view has them is looked up (once per
    view): a page pays no resolve or reverse for its alternates."""
    match = getattr(request, "resolver_match", None)
    if match is None or not match.view_name:
        return []
    language = language_of_path(request.path_info)
    if language is None and not _has_addresses_per_language(match.view_name, request.path_info):
        return []
    rest = request.path_info.lstrip("/")
    if language:
        rest = rest.removeprefix(f"{language}/")
    root = get_script_prefix()
    return [
        (code, root + rest if code == settings.LANGUAGE_CODE else f"{root}{code}/{rest}")
        for code, _name in settings.LANGUAGES
    ]


def _has_addresses_per_language(view_name: str, path_info: str) -> bool:
    """Whether the view behind this Dutch address also has an English one: the same for every
    address of a view, so worked out for the first one and kept."""
    known = _VIEWS.get(view_name)
    if known is None:
        other = next(code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE)
        known = _VIEWS[view_name] = translated_path(path_info, other) != path_info
    return known


_VIEWS: dict[str, bool] = {}
_URLS_DEFAULT = settings.LANGUAGE_CODE  # the default the resolver's reverse lookups were made for


@receiver(setting_changed)
def _forget_views(*, setting: str, **kwargs: object) -> None:
    global _URLS_DEFAULT
    if setting in ("ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE"):
        _VIEWS.clear()
    if setting == "LANGUAGE_CODE" and settings.LANGUAGE_CODE != _URLS_DEFAULT:
        # Django's resolver keeps its reverse lookups per active language, but the prefix in them
        # also depends on the default: with prefix_default_language=False, "nl" reversed while
        # LANGUAGE_CODE was "en" is kept as "nl/...", and after the default goes back to "nl"
        # every reverse in Dutch would give that prefixed address, which nothing resolves (404).
        # Django's own setting_changed handlers clear these caches only for ROOT_URLCONF.
        # Only a real change clears them: every test sets the default (to Dutch), and a rebuild
        # costs tens of milliseconds (46 ms measured at load 9 on 2 cores). A resolver exists only once podium.urls, which imports this
        # module, has been loaded, so this receiver is connected whenever there is one.
        _URLS_DEFAULT = settings.LANGUAGE_CODE
        clear_url_caches()


def switch_language(request: HttpRequest) -> HttpResponse:
    """Django's `set_language` (cookie, then back to `next`), with `next` read in its own
    language, so that the reader lands on the same page in the language they chose."""
    following = request.POST.get("next", request.GET.get("next")) or ""
    with translation.override(language_of_path(following) or settings.LANGUAGE_CODE):
        return set_language(request)
