"""The beacon that counts reader signals, and the contributor's own statistics under Activiteiten."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from podium.accounts.http import SignedInRequest
from podium.articles.models import Article
from podium.articles.selectors import get_article_for_writer
from podium.core.clientip import client_ip

from . import selectors, services
from .models import COUNTERS


@csrf_exempt  # sendBeacon cannot send a CSRF token; the endpoint only adds to a public counter
@require_POST
def beacon(request: HttpRequest) -> HttpResponse:
    """Count a view or read-through of a live article. 204 when accepted (counted or not),
    400 for a malformed request, 404 for an article readers cannot see."""
    signal = request.POST.get("signal", "")
    raw_id = request.POST.get("article", "")
    if signal not in COUNTERS or not raw_id.isdigit() or len(raw_id) > 18:
        return HttpResponse(status=400)
    if not Article.objects.published().filter(pk=int(raw_id)).exists():
        return HttpResponse(status=404)
    services.record_signal(
        article_id=int(raw_id),
        signal=signal,
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:500],
        address=client_ip(request),
    )
    response = HttpResponse(status=204)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def overview(request: SignedInRequest) -> HttpResponse:
    return render(
        request,
        "stats/overview.html",
        {"readings": selectors.author_readings(request.user), "days": selectors.SPARK_DAYS},
    )


@login_required
@require_GET
def article_stats(request: SignedInRequest, pk: int) -> HttpResponse:
    article = get_article_for_writer(request.user, pk)  # each co-author sees the figures too
    series = selectors.article_series(article) if article.published_at else []
    views = sum(d.views for d in series)
    reads = sum(d.read_throughs for d in series)
    return render(
        request,
        "stats/article.html",
        {
            "article": article,
            "series": series,
            "views": views,
            "read_throughs": reads,
            "read_through_percent": selectors.read_through_percent(views, reads),
        },
    )
