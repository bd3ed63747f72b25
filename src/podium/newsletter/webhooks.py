"""Bounces and complaints reported by the e-mail provider, through anymail's tracking webhooks
(anymail verifies the provider's signature or the shared secret before the signal is sent)."""

from __future__ import annotations

from typing import Any

from anymail.signals import AnymailTrackingEvent, tracking
from django.dispatch import receiver

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
