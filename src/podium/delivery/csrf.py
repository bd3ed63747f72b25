"""Forms on cached public pages: no per-visitor CSRF token, so the page can be shared by everyone.

A cached page is the same for every anonymous reader, so it cannot carry a CSRF token (that would
hand one reader's token to the next, and make the response set a cookie). The two forms on every
public page, the newsletter sign-up in the footer and the language switch, therefore render their
token only for signed-in members (whose pages are never cached), and their views are wrapped with
`token_for_members_only`:

- a signed-in member's POST is checked by Django's CSRF middleware as usual;
- an anonymous POST needs no token, but must not come from another site: when the browser says
  where the request comes from (``Origin``, or ``Sec-Fetch-Site``, which every current browser
  sends) it must be this site. A request without either header did not come from a browser page on
  another site, so a forged cross-site POST is still refused.

Forging either form gains an attacker nothing even without these checks: the sign-up takes the
address from the form and asks its owner to confirm, and the language is the visitor's own choice.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.http import is_same_domain
from django.views.csrf import csrf_failure

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")

View = Callable[..., HttpResponse]


def _origin_is_ours(origin: str, request: HttpRequest) -> bool:
    """The same answer as Django's CSRF origin check, from public parts: this host (as
    ALLOWED_HOSTS let it in) with this request's scheme, or one of CSRF_TRUSTED_ORIGINS (which may
    name subdomains as ``https://*.example.org``)."""
    try:
        ours = f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:
        return False
    if origin == ours:
        return True
    parts = urlsplit(origin)
    for trusted in settings.CSRF_TRUSTED_ORIGINS:
        allowed = urlsplit(trusted)
        if origin == trusted:
            return True
        if (
            allowed.scheme == parts.scheme
            and allowed.netloc.startswith("*")
            and is_same_domain(parts.netloc, allowed.netloc[1:])
        ):
            return True
    return False


def _from_this_site(request: HttpRequest) -> bool:
    origin = request.META.get("HTTP_ORIGIN")
    if origin is not None:
        return _origin_is_ours(origin, request)
    fetch_site = request.META.get("HTTP_SEC_FETCH_SITE")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")
    return True


def token_for_members_only(view: View) -> View:
    """Accept anonymous POSTs from this site without a CSRF token (see the module docstring)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in SAFE_METHODS:
            if request.user.is_authenticated:
                checker = CsrfViewMiddleware(lambda r: HttpResponse())
                refused = checker.process_view(request, view, args, kwargs)
                if refused is not None:
                    return refused
            elif not _from_this_site(request):
                return csrf_failure(request, reason="The form was sent from another site.")
        return view(request, *args, **kwargs)

    wrapped.csrf_exempt = True  # type: ignore[attr-defined]
    return wrapped
