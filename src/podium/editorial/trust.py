"""The automatic rule for trusted contributors.

A contributor becomes trusted once their record shows it (all three configurable):

- at least rules.TRUST_MIN_PUBLISHED articles published (3),
- none rejected among their last rules.TRUST_RECENT_WINDOW submissions (5),
- an account at least rules.TRUST_MIN_ACCOUNT_DAYS days old (30).

The rule only grants; taking trust away is an editor's decision. Nor does it overrule an editor:
once an editor has revoked someone's trust, only an editor gives it back. The rule is checked
after each publication of the contributor's work (see `receivers`) and can be run for everyone
with `podium review_trust`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from podium.accounts import services as account_services
from podium.accounts.models import TrustChange, User
from podium.articles.models import Article
from podium.editorial import rules as editorial_rules


@dataclass(frozen=True)
class TrustRecord:
    published: int
    rejected_recently: int
    account_days: int
    revoked_by_editor: bool

    @property
    def qualifies(self) -> bool:
        return (
            self.published >= editorial_rules.TRUST_MIN_PUBLISHED
            and self.rejected_recently == 0
            and self.account_days >= editorial_rules.TRUST_MIN_ACCOUNT_DAYS
            and not self.revoked_by_editor
        )


def trust_record(user: User, *, now: datetime.datetime | None = None) -> TrustRecord:
    now = now or timezone.now()
    articles = Article.objects.filter(author=user)
    published = (
        articles.filter(published_at__isnull=False, published_at__lte=now)
        .filter(state__in=[Article.State.PUBLISHED, Article.State.OFFLINE])
        .count()
    )
    recent_states = list(
        articles.filter(submitted_at__isnull=False)
        .order_by("-submitted_at", "-pk")
        .values_list("state", flat=True)[: editorial_rules.TRUST_RECENT_WINDOW]
    )
    last_change = TrustChange.objects.filter(user=user).order_by("-changed_at", "-pk").first()
    return TrustRecord(
        published=published,
        rejected_recently=sum(1 for s in recent_states if s == Article.State.REJECTED),
        account_days=(now - user.date_joined).days,
        revoked_by_editor=bool(
            last_change
            and not last_change.is_trusted
            and last_change.source == TrustChange.Source.EDITOR
        ),
    )


def apply_automatic_trust(user: User) -> TrustChange | None:
    """Grant trust when the record qualifies; returns the recorded change, or None."""
    if user.is_trusted or not user.is_active:
        return None
    record = trust_record(user)
    if not record.qualifies:
        return None
    reason = _(
        "%(published)s articles published, none rejected among the last %(window)s, "
        "account %(days)s days old."
    ) % {
        "published": record.published,
        "window": editorial_rules.TRUST_RECENT_WINDOW,
        "days": record.account_days,
    }
    try:
        return account_services.set_trust(
            user=user, is_trusted=True, reason=reason, by=None, source=TrustChange.Source.AUTOMATIC
        )
    except account_services.TrustUnchanged:
        return None


def review_all() -> int:
    """Grant automatic trust to every contributor whose record now qualifies (the daily sweep: an
    account's age crosses the threshold without any event). Returns how many became trusted."""
    granted = 0
    candidates = User.objects.filter(is_active=True, is_trusted=False, articles__isnull=False)
    for user in candidates.distinct().iterator():
        if apply_automatic_trust(user) is not None:
            granted += 1
    return granted
