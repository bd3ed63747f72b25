from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from podium.accounts.http import SignedInRequest
from podium.core import storage
from podium.core.downloads import dated_name, download
from podium.core.storage import private_download
from podium.newsletter import subscriber_data
from podium.newsletter.forms import EraseSubscriberForm
from podium.privacy import services as privacy_services

from . import services
from .forms import DeleteAccountForm


@require_GET
def statement(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy/statement.html",
        {
            "unverified_days": privacy_services.RETAIN_UNVERIFIED_DAYS,
            "unsubscribed_days": privacy_services.RETAIN_UNSUBSCRIBED_DAYS,
            "task_days": privacy_services.RETAIN_TASK_RESULTS_DAYS,
            "session_days": settings.SESSION_COOKIE_AGE // 86400,
            "keeps_articles": privacy_services.DELETED_AUTHOR_ARTICLES == "keep",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_data(request: SignedInRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            user = request.user
            try:
                services.delete_account(user=user, by=user, password=form.cleaned_data["password"])
            except services.WrongPassword as exc:
                form.add_error("password", str(exc))
            else:
                logout(request)
                messages.success(request, _("Your account and personal data have been deleted."))
                return redirect("web:home")
        status = 400
    return _my_data_page(request, form=form, status=status)


def _my_data_page(
    request: SignedInRequest,
    *,
    form: DeleteAccountForm | None = None,
    newsletter_form: EraseSubscriberForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "privacy/my_data.html",
        {
            "form": form or DeleteAccountForm(),
            "keeps_articles": privacy_services.DELETED_AUTHOR_ARTICLES == "keep",
            "subscriptions": subscriber_data.subscriptions_of(request.user),
            "newsletter_form": newsletter_form or EraseSubscriberForm(auto_id="newsletter_%s"),
        },
        status=status,
    )


@login_required
@require_POST
def export(request: SignedInRequest) -> HttpResponse:
    """Build the export, keep it as a private file, and hand it out: streamed, or a redirect to
    a presigned link of at most five minutes when the files are in an object store."""
    data = services.export_user_data(request.user)
    name = services.store_export(user=request.user, data=data)
    return private_download(
        storage.private_storage(),
        name,
        filename=dated_name("podium-gegevens", "zip"),
        content_type="application/zip",
    )


@login_required
@require_POST
def newsletter_export(request: SignedInRequest) -> HttpResponse:
    """The member's newsletter data alone, as the subscribers' own page gives it."""
    found = subscriber_data.subscriptions_of(request.user)
    data = {
        "exported_at": timezone.now(),
        "newsletter": [subscriber_data.export(s) for s in found],
    }
    return download(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode(),
        subscriber_data.download_name(),
        "application/json; charset=utf-8",
    )


@login_required
@require_POST
def newsletter_erase(request: SignedInRequest) -> HttpResponse:
    form = EraseSubscriberForm(request.POST, auto_id="newsletter_%s")
    if not form.is_valid():
        return _my_data_page(request, newsletter_form=form, status=400)
    subscriber_data.erase_for_user(request.user)
    messages.success(request, _("Your newsletter data has been deleted."))
    return redirect("privacy:my_data")
