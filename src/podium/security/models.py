"""Content-Security-Policy violations the browsers reported: a page that needs an inline script
or style, or loads something from elsewhere, shows up here (and browser tests assert none)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CSPViolation(models.Model):
    document_uri = models.CharField(_("page"), max_length=500)
    directive = models.CharField(_("directive"), max_length=100)
    blocked_uri = models.CharField(_("blocked"), max_length=500, blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    sample = models.CharField(_("sample"), max_length=200, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("CSP violation")
        verbose_name_plural = _("CSP violations")

    def __str__(self) -> str:
        return f"{self.directive} on {self.document_uri}"
