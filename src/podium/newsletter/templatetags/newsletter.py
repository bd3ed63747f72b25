"""`{% newsletter_profile_box %}`: the subscribe/unsubscribe box on the profile page, so that the
accounts app can show it without importing the newsletter."""

from __future__ import annotations

from typing import Any

from django import template

from .. import services
from ..models import Subscriber

register = template.Library()


@register.inclusion_tag("newsletter/includes/profile_box.html", takes_context=True)
def newsletter_profile_box(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    subscriber = (
        services.subscription_of(user) if user is not None and user.is_authenticated else None
    )
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "subscribed": subscriber is not None and subscriber.status == Subscriber.Status.CONFIRMED,
        "email": user.email if user is not None and user.is_authenticated else "",
        "consent_text": services.CONSENT_TEXT,
    }
