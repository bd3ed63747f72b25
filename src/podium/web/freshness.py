"""When the public pages change by themselves, without anyone saving anything: the page cache
(`podium.core.pagecache`) starts a new generation at that moment, so an article published "later"
and a placement with a start or an end show exactly on time, with no job running."""

from __future__ import annotations

import datetime

from django.db.models import Min, Q
from django.utils import timezone

from podium.articles.models import Article
from podium.editorial.models import Placement


def next_scheduled_publication() -> datetime.datetime | None:
    return Article.objects.filter(
        state=Article.State.PUBLISHED, published_at__gt=timezone.now()
    ).aggregate(at=Min("published_at"))["at"]


def next_placement_change() -> datetime.datetime | None:
    now = timezone.now()
    times = Placement.objects.aggregate(
        start=Min("starts_at", filter=_after("starts_at", now)),
        end=Min("ends_at", filter=_after("ends_at", now)),
    )
    return min((t for t in times.values() if t is not None), default=None)


def _after(field: str, now: datetime.datetime) -> Q:
    return Q(**{f"{field}__gt": now})
