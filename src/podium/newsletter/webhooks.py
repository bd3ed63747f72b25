"""Bounces and complaints reported by the e-mail provider, through anymail's tracking webhooks
(anymail verifies the provider's signature or the shared secret before the signal is sent)."""

from __future__ import annotations

from typing import Any

from anymail.signals import AnymailTrackingEvent, tracking
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt

SUPPRESSING_EVENTS = {"bounced", "complained", "unsubscribed", "rejected"}


@receiver(tracking, dispatch_uid="podium.newsletter.suppress")
def suppress_on_bounce(
    sender: Any, event: AnymailTrackingEvent, esp_name: str, **kwargs: Any
) -> None:
    if event.event_type not in SUPPRESSING_EVENTS or not event.recipient:
        return
    from .services import suppress

    reason = f"{esp_name}: {event.event_type}"
    if event.reject_reason:
        reason += f" ({event.reject_reason})"
    suppress(email=event.recipient, reason=reason)


@csrf_exempt  # as anymail's own webhook views: the provider posts, anymail checks its signature
def provider_webhook(request: HttpRequest, provider: str, rest: str) -> HttpResponse:
    """anymail's webhook at "<provider>/<rest>", answered only for the provider this site sends
    through (PODIUM_ESP, e.g. "mailgun") and only with a webhook secret configured: an
    unauthenticated webhook would let anyone suppress subscribers with a forged bounce. The
    others, and a provider that is not fully set up, are a 404 (never a 500).

    anymail's URLconf is imported here, on the first webhook, not with the site's: it imports
    every provider's webhook module, among them boto3 and botocore (Amazon SES), requests and
    cryptography, about 12 MB in every web process."""
    anymail = getattr(settings, "ANYMAIL", {}) or {}
    if provider != settings.PODIUM_ESP or not anymail.get("WEBHOOK_SECRET"):
        raise Http404
    try:
        match = resolve(f"/{provider}/{rest}", urlconf="anymail.urls")
    except Resolver404:
        raise Http404 from None
    try:
        response: HttpResponse = match.func(request, *match.args, **match.kwargs)
    except (ImproperlyConfigured, ImportError):  # anymail's configuration errors are both
        raise Http404 from None
    return response
