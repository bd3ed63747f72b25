"""The magazine's topics: shared by articles (what a piece is about) and profiles (expertise).

A separate small app so that both `accounts` and `articles` can use it while dependencies keep
pointing downward."""

from __future__ import annotations

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from podium.core.urls import slug_url


class Topic(models.Model):
    """A topic's Dutch name is its name; English pages show `name_en` (and `description_en`)
    where an editor filled it in, the Dutch one otherwise: `label` and `label_description` say
    which, in the active language."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    name_en = models.CharField(_("name in English"), max_length=60, blank=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return slug_url("web:topic", self.slug)

    @property
    def label(self) -> str:
        """The name readers of the active language see."""
        if self.name_en and translation.get_language() == "en":
            return self.name_en
        return self.name

    @property
    def label_description(self) -> str:
        if self.description_en and translation.get_language() == "en":
            return self.description_en
        return self.description
