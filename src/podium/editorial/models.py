"""Curation: what the editors put on the home page, and what they pick for the newsletter and for
*Het beste van Podium*."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from podium.articles.models import Article, ArticleEvent, Revision


class Placement(models.Model):
    """An article in the home page's featured area. Position 0 is the lead slot; a placement
    without start shows at once, one without end stays until it is removed."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="placements")
    position = models.PositiveIntegerField(_("position"), default=0)
    starts_at = models.DateTimeField(_("from"), null=True, blank=True)
    ends_at = models.DateTimeField(_("until"), null=True, blank=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
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
    picked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    picked_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["picked_at", "pk"]
        verbose_name = _("pick")
        verbose_name_plural = _("picks")
        constraints = [
            models.UniqueConstraint(fields=["article", "kind"], name="pick_once_per_kind")
        ]
        indexes = [models.Index(fields=["kind", "picked_at"], name="pick_kind_at_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.article}"


class FeaturedArea(models.Model):
    """The home page's featured area as one row. Every change to the placements locks this row
    first, so two editors' changes are applied one after the other and the second one is checked
    against the order the first one left (see `services.reorder_placements`)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    changed_at = models.DateTimeField(null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("featured area")
        verbose_name_plural = _("featured area")

    def __str__(self) -> str:
        return str(_("featured area"))


class CurationNotice(models.Model):
    """What the author is told when the editors give an article a bigger stage."""

    class Kind(models.TextChoices):
        FEATURED = "featured", _("Featured on the home page")
        NEWSLETTER = "newsletter", _("Picked for the newsletter")
        BESTOF = "bestof", _("Picked for Het beste van Podium")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="curation_notices")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notice to the author")
        verbose_name_plural = _("notices to authors")
        indexes = [models.Index(fields=["article", "-created_at"], name="notice_article_at_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.article}"


class PublicationCheck(models.Model):
    """An editor's look, afterwards, at an article a trusted contributor published without review.
    One per publication event: a republished article needs a new check."""

    class Outcome(models.TextChoices):
        SEEN = "seen", _("Seen, stays online")
        TAKEN_DOWN = "taken_down", _("Taken down")

    event = models.OneToOneField(
        ArticleEvent, on_delete=models.CASCADE, related_name="publication_check"
    )
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="publication_checks"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reviewed_at"]
        verbose_name = _("check after publication")
        verbose_name_plural = _("checks after publication")

    def __str__(self) -> str:
        return f"{self.article}: {self.get_outcome_display()}"


class AssistantReport(models.Model):
    """The editor's assistant's findings for one revision, computed once when it is submitted."""

    revision = models.OneToOneField(
        Revision, on_delete=models.CASCADE, related_name="assistant_report"
    )
    computed_at = models.DateTimeField(default=timezone.now)
    data = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("assistant report")
        verbose_name_plural = _("assistant reports")

    def __str__(self) -> str:
        return f"{self.revision}"


class Fingerprint(models.Model):
    """The MinHash signature of an article's latest submitted text, for the originality check."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="fingerprint")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    signature = models.BinaryField()
    shingle_count = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("fingerprint")
        verbose_name_plural = _("fingerprints")

    def __str__(self) -> str:
        return f"{self.article_id}"


class FingerprintBand(models.Model):
    """One LSH band of a fingerprint: texts that share any band key are candidates for a closer
    look, found with one indexed `IN` query instead of comparing against every article."""

    fingerprint = models.ForeignKey(Fingerprint, on_delete=models.CASCADE, related_name="bands")
    key = models.BigIntegerField()

    class Meta:
        verbose_name = _("fingerprint band")
        verbose_name_plural = _("fingerprint bands")
        indexes = [models.Index(fields=["key"], name="fingerprint_band_key_idx")]

    def __str__(self) -> str:
        return f"{self.fingerprint_id}: {self.key}"
