"""No lost edits: a save from the form that meets a newer version shows both versions and merges."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from podium.accounts.models import User
from podium.articles.models import Article
from podium.topics.models import Topic

from ..podium_helpers import ArticleBuilder, nothing_written

pytestmark = pytest.mark.django_db


def _form(topics: list[Topic], version: int, **overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Werk verandert sneller dan organisaties",
        "lead": "Wie vandaag talent zoekt, moet anders kijken naar werk.",
        "body": "<p>Teams die leren, winnen.</p>",
        "topics": [topics[0].pk],
        "version": version,
    }
    data.update(overrides)
    return data


@pytest.fixture
def stale(
    contributor: User, make_article: ArticleBuilder, contributor_client: Client, topics: list[Topic]
) -> Article:
    """A draft saved from a second window after the first one loaded version 1."""
    article = make_article.draft(contributor)
    contributor_client.post(
        reverse("articles:edit", args=[article.pk]),
        _form(
            topics,
            1,
            title="Titel uit het tweede venster",
            body="<p>Teams die leren, winnen altijd.</p>",
        ),
    )
    article.refresh_from_db()
    assert article.version == 2
    return article


def test_stale_author_save_shows_both_versions_and_writes_nothing(
    stale: Article, contributor_client: Client, topics: list[Topic]
) -> None:
    with nothing_written(stale):
        response = contributor_client.post(
            reverse("articles:edit", args=[stale.pk]),
            _form(
                topics,
                1,
                title="Titel uit het eerste venster",
                body="<p>Teams die wachten, verliezen.</p>",
            ),
        )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Titel uit het tweede venster" in html and "Titel uit het eerste venster" in html
    assert "<del>" in html and "<ins>" in html
    assert 'name="version" value="2"' in html


def test_merge_takes_mine_and_theirs_per_field(
    stale: Article, contributor_client: Client, topics: list[Topic]
) -> None:
    url = reverse("articles:edit", args=[stale.pk])
    response = contributor_client.post(
        url,
        {
            "merge": "1",
            "version": 2,
            "topics": [topics[0].pk],
            "title_mine": "Titel uit het eerste venster",
            "title_choice": "mine",
            "lead_mine": stale.lead,
            "lead_choice": "mine",
            "body_mine": "<p>Teams die wachten, verliezen.</p>",
            "body_choice": "theirs",
        },
    )
    assert response.status_code == 302
    stale.refresh_from_db()
    assert stale.title == "Titel uit het eerste venster"
    assert "winnen altijd" in stale.body
    assert stale.version == 3


def test_merge_with_an_edited_text(
    stale: Article, contributor_client: Client, topics: list[Topic]
) -> None:
    contributor_client.post(
        reverse("articles:edit", args=[stale.pk]),
        {
            "merge": "1",
            "version": 2,
            "topics": [topics[0].pk],
            "title_mine": stale.title,
            "title_choice": "theirs",
            "lead_mine": stale.lead,
            "lead_choice": "theirs",
            "body_mine": "<p>x</p>",
            "body_choice": "edited",
            "body_merged": "<p>Teams die leren, winnen altijd. Teams die wachten, verliezen.</p>",
        },
    )
    stale.refresh_from_db()
    assert "winnen altijd. Teams die wachten, verliezen." in stale.body
    assert stale.title == "Titel uit het tweede venster"


def test_a_merge_based_on_an_old_version_conflicts_again(
    stale: Article, contributor_client: Client, topics: list[Topic]
) -> None:
    with nothing_written(stale):
        response = contributor_client.post(
            reverse("articles:edit", args=[stale.pk]),
            {
                "merge": "1",
                "version": 1,
                "topics": [topics[0].pk],
                "title_mine": "Oud",
                "title_choice": "mine",
                "lead_mine": "x",
                "lead_choice": "mine",
                "body_mine": "<p>x</p>",
                "body_choice": "mine",
            },
        )
    assert response.status_code == 409


def test_other_contributor_cannot_merge_into_someone_elses_article(
    stale: Article, other_client: Client, topics: list[Topic]
) -> None:
    with nothing_written(stale):
        response = other_client.post(
            reverse("articles:edit", args=[stale.pk]),
            {
                "merge": "1",
                "version": 2,
                "topics": [topics[0].pk],
                "title_mine": "Kaping",
                "title_choice": "mine",
                "lead_mine": "x",
                "lead_choice": "mine",
                "body_mine": "<p>x</p>",
                "body_choice": "mine",
            },
        )
    assert response.status_code == 404


def test_editor_and_author_editing_at_once_get_the_conflict_page(
    contributor: User, make_article: ArticleBuilder, editor_client: Client, topics: list[Topic]
) -> None:
    article = make_article.submitted(contributor)
    loaded = article.version
    url = reverse("editorial:edit", args=[article.pk])
    first = editor_client.post(
        url, _form(topics, loaded, title="Eerste redactieslag", note="Titel ingekort.")
    )
    assert first.status_code == 302
    with nothing_written(article):
        second = editor_client.post(
            url, _form(topics, loaded, title="Tweede redactieslag", note="Andere titel.")
        )
    assert second.status_code == 409
    html = second.content.decode()
    assert "Eerste redactieslag" in html and "Tweede redactieslag" in html
    assert 'name="note" value="Andere titel."' in html
    article.refresh_from_db()
    merged = editor_client.post(
        url,
        {
            "merge": "1",
            "version": article.version,
            "topics": [topics[0].pk],
            "note": "Samengevoegd.",
            "title_mine": "Tweede redactieslag",
            "title_choice": "mine",
            "lead_mine": article.lead,
            "lead_choice": "mine",
            "body_mine": article.body,
            "body_choice": "theirs",
        },
    )
    assert merged.status_code == 302
    article.refresh_from_db()
    assert article.title == "Tweede redactieslag"
