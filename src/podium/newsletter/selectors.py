"""Reads on the newsletter, and the access helpers."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone

from podium.accounts.models import User
from podium.accounts.roles import editors_only
from podium.articles.models import Article

from .models import Delivery, Edition, EditionItem, Subscriber


def get_edition_for_editor(user: User, pk: int) -> Edition:
    if not user.is_authenticated or not user.is_editor:
        raise Http404
    try:
        return Edition.objects.select_related("created_by", "sent_by").get(pk=pk)
    except (Edition.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_archived_edition(pk: int) -> Edition:
    try:
        return Edition.objects.sent().get(pk=pk)
    except (Edition.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def archive() -> QuerySet[Edition]:
    return Edition.objects.sent().defer("html", "text").order_by("-finished_at", "-pk")


def archived_items(edition: Edition) -> list[EditionItem]:
    return list(edition.items.order_by("position", "pk"))


def desk_editions() -> QuerySet[Edition]:
    return (
        Edition.objects.defer("html", "text")
        .select_related("created_by")
        .annotate(item_count=Count("items", distinct=True))
        .order_by("-created_at", "-pk")
    )


def addable_articles(edition: Edition, limit: int = 100) -> QuerySet[Article]:
    """The latest live articles not in the edition yet; unsliced on the outside, so a form can
    still look one up by pk."""
    latest = (
        Article.objects.published()
        .exclude(pk__in=edition.items.filter(article__isnull=False).values("article_id"))
        .order_by("-published_at", "-pk")
        .values("pk")[:limit]
    )
    return (
        Article.objects.filter(pk__in=latest)
        .select_related("author")
        .defer("body")
        .order_by("-published_at", "-pk")
    )


@dataclass
class Progress:
    total: int
    sent: int
    failed: int
    skipped: int
    pending: int
    status: str

    @property
    def done(self) -> int:
        return self.sent + self.failed + self.skipped

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100

    def as_dict(self) -> dict[str, object]:
        return {
            "total": self.total,
            "sent": self.sent,
            "failed": self.failed,
            "skipped": self.skipped,
            "pending": self.pending,
            "done": self.done,
            "percent": self.percent,
            "status": self.status,
        }


def edition_progress(edition_id: int) -> Progress:
    counts = Delivery.objects.filter(edition_id=edition_id).aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(status=Delivery.Status.SENT)),
        failed=Count("pk", filter=Q(status=Delivery.Status.FAILED)),
        skipped=Count("pk", filter=Q(status=Delivery.Status.SKIPPED)),
        pending=Count("pk", filter=Q(status=Delivery.Status.PENDING)),
    )
    status = Edition.objects.filter(pk=edition_id).values_list("status", flat=True).first() or ""
    return Progress(status=status, **counts)


def failed_deliveries(edition: Edition, limit: int = 50) -> QuerySet[Delivery]:
    return (
        Delivery.objects.filter(edition=edition, status=Delivery.Status.FAILED)
        .select_related("subscriber")
        .order_by("pk")[:limit]
    )


def recipient_count() -> int:
    """How many subscribers an edition sent now would go to (every confirmed one)."""
    return Subscriber.objects.confirmed().count()


def subscriber_counts() -> dict[str, int]:
    rows = Subscriber.objects.values("status").annotate(n=Count("pk")).order_by()
    counts = {status: 0 for status in Subscriber.Status.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def subscriber_history(
    days: int = 90, today: datetime.date | None = None
) -> list[tuple[datetime.date, int]]:
    """Confirmed subscribers at the end of each of the last `days` days: everyone confirmed by
    then minus everyone who had left by then (three queries, whatever the list's size)."""
    today = today or timezone.localdate()
    first = today - datetime.timedelta(days=days - 1)
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time()))
    ever = Subscriber.objects.filter(confirmed_at__isnull=False)
    base = ever.filter(confirmed_at__lt=start).count() - ever.filter(left_at__lt=start).count()
    joined = dict(
        ever.filter(confirmed_at__gte=start)
        .annotate(day=TruncDate("confirmed_at"))
        .values_list("day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    left = dict(
        ever.filter(left_at__gte=start)
        .annotate(day=TruncDate("left_at"))
        .values_list("day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    history = []
    running = base
    for offset in range(days):
        day = first + datetime.timedelta(days=offset)
        running += joined.get(day, 0) - left.get(day, 0)
        history.append((day, running))
    return history


@dataclass(frozen=True)
class ListFigures:
    """What happened to the list in a period, read from each address's current row: an address
    that left and came back counts once."""

    confirmed: int  # confirmed in the period, imports left out
    pending: int  # signed up in the period, not confirmed (yet)
    unsubscribed: int
    suppressed: int  # removed after bounces or complaints
    imported: int
    editions_sent: int
    confirmed_now: int


@editors_only()
def desk_figures(*, by: User, start: datetime.datetime) -> ListFigures:
    """The newsletter's figures since `start` for the editors' statistics page. Two queries.
    Podium records no opens or clicks, so there are none to give."""
    Status, Source = Subscriber.Status, Subscriber.Source
    counts = Subscriber.objects.aggregate(
        confirmed=Count("pk", filter=Q(confirmed_at__gte=start) & ~Q(consent_source=Source.IMPORT)),
        pending=Count("pk", filter=Q(status=Status.PENDING, created_at__gte=start)),
        unsubscribed=Count("pk", filter=Q(status=Status.UNSUBSCRIBED, left_at__gte=start)),
        suppressed=Count("pk", filter=Q(status=Status.SUPPRESSED, left_at__gte=start)),
        imported=Count("pk", filter=Q(consent_source=Source.IMPORT, created_at__gte=start)),
        confirmed_now=Count("pk", filter=Q(status=Status.CONFIRMED)),
    )
    editions_sent = Edition.objects.sent().filter(finished_at__gte=start).count()
    return ListFigures(**counts, editions_sent=editions_sent)
