"""allauth's second-factor pages are mounted with their views imported on first use
(podium.accounts.mfa_urls): the same addresses and names as allauth's own URLconf, and views
Django can call through the stand-in as it would call them directly."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from django.urls import URLPattern, URLResolver
from django.utils.module_loading import import_string

from podium.accounts import mfa_urls, views


def _routes(
    patterns: Sequence[URLPattern | URLResolver], prefix: str = ""
) -> Iterator[tuple[str, str | None, object]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern), p.name, p.callback


def test_the_same_addresses_and_names_as_allauth() -> None:
    from allauth.mfa import urls as allauth_mfa_urls

    ours = {(route, name) for route, name, _ in _routes(mfa_urls.urlpatterns)}
    theirs = {(route, name) for route, name, _ in _routes(allauth_mfa_urls.urlpatterns)}
    assert ours == theirs


def test_each_lazy_view_is_a_plain_view_django_may_call_through_a_stand_in() -> None:
    """Django reads `csrf_exempt` (and `login_not_required`) on the view before calling it: a
    stand-in does not carry them, so no view behind one may have them."""
    callbacks = [c for _, _, c in _routes(mfa_urls.urlpatterns)]
    lazy = [c for c in callbacks if hasattr(c, "lazy_view_path")]
    lazy += [views.mfa_authenticate, views.mfa_reauthenticate]
    assert len(lazy) == 10
    for view in lazy:
        real = import_string(view.lazy_view_path)
        assert callable(real)
        assert not getattr(real, "csrf_exempt", False), view.lazy_view_path
        assert not getattr(real, "login_not_required", False), view.lazy_view_path
