"""What `articles` does when a lower app announces a change its articles show (core/hooks.py):
the search index is brought in line in the same transaction, so it never finds an article by a
name it no longer carries."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from django.core.files.storage import storages
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from podium.images.rendering import figure_image_ids

from . import lifecycle, search
from .models import Article, Revision


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


def pictures_in_texts() -> Iterator[int]:
    """The pictures the texts show, current and kept revisions alike (an orphan-picture keeper:
    the history of an article never shows a hole, and a draft's figure stays even before its
    relations are written)."""
    for model in (Article, Revision):
        bodies = model.objects.filter(body__contains="data-image=").values_list("body", flat=True)
        for body in bodies.iterator():
            yield from figure_image_ids(body)


def on_daily() -> dict[str, int]:
    """The daily upkeep: share cards of articles that no longer exist (deleted with an account)."""
    from podium.images.cleanup import ORPHAN_GRACE, sweep_folder

    known = set(Article.objects.exclude(share_card="").values_list("share_card", flat=True))
    removed = sweep_folder(
        storages["default"], "share", known=known, before=timezone.now() - ORPHAN_GRACE
    )
    return {"share_cards_removed": removed}


def on_daily_notifications() -> dict[str, int]:
    """The daily upkeep: the day's digests, and any batch whose task was lost on the way."""
    from .notifications import deliver_all_due

    return deliver_all_due()


def _refresh_share_cards(articles: QuerySet[Article]) -> None:
    from .tasks import make_share_card

    ids = list(articles.values_list("pk", flat=True)[:1000])
    transaction.on_commit(lambda: [make_share_card.enqueue(pk) for pk in ids])
