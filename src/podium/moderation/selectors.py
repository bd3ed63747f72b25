"""Reads for the desk: open reports and flagged submissions (the editorial desk shows both)."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import ArticleReport, SpamFlag


def open_reports() -> QuerySet[ArticleReport]:
    return ArticleReport.objects.filter(handled_at__isnull=True).select_related(
        "article", "article__author"
    )


def flagged_submissions() -> QuerySet[SpamFlag]:
    return SpamFlag.objects.filter(cleared_at__isnull=True).select_related(
        "article", "article__author"
    )
