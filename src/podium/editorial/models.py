"""Curation: what the editors put on the home page, and what they pick for the newsletter and for
*Het beste van Podium*."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from podium.articles.models import Article


class Placement(models.Model):
    """An article in the home page's featured area. Position 0 is the lead slot; a placement
    without start shows at once, one without end stays until it is removed."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="placements")
    position = models.PositiveIntegerField(_("position"), default=0)
    starts_at = models.DateTimeField(_("from"), null=True, blank=True)
    ends_at = models.DateTimeField(_("until"), null=True, blank=True)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "placed_at"]
        verbose_name = _("home page placement")
        verbose_name_plural = _("home page placements")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at=None) | Q(ends_at=None) | Q(ends_at__gt=F("starts_at")),
                name="placement_ends_after_start",
            ),
            models.UniqueConstraint(fields=["article"], name="placement_one_per_article"),
        ]

    def __str__(self) -> str:
        return f"{self.position}: {self.article}"


class Pick(models.Model):
    """An editor's choice of a published article for a bigger stage."""

    class Kind(models.TextChoices):
        NEWSLETTER = "newsletter", _("Newsletter")
        BESTOF = "bestof", _("Het beste van Podium")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="picks")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    picked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    picked_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["picked_at", "pk"]
        verbose_name = _("pick")
        verbose_name_plural = _("picks")
        constraints = [models.UniqueConstraint(fields=["article", "kind"], name="pick_once_per_kind")]
        indexes = [models.Index(fields=["kind", "picked_at"], name="pick_kind_at_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.article}"
