"""sitemap.xml: articles, topics and authors, each with the time it last changed for readers."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from podium.accounts.models import User
from podium.articles.models import Article, CoAuthor
from podium.topics.models import Topic


def _published(prefix: str = "") -> Q:
    return Q(
        **{f"{prefix}state": Article.State.PUBLISHED, f"{prefix}published_at__lte": timezone.now()}
    )


class _PodiumSitemap(Sitemap):
    """Absolute URLs come from SITE_URL, like the canonical links on the pages. Every page is
    listed in each language (Dutch at its old address, English under /en/), each entry naming
    the other as its alternate and the Dutch one as x-default, as the pages' own links do."""

    limit = 5_000  # two entries (nl, en) per page: at most 10,000 URLs a sitemap file
    i18n = True
    alternates = True
    x_default = True

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site: Any = None) -> str:
        return urlsplit(settings.SITE_URL).netloc


class ArticleSitemap(_PodiumSitemap):
    changefreq = "monthly"

    def items(self) -> QuerySet[Article]:
        return (
            Article.objects.filter(_published())
            .only("slug", "updated_at", "published_at")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, item: Article) -> datetime.datetime:
        return max(item.updated_at, item.published_at or item.updated_at)

    def get_latest_lastmod(self) -> datetime.datetime | None:
        latest = Article.objects.filter(_published()).aggregate(
            u=Max("updated_at"), p=Max("published_at")
        )
        return max((v for v in latest.values() if v), default=None)


class TopicSitemap(_PodiumSitemap):
    changefreq = "weekly"

    def items(self) -> QuerySet[Topic]:
        return (
            Topic.objects.annotate(
                last_published_at=Max("articles__published_at", filter=_published("articles__"))
            )
            .filter(last_published_at__isnull=False)
            .order_by("name")
        )

    def lastmod(self, item: Any) -> datetime.datetime:
        return item.last_published_at

    def get_latest_lastmod(self) -> datetime.datetime | None:
        return Article.objects.filter(_published()).aggregate(p=Max("published_at"))["p"]


class AuthorSitemap(_PodiumSitemap):
    changefreq = "weekly"

    def items(self) -> QuerySet[User]:
        return (
            User.objects.filter(is_active=True, slug__isnull=False)
            .annotate(
                own=Max("articles__published_at", filter=_published("articles__")),
                # Articles they co-wrote count as theirs: the author page lists them.
                cowritten=Max(
                    "coauthorships__article__published_at",
                    filter=_published("coauthorships__article__")
                    & Q(coauthorships__state=CoAuthor.State.ACCEPTED),
                ),
            )
            # Greatest() is NULL on SQLite when either is: each falls back on the other.
            .annotate(
                last_published_at=Greatest(
                    Coalesce("own", "cowritten"), Coalesce("cowritten", "own")
                )
            )
            .filter(last_published_at__isnull=False)
            .only("slug")
            .order_by("slug")
        )

    def lastmod(self, item: Any) -> datetime.datetime:
        return item.last_published_at

    def get_latest_lastmod(self) -> datetime.datetime | None:
        return Article.objects.filter(_published()).aggregate(p=Max("published_at"))["p"]


SITEMAPS = {"artikelen": ArticleSitemap, "onderwerpen": TopicSitemap, "auteurs": AuthorSitemap}
