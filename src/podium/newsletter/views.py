"""Public newsletter pages: sign-up, confirmation, unsubscribe, profile switch, archive, and a
subscriber's own data (the link by e-mail, export and deletion)."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from podium.accounts.http import SignedInRequest
from podium.core.clientip import client_ip
from podium.core.downloads import download

from . import conf, selectors, services, subscriber_data, tokens
from .forms import DataRequestForm, EraseSubscriberForm, SignupForm
from .models import Subscriber

DataLinkView = Callable[[HttpRequest, str, Subscriber], HttpResponse]


def _client_address(request: HttpRequest) -> str:
    return client_ip(request)


def _over_signup_limit(request: HttpRequest, kind: str = "signup") -> bool:
    """Count sign-ups (or requests for a data link) per client address in the cache; True once
    the limit is passed."""
    limit, window = conf.signup_limit()
    key = f"newsletter:{kind}:{_client_address(request)}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None, initial={"source": Subscriber.Source.PAGE})
    if request.method == "POST":
        if form.is_valid():
            if _over_signup_limit(request):
                form.add_error(
                    None,
                    _(
                        "Too many sign-ups from your connection. Please try again in an hour; your address is still filled in below."
                    ),
                )
                return render(
                    request,
                    "newsletter/signup.html",
                    {"form": form, "data_form": DataRequestForm()},
                    status=429,
                )
            services.subscribe(
                email=form.cleaned_data["email"],
                source=form.cleaned_data["source"],
                consent_text=str(services.CONSENT_TEXT),
            )
            # The same answer whether the address was new, pending or already confirmed.
            return redirect("newsletter:signup_done")
        return render(
            request,
            "newsletter/signup.html",
            {"form": form, "data_form": DataRequestForm()},
            status=400,
        )
    return render(request, "newsletter/signup.html", {"form": form, "data_form": DataRequestForm()})


@require_GET
def signup_done(request: HttpRequest) -> HttpResponse:
    return render(request, "newsletter/signup_done.html")


def _bad_token(request: HttpRequest, exc: tokens.BadToken, purpose: str) -> HttpResponse:
    return render(
        request,
        "newsletter/bad_link.html",
        {
            "expired": exc.expired,
            "purpose": purpose,
            "form": DataRequestForm() if purpose == "data" else SignupForm(),
            "valid_hours": conf.data_link_max_age() // 3600,
        },
        status=400,
    )


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    # A GET only shows the button: mail scanners follow links, and must not confirm for anyone.
    try:
        tokens.read_confirm_token(token)
        if request.method == "POST":
            subscriber = services.confirm(token=token)
            return render(request, "newsletter/confirmed.html", {"subscriber": subscriber})
    except tokens.BadToken as exc:
        return _bad_token(request, exc, "confirm")
    return render(request, "newsletter/confirm.html", {"token": token})


@csrf_exempt  # RFC 8058: mail programs POST "List-Unsubscribe=One-Click" without cookies.
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscriber = services.subscriber_for_unsubscribe_token(token)
    except tokens.BadToken as exc:
        return _bad_token(request, exc, "unsubscribe")
    if request.method == "POST":
        subscriber = services.unsubscribe(subscriber=subscriber)
        return render(
            request, "newsletter/unsubscribed.html", {"subscriber": subscriber, "token": token}
        )
    return render(
        request, "newsletter/unsubscribe.html", {"subscriber": subscriber, "token": token}
    )


@require_POST
def resubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscriber = services.subscriber_for_unsubscribe_token(token)
    except tokens.BadToken as exc:
        return _bad_token(request, exc, "unsubscribe")
    services.resubscribe(subscriber=subscriber, consent_text=str(services.RESUBSCRIBE_TEXT))
    return render(request, "newsletter/resubscribed.html", {"subscriber": subscriber})


@login_required
@require_POST
def profile_subscription(request: SignedInRequest) -> HttpResponse:
    if request.POST.get("action") == "subscribe":
        services.subscribe_user(by=request.user, consent_text=str(services.CONSENT_TEXT))
        messages.success(request, _("You are subscribed to the newsletter."))
    else:
        services.unsubscribe_user(by=request.user)
        messages.success(request, _("You will no longer receive the newsletter."))
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("accounts:profile")


@require_GET
def archive(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.archive(), 20).get_page(request.GET.get("pagina"))
    return render(request, "newsletter/archive.html", {"page": page, "editions": page.object_list})


@require_GET
def archive_edition(request: HttpRequest, pk: int) -> HttpResponse:
    edition = selectors.get_archived_edition(pk)
    return render(
        request,
        "newsletter/archive_edition.html",
        {"edition": edition, "items": selectors.archived_items(edition)},
    )


# --- A subscriber's own data ("Mijn nieuwsbriefgegevens") -------------------------------------


@require_http_methods(["GET", "POST"])
def my_data_request(request: HttpRequest) -> HttpResponse:
    """Ask for the personal link. The same answer whether or not the address is known."""
    form = DataRequestForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "newsletter/my_data_request.html", {"form": form}, status=400)
        if _over_signup_limit(request, "data"):
            form.add_error(
                None,
                _(
                    "Too many requests from your connection. Please try again in an hour; your address is still filled in below."
                ),
            )
            return render(request, "newsletter/my_data_request.html", {"form": form}, status=429)
        subscriber_data.request_data_link(email=form.cleaned_data["email"])
        return redirect("newsletter:my_data_sent")
    return render(request, "newsletter/my_data_request.html", {"form": form})


@require_GET
def my_data_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request, "newsletter/my_data_sent.html", {"valid_hours": conf.data_link_max_age() // 3600}
    )


def _data_page(
    request: HttpRequest, token: str, subscriber: Subscriber, form: EraseSubscriberForm, status: int
) -> HttpResponse:
    return render(
        request,
        "newsletter/my_data.html",
        {
            "token": token,
            "subscriber": subscriber,
            "form": form,
            "deliveries": subscriber.deliveries.count(),
        },
        status=status,
    )


def _data_link_view(view: DataLinkView) -> Callable[[HttpRequest, str], HttpResponse]:
    """The views behind the personal data link get the subscriber its token names; a bad or
    expired token gets the bad-link page before the view runs."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, token: str) -> HttpResponse:
        try:
            subscriber = subscriber_data.subscriber_for_data_token(token)
        except tokens.BadToken as exc:
            return _bad_token(request, exc, "data")
        return view(request, token, subscriber)

    return wrapper


