from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import services
from .forms import ProfileForm
from .models import User


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
        request, "accounts/profile.html", {"form": form, "next": request.GET.get("next", "")}
    )
