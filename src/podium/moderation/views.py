from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from podium.accounts.http import SignedInRequest
from podium.articles.selectors import get_published_article
from podium.core.clientip import client_ip

from . import services
from .forms import ReportForm
from .models import ArticleReport, SpamFlag


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_published_article(slug)
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.report_article(
                article=article,
                reason=form.cleaned_data["reason"],
                message=form.cleaned_data["message"],
                by=request.user if request.user.is_authenticated else None,
                client_key=client_ip(request),
            )
        except services.TooManyReports as exc:
            form.add_error(None, str(exc))
            status = 429
        else:
            messages.success(request, _("Thank you. The editors will look at your report."))
            return redirect(article.get_absolute_url())
    elif request.method == "POST":
        status = 400
    return render(
        request, "moderation/report.html", {"article": article, "form": form}, status=status
    )


@login_required
@require_POST
def handle(request: SignedInRequest, pk: int) -> HttpResponse:
    services.handle_report(report=get_object_or_404(ArticleReport, pk=pk), by=request.user)
    messages.success(request, _("The report is marked as handled."))
    return redirect("editorial:desk")


@login_required
@require_POST
def clear(request: SignedInRequest, pk: int) -> HttpResponse:
    services.clear_flag(flag=get_object_or_404(SpamFlag, pk=pk), by=request.user)
    messages.success(request, _("The spam flag is cleared."))
    return redirect("editorial:desk")
