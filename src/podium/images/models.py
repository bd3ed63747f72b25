"""Pictures as their own objects: one re-encoded original in the public-media storage, what a
reader and an editor need to know about it (alt text, caption, credit, licence), its focal point,
and the responsive variants a background task makes from it (see `variants`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from podium.core.storage import public_url

ALT_TEXT_MAX_CHARS = 250


class Image(models.Model):
    class Licence(models.TextChoices):
        OWN = "own", _("My own picture")
        PERMISSION = "permission", _("Used with permission of the maker")
        STOCK = "stock", _("Stock picture")
        FREE = "free", _("Free licence (for example Creative Commons)")

    # The storage name of the re-encoded original ("images/<token>/original.jpg"): never a path on
    # disk, so the same code works with a local folder and with an object store.
    file = models.CharField(max_length=200, unique=True)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    file_size = models.PositiveIntegerField(default=0)
    alt_text = models.CharField(_("alt text"), max_length=ALT_TEXT_MAX_CHARS, blank=True)
    is_decorative = models.BooleanField(_("decorative"), default=False)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    credit = models.CharField(_("credit / source"), max_length=200, blank=True)
    licence = models.CharField(
        _("licence"), max_length=20, choices=Licence.choices, default=Licence.OWN
    )
    # Whose permission, which stock agency, which free licence.
    licence_detail = models.CharField(_("licence details"), max_length=200, blank=True)
    # Where the subject is, as fractions of width and height: crops keep it in view.
    focal_x = models.FloatField(_("focal point (horizontal)"), default=0.5)
    focal_y = models.FloatField(_("focal point (vertical)"), default=0.5)
    # Written only by the variants task; empty until it has run (pages show the original then).
    variants = models.JSONField(default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="images",
        verbose_name=_("uploaded by"),
    )
    # Word's picture description was empty, or looked like a file name: an editor should look.
    needs_alt_review = models.BooleanField(default=False)
    # When the upkeep first found nothing using the picture (see `cleanup`); None while in use.
    orphaned_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("picture")
        verbose_name_plural = _("pictures")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="image_focal_point_inside",
            ),
        ]

    def __str__(self) -> str:
        return self.alt_text or self.caption or self.file.rsplit("/", 2)[-2]

    @property
    def has_text_alternative(self) -> bool:
        """Alt text, or the explicit mark that the picture adds nothing a reader must know."""
        return self.is_decorative or bool(self.alt_text.strip())

    @property
    def alt(self) -> str:
        return "" if self.is_decorative else self.alt_text

    @property
    def url(self) -> str:
        return public_url(self.file)

    @property
    def has_variants(self) -> bool:
        return bool(self.variants.get("sets"))

    def variant_set(self, kind: str) -> dict[str, list[list[Any]]]:
        """{format: [[width, height, storage name], …]} of one kind of variant (empty if none)."""
        sets: dict[str, dict[str, list[list[Any]]]] = self.variants.get("sets") or {}
        return sets.get(kind) or {}

    @property
    def credit_line(self) -> str:
        return self.credit.strip()


def variant_names(variants: dict[str, Any]) -> list[str]:
    """The storage names of every variant an `Image.variants` value records."""
    sets: dict[str, dict[str, list[list[Any]]]] = variants.get("sets") or {}
    return [
        str(row[2]) for by_format in sets.values() for rows in by_format.values() for row in rows
    ]
