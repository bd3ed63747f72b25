"""Writes on curation: picks, home page placements, checks after publication, trust, and the
assistant's reports. Every function takes the acting editor as `by=` and refuses others."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from podium.accounts import services as account_services
from podium.accounts.models import TrustChange, User
from podium.accounts.roles import editors_only
from podium.articles import services as article_services
from podium.articles.models import Article, ArticleEvent
from podium.core import freshness

from .models import CurationNotice, FeaturedArea, Pick, Placement, PublicationCheck


def _notify(article: Article, kind: str, by: User) -> CurationNotice:
    """Record a notice for the author and e-mail it once the transaction commits."""
    from .tasks import send_curation_notice

    notice = CurationNotice.objects.create(article=article, kind=kind, created_by=by)
    transaction.on_commit(lambda: send_curation_notice.enqueue(notice.pk))
    return notice


# --- Picks ------------------------------------------------------------------------------------


@editors_only(gettext_lazy("Only editors can pick articles."))
@transaction.atomic
def pick_article(*, article: Article, kind: str, by: User) -> Pick:
    """Pick a live article for the newsletter or the compilation; the author is told. Picking twice
    is refused."""
    if kind not in Pick.Kind.values:
        raise ValidationError(_("Unknown kind of pick."), code="unknown_kind")
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if not locked.is_live:
        raise ValidationError(_("Only published articles can be picked."), code="not_published")
    try:
        with transaction.atomic():
            pick = Pick.objects.create(article=locked, kind=kind, picked_by=by)
    except IntegrityError:
        raise ValidationError(
            _("This article has already been picked."), code="already_picked"
        ) from None
    _notify(locked, kind, by)
    return pick


@editors_only(gettext_lazy("Only editors can change picks."))
@transaction.atomic
def unpick_article(*, article: Article, kind: str, by: User) -> None:
    Pick.objects.filter(article=article, kind=kind).delete()


# --- The home page's featured area ------------------------------------------------------------


class StaleOrder(Exception):
    """The featured area was changed by someone else since this editor loaded it."""

    def __init__(self, current: list[int]) -> None:
        self.current = current
        super().__init__(
            _(
                "Another editor changed the home page in the meantime, so your change was not made. "
                "This is the current order; make your change again."
            )
        )


def _lock_area(by: User) -> FeaturedArea:
    FeaturedArea.objects.get_or_create(pk=1)
    area = FeaturedArea.objects.select_for_update().get(pk=1)
    area.changed_at = timezone.now()
    area.changed_by = by
    area.save(update_fields=["changed_at", "changed_by"])
    freshness.readers_see_change_on_commit()  # every change of the featured area goes through here
    return area


def current_order() -> list[int]:
    return list(
        Placement.objects.order_by("position", "placed_at", "pk").values_list("pk", flat=True)
    )


def _renumber(order: Sequence[int]) -> None:
    placements = {p.pk: p for p in Placement.objects.filter(pk__in=order)}
    for position, pk in enumerate(order):
        placements[pk].position = position
    Placement.objects.bulk_update(placements.values(), ["position"])


def _check_times(starts_at: datetime.datetime | None, ends_at: datetime.datetime | None) -> None:
    if starts_at and ends_at and ends_at <= starts_at:
        raise ValidationError(_("The end must come after the start."), code="ends_before_start")
    if ends_at and ends_at <= timezone.now():
        raise ValidationError(
            _("The end lies in the past; the placement would never show."), code="ends_in_past"
        )


@editors_only(gettext_lazy("Only editors can place articles on the home page."))
@transaction.atomic
def place_on_home(
    *,
    article: Article,
    by: User,
    starts_at: datetime.datetime | None = None,
    ends_at: datetime.datetime | None = None,
) -> Placement:
    """Put a published article at the end of the featured area (optionally from/until a time);
    the author is told. Raises PermissionDenied or ValidationError; writes nothing then."""
    _check_times(starts_at, ends_at)
    _lock_area(by)
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if locked.state != Article.State.PUBLISHED:
        raise ValidationError(
            _("Only published articles can be placed on the home page."), code="not_published"
        )
    if Placement.objects.filter(article=locked).exists():
        raise ValidationError(_("This article is already on the home page."), code="already_placed")
    order = current_order()
    placement = Placement.objects.create(
        article=locked, position=len(order), starts_at=starts_at, ends_at=ends_at, placed_by=by
    )
    _notify(locked, CurationNotice.Kind.FEATURED, by)
    return placement


@editors_only(gettext_lazy("Only editors can change the home page."))
@transaction.atomic
def change_placement_times(
    *,
    placement: Placement,
    by: User,
    starts_at: datetime.datetime | None,
    ends_at: datetime.datetime | None,
) -> Placement:
    _check_times(starts_at, ends_at)
    _lock_area(by)
    locked = Placement.objects.select_for_update().get(pk=placement.pk)
    locked.starts_at, locked.ends_at = starts_at, ends_at
    locked.save(update_fields=["starts_at", "ends_at"])
    return locked


@editors_only(gettext_lazy("Only editors can change the home page."))
@transaction.atomic
def remove_placement(*, placement: Placement, by: User) -> None:
    _lock_area(by)
    Placement.objects.filter(pk=placement.pk).delete()
    _renumber(current_order())


@editors_only(gettext_lazy("Only editors can change the home page."))
@transaction.atomic
def reorder_placements(*, order: Sequence[int], seen: Sequence[int], by: User) -> list[int]:
    """Put the placements in `order` (placement ids, lead slot first). `seen` is the order the
    editor's page showed: if the stored order differs, someone else changed the area meanwhile and
    StaleOrder is raised with the current order; nothing is written then."""
    _lock_area(by)
    current = current_order()
    if list(seen) != current:
        raise StaleOrder(current)
    if sorted(order) != sorted(current) or len(set(order)) != len(order):
        raise ValidationError(
            _("The new order must contain each placement exactly once."), code="bad_order"
        )
    _renumber(order)
    return list(order)


def move_placement(
    *, placement_id: int, direction: str, seen: Sequence[int], by: User
) -> list[int]:
    """Swap a placement with its neighbour (the buttons that work without JavaScript)."""
    order = list(seen)
    if placement_id not in order or direction not in ("up", "down"):
        raise ValidationError(_("This placement is not on the page you saw."), code="bad_move")
    i = order.index(placement_id)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(order):
        order[i], order[j] = order[j], order[i]
    return reorder_placements(order=order, seen=seen, by=by)


# --- Published without review: the check afterwards --------------------------------------------


def _unchecked_event(article: Article) -> ArticleEvent:
    event = (
        ArticleEvent.objects.filter(article=article, action=ArticleEvent.Action.AUTO_PUBLISH)
        .order_by("-at", "-pk")
        .first()
    )
    if event is None:
        raise ValidationError(
            _("This article was not published without review."), code="not_unreviewed"
        )
    if PublicationCheck.objects.filter(event=event).exists():
        check = PublicationCheck.objects.select_related("reviewed_by").get(event=event)
        raise ValidationError(
            _("%(editor)s already checked this article.") % {"editor": check.reviewed_by},
            code="already_checked",
        )
    return event


@editors_only(gettext_lazy("Only editors can check publications."))
@transaction.atomic
def mark_publication_seen(*, article: Article, by: User) -> PublicationCheck:
    """An editor has read an article published without review and lets it stand."""
    locked = Article.objects.select_for_update().get(pk=article.pk)
    event = _unchecked_event(locked)
    if locked.state != Article.State.PUBLISHED:
        raise ValidationError(_("This article is no longer published."), code="not_published")
    try:
        with transaction.atomic():
            return PublicationCheck.objects.create(
                event=event, article=locked, outcome=PublicationCheck.Outcome.SEEN, reviewed_by=by
            )
    except IntegrityError:
        raise ValidationError(
            _("Another editor checked this article just now."), code="already_checked"
        ) from None


@editors_only(gettext_lazy("Only editors can take articles down."))
@transaction.atomic
def take_down(*, article: Article, by: User, reason: str, check_pending: bool = False) -> Article:
    """Take a published article down (reason required; the author is told). If it was published
    without review and not yet checked, the check is closed as "taken down" too. With
    `check_pending` (the editor acted on an unchecked publication), a check another editor made
    in the meantime is not overruled: ValidationError, nothing changes."""
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if check_pending:
        _unchecked_event(locked)  # raises when someone else has checked it meanwhile
    article = article_services.take_down_article(article=locked, by=by, reason=reason)
    event = (
        ArticleEvent.objects.filter(article=article, action=ArticleEvent.Action.AUTO_PUBLISH)
        .order_by("-at", "-pk")
        .first()
    )
    if event is not None and not PublicationCheck.objects.filter(event=event).exists():
        PublicationCheck.objects.create(
            event=event,
            article=article,
            outcome=PublicationCheck.Outcome.TAKEN_DOWN,
            reviewed_by=by,
        )
    return article


# --- Trust ------------------------------------------------------------------------------------


def grant_trust(*, user: User, by: User, reason: str) -> TrustChange:
    return account_services.set_trust(user=user, is_trusted=True, reason=reason, by=by)


def revoke_trust(*, user: User, by: User, reason: str) -> TrustChange:
    return account_services.set_trust(user=user, is_trusted=False, reason=reason, by=by)
