"""The XSS corpus through a picture's alt text, caption and credit: stored without markup, and
every page that shows the picture (article, cards, the picture editor, the review) stays inert."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from podium.accounts.models import User
from podium.articles import services
from podium.articles.models import Article
from podium.images.models import Image
from podium.images.rendering import figure_markup
from tests.podium_helpers import BODY, ArticleBuilder, assert_inert
from tests.web.test_xss import CORPUS, IDS, assert_plain

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("payload", CORPUS, ids=IDS)
def test_picture_texts_store_no_markup_and_pages_stay_inert(
    payload: str,
    make_article: ArticleBuilder,
    make_image: Callable[..., Image],
    contributor: User,
    contributor_client: Client,
    editor_client: Client,
    anonymous_client: Client,
) -> None:
    image = make_image(
        alt_text=f"Een foto {payload}", caption=f"Bijschrift {payload}", credit=f"Maker {payload}"
    )
    for field in ("alt_text", "caption", "credit"):
        assert_plain(getattr(image, field))
    article = make_article(contributor, Article.State.SUBMITTED, body=BODY + figure_markup(image))
    services.set_header_image(article=article, by=make_article.editor, image=image)
    # As an old row or the Django admin could hold it: the raw payload in every text.
    Image.objects.filter(pk=image.pk).update(alt_text=payload, caption=payload, credit=payload)
    review = editor_client.get(reverse("editorial:review", args=[article.pk]))
    picture_page = editor_client.get(reverse("editorial:header_image", args=[article.pk]))
    article = services.publish_article(article=article, by=make_article.editor)
    pages = {
        "article": anonymous_client.get(article.get_absolute_url()),
        "home": anonymous_client.get(reverse("web:home")),
        "review": review,
        "picture editor": picture_page,
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert_inert(response.content.decode())
