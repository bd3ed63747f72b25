"""Date filters for every template (a builtin, see TEMPLATES): `short_date`, `short_datetime`,
and `|date:"DATE_FORMAT"` / `|date:"DATETIME_FORMAT"` for long dates. See podium.core.dates."""

from __future__ import annotations

import datetime as dt

from django import template

from podium.core import dates

register = template.Library()


@register.filter(expects_localtime=True)
def short_date(value: dt.date | None, arg: str = "") -> str:
    """`{{ when|short_date }}` → "2 dec. 2026"; `{{ when|short_date:"no-year" }}` → "2 dec."."""
    if not value:
        return ""
    return dates.short_date(value, year=arg != "no-year")


@register.filter(expects_localtime=True)
def short_datetime(value: dt.datetime | None, arg: str = "") -> str:
    """`{{ when|short_datetime }}` → "2 dec. 2026, 14:30"; "no-year" → "2 dec., 14:30"."""
    if not value:
        return ""
    return dates.short_datetime(value, year=arg != "no-year")
