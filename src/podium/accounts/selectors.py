"""Reads on accounts."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q

from . import roles
from .models import User


def editors() -> list[User]:
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(groups__name__in=[roles.EDITORS, roles.ADMINISTRATORS]) | Q(is_superuser=True))
        .distinct()
        .order_by("pk")
    )


def editor_addresses() -> list[str]:
    addresses = [user.email for user in editors()]
    if settings.EDITORS_EMAIL and settings.EDITORS_EMAIL not in addresses:
        addresses.append(settings.EDITORS_EMAIL)
    return addresses


def public_authors() -> list[User]:
    return list(User.objects.filter(is_active=True).exclude(slug=None).order_by("display_name"))
