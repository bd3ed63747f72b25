from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from podium.core.clientip import client_ip


class AccountAdapter(DefaultAccountAdapter):
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
