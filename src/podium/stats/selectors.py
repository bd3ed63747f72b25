"""Reads on reader signals: per-article totals for the author, daily series, the most read."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from podium.accounts.models import User
from podium.articles.models import Article

from .models import DailyArticleStats

MOST_READ_DAYS = 14  # the home page's "most read" looks back this many days

SPARK_DAYS = 30


@dataclass(frozen=True)
class DayCount:
    day: datetime.date
    views: int
    read_throughs: int


def read_through_percent(views: int, read_throughs: int) -> int | None:
    if not views:
        return None
    return min(100, round(100 * read_throughs / views))


@dataclass(frozen=True)
class ArticleReading:
    """How one of an author's articles is read: totals since publication and the recent days."""

    article: Article
    views: int
    read_throughs: int
    series: list[DayCount]

    @property
    def read_through_percent(self) -> int | None:
        return read_through_percent(self.views, self.read_throughs)


def author_readings(author: User, days: int = SPARK_DAYS) -> list[ArticleReading]:
    """The author's articles that have been published (now or before), newest first, each with
    its total views and read-throughs and its last `days` days. Two queries."""
    rows = list(
        Article.objects.filter(author=author, published_at__isnull=False)
        .filter(state__in=[Article.State.PUBLISHED, Article.State.OFFLINE])
        .annotate(
            total_views=Coalesce(Sum("daily_stats__views"), 0),
            total_read_throughs=Coalesce(Sum("daily_stats__read_throughs"), 0),
        )
        .defer("body")
        .order_by("-published_at", "-pk")
    )
    series = recent_series(rows, days)
    return [
        ArticleReading(
            article=row,
            views=row.total_views,
            read_throughs=row.total_read_throughs,
            series=series[row.pk],
        )
        for row in rows
    ]


def _series(
    rows: dict[datetime.date, DayCount], start: datetime.date, end: datetime.date
) -> list[DayCount]:
    days = (end - start).days
    return [
        rows.get(
            start + datetime.timedelta(days=i), DayCount(start + datetime.timedelta(days=i), 0, 0)
        )
        for i in range(days + 1)
    ]


def recent_series(articles: Sequence[Article], days: int = SPARK_DAYS) -> dict[int, list[DayCount]]:
    """The last `days` days of each article (zeros filled in), in one query for all of them."""
    today = timezone.localdate()
    start = today - datetime.timedelta(days=days - 1)
    by_article: dict[int, dict[datetime.date, DayCount]] = defaultdict(dict)
    for row in DailyArticleStats.objects.filter(
        article__in=[a.pk for a in articles], day__gte=start
    ):
        by_article[row.article_id][row.day] = DayCount(row.day, row.views, row.read_throughs)
    return {a.pk: _series(by_article[a.pk], start, today) for a in articles}


def article_series(article: Article, max_days: int = 365) -> list[DayCount]:
    """Daily counts since publication (at most `max_days`), zeros filled in."""
    today = timezone.localdate()
    published = timezone.localdate(article.published_at) if article.published_at else today
    start = max(min(published, today), today - datetime.timedelta(days=max_days - 1))
    rows = {
        r.day: DayCount(r.day, r.views, r.read_throughs)
        for r in DailyArticleStats.objects.filter(article=article, day__gte=start)
    }
    return _series(rows, start, today)


def most_read(
    *, days: int | None = None, limit: int = 5, exclude: list[int] | None = None
) -> list[Article]:
    """Live articles by views over the last `days` days (MOST_READ_DAYS), most first.

    Starts from the window's daily rows (index on day, article), so the work follows the number
    of articles read in the window, not the number of articles ever published; then reads the
    winners' rows. Two queries."""
    days = days or MOST_READ_DAYS
    since = timezone.localdate() - datetime.timedelta(days=days - 1)
    live = Article.objects.published()
    ranked = (
        DailyArticleStats.objects.filter(day__gte=since, article__in=live.values("pk"))
        .exclude(article_id__in=exclude or [])
        .values("article_id")
        .annotate(recent_views=Sum("views"))
        .filter(recent_views__gt=0)
        .order_by("-recent_views", "-article__published_at", "-article_id")[:limit]
    )
    views = {row["article_id"]: row["recent_views"] for row in ranked}
    found = live.for_listing().in_bulk(list(views))
    return [found[pk] for pk in views if pk in found]
