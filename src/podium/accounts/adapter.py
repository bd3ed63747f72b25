"""Podium's allauth adapter: the real client address, what a completed sign-in records for the
staff check (podium.accounts.mfa), the sign-in limits, and the undo link in the notice an old
address gets when the address of an account changes.

**Sign-in limits** (allauth's rate-limit machinery, numbers in ``ACCOUNT_RATE_LIMITS``):

- ``login`` (per client address): every sign-in POST, answered 429 beyond it;
- ``login_failed``: wrong passwords per client address, and per account *and* client address.
  allauth counts the second per account only; here its key also names the client address, so
  wrong passwords typed for an editor's address from one place never stop the editor signing in
  from another. The second-factor step shares the per-address part (allauth's own key there);
- ``login_failed_account``: wrong passwords for one account from anywhere, looser. Beyond it the
  account is not locked but slowed down: one attempt per ``login_slowed`` period from browsers
  that never signed in to it, while a browser that did (a signed cookie, set at sign-in) is
  not slowed at all. A distributed guess gets a handful of tries an hour; the owner gets in.
"""

from __future__ import annotations

import time
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records

# allauth's own way of noting a (re)authentication; it has no public name for it yet.
from allauth.account.internal.flows.login import record_authentication
from allauth.core import ratelimit
from allauth.core.internal.ratelimit import get_rates
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from podium.accounts import services as account_services
from podium.core.clientip import client_ip

from . import mfa

KNOWN_BROWSER_COOKIE = "podium_known"
KNOWN_BROWSER_SALT = "podium.accounts.known-browser"
KNOWN_BROWSER_MAX_AGE = 180 * 24 * 3600
KNOWN_BROWSER_MAX_ACCOUNTS = 5


def _account_key(login: str) -> str:
    return "account:" + login.strip().lower()


def _login_hash(login: str) -> str:
    # Keyed, so that the cookie does not reveal the address to whoever reads it.
    return salted_hmac(KNOWN_BROWSER_SALT, _account_key(login), algorithm="sha256").hexdigest()[:32]


def known_logins(request: HttpRequest) -> list[str]:
    """The (hashed) accounts this browser has signed in to, from its signed cookie."""
    value = request.COOKIES.get(KNOWN_BROWSER_COOKIE, "")
    if not value:
        return []
    try:
        known = signing.loads(value, salt=KNOWN_BROWSER_SALT, max_age=KNOWN_BROWSER_MAX_AGE)
    except signing.BadSignature:
        return []
    return [str(k) for k in known] if isinstance(known, list) else []


