from __future__ import annotations

from typing import Any

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("moderation/desk_queue.html", takes_context=True)
def moderation_queue(context: dict[str, Any]) -> dict[str, Any]:
    """The desk's section of readers' reports and flagged submissions."""
    reports, flags = list(selectors.open_reports()), list(selectors.flagged_submissions())
    return {
        "reports": reports,
        "flags": flags,
        "count": len(reports) + len(flags),
        "csrf_token": context.get("csrf_token"),
    }
