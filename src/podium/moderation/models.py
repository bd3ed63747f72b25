from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from podium.articles.models import Article


class ReportReason(models.TextChoices):
    FACTUAL = "factual", _("Factually wrong or misleading")
    OFFENSIVE = "offensive", _("Offensive, discriminating or threatening")
    ADVERTISING = "advertising", _("Advertising or spam")
    COPYRIGHT = "copyright", _("Copied from someone else")
    PRIVACY = "privacy", _("Reveals personal data")
    OTHER = "other", _("Something else")


class ArticleReport(models.Model):
    """A reader's "Meld dit artikel": lands in the desk's queue until an editor handles it."""

    # Module level so that Meta's constraint can name the values.
    Reason = ReportReason

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    message = models.TextField(_("explanation"), max_length=2000, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(handled_at__isnull=True) | models.Q(handled_by__isnull=False),
                name="report_handled_by_someone",
            ),
            models.CheckConstraint(
                condition=models.Q(reason__in=ReportReason.values), name="report_reason_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.article}"


class SpamFlag(models.Model):
    """A submission that tripped a spam signal (terms, many links to one domain), for the editors."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="spam_flags")
    reasons = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("spam flag")
        verbose_name_plural = _("spam flags")

    def __str__(self) -> str:
        return f"{self.article}: {'; '.join(self.reasons)}"