def _password_just_typed_counts_as_reauthentication(
    request: HttpRequest, user: AbstractBaseUser
) -> None:
    """Staff without a second factor go straight from signing in to its set-up, which asks for a
    recent re-authentication (ACCOUNT_REAUTHENTICATION_REQUIRED): the password typed a moment ago
    in this very sign-in is that, so they are not asked for it a second time. Only a password
    sign-in of the last minute counts (not a confirmation link or a reset)."""
    records = get_authentication_records(request, user)  # type: ignore[arg-type]
    last = records[-1] if records else {}
    if last.get("method") == "password" and time.time() - float(last.get("at", 0)) < 60:
        record_authentication(request, user, method="password", reauthenticated=True)


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "login_slowed": _(
            "Many wrong passwords have been typed for this account lately, so it accepts a sign-in"
            " attempt from a new browser only every %(seconds)s seconds. Please wait a moment"
            " and try again."
        ),
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(getattr(settings, "PODIUM_SIGNUP_OPEN", True))

    def get_client_ip(self, request: HttpRequest) -> str:
        """The reader's address behind the trusted proxies (podium.core.clientip): allauth's
        rate limits (sign-in failures, sign-up, password reset) count per real client, not per
        proxy. allauth's own X-Forwarded-For reading (ALLAUTH_TRUSTED_PROXY_COUNT) is not used."""
        return client_ip(request)

    def get_email_confirmation_url(self, request: HttpRequest, emailconfirmation: Any) -> str:
        # Every link Podium mails starts with SITE_URL, like the notifications and the newsletter.
        return settings.SITE_URL + reverse("account_confirm_email", args=[emailconfirmation.key])

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        super().send_mail(template_prefix, email, {"SITE_URL": settings.SITE_URL, **context})

    # --- Sign-in limits ---------------------------------------------------------------------

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # allauth's key for the per-account part of `login_failed` (consumed, rolled back on
        # success, cleared by a password reset), narrowed to this client address.
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}@{self.get_client_ip(request)}"

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        super().pre_authenticate(request, **credentials)
        login = str(credentials.get("email", ""))
        if not login:
            return
        key = _account_key(login)
        if ratelimit.consume(request, action="login_failed_account", key=key, dry_run=True):
            return
        if _login_hash(login) in known_logins(request):
            return
        if not ratelimit.consume(request, action="login_slowed", key=key):
            rates = get_rates(app="allauth.account", action="login_slowed")
            seconds = int(rates[0].duration) if rates else 60
            raise ValidationError(
                self.error_messages["login_slowed"] % {"seconds": seconds}, code="login_slowed"
            )

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        login = str(credentials.get("email", ""))
        if login:
            ratelimit.consume(request, action="login_failed_account", key=_account_key(login))

    # --- A completed sign-in ----------------------------------------------------------------

    def login(self, request: HttpRequest, user: AbstractBaseUser) -> None:
        # Read before Django's login, which empties a session that held someone else.
        second_factor = mfa.used_second_factor(request, user)  # type: ignore[arg-type]
        super().login(request, user)
        mfa.record_sign_in(request.session, user, second_factor=second_factor)  # type: ignore[arg-type]
        if mfa.needs_mfa(user) and not mfa.has_mfa(user):  # type: ignore[arg-type]
            _password_just_typed_counts_as_reauthentication(request, user)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """Editors land on the desk and administrators on the admin, not on Activiteiten; without a
        second factor yet, StaffMFAMiddleware takes them through its set-up first and then on to
        there. A `next` in the sign-in link still wins (allauth reads it before asking this)."""
        user = request.user
        if mfa.needs_mfa(user):  # type: ignore[arg-type]
            return reverse("editorial:desk") if user.is_editor else reverse("admin:index")  # type: ignore[union-attr]
        return super().get_login_redirect_url(request)

    def post_login(self, request: HttpRequest, user: AbstractBaseUser, **kwargs: Any) -> Any:
        response = super().post_login(request, user, **kwargs)
        login = getattr(user, "email", "")
        if login and isinstance(response, HttpResponse):
            known = [k for k in known_logins(request) if k != _login_hash(login)]
            known = [_login_hash(login), *known][:KNOWN_BROWSER_MAX_ACCOUNTS]
            response.set_cookie(
                KNOWN_BROWSER_COOKIE,
                signing.dumps(known, salt=KNOWN_BROWSER_SALT),
                max_age=KNOWN_BROWSER_MAX_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    # --- Notices --------------------------------------------------------------------------------

    def send_notification_mail(
        self,
        template_prefix: str,
        user: AbstractBaseUser,
        context: dict[str, Any] | None = None,
        email: str | None = None,
    ) -> None:
        if template_prefix == "account/email/email_changed" and context:
            # The old address learns of the change with a link to undo it and secure the account.
            from . import services

            change = services.record_email_change(
                user=user,  # type: ignore[arg-type]
                from_email=context["from_email"],
                to_email=context["to_email"],
            )
            path = reverse(
                "accounts:undo_email_change", kwargs={"token": services.undo_token(change)}
            )
            context = {
                **context,
                "undo_url": settings.SITE_URL + path,
                "undo_days": account_services.EMAIL_CHANGE_UNDO_DAYS,
            }
        super().send_notification_mail(template_prefix, user, context, email)
