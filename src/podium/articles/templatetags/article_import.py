"""The import summary above the editor: shown after an import until the draft is saved again."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def import_summary(context: dict[str, Any], article: Any) -> list[str]:
    request = context.get("request")
    if request is None or article is None or not hasattr(request, "session"):
        return []
    summary = request.session.get("podium_import_summary")
    if (
        not summary
        or summary.get("article") != article.pk
        or summary.get("version") != article.version
    ):
        return []
    return list(summary.get("lines", []))
