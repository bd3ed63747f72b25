"""Every picture of an article has a page for its alt text, credit and licence: where the picture
of a Word import without a description gets its alt text, so the article can be submitted."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from podium.accounts.models import User
from podium.articles import services
from podium.articles.importing import import_file
from podium.articles.models import Article
from podium.images.models import Image
from podium.topics.models import Topic
from tests.articles import import_samples as samples
from tests.podium_helpers import assert_inert, statement
from tests.web.test_xss import CORPUS, IDS, assert_plain

pytestmark = pytest.mark.django_db

ALT = "Staafdiagram: vacatures per sector in 2026, de zorg het hoogst"


def _imported_without_description(contributor: User, topics: list[Topic]) -> tuple[Article, Image]:
    result = import_file(
        "zonder.docx",
        samples.pictures_docx({"description": ""}, caption="Figuur 1: vacatures per sector"),
    )
    article = services.import_article(by=contributor, result=result)
    article.topics.set(topics[:1])
    return article, Image.objects.get(needs_alt_review=True)


def test_a_word_picture_without_description_gets_its_alt_text_from_the_editor_page(
    contributor: User, contributor_client: Client, topics: list[Topic]
) -> None:
    article, image = _imported_without_description(contributor, topics)
    editor_page = contributor_client.get(reverse("articles:edit", args=[article.pk])).content
    url = reverse("articles:picture_details", args=[article.pk, image.pk])
    assert url.encode() in editor_page
    assert "describe this picture before you submit" in editor_page.decode().lower() or (
        "beschrijf deze afbeelding" in editor_page.decode()
    )
    page = contributor_client.get(url)
    assert page.status_code == 200
    assert 'name="caption"' not in page.content.decode()  # a figure's caption is in the text

    response = contributor_client.post(url, {"alt_text": ALT, "licence": "own"})

    assert response.status_code == 302
    image.refresh_from_db()
    assert (image.alt_text, image.needs_alt_review) == (ALT, False)
    assert image.caption == "Figuur 1: vacatures per sector"
    services.submit_article(article=article, by=contributor, terms=statement())


def test_without_alt_text_or_decorative_mark_the_form_says_so(
    contributor: User, contributor_client: Client, topics: list[Topic]
) -> None:
    article, image = _imported_without_description(contributor, topics)
    url = reverse("articles:picture_details", args=[article.pk, image.pk])

    response = contributor_client.post(url, {"alt_text": " ", "licence": "own"})

    assert response.status_code == 400
    image.refresh_from_db()
    assert image.needs_alt_review and not image.alt_text


def test_an_editor_describes_a_picture_of_a_submission_on_the_desk(
    contributor: User,
    editor_client: Client,
    contributor_client: Client,
    topics: list[Topic],
    make_image: Any,
) -> None:
    article, image = _imported_without_description(contributor, topics)
    contributor_client.post(
        reverse("articles:picture_details", args=[article.pk, image.pk]),
        {"is_decorative": "on", "licence": "own"},
    )
    services.submit_article(article=article, by=contributor, terms=statement())
    url = reverse("editorial:picture_details", args=[article.pk, image.pk])
    review = editor_client.get(reverse("editorial:review", args=[article.pk])).content.decode()
    assert url in review

    response = editor_client.post(url, {"alt_text": ALT, "licence": "own", "credit": "CBS"})

    assert response.status_code == 302
    image.refresh_from_db()
    assert (image.alt_text, image.is_decorative, image.credit) == (ALT, False, "CBS")
    # The author may no longer change it: the article is with the editors.
    refused = contributor_client.post(
        reverse("articles:picture_details", args=[article.pk, image.pk]),
        {"alt_text": "Iets anders dan de redactie schreef", "licence": "own"},
    )
    assert refused.status_code == 302
    image.refresh_from_db()
    assert image.alt_text == ALT


def test_a_picture_of_another_article_is_not_found(
    contributor: User, contributor_client: Client, topics: list[Topic], make_image: Any
) -> None:
    article, _image = _imported_without_description(contributor, topics)
    elsewhere = make_image()

    response = contributor_client.get(
        reverse("articles:picture_details", args=[article.pk, elsewhere.pk])
    )

    assert response.status_code == 404


@pytest.mark.parametrize("payload", CORPUS, ids=IDS)
def test_the_xss_corpus_through_the_picture_details_form(
    payload: str, contributor: User, contributor_client: Client, topics: list[Topic]
) -> None:
    article, image = _imported_without_description(contributor, topics)
    url = reverse("articles:picture_details", args=[article.pk, image.pk])

    contributor_client.post(
        url,
        {
            "alt_text": f"Grafiek {payload}",
            "credit": f"Maker {payload}",
            "licence": "permission",
            "licence_detail": f"Van {payload}",
        },
    )

    image.refresh_from_db()
    for value in (image.alt_text, image.credit, image.licence_detail):
        assert_plain(value)
    assert_inert(contributor_client.get(url).content.decode())
    assert_inert(
        contributor_client.get(reverse("articles:edit", args=[article.pk])).content.decode()
    )


def test_thumbnails_beside_their_alt_text_are_not_read_twice(
    contributor: User, contributor_client: Client, topics: list[Topic]
) -> None:
    article, image = _imported_without_description(contributor, topics)
    contributor_client.post(
        reverse("articles:picture_details", args=[article.pk, image.pk]),
        {"alt_text": ALT, "licence": "own"},
    )

    page = contributor_client.get(reverse("articles:edit", args=[article.pk])).content.decode()

    section = page.split('class="figure-pictures"', 1)[1].split("</section>", 1)[0]
    assert 'alt=""' in section and f'alt="{ALT}"' not in section
    assert ALT[:40] in section  # the description, beside the picture
