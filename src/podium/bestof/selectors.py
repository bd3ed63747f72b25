"""Reads on compilations: the editors' list, one compilation with its articles, and the candidates
of its period, best first."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from podium.accounts.models import User
from podium.articles.models import Article
from podium.editorial.selectors import picks

from .models import Compilation, CompilationEntry
from .readers import ReaderSignals, reader_signals


def period_bounds(
    start: datetime.date, end: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """The period as aware datetimes: from the start of the first day to the end of the last."""
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz),
    )


def compilations() -> QuerySet[Compilation]:
    return (
        Compilation.objects.annotate(article_count=Count("entries"))
        .select_related("created_by")
        .order_by("-period_end", "-pk")
    )


def get_compilation_for_editor(user: User, pk: int) -> Compilation:
    """A compilation for an editor; anyone else (and an unknown id) gets a 404."""
    if not user.is_authenticated or not user.is_editor:
        raise Http404
    try:
        return Compilation.objects.get(pk=pk)
    except (Compilation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def compilation_entries(compilation: Compilation) -> list[CompilationEntry]:
    return list(compilation.entries.select_related("article__author").order_by("position", "pk"))


@dataclass(frozen=True)
class Candidate:
    article: Article
    is_picked: bool
    signals: ReaderSignals
    is_chosen: bool
    position: int | None


def candidates(compilation: Compilation) -> list[Candidate]:
    """The live articles of the compilation's period, best first: the ones picked for *Het beste
    van Podium* (in pick order), then the others by reader signals. Articles already chosen are
    included wherever they were published, so the editor sees the whole choice in one list."""
    start, end = period_bounds(compilation.period_start, compilation.period_end)
    in_period = Q(published_at__gte=start, published_at__lt=end)
    picked = list(
        picks("bestof").filter(
            Q(picked_at__gte=start, picked_at__lt=end)
            | Q(article__published_at__gte=start, article__published_at__lt=end)
        )
    )
    chosen = {e.article_id: e.position for e in compilation.entries.all()}
    picked_ids = [p.article_id for p in picked]
    others = list(
        Article.objects.published()
        .filter(in_period | Q(pk__in=chosen))
        .exclude(pk__in=picked_ids)
        .select_related("author")
        .defer("body")
    )
    signals = reader_signals(
        picked_ids + [a.pk for a in others], compilation.period_start, compilation.period_end
    )
    others.sort(
        key=lambda a: (
            -signals[a.pk].score,
            -(a.published_at.timestamp() if a.published_at else 0),
            a.pk,
        )
    )
    result = [
        Candidate(
            p.article, True, signals[p.article_id], p.article_id in chosen, chosen.get(p.article_id)
        )
        for p in picked
    ]
    result += [Candidate(a, False, signals[a.pk], a.pk in chosen, chosen.get(a.pk)) for a in others]
    return result


def finalised_for_author(user: User, limit: int = 5) -> list[Compilation]:
    """Finalised compilations that contain one of the user's articles, newest first."""
    if not user.is_authenticated:
        return []
    return list(
        Compilation.objects.filter(
            state=Compilation.State.FINALISED, entries__article__in=Article.objects.by_author(user)
        )
        .distinct()
        .order_by("-finalised_at", "-pk")[:limit]
    )


def compilations_showing(user: User) -> list[int]:
    """Ids of the compilations whose files or build messages may show `user` (name, photo, bio):
    those with one of their articles, those whose texts (the editors' foreword, the build
    messages) name them, and those whose files are
    older than their current choice of articles (a removed article is still in the files)."""
    import json

    found = set(
        CompilationEntry.objects.filter(article__in=Article.objects.by_author(user)).values_list(
            "compilation_id", flat=True
        )
    )
    rows = Compilation.objects.exclude(pk__in=found).values_list(
        "pk",
        "title",
        "subtitle",
        "foreword",
        "build_warnings",
        "build_errors",
        "updated_at",
        "build_finished_at",
        "pdf_a4",
        "pdf_trim",
        "epub",
    )
    for pk, title, subtitle, foreword, warnings, errors, updated_at, built_at, *files in rows:
        texts = json.dumps([title, subtitle, foreword, warnings, errors], ensure_ascii=False)
        named = bool(user.display_name) and user.display_name.lower() in texts.lower()
        stale = any(files) and (built_at is None or updated_at > built_at)
        if named or stale:
            found.add(pk)
    return sorted(found)
