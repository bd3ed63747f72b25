from __future__ import annotations

from typing import Any

from django import template

from podium.accounts.models import User

from ..selectors import notices_for_author

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key) if mapping else None


@register.inclusion_tag("editorial/_notices.html")
def curation_notices(user: User) -> dict[str, object]:
    """The notices of the editors' picks and placements, for the contributor's Activiteiten page
    (a template tag, so `articles` shows them without importing `editorial`)."""
    return {"notices": notices_for_author(user) if user.is_authenticated else []}
