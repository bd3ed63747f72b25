"""Importeer uit Word of tekst: the pages under Activiteiten."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from podium.accounts.models import User
from podium.articles.models import Article
from tests.articles import import_samples as samples
from tests.podium_helpers import ArticleBuilder, nothing_written


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Iterator[None]:
    """Assert against the English source strings, whatever translations exist."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db


def _docx(name: str = "artikel.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, samples.full_article_docx())


def test_anonymous_visitors_are_sent_to_log_in(
    anonymous_client: Client, contributor: User, make_article: ArticleBuilder
) -> None:
    article = make_article(contributor)
    for url in (reverse("articles:import_new"), reverse("articles:import_into", args=[article.pk])):
        with nothing_written(article):
            for response in (
                anonymous_client.get(url),
                anonymous_client.post(url, {"text": "Titel\n\nLead."}),
            ):
                assert response.status_code == 302
                assert response["Location"].startswith(reverse("account_login"))


def test_the_dashboard_and_the_editor_offer_the_import(
    contributor_client: Client, contributor: User, make_article: ArticleBuilder
) -> None:
    article = make_article(contributor)

    dashboard = contributor_client.get(reverse("articles:dashboard")).content.decode()
    new = contributor_client.get(reverse("articles:create")).content.decode()
    edit = contributor_client.get(reverse("articles:edit", args=[article.pk])).content.decode()

    assert reverse("articles:import_new") in dashboard and "Import from Word or text" in dashboard
    assert reverse("articles:import_new") in new
    assert reverse("articles:import_into", args=[article.pk]) in edit


def test_the_upload_page_has_the_file_and_text_fields(contributor_client: Client) -> None:
    response = contributor_client.get(reverse("articles:import_new"))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in html
    assert 'type="file" name="file"' in html and 'accept=".docx,.txt,.md"' in html
    assert '<textarea name="text"' in html


def test_a_word_file_becomes_a_new_draft_with_the_summary_above_the_editor(
    contributor_client: Client, contributor: User
) -> None:
    response = contributor_client.post(reverse("articles:import_new"), {"file": _docx()})

    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("articles:edit", args=[article.pk])
    assert article.author == contributor and article.state == Article.State.DRAFT
    assert article.title == samples.TITLE and article.lead == samples.LEAD
    assert "<h2>Wat betekent dit voor uw team?</h2>" in article.body

    editor = contributor_client.get(response["Location"]).content.decode()
    assert "Your article has been imported." in editor
    assert "What was imported" in editor
    assert "3 subheadings" in editor and "2 lists" in editor
    assert "Removed: “Schrijf je in voor onze nieuwsbrief op example.org/nieuwsbrief”" in editor
    assert "Your profile already has an “Over de auteur” text; it was left as it is." in editor


def test_the_summary_disappears_once_the_draft_is_saved_again(
    contributor_client: Client, topics: list
) -> None:
    contributor_client.post(reverse("articles:import_new"), {"file": _docx()})
    article = Article.objects.get()

    contributor_client.post(
        reverse("articles:edit", args=[article.pk]),
        {
            "title": "Nieuw",
            "lead": "Lead.",
            "body": "<p>Tekst.</p>",
            "version": article.version,
            "save": "1",
        },
    )

    assert (
        "What was imported"
        not in contributor_client.get(reverse("articles:edit", args=[article.pk])).content.decode()
    )


def test_pasted_text_becomes_a_new_draft_and_fills_an_empty_bio(
    client_for: object, incomplete_contributor: User
) -> None:
    client = client_for(incomplete_contributor)  # type: ignore[operator]

    response = client.post(reverse("articles:import_new"), {"text": samples.WRAPPED_TXT})

    article = Article.objects.get()
    assert response.status_code == 302
    assert article.title == "Werk verandert sneller dan organisaties"
    incomplete_contributor.refresh_from_db()
    assert (
        incomplete_contributor.bio
        == "Anna de Vries is adviseur arbeidsmarkt bij Van Dijk & Partners."
    )
    editor = client.get(response["Location"]).content.decode()
    assert "The “Over de auteur” text is now your profile&#x27;s bio." in editor


def test_importing_into_a_draft_asks_first_and_changes_nothing_until_confirmed(
    contributor_client: Client, contributor: User, make_article: ArticleBuilder
) -> None:
    article = make_article(contributor)
    url = reverse("articles:import_into", args=[article.pk])

    with nothing_written(article):
        response = contributor_client.post(url, {"file": _docx()})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Replace the text?" in html
    assert "Title: “Werk verandert sneller dan organisaties”" in html and "3 subheadings" in html
    assert 'name="confirm"' in html and 'name="cancel"' in html
    assert contributor_client.session["podium_import_pending"]["article"] == article.pk


def test_confirming_replaces_the_text_from_the_session_without_a_new_upload(
    contributor_client: Client, contributor: User, make_article: ArticleBuilder
) -> None:
    article = make_article(contributor)
    url = reverse("articles:import_into", args=[article.pk])
    contributor_client.post(url, {"file": _docx()})

    response = contributor_client.post(url, {"confirm": "1"})

    assert response["Location"] == reverse("articles:edit", args=[article.pk])
    article.refresh_from_db()
    assert article.title == samples.TITLE
    assert article.body.startswith("<p>De arbeidsmarkt is <strong>krap</strong>")
    assert Article.objects.count() == 1
    assert "podium_import_pending" not in contributor_client.session
    assert "What was imported" in contributor_client.get(response["Location"]).content.decode()


def test_cancelling_keeps_the_draft_as_it_was(
    contributor_client: Client, contributor: User, make_article: ArticleBuilder
) -> None:
    article = make_article(contributor)
    url = reverse("articles:import_into", args=[article.pk])
    contributor_client.post(url, {"file": _docx()})

    with nothing_written(article):
        response = contributor_client.post(url, {"cancel": "1"})

    assert response["Location"] == reverse("articles:edit", args=[article.pk])
    assert "podium_import_pending" not in contributor_client.session


def test_a_draft_saved_elsewhere_after_the_upload_is_not_overwritten(
    contributor_client: Client, contributor: User, make_article: ArticleBuilder
) -> None:
    article = make_article(contributor)
    url = reverse("articles:import_into", args=[article.pk])
    contributor_client.post(url, {"file": _docx()})
    contributor_client.post(
        reverse("articles:autosave", args=[article.pk]),
        {"title": "Elders", "lead": "Lead.", "body": "<p>Nieuwer.</p>", "version": article.version},
    )
    article.refresh_from_db()

    with nothing_written(article):
        response = contributor_client.post(url, {"confirm": "1"}, follow=True)

    assert "changed in another window after you uploaded the file" in response.content.decode()


def test_confirming_without_a_waiting_import_changes_nothing(
    contributor_client: Client, contributor: User, make_article: ArticleBuilder
) -> None:
    article = make_article(contributor)
    url = reverse("articles:import_into", args=[article.pk])

    with nothing_written(article):
        response = contributor_client.post(url, {"confirm": "1"})

    assert response["Location"] == url


def test_an_import_waiting_for_one_draft_is_not_confirmed_into_another(
    contributor_client: Client, contributor: User, make_article: ArticleBuilder
) -> None:
    first, second = make_article(contributor), make_article(contributor)
    contributor_client.post(reverse("articles:import_into", args=[first.pk]), {"file": _docx()})

    with nothing_written(first, second):
        contributor_client.post(reverse("articles:import_into", args=[second.pk]), {"confirm": "1"})


def test_another_contributor_gets_404(
    other_client: Client, contributor: User, make_article: ArticleBuilder
) -> None:
    article = make_article(contributor)
    url = reverse("articles:import_into", args=[article.pk])

    with nothing_written(article):
        assert other_client.get(url).status_code == 404
        assert other_client.post(url, {"file": _docx()}).status_code == 404
        assert other_client.post(url, {"confirm": "1"}).status_code == 404


def test_a_submitted_article_sends_the_author_to_its_preview(
    contributor_client: Client, contributor: User, make_article: ArticleBuilder
) -> None:
    article = make_article(contributor, Article.State.SUBMITTED)
    url = reverse("articles:import_into", args=[article.pk])

    with nothing_written(article):
        response = contributor_client.post(url, {"file": _docx()})

    assert response["Location"] == reverse("articles:preview", args=[article.pk])
