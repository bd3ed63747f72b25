"""Compilations of *Het beste van Podium*: a period's best articles, in the editors' order, and the
files built from them (a proof PDF, the printer's PDF and an EPUB)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from podium.articles.models import Article

from .storage import private_storage


def _upload_to(instance: Compilation, filename: str) -> str:
    return f"bestof/{instance.uid}/{filename}"


class Compilation(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINALISED = "finalised", _("Finalised")

    class BuildStatus(models.TextChoices):
        NONE = "none", _("Not built yet")
        QUEUED = "queued", _("Waiting to be built")
        RUNNING = "running", _("Building")
        DONE = "done", _("Built")
        FAILED = "failed", _("Build stopped")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=150)
    subtitle = models.CharField(_("subtitle"), max_length=200, blank=True)
    foreword = models.TextField(_("foreword"), max_length=6000, blank=True)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    # The colophon: what the data cannot tell. Empty editors means everyone with the editor role;
    # an empty licence means the authors keep their copyright (what Podium promises them).
    colophon_editors = models.TextField(_("editors (colophon)"), max_length=1000, blank=True)
    licence = models.CharField(_("licence (colophon)"), max_length=300, blank=True)
    printer = models.CharField(_("printer (colophon)"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finalised_at = models.DateTimeField(null=True, blank=True)

    # The build: a counter so that a build superseded by a newer request stops writing, the
    # progress the editor sees, and what stopped it or what to check.
    build_number = models.PositiveIntegerField(default=0)
    build_status = models.CharField(
        max_length=20, choices=BuildStatus.choices, default=BuildStatus.NONE
    )
    build_progress = models.PositiveSmallIntegerField(default=0)
    build_step = models.CharField(max_length=200, blank=True)
    build_errors = models.JSONField(default=list, blank=True)
    build_warnings = models.JSONField(default=list, blank=True)
    build_started_at = models.DateTimeField(null=True, blank=True)
    build_finished_at = models.DateTimeField(null=True, blank=True)
    pdf_a4 = models.FileField(
        _("proof PDF (A4)"), storage=private_storage, upload_to=_upload_to, blank=True
    )
    pdf_trim = models.FileField(
        _("printer's PDF"), storage=private_storage, upload_to=_upload_to, blank=True
    )
    epub = models.FileField(_("EPUB"), storage=private_storage, upload_to=_upload_to, blank=True)

    class Meta:
        ordering = ["-period_end", "-pk"]
        verbose_name = _("compilation")
        verbose_name_plural = _("compilations")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="compilation_period_ordered"
            ),
            models.CheckConstraint(
                condition=~Q(state="finalised") | Q(finalised_at__isnull=False),
                name="compilation_finalised_has_time",
            ),
            models.CheckConstraint(
                condition=Q(build_progress__lte=100), name="compilation_progress_max_100"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("bestof:detail", kwargs={"pk": self.pk})

    @property
    def is_editable(self) -> bool:
        return self.state == self.State.DRAFT

    @property
    def is_building(self) -> bool:
        return self.build_status in (self.BuildStatus.QUEUED, self.BuildStatus.RUNNING)

    @property
    def has_files(self) -> bool:
        return bool(self.pdf_a4 or self.pdf_trim or self.epub)


class CompilationEntry(models.Model):
    """An article in a compilation, at its place in the editors' order."""

    compilation = models.ForeignKey(Compilation, on_delete=models.CASCADE, related_name="entries")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["compilation", "position", "pk"]
        verbose_name = _("compilation article")
        verbose_name_plural = _("compilation articles")
        constraints = [
            models.UniqueConstraint(
                fields=["compilation", "article"], name="compilation_article_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.compilation_id}#{self.position}: {self.article_id}"
