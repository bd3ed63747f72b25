"""allauth.mfa's addresses ("account/2fa/", as allauth.urls mounts them), with the views whose
modules import fido2 and cryptography (the second-factor step, its index and the security-key
pages: allauth.mfa.base.views, allauth.mfa.webauthn.views) imported on their first request
rather than by every process at start-up. The same routes and names as allauth.mfa.urls for
Podium's settings (passkey sign-in and sign-up, and trusting a browser, off);
tests/accounts/test_mfa_lazy.py holds them to it."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path

from podium.core.lazyviews import lazy_view

BASE = "allauth.mfa.base.views"
WEBAUTHN = "allauth.mfa.webauthn.views"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", lazy_view(f"{BASE}.index"), name="mfa_index"),
    path("authenticate/", lazy_view(f"{BASE}.authenticate"), name="mfa_authenticate"),
    path("reauthenticate/", lazy_view(f"{BASE}.reauthenticate"), name="mfa_reauthenticate"),
    path("totp/", include("allauth.mfa.totp.urls")),
    path("recovery-codes/", include("allauth.mfa.recovery_codes.urls")),
    path(
        "webauthn/",
        include(
            [
                path("", lazy_view(f"{WEBAUTHN}.list_webauthn"), name="mfa_list_webauthn"),
                path("add/", lazy_view(f"{WEBAUTHN}.add_webauthn"), name="mfa_add_webauthn"),
                path(
                    "reauthenticate/",
                    lazy_view(f"{WEBAUTHN}.reauthenticate_webauthn"),
                    name="mfa_reauthenticate_webauthn",
                ),
                path(
                    "keys/<int:pk>/remove/",
                    lazy_view(f"{WEBAUTHN}.remove_webauthn"),
                    name="mfa_remove_webauthn",
                ),
                path(
                    "keys/<int:pk>/edit/",
                    lazy_view(f"{WEBAUTHN}.edit_webauthn"),
                    name="mfa_edit_webauthn",
                ),
            ]
        ),
    ),
]
