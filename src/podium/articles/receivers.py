"""What `articles` does when a lower app announces a change its articles show (core/hooks.py):
the search index is brought in line in the same transaction, so it never finds an article by a
name it no longer carries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import Q

from podium.core import pagecache

from . import search
from .models import Article


def on_author_renamed(*, user_id: int) -> None:
    search.reindex_articles(
        Article.objects.filter(author_id=user_id, state=Article.State.PUBLISHED).values_list(
            "pk", flat=True
        )
    )


def on_topic_changed(*, topic_id: int, article_ids: Sequence[int] | None) -> None:
    ids: Iterable[int]
    if article_ids is not None:
        ids = article_ids
    else:
        ids = Article.topics.through.objects.filter(
            topic_id=topic_id, article__state=Article.State.PUBLISHED
        ).values_list("article_id", flat=True)
    search.reindex_articles(ids)


def on_image_changed(*, image_id: int) -> None:
    """A picture's texts, focal point or variants changed (announced after commit): readers see
    it when a published article shows the picture."""
    shown = Q(header_image_id=image_id) | Q(figure_images=image_id)
    if Article.objects.published().filter(shown).exists():
        pagecache.bump_on_commit()
