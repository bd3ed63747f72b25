"""Pictures in articles: the header image on the article page and the cards, figures in the text
(the sanitiser keeps exactly Podium's figure markup), and no publication while a picture lacks
alt text and the decorative mark."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from podium.accounts.models import User
from podium.articles import services
from podium.articles.models import Article
from podium.articles.sanitize import sanitize_html
from podium.images.models import Image
from podium.images.rendering import figure_markup
from tests.podium_helpers import BODY, ArticleBuilder, statement

from .conftest import stored_files
from .pictures import photo, upload

State = Article.State
pytestmark = pytest.mark.django_db


def _with_header(article: Article, image: Image, by: User) -> Article:
    return services.set_header_image(article=article, by=by, image=image)


# --- Header image ---------------------------------------------------------------------------------


def test_the_article_page_and_its_cards_show_the_header_image(
    make_article: ArticleBuilder,
    make_image: Callable[..., Image],
    contributor: User,
    anonymous_client: Client,
) -> None:
    image = make_image(caption="Het kantoor in Utrecht", credit="Anne de Vries")
    draft = make_article.draft(contributor)
    _with_header(draft, image, contributor)
    article = services.submit_article(article=draft, by=contributor, terms=statement())
    article = services.publish_article(article=article, by=make_article.editor)

    page = anonymous_client.get(article.get_absolute_url()).content.decode()
    assert '<figure class="article-picture"><picture class="pic pic-wide' in page
    assert 'fetchpriority="high"' in page  # the header image is above the fold: not lazy
    assert "Het kantoor in Utrecht" in page and "Anne de Vries" in page
    for url in (reverse("web:home"), article.topics.get().get_absolute_url()):
        listing = anonymous_client.get(url).content.decode()
        assert 'class="teaser-picture"' in listing, url
        assert 'srcset="' in listing and 'width="' in listing, url


def test_listings_with_header_images_need_no_extra_queries(
    make_article: ArticleBuilder,
    make_image: Callable[..., Image],
    contributor: User,
    anonymous_client: Client,
    django_assert_max_num_queries: Any,
) -> None:
    topic = make_article.topics[0]
    for _ in range(3):
        _with_header(
            make_article(contributor, State.PUBLISHED),
            make_image(),
            make_article.editor,
        )
    anonymous_client.get(topic.get_absolute_url())  # warm the per-process caches
    with django_assert_max_num_queries(12) as three:
        anonymous_client.get(topic.get_absolute_url())
    for _ in range(5):
        _with_header(make_article(contributor, State.PUBLISHED), make_image(), make_article.editor)
    with django_assert_max_num_queries(len(three.captured_queries)):
        response = anonymous_client.get(topic.get_absolute_url())
    assert response.content.decode().count('class="teaser-picture"') == 8


def test_another_contributor_cannot_set_a_header_image(
    make_article: ArticleBuilder,
    make_image: Callable[..., Image],
    contributor: User,
    other_contributor: User,
) -> None:
    article = make_article.draft(contributor)
    with pytest.raises(PermissionDenied):
        _with_header(article, make_image(by=other_contributor), other_contributor)
    article.refresh_from_db()
    assert article.header_image is None


def test_an_editor_can_replace_the_header_image_of_a_submission(
    make_article: ArticleBuilder,
    make_image: Callable[..., Image],
    contributor: User,
    editor: User,
) -> None:
    article = make_article(contributor, State.SUBMITTED)
    with pytest.raises(Exception):  # noqa: B017 - the author cannot once it is submitted
        _with_header(article, make_image(), contributor)
    replaced = _with_header(article, make_image(by=editor), editor)
    assert replaced.header_image is not None
    assert replaced.header_image.uploaded_by == editor


# --- Publishing needs a text alternative for every picture ----------------------------------------


def test_publishing_is_refused_while_a_picture_has_no_alt_text(
    make_article: ArticleBuilder,
    make_image: Callable[..., Image],
    contributor: User,
    editor: User,
) -> None:
    image = make_image(alt_text="")
    article = make_article(contributor, State.SUBMITTED)
    _with_header(article, image, editor)
    with pytest.raises(ValidationError) as refused:
        services.publish_article(article=article, by=editor)
    assert "geen alt-tekst" in refused.value.messages[0]
    article.refresh_from_db()
    assert article.state == State.SUBMITTED

    image.is_decorative = True
    image.save()
    assert services.publish_article(article=article, by=editor).state == State.PUBLISHED


def test_submitting_lists_a_figure_without_alt_text(
    make_article: ArticleBuilder, make_image: Callable[..., Image], contributor: User
) -> None:
    image = make_image(alt_text="", caption="Omzet per kwartaal")
    draft = make_article.draft(contributor, body=BODY + figure_markup(image))
    with pytest.raises(ValidationError) as refused:
        services.submit_article(article=draft, by=contributor, terms=statement())
    assert any("Omzet per kwartaal" in m for m in refused.value.messages)


def test_the_review_page_refuses_publication_with_a_dutch_message(
    make_article: ArticleBuilder,
    make_image: Callable[..., Image],
    contributor: User,
    editor: User,
    editor_client: Client,
) -> None:
    article = make_article(contributor, State.SUBMITTED)
    _with_header(article, make_image(alt_text=""), editor)
    response = editor_client.post(
        reverse("editorial:publish", args=[article.pk]), {"when": "now"}, follow=True
    )
    assert "geen alt-tekst" in response.content.decode()
    article.refresh_from_db()
    assert article.state == State.SUBMITTED


# --- Figures in the text --------------------------------------------------------------------------


def test_the_sanitiser_keeps_podiums_figure_and_drops_pictures_from_elsewhere(
    make_image: Callable[..., Image],
) -> None:
    image = make_image(caption="Omzet")
    ours = figure_markup(image)
    assert sanitize_html(ours) == ours
    hostile = [
        '<figure><img src="https://evil.example/x.png" alt="x" data-image="1"><figcaption>x</figcaption></figure>',
        '<img src="//evil.example/x.png">',
        f'<img src="{image.url}">',  # no picture id
        '<figure><img src="data:image/png;base64,AAAA" data-image="1"></figure>',
        f'<figure><img src="{image.url}" data-image="1 onerror=alert(1)"></figure>',
        f'<figure><img src="{image.url.replace("images/", "images/../")}" data-image="1"></figure>',
        f'<figure><img src="{image.url}" data-image="1" onerror="alert(1)" style="x"></figure>',
    ]
    for html in hostile:
        cleaned = sanitize_html(html)
        assert "evil" not in cleaned and "onerror" not in cleaned and "data:" not in cleaned, html
    assert "onerror" not in sanitize_html(hostile[-1])
    assert sanitize_html(hostile[-1]).startswith('<figure><img src="')


def test_a_figure_is_shown_as_a_picture_with_its_credit(
    make_article: ArticleBuilder,
    make_image: Callable[..., Image],
    contributor: User,
    anonymous_client: Client,
) -> None:
    image = make_image(caption="Omzet per kwartaal", credit="Podium-grafiek")
    article = make_article(contributor, State.PUBLISHED, body=BODY + figure_markup(image))
    assert list(article.figure_images.all()) == [image]
    page = anonymous_client.get(article.get_absolute_url()).content.decode()
    assert '<figure class="figure"><picture class="pic pic-full' in page
    assert 'loading="lazy"' in page
    assert "Omzet per kwartaal" in page and "Podium-grafiek" in page


def test_someone_elses_picture_cannot_be_slipped_into_a_text(
    make_article: ArticleBuilder,
    make_image: Callable[..., Image],
    contributor: User,
    other_contributor: User,
) -> None:
    theirs = make_image(by=other_contributor)
    article = make_article.draft(contributor, body=BODY + figure_markup(theirs))
    assert "<figure" not in article.body
    assert list(article.figure_images.all()) == []


def test_removing_a_figure_from_the_text_removes_it_from_the_article(
    make_article: ArticleBuilder, make_image: Callable[..., Image], contributor: User
) -> None:
    image = make_image()
    article = make_article.draft(contributor, body=BODY + figure_markup(image))
    assert article.figure_images.count() == 1
    services.save_draft(by=contributor, article=article, text=make_article.text(body=BODY))
    assert article.figure_images.count() == 0


# --- The header image page ------------------------------------------------------------------------


def test_the_author_uploads_a_header_image_through_the_page(
    make_article: ArticleBuilder,
    contributor: User,
    contributor_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    article = make_article.draft(contributor)
    url = reverse("articles:header_image", args=[article.pk])
    assert contributor_client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = contributor_client.post(
            url,
            {
                "file": upload(photo(1600, 1200)),
                "alt_text": "Twee mensen aan een vergadertafel",
                "caption": "Overleg",
                "credit": "Anne",
                "licence": "own",
            },
        )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.header_image is not None
    assert article.header_image.has_variants
    with django_capture_on_commit_callbacks(execute=True):
        response = contributor_client.post(
            reverse("articles:header_image_details", args=[article.pk]),
            {
                "alt_text": "Twee mensen aan een vergadertafel",
                "caption": "Overleg",
                "credit": "Anne",
                "licence": "own",
                "focal_x": "25",
                "focal_y": "75",
            },
        )
    assert response.status_code == 302
    article.header_image.refresh_from_db()
    assert (article.header_image.focal_x, article.header_image.focal_y) == (0.25, 0.75)


def test_a_refused_upload_keeps_what_was_typed_and_stores_nothing(
    make_article: ArticleBuilder, contributor: User, contributor_client: Client
) -> None:
    article = make_article.draft(contributor)
    response = contributor_client.post(
        reverse("articles:header_image", args=[article.pk]),
        {
            "file": upload(b"<svg onload=alert(1)></svg>", "logo.svg"),
            "alt_text": "Het logo van de vereniging",
            "licence": "stock",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "SVG-tekeningen" in page
    assert "Noem de beeldbank" in page
    assert "Het logo van de vereniging" in page
    assert Image.objects.count() == 0 and stored_files() == []


def test_a_picture_needs_alt_text_or_the_decorative_mark(
    make_article: ArticleBuilder, contributor: User, contributor_client: Client
) -> None:
    article = make_article.draft(contributor)
    response = contributor_client.post(
        reverse("articles:header_image", args=[article.pk]),
        {"file": upload(photo()), "alt_text": "", "licence": "own"},
    )
    assert response.status_code == 400
    assert "of geef aan dat ze decoratief is" in response.content.decode()
    assert Image.objects.count() == 0


def test_other_contributors_and_anonymous_visitors_cannot_reach_the_page(
    make_article: ArticleBuilder,
    contributor: User,
    other_client: Client,
    anonymous_client: Client,
    editor_client: Client,
) -> None:
    draft = make_article.draft(contributor)
    url = reverse("articles:header_image", args=[draft.pk])
    assert other_client.get(url).status_code == 404
    assert anonymous_client.get(url).status_code == 302
    assert editor_client.get(url).status_code == 404
    assert editor_client.get(reverse("editorial:header_image", args=[draft.pk])).status_code == 404
    submitted = make_article(contributor, State.SUBMITTED)
    # Editors reach someone else's article on the desk (behind its second factor) only.
    mine_url = reverse("articles:header_image", args=[submitted.pk])
    desk_url = reverse("editorial:header_image", args=[submitted.pk])
    assert editor_client.get(mine_url).status_code == 404
    assert editor_client.get(desk_url).status_code == 200
    assert other_client.get(desk_url).status_code == 403


def test_the_editor_uploads_a_figure_and_gets_its_markup(contributor_client: Client) -> None:
    response = contributor_client.post(
        reverse("articles:figure_upload"),
        {
            "figure-file": upload(photo()),
            "figure-alt_text": "Een staafdiagram",
            "figure-caption": "Groei",
            "figure-licence": "own",
        },
    )
    assert response.status_code == 200
    data = response.json()
    assert data["html"].startswith("<figure><img src=")
    assert f'data-image="{data["id"]}"' in data["html"]
    bad = contributor_client.post(
        reverse("articles:figure_upload"),
        {"figure-file": upload(b"nope"), "figure-alt_text": "x", "figure-licence": "own"},
    )
    assert bad.status_code == 400
    assert "geen afbeelding" in bad.json()["fields"]["file"][0]
