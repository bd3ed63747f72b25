from collections.abc import Callable
from functools import wraps
from typing import Any

from anymail import urls as anymail_urls
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, include, path

from podium.delivery.csrf import token_for_members_only

from . import views

app_name = "newsletter"


def _only_when_configured(
    provider: str, view: Callable[..., HttpResponse]
) -> Callable[..., HttpResponse]:
    """anymail mounts a webhook for every provider. Only the provider this site sends through
    (PODIUM_ESP, e.g. "mailgun") answers, and only with a webhook secret configured: an
    unauthenticated webhook would let anyone suppress subscribers with a forged bounce. The
    others, and a provider that is not fully set up, are a 404 (never a 500)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        anymail = getattr(settings, "ANYMAIL", {}) or {}
        if provider != settings.PODIUM_ESP or not anymail.get("WEBHOOK_SECRET"):
            raise Http404
        try:
            return view(request, *args, **kwargs)
        except (ImproperlyConfigured, ImportError):  # anymail's configuration errors are both
            raise Http404 from None

    return wrapper


_provider_webhooks = [
    URLPattern(
        p.pattern,
        _only_when_configured(str(p.pattern).split("/", 1)[0], p.callback),
        p.default_args,
        p.name,
    )
    for p in anymail_urls.urlpatterns
    if isinstance(p, URLPattern)
]

urlpatterns = [
    path(
        "", token_for_members_only(views.signup), name="signup"
    ),  # the footer form on cached pages
    path("bedankt/", views.signup_done, name="signup_done"),
    path("bevestigen/<str:token>/", views.confirm, name="confirm"),
    path("afmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("afmelden/<str:token>/opnieuw/", views.resubscribe, name="resubscribe"),
    path("mijn-gegevens/", views.my_data_request, name="my_data_request"),
    path("mijn-gegevens/verstuurd/", views.my_data_sent, name="my_data_sent"),
    path("mijn-gegevens/<str:token>/", views.my_data, name="my_data"),
    path("mijn-gegevens/<str:token>/download/", views.my_data_download, name="my_data_download"),
    path("mijn-gegevens/<str:token>/verwijderen/", views.my_data_erase, name="my_data_erase"),
    path(
        "mijn-gegevens/<str:token>/abonnement/",
        views.my_data_subscription,
        name="my_data_subscription",
    ),
    path("profiel/", views.profile_subscription, name="profile_subscription"),
    path("archief/", views.archive, name="archive"),
    path("archief/<int:pk>/", views.archive_edition, name="archive_edition"),
    # The provider's bounce and complaint webhooks (anymail checks the signature).
    path("esp/", include((_provider_webhooks, "anymail"))),
]
