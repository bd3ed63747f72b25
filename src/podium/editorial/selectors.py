"""Reads on curation, used by the desk, the home page, the newsletter and the compilation."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from podium.accounts import roles
from podium.accounts.models import TrustChange, User
from podium.accounts.roles import editors_only
from podium.articles import rules as article_rules
from podium.articles.models import (
    Article,
    ArticleEvent,
    byline_column,
    topics_column,
    with_byline_column,
    with_topics_column,
)
from podium.editorial import rules as editorial_rules
from podium.stats import selectors as stats
from podium.stats.models import DailyArticleStats
from podium.stats.selectors import (
    ArticleReading,
    DayCount,
    Period,
    TopicReading,
    author_readings,
    read_through_percent,
)

from .models import CurationNotice, Pick, Placement, PublicationCheck


def picks(kind: str) -> QuerySet[Pick]:
    """Picks of `kind` whose article is still live, in pick order, with article and author."""
    live = Article.objects.published().values("pk")
    return (
        Pick.objects.filter(kind=kind, article__in=live)
        .select_related("article__author", "picked_by")
        .order_by("picked_at", "pk")
    )


def picks_between(
    kind: str, start: datetime.datetime | None = None, end: datetime.datetime | None = None
) -> QuerySet[Pick]:
    qs = picks(kind)
    if start is not None:
        qs = qs.filter(picked_at__gt=start)
    if end is not None:
        qs = qs.filter(picked_at__lte=end)
    return qs


# --- Home page --------------------------------------------------------------------------------


def _current(now: datetime.datetime) -> Q:
    return (Q(starts_at__isnull=True) | Q(starts_at__lte=now)) & (
        Q(ends_at__isnull=True) | Q(ends_at__gt=now)
    )


def home_placements(
    *, now: datetime.datetime | None = None, limit: int | None = None
) -> list[Placement]:
    """What readers see in the featured area now: current placements of live articles, in the
    editors' order, at most rules.HOME_SLOTS (the lead slot first)."""
    now = now or timezone.now()
    # Live as Article.objects.published() says, asked of the joined row: as a subquery of every
    # published id (article__in), SQLite listed all of them first (0.2 s at 100,000 articles).
    live = Q(article__state=Article.State.PUBLISHED, article__published_at__lte=timezone.now())
    placements = (
        Placement.objects.filter(_current(now), live)
        .select_related("article__author", "article__header_image")
        # The co-authors and the topics, in the same row.
        .annotate(
            article_byline=byline_column("article_id"), article_topics=topics_column("article_id")
        )
        .defer("article__body")
        .order_by("position", "placed_at", "pk")[: limit or editorial_rules.HOME_SLOTS]
    )
    return with_topics_column(
        with_byline_column(list(placements), "article_byline"), "article_topics"
    )


@dataclass(frozen=True)
class PlacementRow:
    """A placement on the desk's home-page list with what readers see of it now: "lead",
    "shown", "scheduled" (not yet started), "overflow" (the area is full) or "ended"."""

    placement: Placement
    status: str


def all_placements() -> list[PlacementRow]:
    """Every placement for the desk (ended and future ones too), in order."""
    placements = (
        Placement.objects.select_related("article__author", "placed_by")
        .defer("article__body")
        .order_by("position", "placed_at", "pk")
    )
    now = timezone.now()
    shown = 0
    rows = []
    for placement in placements:
        if not placement.article.is_live or (placement.ends_at and placement.ends_at <= now):
            status = "ended"
        elif placement.starts_at and placement.starts_at > now:
            status = "scheduled"
        elif shown >= editorial_rules.HOME_SLOTS:
            status = "overflow"
        else:
            status = "lead" if shown == 0 else "shown"
            shown += 1
        rows.append(PlacementRow(placement, status))
    return rows


# --- The desk's queues ------------------------------------------------------------------------


