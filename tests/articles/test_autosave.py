"""Autosave: the safety net while the author types. It never overwrites newer work."""

from __future__ import annotations

from typing import Any

import pytest
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from podium.accounts.models import User
from podium.articles import rules as article_rules
from podium.articles.models import Article
from podium.topics.models import Topic
from tests.podium_helpers import ArticleBuilder, nothing_written

State = Article.State

pytestmark = pytest.mark.django_db


def _data(topics: list[Topic], **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Een titel in wording",
        "lead": "Een lead.",
        "body": "<p>Eerste zinnen van het stuk.</p>",
        "topics": [topics[0].pk],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_autosave_creates_a_draft(
    contributor_client: Client, contributor: User, topics: list[Topic]
) -> None:
    response = contributor_client.post(reverse("articles:autosave_new"), _data(topics))
    assert response.status_code == 200
    payload = response.json()
    article = Article.objects.get(pk=payload["id"])
    assert article.author == contributor
    assert article.state == State.DRAFT
    assert article.title == "Een titel in wording"
    assert list(article.topics.all()) == [topics[0]]
    assert payload["version"] == article.version == 1
    assert payload["edit_url"] == reverse("articles:edit", args=[article.pk])
    assert payload["autosave_url"] == reverse("articles:autosave", args=[article.pk])
    assert payload["words"] == article.word_count == 5  # "Eerste zinnen van het stuk"


def test_autosave_saves_and_bumps_the_version(
    contributor_client: Client, make_article: ArticleBuilder, contributor: User, topics: list[Topic]
) -> None:
    article = make_article.draft(contributor)
    response = contributor_client.post(
        reverse("articles:autosave", args=[article.pk]),
        _data(topics, title="Beter", version=article.version),
    )
    assert response.status_code == 200
    assert response.json()["version"] == article.version + 1
    article.refresh_from_db()
    assert article.title == "Beter"
    assert article.version == 2


def test_autosave_refuses_a_stale_version_with_409_and_changes_nothing(
    contributor_client: Client, make_article: ArticleBuilder, contributor: User, topics: list[Topic]
) -> None:
    article = make_article.draft(contributor)
    contributor_client.post(
        reverse("articles:autosave", args=[article.pk]),
        _data(topics, title="Uit tab een", version=1),
    )
    with nothing_written(article):
        response = contributor_client.post(
            reverse("articles:autosave", args=[article.pk]),
            _data(topics, title="Uit tab twee", version=1),
        )
    assert response.status_code == 409
    assert response.json()["version"] == 2
    assert Article.objects.get(pk=article.pk).title == "Uit tab een"


def test_autosave_refuses_someone_elses_article_with_404(
    other_client: Client, make_article: ArticleBuilder, contributor: User, topics: list[Topic]
) -> None:
    article = make_article.draft(contributor)
    with nothing_written(article):
        response = other_client.post(
            reverse("articles:autosave", args=[article.pk]),
            _data(topics, title="Gekaapt", version=1),
        )
    assert response.status_code == 404


@pytest.mark.parametrize("state", [State.SUBMITTED, State.PUBLISHED, State.REJECTED, State.OFFLINE])
def test_autosave_refuses_articles_the_author_cannot_edit(
    state: str,
    contributor_client: Client,
    make_article: ArticleBuilder,
    contributor: User,
    topics: list[Topic],
) -> None:
    article = make_article(contributor, state)
    with nothing_written(article):
        response = contributor_client.post(
            reverse("articles:autosave", args=[article.pk]),
            _data(topics, title="Stiekem", version=article.version),
        )
    assert response.status_code == 409
    assert "error" in response.json()


def test_autosave_of_a_piece_with_requested_changes_is_allowed(
    contributor_client: Client, make_article: ArticleBuilder, contributor: User, topics: list[Topic]
) -> None:
    article = make_article(contributor, State.CHANGES_REQUESTED)
    response = contributor_client.post(
        reverse("articles:autosave", args=[article.pk]),
        _data(topics, title="Herschreven", version=article.version),
    )
    assert response.status_code == 200
    article.refresh_from_db()
    assert (article.title, article.state) == ("Herschreven", State.CHANGES_REQUESTED)


def test_autosave_keeps_text_over_the_limit(
    monkeypatch: pytest.MonkeyPatch, contributor_client: Client, topics: list[Topic], settings: Any
) -> None:
    monkeypatch.setattr(article_rules, "BODY_MAX_CHARS", 100)
    body = "<p>" + "woord " * 40 + "</p>"
    response = contributor_client.post(reverse("articles:autosave_new"), _data(topics, body=body))
    assert response.status_code == 200
    assert response.json()["chars"] > 100


def test_autosave_refuses_more_than_three_topics_with_400(
    contributor_client: Client, topics: list[Topic]
) -> None:
    with nothing_written():
        response = contributor_client.post(
            reverse("articles:autosave_new"), {**_data(topics), "topics": [t.pk for t in topics]}
        )
    assert response.status_code == 400
    assert "topics" in response.json()["fields"]


def test_autosave_for_anonymous_redirects_to_login_and_writes_nothing(
    anonymous_client: Client, topics: list[Topic]
) -> None:
    with nothing_written():
        response = anonymous_client.post(reverse("articles:autosave_new"), _data(topics))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_autosave_is_post_only(contributor_client: Client) -> None:
    assert contributor_client.get(reverse("articles:autosave_new")).status_code == 405


def test_autosave_without_a_version_is_refused(
    contributor_client: Client, make_article: ArticleBuilder, contributor: User, topics: list[Topic]
) -> None:
    article = make_article.draft(contributor)
    before = model_to_dict(Article.objects.get(pk=article.pk))
    response = contributor_client.post(
        reverse("articles:autosave", args=[article.pk]), _data(topics, title="Overschreven")
    )
    assert response.status_code == 400
    assert "welke versie" in response.json()["error"]  # says why, in Dutch
    assert model_to_dict(Article.objects.get(pk=article.pk)) == before


def test_saving_the_form_without_a_version_is_refused_and_keeps_the_text(
    contributor_client: Client, make_article: ArticleBuilder, contributor: User, topics: list[Topic]
) -> None:
    article = make_article.draft(contributor)
    before = model_to_dict(Article.objects.get(pk=article.pk))
    response = contributor_client.post(
        reverse("articles:edit", args=[article.pk]),
        {**_data(topics, title="Overschreven"), "save": ""},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "welke versie" in page
    assert "Overschreven" in page  # what the author typed is still in the form
    assert model_to_dict(Article.objects.get(pk=article.pk)) == before
