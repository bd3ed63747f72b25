"""Every published article's share card (see `podium.images.sharecard`): made by a task after
publication, an editor's edit, a new header image or focal point, or a renamed author; stored in
the public media under a name that changes with the card, so og:image's URL changes too and
LinkedIn fetches the new card instead of showing its cached one."""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.core.files.storage import storages

from podium.images.sharecard import CardText, card_key, render_card

from . import lifecycle
from .models import Article

logger = logging.getLogger(__name__)


def _read(storage_name: str, storage_alias: str = "default") -> bytes | None:
    try:
        with storages[storage_alias].open(storage_name, "rb") as opened:
            return opened.read()
    except (OSError, ValueError):
        logger.warning("Share card: could not read %s", storage_name)
        return None


def make_share_card(article_id: int) -> bool:
    """Draw and store the card of a published article when what it shows changed. Returns False
    when there was nothing to do (not published, or the card is current)."""
    try:
        article = Article.objects.select_related("author", "header_image").get(pk=article_id)
    except Article.DoesNotExist:
        return False
    if article.state != Article.State.PUBLISHED:
        return False
    author = article.author
    text = CardText(
        title=article.title,
        author=author.display_name or "Podium",
        organisation=author.organisation,
    )
    photo_name = (author.photo.name or "") if author.photo else ""
    share_rows = (
        article.header_image.variant_set("share").get("jpeg") if article.header_image else None
    )
    picture_name = str(share_rows[-1][2]) if share_rows else ""
    key = card_key(text, photo=photo_name, picture=picture_name)
    name = f"share/{article.pk}/card-{key}.jpg"
    if article.share_card.startswith(f"share/{article.pk}/card-{key}"):
        return False
    content = render_card(
        text,
        picture=_read(picture_name) if picture_name else None,
        photo=_read(photo_name, "private") if photo_name else None,
    )
    storage = storages["default"]
    stored = storage.save(name, ContentFile(content))
    previous = article.share_card
    Article.objects.filter(pk=article.pk).update(share_card=stored)
    if previous and previous != stored:
        storage.delete(previous)
    lifecycle.readers_see_article_change()  # og:image points at the new card
    return True


def share_card_url(article: Article) -> str:
    return storages["default"].url(article.share_card) if article.share_card else ""
