"""Reader signals, honestly collected: one row per article and day with two counters. No log of
people, no cookies, no IP addresses; repeat visits are recognised for a day by a salted hash that
lives only in the cache (see `services`)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from podium.articles.models import Article


class DailyArticleStats(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="daily_stats")
    day = models.DateField(_("day"))
    views = models.PositiveIntegerField(_("views"), default=0)
    read_throughs = models.PositiveIntegerField(_("read to the end"), default=0)

    class Meta:
        ordering = ["article", "day"]
        verbose_name = _("daily article statistics")
        verbose_name_plural = _("daily article statistics")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "day"], name="stats_one_row_per_article_day"
            ),
            models.CheckConstraint(
                condition=Q(views__gte=0) & Q(read_throughs__gte=0), name="stats_counts_positive"
            ),
        ]
        indexes = [models.Index(fields=["day", "article"], name="stats_day_article_idx")]

    def __str__(self) -> str:
        return f"{self.article_id} {self.day}: {self.views}/{self.read_throughs}"


# The two signals the beacon may send, and the counter each one adds to.
COUNTERS = {"view": "views", "read": "read_throughs"}
