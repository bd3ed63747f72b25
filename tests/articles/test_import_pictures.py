"""Word's embedded pictures come along with an import: each becomes a Podium picture through the
upload's checks, stands in the text as Podium's figure markup, and keeps Word's description as
its alt text; a picture without one is flagged and keeps the article from being published."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from podium.accounts.models import User
from podium.articles import services
from podium.articles.importing import import_file
from podium.articles.importing.result import PICTURE_MARKS
from podium.articles.models import Article
from podium.images import services as image_services
from podium.images.checks import alt_text_from_word
from podium.images.models import Image
from podium.images.rendering import figure_image_ids, figure_markup
from podium.topics.models import Topic
from tests.articles import import_samples as samples
from tests.images.conftest import stored_files
from tests.images.pictures import SVG_SCRIPT, photo, zip_bytes
from tests.podium_helpers import assert_inert, statement
from tests.web.test_xss import CORPUS, IDS, assert_plain

CHART = "Staafdiagram: vacatures per sector in 2026, de zorg het hoogst"


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def test_the_parser_keeps_each_picture_with_its_description_where_it_stood() -> None:
    result = import_file(
        "met-grafiek.docx",
        samples.pictures_docx(
            {"description": CHART}, caption="Figuur 1: vacatures per sector (bron: CBS)"
        ),
    )

    # A picture above the title does not hide the title or the lead.
    assert (result.title, result.lead) == (samples.TITLE, samples.LEAD)
    assert [p.description for p in result.pictures] == [
        "Een volle vergaderzaal met een spreker",
        CHART,
    ]
    assert result.pictures[1].caption == "Figuur 1: vacatures per sector (bron: CBS)"
    assert result.pictures[1].data.startswith(b"\x89PNG")
    assert result.body_html == (
        "<!--podium-picture:0--><p>Tekst voor de grafiek.</p>"
        "<!--podium-picture:1--><p>Tekst na de grafiek.</p>"
    )
    assert not any("removed" in note for note in result.notes)


def test_a_mark_in_the_documents_text_is_only_text() -> None:
    result = import_file(
        "slim.docx", samples.small_docx(body="Zie <!--podium-picture:0--> hieronder.")
    )

    assert not PICTURE_MARKS.search(result.body_html)
    assert "&lt;!--podium-picture:0--&gt;" in result.body_html


@pytest.mark.django_db
def test_the_word_import_keeps_a_picture_and_its_description(
    contributor: User, django_capture_on_commit_callbacks: Any
) -> None:
    result = import_file("met-grafiek.docx", samples.pictures_docx({"description": CHART}))

    with django_capture_on_commit_callbacks(execute=True):
        article = services.import_article(by=contributor, result=result)

    article.refresh_from_db()
    header_photo, chart = Image.objects.order_by("pk")
    assert chart.alt_text == CHART and not chart.needs_alt_review
    assert chart.uploaded_by == contributor and chart.width == 640 and chart.height == 360
    assert article.body == (
        f"{figure_markup(header_photo)}<p>Tekst voor de grafiek.</p>"
        f"{figure_markup(chart)}<p>Tekst na de grafiek.</p>"
    )
    assert figure_image_ids(article.body) == [header_photo.pk, chart.pk]
    assert set(article.figure_images.all()) == {header_photo, chart}
    assert services.picture_problems(article) == []
    # Stored like an upload: the re-encoded original and its variants, under the picture's folder.
    assert chart.has_variants
    folder = chart.file.split("/", 1)[1].rsplit("/", 1)[0]
    assert any(name.startswith(folder) for name in stored_files())


@pytest.mark.django_db
def test_an_empty_description_is_flagged_and_publishing_waits_for_alt_text(
    contributor: User, editor: User, topics: list[Topic]
) -> None:
    result = import_file(
        "zonder.docx", samples.pictures_docx({"description": ""}, {"description": "IMG_2041.JPG"})
    )
    result = services.store_imported_pictures(by=contributor, result=result)
    assert "2 pictures have no description in Word" in " ".join(result.summary())
    article = services.import_article(by=contributor, result=result)
    article.topics.set(topics[:1])

    empty, file_name = Image.objects.order_by("pk")[1:]
    assert (empty.alt_text, empty.needs_alt_review) == ("", True)
    assert (file_name.alt_text, file_name.needs_alt_review) == ("", True)
    with pytest.raises(ValidationError) as refused:
        services.submit_article(article=article, by=contributor, terms=statement())
    assert any("has no alt text" in message for message in refused.value.messages)

    image_services.update_image(
        image=empty, by=contributor, details=image_services.ImageDetails(alt_text=CHART)
    )
    image_services.update_image(
        image=file_name, by=contributor, details=image_services.ImageDetails(is_decorative=True)
    )
    services.submit_article(article=article, by=contributor, terms=statement())
    published = services.publish_article(article=article, by=editor)
    assert published.state == Article.State.PUBLISHED
    assert not Image.objects.filter(needs_alt_review=True).exists()


@pytest.mark.django_db
def test_a_trusted_contributors_import_does_not_go_live_without_alt_text(
    trusted_contributor: User, topics: list[Topic]
) -> None:
    result = import_file("zonder.docx", samples.pictures_docx({"description": ""}))
    article = services.import_article(by=trusted_contributor, result=result)
    article.topics.set(topics[:1])

    with pytest.raises(ValidationError):
        services.submit_article(article=article, by=trusted_contributor, terms=statement())
    article.refresh_from_db()
    assert article.state == Article.State.DRAFT


@pytest.mark.django_db
def test_words_decorative_mark_and_title_are_honoured(contributor: User) -> None:
    result = import_file(
        "versiering.docx",
        samples.pictures_docx(
            {"decorative": True, "description": "Lijn"}, {"title": "Kaart van Nederland"}
        ),
    )

    services.import_article(by=contributor, result=result)

    _header, ornament, titled = Image.objects.order_by("pk")
    assert ornament.is_decorative and ornament.alt == "" and not ornament.needs_alt_review
    assert titled.alt_text == "Kaart van Nederland"


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("", ("", True)),
        ("   ", ("", True)),
        ("Afbeelding1.png", ("", True)),
        ("DSC_0042", ("", True)),
        (
            "Afbeelding met tekst, schermopname Automatisch gegenereerde beschrijving",
            ("Afbeelding met tekst, schermopname", True),
        ),
        (
            "A picture containing chart Description automatically generated",
            ("A picture containing chart", True),
        ),
        ("Grafiek van de  werkloosheid\nin 2026", ("Grafiek van de werkloosheid in 2026", False)),
    ],
)
def test_alt_text_from_a_word_description(description: str, expected: tuple[str, bool]) -> None:
    assert alt_text_from_word(description) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (SVG_SCRIPT, "SVG drawings cannot be uploaded"),
        (photo(200, 100) + zip_bytes(), "contains something besides a picture"),
        (photo(200, 100)[:400], "incomplete or damaged"),
    ],
    ids=["svg", "polyglot", "truncated"],
)
def test_a_picture_the_upload_would_refuse_is_left_out_with_the_reason(
    contributor: User, data: bytes, reason: str
) -> None:
    result = import_file("slecht.docx", samples.pictures_docx({"description": CHART, "data": data}))

    stored = services.store_imported_pictures(by=contributor, result=result)

    assert Image.objects.count() == 1  # only the photo above the title
    assert stored.picture_count == 1
    assert not PICTURE_MARKS.search(stored.body_html)
    assert stored.body_html.count("<figure>") == 1
    assert any(reason in note for note in stored.notes)


@pytest.mark.django_db
def test_importing_into_a_draft_stores_the_pictures_before_the_confirmation(
    contributor: User, contributor_client: Client
) -> None:
    article = services.import_article(
        by=contributor, result=import_file("eerst.docx", samples.small_docx())
    )
    upload = samples.pictures_docx({"description": CHART})
    url = reverse("articles:import_into", args=[article.pk])
    page = contributor_client.post(url, {"file": SimpleUploadedFile("met.docx", upload)})
    assert page.status_code == 200
    assert "2 pictures imported" in page.content.decode()
    assert Image.objects.count() == 2

    contributor_client.post(url, {"confirm": "1"})

    article.refresh_from_db()
    assert figure_image_ids(article.body) == list(
        Image.objects.order_by("pk").values_list("pk", flat=True)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("payload", CORPUS, ids=IDS)
def test_the_xss_corpus_through_a_word_description_and_caption(
    payload: str, contributor: User
) -> None:
    result = import_file(
        "xss.docx",
        samples.pictures_docx(
            {"description": f"Grafiek {payload}", "title": payload}, caption=f"Figuur {payload}"
        ),
    )

    article = services.import_article(by=contributor, result=result)

    chart = Image.objects.order_by("pk").last()
    assert chart is not None
    assert_plain(chart.alt_text)
    assert_plain(chart.caption)
    article.refresh_from_db()
    assert_inert(article.body)
