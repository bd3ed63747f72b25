"""The assistant on pictures: weak alt text and a missing credit are named on the review page,
which shows every picture with its alt text, credit and licence."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from podium.accounts.models import User
from podium.articles import services
from podium.articles.models import Article
from podium.images.checks import alt_text_problems
from podium.images.models import Image
from podium.images.rendering import figure_markup
from tests.podium_helpers import BODY, ArticleBuilder

pytestmark = pytest.mark.django_db


def _picture(**fields: object) -> Image:
    values: dict[str, object] = {"file": "x", "width": 1, "height": 1, "credit": "Anne"} | fields
    return Image(**values)


@pytest.mark.parametrize(
    ("alt", "remark"),
    [
        ("", "Geen alt-tekst"),
        ("IMG_4032.JPG", "bestandsnaam"),
        ("DSC01234", "bestandsnaam"),
        ("afbeelding", "zegt alleen dát er een afbeelding is"),
        ("Foto.", "zegt alleen dát er een afbeelding is"),
        ("Een boom", "erg kort"),
        ("x" * 251, "erg lang"),
    ],
)
def test_weak_alt_text_is_named(alt: str, remark: str) -> None:
    problems = alt_text_problems(_picture(alt_text=alt))
    assert any(remark in p for p in problems), problems


def test_good_alt_text_and_a_credit_raise_nothing() -> None:
    image = _picture(alt_text="Twee collega's overleggen aan een lange tafel")
    assert alt_text_problems(image) == []
    assert alt_text_problems(_picture(alt_text="", is_decorative=True)) == []


def test_a_missing_credit_is_named() -> None:
    problems = alt_text_problems(_picture(alt_text="Een grafiek van de omzet", credit=""))
    assert problems == ["Geen maker vermeld: wie heeft de afbeelding gemaakt?"]


def test_the_review_page_shows_every_picture_with_its_details_and_remarks(
    make_article: ArticleBuilder,
    make_image: Callable[..., Image],
    contributor: User,
    editor: User,
    editor_client: Client,
) -> None:
    figure = make_image(alt_text="IMG_0001.jpg", credit="", licence="stock", licence_detail="ANP")
    header = make_image(alt_text="Een vergaderzaal met tien lege stoelen", credit="Anne de Vries")
    article = make_article(contributor, Article.State.SUBMITTED, body=BODY + figure_markup(figure))
    services.set_header_image(article=article, by=editor, image=header)
    page = editor_client.get(reverse("editorial:review", args=[article.pk])).content.decode()
    assert "Een vergaderzaal met tien lege stoelen" in page and "Anne de Vries" in page
    assert "IMG_0001.jpg" in page and "bestandsnaam" in page
    assert "Afbeelding van een beeldbank: ANP" in page
    assert "Geen maker vermeld" in page
