from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import set_language

from podium.core.csrf import token_for_members_only
from podium.core.health import health
from podium.security.views import serve_media

urlpatterns = [
    path("gezondheid/", health, name="health"),  # for load balancers
    path("health/", health),
    path("beheer/", admin.site.urls),
    path("account/", include("allauth.urls")),
    path("profiel/", include("podium.accounts.urls")),
    path("profiel/activiteiten/", include("podium.articles.urls")),
    path("redactie/beste-van/", include("podium.bestof.urls")),
    path("redactie/nieuwsbrief/", include("podium.newsletter.desk_urls")),
    path("redactie/", include("podium.editorial.urls")),
    path("nieuwsbrief/", include("podium.newsletter.urls")),
    # Switched from the footer of cached public pages: see podium.core.csrf.
    path("i18n/setlang/", token_for_members_only(set_language), name="set_language"),
    path("", include("podium.security.urls")),
    path("", include("podium.moderation.urls")),
    path("", include("podium.privacy.urls")),
    path("", include("podium.stats.urls")),
    path("", include("podium.web.urls")),
]

if settings.SERVE_MEDIA:
    # The embedded set-up serves uploaded photos itself (never as a page: see serve_media);
    # behind nginx or S3 this is switched off.
    urlpatterns.append(re_path(r"^media/(?P<path>.*)$", serve_media))
