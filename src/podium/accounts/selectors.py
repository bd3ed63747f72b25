"""Reads on accounts."""

from __future__ import annotations

from django.db.models import Q

from . import roles
from .models import User


def editors() -> list[User]:
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(role__in=roles.DESK) | Q(is_superuser=True))
        .order_by("pk")
    )


def former_addresses(user: User) -> list[str]:
    """Every address the account's audit log names for it (changes of address and their undoing):
    what erasing the person must also find, besides the address they have now."""
    from .models import AuditEvent

    addresses: set[str] = set()
    for details in AuditEvent.objects.filter(
        subject=user,
        action__in=[AuditEvent.Action.EMAIL_CHANGED, AuditEvent.Action.EMAIL_CHANGE_UNDONE],
    ).values_list("details", flat=True):
        for key in ("from", "to", "restored", "removed"):
            value = details.get(key) if isinstance(details, dict) else None
            if isinstance(value, str) and value:
                addresses.add(value)
    return sorted(addresses)
