"""Honest reader signals for ranking candidates, behind one small interface.

The signals come from other apps: daily views and read-throughs from `podium.stats`, newsletter
inclusion from `podium.newsletter`, time on the home page from the editors' placements. Each source
is asked only when its app is installed, so the compilation works (with zeros) without them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Sum
from django.utils import timezone


@dataclass(frozen=True)
class ReaderSignals:
    views: int = 0
    read_throughs: int = 0
    home_page_days: int = 0
    newsletters: int = 0

    @property
    def read_through_percent(self) -> int | None:
        if not self.views:
            return None
        return min(100, round(100 * self.read_throughs / self.views))

    @property
    def score(self) -> float:
        """One number to rank by: readers who finished an article count most, then readers, then
        the stages the editors gave it. Deliberately simple so it can be explained on the page."""
        return (
            self.read_throughs * 3 + self.views + self.home_page_days * 20 + self.newsletters * 50
        )


def _stats(ids: list[int], start: datetime.date, end: datetime.date) -> dict[int, tuple[int, int]]:
    if not apps.is_installed("podium.stats"):
        return {}
    from podium.stats.models import DailyArticleStats

    rows = (
        DailyArticleStats.objects.filter(article_id__in=ids, day__gte=start, day__lte=end)
        .values("article_id")
        .annotate(views=Sum("views"), read_throughs=Sum("read_throughs"))
    )
    return {r["article_id"]: (r["views"] or 0, r["read_throughs"] or 0) for r in rows}


def _newsletters(ids: list[int]) -> dict[int, int]:
    if not apps.is_installed("podium.newsletter"):
        return {}
    try:
        from podium.newsletter.models import Edition, EditionItem
    except ImportError:  # the newsletter app is being built; a half-present app is no signal
        return {}
    counts: dict[int, int] = {}
    items = EditionItem.objects.filter(article_id__in=ids, edition__status=Edition.Status.SENT)
    for article_id in items.values_list("article_id", flat=True):
        counts[article_id] = counts.get(article_id, 0) + 1
    return counts


def _home_page_days(ids: list[int], start: datetime.date, end: datetime.date) -> dict[int, int]:
    from podium.editorial.models import Placement

    tz = timezone.get_current_timezone()
    period_start = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    period_end = min(datetime.datetime.combine(end, datetime.time.max, tzinfo=tz), timezone.now())
    days: dict[int, int] = {}
    for placement in Placement.objects.filter(article_id__in=ids):
        shown_from = max(placement.starts_at or placement.placed_at, period_start)
        shown_until = min(placement.ends_at or period_end, period_end)
        if shown_until > shown_from:
            days[placement.article_id] = max(1, (shown_until - shown_from).days)
    return days


def reader_signals(
    article_ids: Iterable[int], start: datetime.date, end: datetime.date
) -> dict[int, ReaderSignals]:
    """The signals of each article within the period, in a fixed number of queries."""
    ids = list(article_ids)
    if not ids:
        return {}
    stats = _stats(ids, start, end)
    newsletters = _newsletters(ids)
    home = _home_page_days(ids, start, end)
    return {
        pk: ReaderSignals(
            views=stats.get(pk, (0, 0))[0],
            read_throughs=stats.get(pk, (0, 0))[1],
            home_page_days=home.get(pk, 0),
            newsletters=newsletters.get(pk, 0),
        )
        for pk in ids
    }
