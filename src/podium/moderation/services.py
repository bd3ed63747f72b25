"""Writes: readers report articles, submissions get flagged, editors handle both."""

from __future__ import annotations

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from podium.accounts.models import User
from podium.articles.limits import spam_signals
from podium.articles.models import Article

from .models import ArticleReport, SpamFlag

REPORTS_PER_HOUR = 5  # "Meld dit artikel", per reader


class TooManyReports(Exception):
    """The reader sent more reports this hour than the limit allows; nothing was written."""


@transaction.atomic
def report_article(
    *, article: Article, reason: str, message: str, by: User | None, client_key: str
) -> ArticleReport:
    """Record a reader's report of a live article. Rate limited per reader (account, or address
    when anonymous). Raises TooManyReports; ValueError for a reason that is not one of
    ArticleReport.Reason (the form offers only those)."""
    if reason not in ArticleReport.Reason.values:
        raise ValueError(f"unknown report reason: {reason!r}")
    key = f"moderation:reports:{by.pk if by and by.is_authenticated else client_key}"
    cache.add(key, 0, 3600)
    try:
        count = cache.incr(key)
    except ValueError:
        count = 1
    if count > REPORTS_PER_HOUR:
        raise TooManyReports(
            _("You have sent several reports in a short time. Please try again later.")
        )
    reporter = by if by is not None and by.is_authenticated else None
    return ArticleReport.objects.create(
        article=article, reason=reason, message=message.strip(), reporter=reporter
    )


@transaction.atomic
def handle_report(*, report: ArticleReport, by: User) -> ArticleReport:
    if not by.is_editor:
        raise PermissionDenied(_("Only editors handle reports."))
    locked = ArticleReport.objects.select_for_update().get(pk=report.pk)
    if locked.handled_at is None:
        locked.handled_at = timezone.now()
        locked.handled_by = by
        locked.save(update_fields=["handled_at", "handled_by"])
    return locked


def flag_if_spam(*, article_id: int) -> SpamFlag | None:
    """Scan the article's current text; record a flag when it looks like spam."""
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        return None
    reasons = spam_signals(article)
    if not reasons:
        return None
    return SpamFlag.objects.create(article=article, reasons=reasons)


@transaction.atomic
def clear_flag(*, flag: SpamFlag, by: User) -> SpamFlag:
    if not by.is_editor:
        raise PermissionDenied(_("Only editors clear spam flags."))
    locked = SpamFlag.objects.select_for_update().get(pk=flag.pk)
    if locked.cleared_at is None:
        locked.cleared_at = timezone.now()
        locked.cleared_by = by
        locked.save(update_fields=["cleared_at", "cleared_by"])
    return locked
