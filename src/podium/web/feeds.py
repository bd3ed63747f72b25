"""RSS and Atom feeds: all articles, per topic and per author. Each item carries the full lead
and a link; the article itself is read on the site."""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.translation import gettext as _

from podium.accounts.models import User
from podium.articles.models import Article
from podium.articles.selectors import has_published, published_by_author, published_in_topic
from podium.topics.models import Topic

from .xml import xml_text

FEED_SIZE = 30


class LatestArticlesFeed(Feed):
    feed_type: type[SyndicationFeed] = Rss201rev2Feed

    def title(self, obj: Any = None) -> str:
        return _("Podium: the latest articles")

    def link(self, obj: Any = None) -> str:
        return reverse("web:articles")

    def description(self, obj: Any = None) -> str:
        return _("Professionals write about developments in their field.")

    def articles(self, obj: Any) -> QuerySet[Article]:
        return Article.objects.published().for_listing().newest_first()

    def items(self, obj: Any = None) -> list[Article]:
        return list(self.articles(obj)[:FEED_SIZE])

    def item_title(self, item: Article) -> str:
        return xml_text(item.title)

    def item_description(self, item: Article) -> str:
        return xml_text(item.lead)

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Article) -> Any:
        return item.published_at

    def item_updateddate(self, item: Article) -> Any:
        return max(item.updated_at, item.published_at) if item.published_at else item.updated_at

    def item_author_name(self, item: Article) -> str:
        return xml_text(item.byline_text)

    def item_author_link(self, item: Article) -> str | None:
        return item.author.get_absolute_url() or None

    def item_categories(self, item: Article) -> list[str]:
        return [xml_text(t.label) for t in item.card_topics]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: Any = None) -> str:
        return self.description(obj)


class TopicFeed(LatestArticlesFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Topic:  # type: ignore[override]
        return get_object_or_404(Topic, slug=slug)

    def title(self, obj: Any = None) -> str:
        return xml_text(_("Podium: %(topic)s") % {"topic": obj.label})

    def link(self, obj: Any = None) -> str:
        return obj.get_absolute_url()

    def description(self, obj: Any = None) -> str:
        return xml_text(
            obj.label_description or _("The latest articles on %(topic)s.") % {"topic": obj.label}
        )

    def articles(self, obj: Any) -> QuerySet[Article]:
        return published_in_topic(obj.pk)


class TopicAtomFeed(TopicFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: Any = None) -> str:
        return self.description(obj)


class AuthorFeed(LatestArticlesFeed):
    def get_object(self, request: HttpRequest, slug: str) -> User:  # type: ignore[override]
        author = User.objects.filter(slug=slug, is_active=True).first()
        if author is None or not has_published(author):
            raise Http404
        return author

    def title(self, obj: Any = None) -> str:
        return xml_text(_("Podium: articles by %(name)s") % {"name": obj.display_name})

    def link(self, obj: Any = None) -> str:
        return obj.get_absolute_url()

    def description(self, obj: Any = None) -> str:
        return xml_text(obj.byline or obj.display_name)

    def articles(self, obj: Any) -> QuerySet[Article]:
        return published_by_author(obj)


class AuthorAtomFeed(AuthorFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: Any = None) -> str:
        return self.description(obj)
