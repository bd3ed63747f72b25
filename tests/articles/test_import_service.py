"""services.import_article: an imported text becomes a draft, or the new text of a draft."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from podium.accounts.models import User
from podium.articles import lifecycle, services
from podium.articles.importing import import_file, import_text
from podium.articles.models import Article
from podium.topics.models import Topic
from tests.articles import import_samples as samples
from tests.podium_helpers import ArticleBuilder, nothing_written


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Iterator[None]:
    """Assert against the English source strings, whatever translations exist."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db


def test_an_import_becomes_a_new_draft_of_the_contributor(contributor: User) -> None:
    result = import_file("artikel.docx", samples.full_article_docx())

    article = services.import_article(by=contributor, result=result)

    article.refresh_from_db()
    assert article.author == contributor
    assert article.state == Article.State.DRAFT
    assert (article.title, article.lead, article.body) == (
        result.title,
        result.lead,
        result.body_html,
    )
    assert article.word_count > 0
    assert Article.objects.count() == 1
    assert not article.revisions.exists() and not article.events.exists()


def test_the_bio_fills_an_empty_profile(incomplete_contributor: User) -> None:
    result = import_text("Titel\n\nDe lead.\n\nDe tekst.\n\nOver de auteur: Dirk is bestuurder.")

    services.import_article(by=incomplete_contributor, result=result)

    incomplete_contributor.refresh_from_db()
    assert incomplete_contributor.bio == "Dirk is bestuurder."


def test_the_bio_never_overwrites_the_profile(contributor: User) -> None:
    before = contributor.bio
    result = import_text("Titel\n\nDe lead.\n\nDe tekst.\n\nOver de auteur: Iets anders.")

    services.import_article(by=contributor, result=result)

    contributor.refresh_from_db()
    assert contributor.bio == before


def test_an_import_replaces_the_text_of_a_draft_and_keeps_its_topics(
    contributor: User, make_article: ArticleBuilder, topics: list[Topic]
) -> None:
    article = make_article(contributor)
    result = import_file("artikel.txt", samples.WRAPPED_TXT.encode())

    updated = services.import_article(
        by=contributor, result=result, article=article, expected_version=article.version
    )

    updated.refresh_from_db()
    assert updated.pk == article.pk
    assert (updated.title, updated.lead, updated.body) == (
        result.title,
        result.lead,
        result.body_html,
    )
    assert updated.version == article.version + 1
    assert list(updated.topics.all()) == topics[:1]


def test_without_a_recognised_title_or_lead_the_draft_keeps_its_own(
    contributor: User, make_article: ArticleBuilder
) -> None:
    article = make_article(contributor, title="Mijn eigen titel", lead="Mijn eigen lead.")
    result = import_file("zonder-titel.txt", samples.NO_TITLE_TXT.encode())
    result.lead = ""

    updated = services.import_article(by=contributor, result=result, article=article)

    assert (updated.title, updated.lead) == ("Mijn eigen titel", "Mijn eigen lead.")
    assert updated.body == result.body_html


def test_a_draft_changed_since_the_upload_is_not_overwritten(
    contributor: User, make_article: ArticleBuilder
) -> None:
    article = make_article(contributor)
    result = import_text("Titel\n\nDe lead.\n\nDe tekst.")

    with nothing_written(article), pytest.raises(services.StaleVersion):
        services.import_article(
            by=contributor, result=result, article=article, expected_version=article.version - 1
        )


def test_nobody_imports_into_someone_elses_draft(
    contributor: User, other_contributor: User, make_article: ArticleBuilder
) -> None:
    article = make_article(contributor)
    result = import_text("Titel\n\nDe lead.\n\nDe tekst.\n\nOver de auteur: Bram.")

    with nothing_written(article), pytest.raises(PermissionDenied):
        services.import_article(by=other_contributor, result=result, article=article)


def test_a_submitted_article_cannot_be_replaced_by_an_import(
    contributor: User, make_article: ArticleBuilder
) -> None:
    article = make_article(contributor, Article.State.SUBMITTED)
    result = import_text("Titel\n\nDe lead.\n\nDe tekst.")

    with nothing_written(article), pytest.raises(lifecycle.TransitionNotAllowed):
        services.import_article(by=contributor, result=result, article=article)


def test_a_refused_import_does_not_set_the_bio_either(
    incomplete_contributor: User, other_contributor: User, make_article: ArticleBuilder
) -> None:
    article = make_article(other_contributor)
    result = import_text("Titel\n\nDe lead.\n\nDe tekst.\n\nOver de auteur: Dirk.")

    with pytest.raises(PermissionDenied):
        services.import_article(by=incomplete_contributor, result=result, article=article)

    incomplete_contributor.refresh_from_db()
    assert incomplete_contributor.bio == ""
