"""A small bar chart of daily views as inline SVG, drawn on the server: no chart library, no
script, readable without JavaScript. Screen readers get its summary as the accessible name; the
page shows the numbers in a table too."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .selectors import DayCount

MIN_SLOTS = 14


def bar_chart(
    series: Sequence[DayCount], *, label: str, width: int = 300, height: int = 60
) -> SafeString:
    # At least MIN_SLOTS slots: one day of data is one slim bar on a baseline, not a solid block.
    n = max(MIN_SLOTS, len(series))
    peak = max((d.views for d in series), default=0) or 1
    slot = width / n
    bar = max(1.0, slot * 0.8)
    bars = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title></rect>',
        (
            (
                f"{i * slot:.1f}",
                f"{height - max(1.0, height * d.views / peak) if d.views else height - 1:.1f}",
                f"{bar:.1f}",
                f"{max(1.0, height * d.views / peak) if d.views else 1:.1f}",
                d.day.isoformat(),
                d.views,
            )
            for i, d in enumerate(series)
        ),
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{label}" '
        'preserveAspectRatio="none" focusable="false" fill="currentColor">'
        '<line x1="0" x2="{w}" y1="{base}" y2="{base}" stroke="currentColor" stroke-opacity=".35" '
        'vector-effect="non-scaling-stroke"/>{bars}</svg>',
        w=width,
        h=height,
        label=label,
        base=f"{height - 0.5:.1f}",
        bars=bars,
    )


def share_bar(value: int, peak: int, *, width: int = 120, height: int = 12) -> SafeString:
    """A horizontal bar for a table row, its length `value` against the largest row's `peak`.
    Decorative (aria-hidden): the row states the number itself."""
    length = width * value / peak if peak else 0
    return format_html(
        '<svg class="share-bar" viewBox="0 0 {w} {h}" width="{w}" height="{h}" aria-hidden="true" '
        'focusable="false" fill="currentColor"><rect x="0" y="0" width="{len}" height="{h}"/></svg>',
        w=width,
        h=height,
        len=f"{max(1.0, length) if value else 0:.1f}",
    )