@never_cache
@require_GET
@_data_link_view
def my_data(request: HttpRequest, token: str, subscriber: Subscriber) -> HttpResponse:
    """The page behind the personal link. A GET only shows it: both actions are POSTs."""
    return _data_page(request, token, subscriber, EraseSubscriberForm(), 200)


@never_cache
@require_POST
@_data_link_view
def my_data_download(request: HttpRequest, token: str, subscriber: Subscriber) -> HttpResponse:
    return download(
        subscriber_data.export_json(subscriber),
        subscriber_data.download_name(),
        "application/json; charset=utf-8",
    )


@never_cache
@require_POST
@_data_link_view
def my_data_subscription(request: HttpRequest, token: str, subscriber: Subscriber) -> HttpResponse:
    """Stop or restart the editions from the personal link (which proves the address)."""
    if request.POST.get("action") == "resubscribe":
        services.resubscribe(subscriber=subscriber, consent_text=str(services.RESUBSCRIBE_TEXT))
        messages.success(request, _("You will receive the newsletter again."))
    else:
        services.unsubscribe(subscriber=subscriber)
        messages.success(request, _("You are unsubscribed: no more editions go to this address."))
    return redirect("newsletter:my_data", token=token)


@never_cache
@require_POST
@_data_link_view
def my_data_erase(request: HttpRequest, token: str, subscriber: Subscriber) -> HttpResponse:
    form = EraseSubscriberForm(request.POST)
    if not form.is_valid():
        return _data_page(request, token, subscriber, form, 400)
    subscriber_data.erase(subscriber)
    return render(request, "newsletter/my_data_erased.html")
