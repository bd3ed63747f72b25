"""Dutch first: the site speaks Dutch unless the address or the reader says otherwise.

An address with a language prefix (/en/…, see podium.core.i18n) is in that language, whatever
the reader chose before. Without one, the reader's explicit choice counts: the language cookie
that the switch (`set_language`) writes. A public page that has an English address is then
reached there (a redirect), so that what a page's address says and what it shows agree; pages
with one address only (the desk, the profile, sign-in) are shown in the chosen language.

Django's LocaleMiddleware would follow the browser's Accept-Language, which would show most
visitors with an English-language browser an English interface around Dutch articles, and with
`prefix_default_language=False` it ignores the cookie on every unprefixed address, the desk's
included. Podium only honours an explicit choice."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .i18n import language_of_path, translated_path


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from_address = language_of_path(request.path_info)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if chosen not in self.supported:
            chosen = settings.LANGUAGE_CODE
        language = from_address or chosen
        if not from_address and chosen != settings.LANGUAGE_CODE:
            # A Dutch address: Django resolves it only while Dutch is active. Does the page have
            # an address in the reader's language?
            full_path = request.get_full_path()
            elsewhere = translated_path(full_path, chosen)
            if elsewhere != full_path:
                if request.method in ("GET", "HEAD"):
                    response: HttpResponse = HttpResponseRedirect(elsewhere)
                    patch_vary_headers(response, ["Cookie"])
                    return response
                language = settings.LANGUAGE_CODE  # a form posted to the Dutch address
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response