@dataclass(frozen=True)
class DeskFilter:
    topic: int | None = None
    author: str = ""  # part of the author's name or e-mail address, or their id (from a link)
    query: str = ""
    handled_by: int | None = None  # "mine": the submissions this editor has taken on

    def apply(self, qs: QuerySet[Article]) -> QuerySet[Article]:
        if self.handled_by:
            qs = qs.filter(claimed_by=self.handled_by)
        if self.topic:
            qs = qs.filter(topics=self.topic)
        if self.author.isdigit():
            qs = qs.filter(author=int(self.author))
        elif self.author:
            qs = qs.filter(
                Q(author__display_name__icontains=self.author)
                | Q(author__email__icontains=self.author)
            )
        if self.query:
            qs = qs.filter(title__icontains=self.query)
        return qs

    @property
    def is_active(self) -> bool:
        return bool(self.topic or self.author or self.query or self.handled_by)


def _listing(qs: QuerySet[Article]) -> QuerySet[Article]:
    return qs.select_related("author", "claimed_by").prefetch_related("topics").defer("body")


def _unchecked_auto_publications() -> QuerySet[ArticleEvent]:
    later = ArticleEvent.objects.filter(
        article=OuterRef("article"), action=ArticleEvent.Action.AUTO_PUBLISH, pk__gt=OuterRef("pk")
    )
    return ArticleEvent.objects.filter(action=ArticleEvent.Action.AUTO_PUBLISH).filter(
        ~Exists(later), ~Exists(PublicationCheck.objects.filter(event=OuterRef("pk")))
    )


def unreviewed_publications() -> QuerySet[Article]:
    """Published without review (trusted contributors) and not yet checked by an editor."""
    events = _unchecked_auto_publications()
    return Article.objects.filter(
        state=Article.State.PUBLISHED, pk__in=events.values("article_id")
    ).annotate(auto_published_at=events.filter(article=OuterRef("pk")).values("at")[:1])


@dataclass(frozen=True)
class Submission:
    """A submitted article in the desk's first queue, with how long it has waited for review."""

    article: Article
    waiting: datetime.timedelta | None
    is_overdue: bool


def desk_queues(flt: DeskFilter, *, limit: int = 50) -> dict[str, tuple[int, list[Any]]]:
    """Each queue as (count, first `limit` rows), all filtered alike; the submitted queue's rows
    are `Submission`s, the others articles."""
    now = timezone.now()
    queues: dict[str, QuerySet[Article]] = {
        "submitted": Article.objects.filter(state=Article.State.SUBMITTED).order_by(
            "submitted_at", "pk"
        ),
        "changes_requested": Article.objects.filter(state=Article.State.CHANGES_REQUESTED).order_by(
            "submitted_at", "pk"
        ),
        "unreviewed": unreviewed_publications().order_by("auto_published_at", "pk"),  # type: ignore[misc]
        "published": Article.objects.filter(
            state=Article.State.PUBLISHED, published_at__gte=now - datetime.timedelta(days=14)
        ).order_by("-published_at", "-pk"),
    }
    result: dict[str, tuple[int, list[Any]]] = {}
    for name, qs in queues.items():
        qs = flt.apply(qs)
        rows = list(_listing(qs)[:limit])
        count = qs.count()
        result[name] = (count, rows)
    sla = datetime.timedelta(hours=article_rules.REVIEW_SLA_HOURS)
    count, submitted = result["submitted"]
    result["submitted"] = (
        count,
        [
            Submission(
                article=article,
                waiting=now - article.submitted_at if article.submitted_at else None,
                is_overdue=bool(article.submitted_at and now - article.submitted_at > sla),
            )
            for article in submitted
        ],
    )
    return result


# --- An article's stage -----------------------------------------------------------------------


def article_curation(article: Article) -> dict[str, object]:
    return {
        "placement": Placement.objects.filter(article=article).select_related("placed_by").first(),
        "picks": {
            p.kind: p for p in Pick.objects.filter(article=article).select_related("picked_by")
        },
        "unchecked_auto_publication": _unchecked_auto_publications()
        .filter(article=article)
        .exists()
        and article.state == Article.State.PUBLISHED,
    }


def notices_for_author(user: User, *, limit: int = 10) -> list[CurationNotice]:
    return list(
        CurationNotice.objects.filter(article__author=user)
        .select_related("article")
        .defer("article__body")
        .order_by("-created_at", "-pk")[:limit]
    )


