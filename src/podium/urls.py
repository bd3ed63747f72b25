from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from podium.security.views import serve_media

urlpatterns = [
    path("beheer/", admin.site.urls),
    path("account/", include("allauth.urls")),
    path("profiel/", include("podium.accounts.urls")),
    path("profiel/activiteiten/", include("podium.articles.urls")),
    path("redactie/nieuwsbrief/", include("podium.newsletter.desk_urls")),
    path("redactie/beste-van/", include("podium.bestof.urls")),
    path("redactie/", include("podium.editorial.urls")),
    path("nieuwsbrief/", include("podium.newsletter.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("podium.security.urls")),
    path("", include("podium.stats.urls")),
    path("", include("podium.web.urls")),
]

if settings.SERVE_MEDIA:
    # The embedded set-up serves uploaded photos itself (never as a page: see serve_media);
    # behind nginx or S3 this is switched off.
    urlpatterns.append(re_path(r"^media/(?P<path>.*)$", serve_media))
