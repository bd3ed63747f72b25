"""`{% language_alternates %}`: the `<link rel="alternate" hreflang>` of a page that has an address
in each language (podium.core.i18n), Dutch as x-default; nothing for a page with one address."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from podium.core.i18n import alternates

register = template.Library()


@register.simple_tag(takes_context=True)
def language_alternates(context: Any) -> SafeString | str:
    request = context.get("request")
    found = alternates(request) if request is not None else []
    if not found:
        return ""
    links = [*found, ("x-default", dict(found)[settings.LANGUAGE_CODE])]
    return format_html_join(
        "",
        '<link rel="alternate" hreflang="{}" href="{}{}">',
        ((code, settings.SITE_URL, url) for code, url in links),
    )
