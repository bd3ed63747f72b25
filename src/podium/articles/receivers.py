"""What `articles` does when a lower app announces a change its articles show (core/hooks.py):
the search index is brought in line in the same transaction, so it never finds an article by a
name it no longer carries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import transaction
from django.db.models import Q, QuerySet

from . import lifecycle, search
from .models import Article


def on_author_renamed(*, user_id: int) -> None:
    published = Article.objects.filter(author_id=user_id, state=Article.State.PUBLISHED)
    search.reindex_articles(published.values_list("pk", flat=True))


def on_author_byline_changed(*, user_id: int) -> None:
    """The card shows the author's name, organisation and photo: draw the cards again (under a
    new name, so LinkedIn and the others fetch the new one)."""
    _refresh_share_cards(Article.objects.filter(author_id=user_id, state=Article.State.PUBLISHED))


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
    it when a published article shows the picture, and a header image's share crop is the
    background of the article's share card."""
    shown = Q(header_image_id=image_id) | Q(figure_images=image_id)
    if Article.objects.published().filter(shown).exists():
        lifecycle.readers_see_article_change()
    _refresh_share_cards(
        Article.objects.filter(header_image_id=image_id, state=Article.State.PUBLISHED)
    )


def on_article_event(*, action: str, article_id: int, **_: object) -> None:
    """Published, or edited by the editors: the share card shows the title."""
    if action in ("publish", "auto_publish", "editor_edit"):
        _refresh_share_cards(Article.objects.filter(pk=article_id, state=Article.State.PUBLISHED))


def _refresh_share_cards(articles: QuerySet[Article]) -> None:
    from .tasks import make_share_card

    ids = list(articles.values_list("pk", flat=True)[:1000])
    transaction.on_commit(lambda: [make_share_card.enqueue(pk) for pk in ids])
