from __future__ import annotations

from django import template

from ..selectors import finalised_for_author

register = template.Library()


@register.inclusion_tag("bestof/includes/author_notices.html")
def bestof_notices(user: object) -> dict[str, object]:
    """Under Activiteiten: the finalised compilations that contain one of the user's articles."""
    return {"compilations": finalised_for_author(user)}  # type: ignore[arg-type]
