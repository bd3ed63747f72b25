"""Reads on curation, used by the desk, the newsletter and the compilation."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from .models import Pick


def picks(kind: str) -> QuerySet[Pick]:
    """Picks of `kind` whose article is still live, in pick order, with article and author."""
    from podium.articles.models import Article

    live = Article.objects.published().values("pk")
    return (
        Pick.objects.filter(kind=kind, article__in=live)
        .select_related("article__author", "picked_by")
        .order_by("picked_at", "pk")
    )


def picks_between(
    kind: str, start: datetime.datetime | None = None, end: datetime.datetime | None = None
) -> QuerySet[Pick]:
    qs = picks(kind)
    if start is not None:
        qs = qs.filter(picked_at__gt=start)
    if end is not None:
        qs = qs.filter(picked_at__lte=end)
    return qs