@dataclass(frozen=True)
class AuthorOverview:
    """What the desk sees of one contributor beyond trust: their articles past the draft stage
    (drafts stay private), with readers' totals, and the sums over them."""

    articles: list[Article]
    views: dict[int, int]
    total_views: int
    total_read_throughs: int
    published: int

    @property
    def read_through_percent(self) -> int | None:
        return read_through_percent(self.total_views, self.total_read_throughs)


def author_overview(author: User) -> AuthorOverview:
    """Three queries: the articles, the readings of those that were published, their series."""
    articles = list(
        Article.objects.filter(author=author)
        .exclude(state=Article.State.DRAFT)
        .defer("body")
        .order_by("-updated_at", "-pk")
    )
    readings = author_readings(author, days=1)
    return AuthorOverview(
        articles=articles,
        views={r.article.pk: r.views for r in readings},
        total_views=sum(r.views for r in readings),
        total_read_throughs=sum(r.read_throughs for r in readings),
        published=sum(1 for a in articles if a.is_live),
    )


def trust_history(user: User) -> list[TrustChange]:
    return list(
        TrustChange.objects.filter(user=user)
        .select_related("changed_by")
        .order_by("-changed_at", "-pk")
    )


def trusted_contributors() -> list[User]:
    return list(
        User.objects.filter(is_trusted=True, is_active=True).order_by("display_name", "email")
    )


def next_placement_change() -> datetime.datetime | None:
    """When a placement next starts or ends (`freshness.changes_at`): the home page changes then
    without anyone saving anything."""
    now = timezone.now()
    times = Placement.objects.aggregate(
        start=Min("starts_at", filter=Q(starts_at__gt=now)),
        end=Min("ends_at", filter=Q(ends_at__gt=now)),
    )
    return min((t for t in times.values() if t is not None), default=None)


# --- The editors' statistics page ---------------------------------------------------------------

Action = ArticleEvent.Action
DECISIONS = (Action.PUBLISH, Action.REQUEST_CHANGES, Action.REJECT)


@dataclass(frozen=True)
class Funnel:
    """What happened to submissions in a period, and how fast the editors decided."""

    submitted: int
    published: int  # after review
    published_at_once: int  # trusted contributors: published on submission, checked afterwards
    changes_requested: int
    rejected: int
    withdrawn: int
    decisions: int  # publish, request changes or reject, each timed from its submission
    within_promise: int
    median_wait: datetime.timedelta | None
    waiting_now: int
    overdue_now: int
    promise: datetime.timedelta

    @property
    def within_promise_percent(self) -> int | None:
        return round(100 * self.within_promise / self.decisions) if self.decisions else None

    @property
    def median_hours(self) -> int | None:
        if self.median_wait is None:
            return None
        return round(self.median_wait.total_seconds() / 3600)

    @property
    def promise_hours(self) -> int:
        return round(self.promise.total_seconds() / 3600)


@editors_only()
def review_funnel(*, by: User, period: Period) -> Funnel:
    """The submissions funnel of the period, counted from the articles' events. A decision's wait
    runs from the latest submission before it (a revised text is a new submission); the median is
    read in the database: a count, then the middle one or two waits. Four queries."""
    promise = datetime.timedelta(hours=article_rules.REVIEW_SLA_HOURS)
    events = ArticleEvent.objects.filter(at__gte=period.start)
    counts = events.aggregate(
        submitted=Count("pk", filter=Q(action__in=[Action.SUBMIT, Action.AUTO_PUBLISH])),
        published=Count("pk", filter=Q(action=Action.PUBLISH)),
        published_at_once=Count("pk", filter=Q(action=Action.AUTO_PUBLISH)),
        changes_requested=Count("pk", filter=Q(action=Action.REQUEST_CHANGES)),
        rejected=Count("pk", filter=Q(action=Action.REJECT)),
        withdrawn=Count("pk", filter=Q(action=Action.WITHDRAW_SUBMISSION)),
    )
    submitted_at = (
        ArticleEvent.objects.filter(
            article=OuterRef("article"), action=Action.SUBMIT, at__lte=OuterRef("at")
        )
        .order_by("-at", "-pk")
        .values("at")[:1]
    )
    decisions = (
        events.filter(action__in=DECISIONS)
        .annotate(submitted_at=Subquery(submitted_at))
        .filter(submitted_at__isnull=False)
        .annotate(wait=ExpressionWrapper(F("at") - F("submitted_at"), output_field=DurationField()))
    )
    timed = decisions.aggregate(n=Count("pk"), within=Count("pk", filter=Q(wait__lte=promise)))
    n = timed["n"]
    middle = (
        list(
            decisions.order_by("wait", "pk").values_list("wait", flat=True)[
                (n - 1) // 2 : n // 2 + 1
            ]
        )
        if n
        else []
    )
    waiting = Article.objects.filter(state=Article.State.SUBMITTED).aggregate(
        now=Count("pk"), overdue=Count("pk", filter=Q(submitted_at__lt=timezone.now() - promise))
    )
    return Funnel(
        **counts,
        decisions=n,
        within_promise=timed["within"],
        median_wait=sum(middle, datetime.timedelta()) / len(middle) if middle else None,
        waiting_now=waiting["now"],
        overdue_now=waiting["overdue"],
        promise=promise,
    )


