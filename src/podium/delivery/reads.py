"""Reads for public pages, kept by the delivery layer: the web views ask these as they would ask a
selector, and never see a cache, a generation or a size.

Everything here is kept under the page cache's generation of the request being served
(`pagecache.kept`), so it is computed once per change of what readers see, not once per request;
outside a request, or with the page cache off, it is simply computed. "Read more" is the
exception: its ids are kept for hours in a cache of their own (they change with new articles, not
with edits), and re-read as what is published now on every render."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.db.models import QuerySet

from podium.articles import related, search
from podium.articles.models import Article
from podium.articles.selectors import get_published_article

from . import pagecache

logger = logging.getLogger(__name__)

RELATED_KEY = "podium:related:v1:{pk}:{published}"


def published_article(slug: str) -> Article:
    """`get_published_article(slug)` (Http404 for anything not published), kept in this process's
    memory only: a model instance with its author's account is never pickled into the shared
    store. Any change readers could see starts a new generation, so the row is read once per
    generation in each process, not on every signed-in request."""
    return pagecache.kept(
        f"published-article:{slug}",
        lambda: get_published_article(slug, with_topics=False),
        shared=False,
        size=lambda found: len(found.body) + len(found.lead) + 4096,
    )


class Listing:
    """Published articles in their listing order, paged by Django's Paginator so that page 1,000
    costs about what page 1 does: the page's ids are taken in a subquery that only walks indexes
    (state + publication time, and for a topic the topic table's (article, topic) index), and
    only those rows are read; the rows skipped over are never loaded. The count, the same for
    every page of the listing, is kept under the generation, so it is counted once per change
    rather than once per page. `name` says which listing it is (one count per name)."""

    def __init__(self, queryset: QuerySet[Article], *, name: str) -> None:
        self.queryset = queryset.prefetch_related(None)
        self.name = name

    def count(self) -> int:
        return pagecache.kept(f"count:{self.name}", self.queryset.count)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: slice) -> list[Article]:
        if not isinstance(key, slice):
            raise TypeError("Listing only supports slicing")
        ordering = self.queryset.query.order_by
        ids = self.queryset.values("pk")[key]
        return list(Article.objects.filter(pk__in=ids).for_listing().order_by(*ordering))


def search_results(query: str, filters: search.Filters) -> search.SearchResults:
    """`search.search`, with the ordering and each page's snippets kept under the generation: the
    next page and the next reader with the same query cost one cache read."""
    return search.search(query, filters, keep=pagecache.kept)


def _related_cache() -> BaseCache:
    return caches[settings.PODIUM_RELATED_CACHE_ALIAS]


def _related_key(article: Article) -> str:
    # The publication time makes the key this publication's: an article published again (or,
    # in tests, a new article that reuses a rolled-back id) starts afresh.
    published = int(article.published_at.timestamp() * 1e6) if article.published_at else 0
    return RELATED_KEY.format(pk=article.pk, published=published)


def related_ids(article: Article) -> list[int]:
    """`related.related_article_ids(article)`, from the cache when it has them. A cache that is
    down costs the computation, never the page."""
    key = _related_key(article)
    try:
        ids = _related_cache().get(key)
    except Exception:
        logger.exception("Related articles: cache unavailable")
        return related.related_article_ids(article)
    if ids is None:
        ids = related.related_article_ids(article)
        try:
            _related_cache().set(key, ids, timeout=settings.PODIUM_RELATED_CACHE_SECONDS)
        except Exception:
            logger.exception("Related articles: could not store %s", key)
    return list(ids)


def related_articles(
    article: Article, *, limit: int = 3, with_own_topics: bool = False
) -> list[Article]:
    """Published articles a reader of `article` may want next ("Lees verder"), ready for teasers:
    the kept ids re-read as what is published now, so nothing taken down is ever shown. With
    `with_own_topics`, `article`'s own topics are read in the same query as theirs."""
    return related.live_articles(
        related_ids(article), limit=limit, topics_along=[article] if with_own_topics else []
    )
