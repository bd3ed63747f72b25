from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from http import HTTPStatus
from typing import Any, cast
from urllib.parse import urlencode

from allauth.account import views as account_views
from allauth.account.forms import ResetPasswordForm
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from podium.core.lazyviews import lazy_view

from . import services
from .forms import NotificationForm, ProfileForm
from .models import User

# The form errors of allauth's limits on credentials (wrong passwords or codes, per client
# address and per account) and of Podium's slow-down (podium.accounts.adapter).
RATE_LIMIT_ERRORS = {"too_many_login_attempts", "login_slowed"}


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # login_required: a signed-in User
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, instance=user)
        if form.is_valid():
            services.update_profile(
                user=user,
                by=user,
                data=form.cleaned_data,
                expertise=form.cleaned_data["expertise"],
            )
            messages.success(request, _("Your profile has been saved."))
            next_url = request.POST.get("next", "")
            if next_url and url_has_allowed_host_and_scheme(
                next_url, allowed_hosts={request.get_host()}
            ):
                return redirect(next_url)
            return redirect("accounts:profile")
        user.refresh_from_db()  # the form's failed clean must not leave half-changed state on request.user
    else:
        form = ProfileForm(instance=user)
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "next": request.GET.get("next", ""),
            "notification_form": NotificationForm(
                initial={"notify": user.notify, "email_language": user.email_language}
            ),
        },
    )


@login_required
@require_POST
def notifications(request: HttpRequest) -> HttpResponse:
    """The member's choice of how often they hear of messages, and in which language."""
    user = cast(User, request.user)
    form = NotificationForm(request.POST)
    if form.is_valid():
        services.set_notification_preferences(user=user, by=user, **form.cleaned_data)
        messages.success(request, _("Your e-mail settings have been saved."))
    else:
        messages.error(request, _("Choose one of the options."))
    return redirect("accounts:profile")


# --- Credential forms: allauth's views, answered 429 when a limit refuses ----------------------


def too_many_attempts_is_429(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """allauth shows a refused attempt (too many wrong passwords or codes) as an error on the
    form, with status 200; this answers it 429 Too Many Requests, on the same page, with the
    same Dutch message and what the person typed."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        context = getattr(response, "context_data", None) or {}
        if request.method == "POST" and response.status_code == HTTPStatus.OK:
            codes = {
                error.code
                for form in (context.get("form"), context.get("webauthn_form"))
                if form is not None and form.is_bound
                for errors in form.errors.as_data().values()
                for error in errors
            }
            if codes & RATE_LIMIT_ERRORS:
                response.status_code = HTTPStatus.TOO_MANY_REQUESTS
        return response

    return wrapped


login = too_many_attempts_is_429(account_views.login)
reauthenticate = too_many_attempts_is_429(account_views.reauthenticate)
# allauth.mfa.base.views imports fido2 and cryptography: loaded on the first second-factor step.
mfa_authenticate = too_many_attempts_is_429(lazy_view("allauth.mfa.base.views.authenticate"))
mfa_reauthenticate = too_many_attempts_is_429(lazy_view("allauth.mfa.base.views.reauthenticate"))


def admin_login(request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
    """The admin's sign-in is the site's (AdminSite.login is replaced in podium/urls.py): the
    same form, limits and second-factor step. A password posted here goes to that form too."""
    if request.user.is_authenticated:
        if not request.user.is_staff:
            raise PermissionDenied
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if next_url and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}
        ):
            return redirect(next_url)
        return redirect("admin:index")
    if request.method == "POST":
        return login(request)
    next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
    return redirect(reverse("account_login") + "?" + urlencode({REDIRECT_FIELD_NAME: next_url}))


# --- Undoing an e-mail change (the link in the notice to the old address) ----------------------


@require_http_methods(["GET", "POST"])
def undo_email_change(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm (a mail scanner that follows links changes nothing); POST restores
    the old address, signs out every session and sends a link to choose a new password."""
    try:
        change = services.email_change_for_undo(token=token)
    except services.UndoRefused as refused:
        return render(
            request,
            "accounts/undo_email_change.html",
            {"error": refused.message},
            status=HTTPStatus.BAD_REQUEST,
        )
    if request.method == "GET":
        return render(request, "accounts/undo_email_change.html", {"change": change})
    try:
        user = services.undo_email_change(token=token)
    except services.UndoRefused as refused:
        return render(
            request,
            "accounts/undo_email_change.html",
            {"error": refused.message},
            status=HTTPStatus.CONFLICT,
        )
    # This browser's session was one of those ended; start it afresh rather than save it.
    logout(request)
    reset = ResetPasswordForm(data={"email": user.email})
    if reset.is_valid():
        reset.save(request)
    return render(request, "accounts/undo_email_change.html", {"undone": user.email})