@dataclass(frozen=True)
class NewContributor:
    contributor: User
    submitted: int
    published: int
    views: int


@editors_only()
def new_contributors(*, by: User, period: Period, limit: int = 10) -> list[NewContributor]:
    """Contributors who signed up in the period and submitted something, the most active first
    (submissions, then publications, then views of their articles in the period). One query."""
    in_period = Q(articles__events__at__gte=period.start)
    views = (
        DailyArticleStats.objects.filter(
            article__author=OuterRef("pk"),
            day__gte=period.first_day,
            article__in=Article.objects.published().values("pk"),
        )
        .values("article__author")
        .annotate(total=Sum("views"))
        .values("total")
    )
    rows = (
        User.objects.filter(
            date_joined__gte=period.start, is_active=True, role=roles.Role.CONTRIBUTOR
        )
        .annotate(
            submitted=Count(
                "articles__events",
                filter=in_period
                & Q(articles__events__action__in=[Action.SUBMIT, Action.AUTO_PUBLISH]),
            ),
            published=Count(
                "articles",
                filter=in_period
                & Q(articles__events__action__in=[Action.PUBLISH, Action.AUTO_PUBLISH]),
                distinct=True,
            ),
            views_in_period=Coalesce(Subquery(views), 0),
        )
        .filter(submitted__gt=0)
        .order_by("-submitted", "-published", "-views_in_period", "date_joined", "pk")[:limit]
    )
    return [
        NewContributor(
            contributor=user,
            submitted=user.submitted,
            published=user.published,
            views=user.views_in_period,
        )
        for user in rows
    ]


@dataclass(frozen=True)
class DeskStatistics:
    period: Period
    days: list[DayCount]
    top_articles: list[ArticleReading]
    topics: list[TopicReading]
    funnel: Funnel
    new_contributors: list[NewContributor]

    @property
    def views(self) -> int:
        return sum(d.views for d in self.days)

    @property
    def read_throughs(self) -> int:
        return sum(d.read_throughs for d in self.days)

    @property
    def read_through_percent(self) -> int | None:
        return read_through_percent(self.views, self.read_throughs)

    @property
    def topic_peak(self) -> int:
        return max((t.views for t in self.topics), default=0)


@editors_only()
def desk_statistics(*, by: User, days: int) -> DeskStatistics:
    """Everything the editors' statistics page shows for the last `days` days (one of
    stats.DESK_PERIODS), in a fixed number of queries whatever the number of articles, readers
    or members: every sum and count is made in the database."""
    if days not in stats.DESK_PERIODS:
        raise ValueError(f"days must be one of {stats.DESK_PERIODS}")
    period = Period.last(days)
    return DeskStatistics(
        period=period,
        days=stats.daily_totals(by=by, period=period),
        top_articles=stats.top_articles(by=by, period=period),
        topics=stats.topic_readings(by=by, period=period),
        funnel=review_funnel(by=by, period=period),
        new_contributors=new_contributors(by=by, period=period),
    )
