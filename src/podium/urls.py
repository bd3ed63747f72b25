from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from podium.accounts import views as account_views
from podium.core.health import health
from podium.core.i18n import switch_language
from podium.delivery.csrf import token_for_members_only
from podium.security.views import serve_media

# The admin signs in through the site's sign-in (its limits and its second-factor step); Django's
# own admin sign-in form, which knows neither, is never served.
admin.site.login = account_views.admin_login  # type: ignore[method-assign]

urlpatterns = [
    path("gezondheid/", health, name="health"),  # for load balancers
    path("health/", health),
    path("beheer/", admin.site.urls),
    # allauth's credential forms, answered 429 when a limit refuses (podium.accounts.views).
    path("account/login/", account_views.login, name="account_login"),
    path("account/reauthenticate/", account_views.reauthenticate, name="account_reauthenticate"),
    path("account/2fa/authenticate/", account_views.mfa_authenticate, name="mfa_authenticate"),
    path(
        "account/2fa/reauthenticate/",
        account_views.mfa_reauthenticate,
        name="mfa_reauthenticate",
    ),
    # allauth.urls, with its second-factor pages' views loaded on first use (fido2, cryptography).
    path("account/", include("allauth.account.urls")),
    path("account/2fa/", include("podium.accounts.mfa_urls")),
    path("profiel/", include("podium.accounts.urls")),
    path("profiel/activiteiten/opmerkingen/", include("podium.annotations.urls")),
    path("profiel/activiteiten/", include("podium.articles.urls")),
    path("inzage/", include("podium.articles.reader_urls")),  # preview links: no account needed
    path("redactie/beste-van/", include("podium.bestof.urls")),
    path("redactie/nieuwsbrief/", include("podium.newsletter.desk_urls")),
    path("redactie/opmerkingen/", include("podium.annotations.desk_urls")),
    path("redactie/", include("podium.editorial.urls")),
    # Switched from the footer of cached public pages: see podium.delivery.csrf.
    path("i18n/setlang/", token_for_members_only(switch_language), name="set_language"),
    path("", include("podium.security.urls")),
    path("", include("podium.moderation.urls")),
    path("", include("podium.stats.urls")),
]
# What readers and search engines see has an address per language: Dutch as always, English
# under /en/ (podium.core.i18n). The desk, the profile and sign-in keep one address each.
urlpatterns += i18n_patterns(
    path("nieuwsbrief/", include("podium.newsletter.urls")),
    path("", include("podium.privacy.urls")),
    path("", include("podium.web.urls")),
    prefix_default_language=False,
)

if settings.SERVE_MEDIA:
    # The embedded set-up serves uploaded photos itself (never as a page: see serve_media);
    # behind nginx or S3 this is switched off.
    urlpatterns.append(re_path(r"^media/(?P<path>.*)$", serve_media))
