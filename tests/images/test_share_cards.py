"""Share cards: every published article gets a 1200×627 card (the header image at its focal point,
or a typographic card), og:image and twitter:image carry it with its size, and its URL changes
when the card changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.storage import storages
from django.test import Client
from PIL import Image as PILImage

from podium.accounts import services as accounts_services
from podium.accounts.models import User
from podium.articles import services
from podium.articles.models import Article
from podium.images.models import Image
from tests.podium_helpers import ArticleBuilder

from .pictures import photo, upload

pytestmark = pytest.mark.django_db


def _card_size(article: Article) -> tuple[int, int]:
    with storages["default"].open(article.share_card) as stored, PILImage.open(stored) as opened:
        assert opened.format == "JPEG"
        return opened.size


def test_a_published_article_gets_a_share_card_in_its_page_head(
    make_article: ArticleBuilder,
    make_image: Callable[..., Image],
    contributor: User,
    anonymous_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    image = make_image()
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(contributor, Article.State.SUBMITTED)
        services.set_header_image(article=article, by=make_article.editor, image=image)
        services.publish_article(article=article, by=make_article.editor)
    article.refresh_from_db()
    assert article.share_card
    assert _card_size(article) == (1200, 627)
    page = anonymous_client.get(article.get_absolute_url()).content.decode()
    card_url = storages["default"].url(article.share_card)
    assert f'{card_url}">' in page and '<meta property="og:image" content="' in page
    assert '<meta property="og:image:width" content="1200">' in page
    assert '<meta property="og:image:height" content="627">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    assert 'name="twitter:image"' in page


def test_without_a_header_image_the_card_is_typographic_and_changes_with_the_title(
    make_article: ArticleBuilder,
    contributor: User,
    editor: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(contributor, Article.State.PUBLISHED)
    article.refresh_from_db()
    first = article.share_card
    assert first and _card_size(article) == (1200, 627)
    with django_capture_on_commit_callbacks(execute=True):
        services.edit_article(
            article=article,
            by=editor,
            text=make_article.text(title="Een heel andere titel voor dit stuk"),
            expected_version=article.version,
        )
    article.refresh_from_db()
    assert article.share_card and article.share_card != first
    assert not storages["default"].exists(first)  # the old card is gone, its URL with it


@pytest.mark.parametrize("change", ["photo", "organisation", "display_name", "no photo"])
def test_a_new_author_photo_name_or_organisation_draws_the_card_again_under_a_new_url(
    change: str,
    make_article: ArticleBuilder,
    contributor: User,
    anonymous_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        accounts_services.update_profile(
            user=contributor, by=contributor, data={"photo": upload(photo(300, 300), "ik.jpg")}
        )
        article = make_article(contributor, Article.State.PUBLISHED)
    article.refresh_from_db()
    first = article.share_card
    assert first
    data: dict[str, Any] = {
        "photo": {"photo": upload(photo(320, 320), "nieuw.jpg")},
        "organisation": {"organisation": "Een andere werkgever"},
        "display_name": {"display_name": "Anna van Dijk"},
        "no photo": {"photo": False},
    }[change]

    with django_capture_on_commit_callbacks(execute=True):
        accounts_services.update_profile(user=contributor, by=contributor, data=data)

    article.refresh_from_db()
    assert article.share_card and article.share_card != first
    assert not storages["default"].exists(first)
    page = anonymous_client.get(article.get_absolute_url()).content.decode()
    assert storages["default"].url(article.share_card) in page
