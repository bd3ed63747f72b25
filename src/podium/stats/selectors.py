"""Reads on reader signals: per-article totals for the author, daily series, the most read, and the
editors' view of a period (every article, every topic) for the desk's statistics page."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from podium.accounts.models import User
from podium.accounts.roles import editors_only
from podium.articles.models import Article, byline_prefetch
from podium.topics.models import Topic

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
    """The articles whose byline names `author` (their own and those they co-wrote) that have
    been published (now or before), newest first, each with its total views and read-throughs
    and its last `days` days. Two queries."""
    rows = list(
        Article.objects.by_author(author)
        .filter(published_at__isnull=False)
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


def _live_days(first_day: datetime.date, last_day: datetime.date) -> QuerySet[DailyArticleStats]:
    """The daily rows of the live articles from `first_day` to `last_day`, both included."""
    return DailyArticleStats.objects.filter(
        day__gte=first_day,
        day__lte=last_day,
        article__in=Article.objects.published().values("pk"),
    )


def _ranked(since: datetime.date, until: datetime.date | None = None) -> QuerySet[Any, Any]:
    """Live articles read from `since` to `until` (today), both included, as rows of article_id,
    views and read-throughs, most viewed first. Starts from the window's daily rows (index on day,
    article), so the work follows the number of articles read in the window, not the number ever
    published."""
    return (
        _live_days(since, until or timezone.localdate())
        .values("article_id")
        .annotate(views_in_window=Sum("views"), read_throughs_in_window=Sum("read_throughs"))
        .filter(views_in_window__gt=0)
        .order_by("-views_in_window", "-article__published_at", "-article_id")
    )


def most_read(
    *, days: int | None = None, limit: int = 5, exclude: list[int] | None = None
) -> list[Article]:
    """Live articles by views over the last `days` days (MOST_READ_DAYS), most first, with their
    authors (the home page's list shows title and author only). Two queries: the window's ranking,
    then the leaders' rows.

    The ranking is read from the window's daily rows alone (index on day, article) and the
    leaders' rows are then asked by primary key whether they are live, a few more than `limit` at
    a time (a further batch only when articles taken down since they were read lead the ranking).
    Asking whether each article is live inside the ranking made its cost grow with the number of
    articles ever published: as a subquery of every published id, or as a join that SQLite drives
    from the articles' (state, published_at) index, probing the daily rows of each of them (about
    0.1 s of the home page at 100,000 articles); now the work follows the articles read in the
    window."""
    days = days or MOST_READ_DAYS
    today = timezone.localdate()
    since = today - datetime.timedelta(days=days - 1)
    ranked = (
        DailyArticleStats.objects.filter(day__gte=since, day__lte=today)
        .exclude(article_id__in=exclude or [])
        .values("article_id")
        .annotate(views_in_window=Sum("views"))
        .filter(views_in_window__gt=0)
        .order_by("-views_in_window", "-article__published_at", "-article_id")
    )
    batch = limit + 5  # a few spare: an article taken down since it was read is skipped
    found: list[Article] = []
    start = 0
    while len(found) < limit:
        ids = [row["article_id"] for row in ranked[start : start + batch]]
        live = Article.objects.published().select_related("author").defer("body").in_bulk(ids)
        found.extend(live[pk] for pk in ids if pk in live)
        if len(ids) < batch:
            break
        start += batch
    return found[:limit]


# --- The editors' view of a period (the desk's statistics page) ---------------------------------

DESK_PERIODS = (7, 30, 90)  # the periods an editor can choose, in days


@dataclass(frozen=True)
class Period:
    """The last `days` days, today included, in local dates."""

    days: int
    first_day: datetime.date
    last_day: datetime.date

    @classmethod
    def last(cls, days: int, today: datetime.date | None = None) -> Period:
        today = today or timezone.localdate()
        return cls(days=days, first_day=today - datetime.timedelta(days=days - 1), last_day=today)

    @property
    def start(self) -> datetime.datetime:
        """The first day's local midnight, as an aware moment."""
        return timezone.make_aware(datetime.datetime.combine(self.first_day, datetime.time()))


@dataclass(frozen=True)
class TopicReading:
    topic: Topic | None  # None: articles filed under no topic
    articles: int
    views: int
    read_throughs: int

    @property
    def read_through_percent(self) -> int | None:
        return read_through_percent(self.views, self.read_throughs)


@editors_only()
def daily_totals(*, by: User, period: Period) -> list[DayCount]:
    """Views and read-throughs of all live articles per day of the period, zeros filled in. One
    query, summed in the database."""
    rows = {
        row["day"]: DayCount(row["day"], row["views"], row["read_throughs"])
        for row in _live_days(period.first_day, period.last_day)
        .values("day")
        .annotate(views=Sum("views"), read_throughs=Sum("read_throughs"))
        .order_by()
    }
    return _series(rows, period.first_day, period.last_day)


@editors_only()
def top_articles(*, by: User, period: Period, limit: int = 10) -> list[ArticleReading]:
    """The live articles most viewed in the period, with their byline and topics, most first (no
    daily series). Four queries: the ranking, the articles with their authors, their topics, their
    co-authors."""
    ranked = list(_ranked(period.first_day, period.last_day)[:limit])
    found = (
        Article.objects.published()
        .select_related("author")
        .prefetch_related("topics", byline_prefetch())
        .defer("body")
        .in_bulk([row["article_id"] for row in ranked])
    )
    return [
        ArticleReading(
            article=found[row["article_id"]],
            views=row["views_in_window"],
            read_throughs=row["read_throughs_in_window"],
            series=[],
        )
        for row in ranked
        if row["article_id"] in found
    ]


@editors_only()
def topic_readings(*, by: User, period: Period) -> list[TopicReading]:
    """Views and read-throughs per topic in the period, most viewed first. An article filed under
    two topics counts for both. Two queries: the sums per topic, then the topics."""
    rows = list(
        _live_days(period.first_day, period.last_day)
        .values("article__topics")
        .annotate(
            articles=Count("article", distinct=True),
            views=Sum("views"),
            read_throughs=Sum("read_throughs"),
        )
        .filter(views__gt=0)
        .order_by("-views", "article__topics")
    )
    topics = Topic.objects.in_bulk([r["article__topics"] for r in rows if r["article__topics"]])
    return [
        TopicReading(
            topic=topics.get(row["article__topics"]) if row["article__topics"] else None,
            articles=row["articles"],
            views=row["views"],
            read_throughs=row["read_throughs"],
        )
        for row in rows
    ]
