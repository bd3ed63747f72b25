from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import services
from .forms import DeleteAccountForm


@require_GET
def statement(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy/statement.html",
        {
            "unverified_days": settings.PODIUM_RETAIN_UNVERIFIED_DAYS,
            "task_days": settings.PODIUM_RETAIN_TASK_RESULTS_DAYS,
            "keeps_articles": settings.PODIUM_DELETED_AUTHOR_ARTICLES == "keep",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_data(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            user = request.user
            try:
                services.delete_account(user=user, by=user, password=form.cleaned_data["password"])  # type: ignore[arg-type]
            except services.WrongPassword as exc:
                form.add_error("password", str(exc))
            else:
                logout(request)
                messages.success(request, _("Your account and personal data have been deleted."))
                return redirect("web:home")
        status = 400
    return render(
        request,
        "privacy/my_data.html",
        {"form": form, "keeps_articles": settings.PODIUM_DELETED_AUTHOR_ARTICLES == "keep"},
        status=status,
    )


@login_required
@require_POST
def export(request: HttpRequest) -> HttpResponse:
    data = services.export_user_data(request.user)  # type: ignore[arg-type]
    response = HttpResponse(data, content_type="application/zip")
    name = f"podium-gegevens-{timezone.localdate():%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
