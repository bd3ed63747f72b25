"""Dates as readers of each language write them, in the site's time zone (Europe/Amsterdam).

Long dates and times come from the format modules (podium.core.formats): "2 december 2026, 14:30".
Short dates need the abbreviated month as each language writes it: Dutch "2 dec. 2026" but
"2 mei 2026" and "2 mrt. 2026"; English "2 Dec 2026". Django's "M" gives "Dec"/"Okt" in both
languages and its "N" has no Dutch points, so the abbreviations are translated here."""

from __future__ import annotations

import datetime as dt

from django.utils import formats, timezone
from django.utils.translation import pgettext

_MONTHS = (
    ("abbreviated month", "Jan"),
    ("abbreviated month", "Feb"),
    ("abbreviated month", "Mar"),
    ("abbreviated month", "Apr"),
    ("abbreviated month", "May"),
    ("abbreviated month", "Jun"),
    ("abbreviated month", "Jul"),
    ("abbreviated month", "Aug"),
    ("abbreviated month", "Sep"),
    ("abbreviated month", "Oct"),
    ("abbreviated month", "Nov"),
    ("abbreviated month", "Dec"),
)


def _local(value: dt.date) -> dt.date:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def month_abbreviation(month: int) -> str:
    context, name = _MONTHS[month - 1]
    return pgettext(context, name)


def short_date(value: dt.date, *, year: bool = True) -> str:
    """ "2 dec. 2026" (nl), "2 Dec 2026" (en); without the year: "2 dec."."""
    local = _local(value)
    text = f"{local.day} {month_abbreviation(local.month)}"
    return f"{text} {local.year}" if year else text


def short_datetime(value: dt.datetime, *, year: bool = True) -> str:
    """ "2 dec. 2026, 14:30"; without the year: "2 dec., 14:30"."""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{short_date(local, year=year)}, {formats.time_format(local, 'TIME_FORMAT')}"


def long_date(value: dt.date) -> str:
    """ "2 december 2026" (nl), "2 December 2026" (en)."""
    return formats.date_format(_local(value), "DATE_FORMAT")


def long_datetime(value: dt.datetime) -> str:
    """ "2 december 2026, 14:30"."""
    return formats.date_format(_local(value), "DATETIME_FORMAT")
