"""Activiteiten, the contributor's own pages: who may do what, and what a form error looks like."""

from __future__ import annotations

from html import escape
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from podium.accounts.models import User
from podium.articles import rules as article_rules
from podium.articles.models import Article, ArticleEvent
from podium.topics.models import Topic
from tests.podium_helpers import ArticleBuilder, nothing_written, statement_fields

State = Article.State
Action = ArticleEvent.Action

pytestmark = pytest.mark.django_db

# Every URL that acts on one of the author's articles, and the methods it answers to.
AUTHOR_URLS = {
    "articles:edit": ["GET", "POST"],
    "articles:autosave": ["POST"],
    "articles:preview": ["GET"],
    "articles:submit": ["POST"],
    "articles:withdraw_submission": ["POST"],
    "articles:withdraw": ["POST"],
    "articles:reopen": ["POST"],
}
POST_ONLY = [name for name, methods in AUTHOR_URLS.items() if methods == ["POST"]]


def _form(all_topics: list[Topic], **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Werk verandert sneller dan organisaties",
        "lead": "Wie vandaag talent zoekt, moet anders kijken.",
        "body": "<p>Teams die leren, winnen.</p>",
        "topics": [all_topics[0].pk],
    }
    data.update(overrides)
    return data


def _request(client: Client, method: str, url: str) -> Any:
    return (
        client.get(url)
        if method == "GET"
        else client.post(url, {"title": "Gekaapt", "version": 99})
    )


# --- Permissions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("state", State.values)
@pytest.mark.parametrize("name", list(AUTHOR_URLS))
def test_other_contributor_gets_404(
    name: str, state: str, other_client: Client, make_article: ArticleBuilder, contributor: User
) -> None:
    article = make_article(contributor, state)
    url = reverse(name, args=[article.pk])
    for method in AUTHOR_URLS[name]:
        with nothing_written(article):
            assert _request(other_client, method, url).status_code == 404


@pytest.mark.parametrize("persona", ["editor_client", "admin_client"])
@pytest.mark.parametrize("name", list(AUTHOR_URLS))
def test_editors_cannot_use_the_authors_pages_for_someone_elses_article(
    name: str,
    persona: str,
    request: pytest.FixtureRequest,
    make_article: ArticleBuilder,
    contributor: User,
) -> None:
    client: Client = request.getfixturevalue(persona)
    article = make_article(contributor, State.SUBMITTED)
    url = reverse(name, args=[article.pk])
    for method in AUTHOR_URLS[name]:
        with nothing_written(article):
            assert _request(client, method, url).status_code == 404


@pytest.mark.parametrize("name", list(AUTHOR_URLS))
def test_anonymous_is_sent_to_login_and_nothing_is_written(
    name: str, anonymous_client: Client, make_article: ArticleBuilder, contributor: User
) -> None:
    article = make_article(contributor, State.SUBMITTED)
    url = reverse(name, args=[article.pk])
    for method in AUTHOR_URLS[name]:
        with nothing_written(article):
            response = _request(anonymous_client, method, url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('account_login')}?next={url}"


@pytest.mark.parametrize("name", ["articles:dashboard", "articles:create"])
def test_anonymous_is_sent_to_login_from_activiteiten(name: str, anonymous_client: Client) -> None:
    with nothing_written():
        response = anonymous_client.get(reverse(name))
        assert response.status_code == 302
        response = anonymous_client.post(reverse(name), {"title": "x"})
    assert response.status_code in (302, 405)


def test_anonymous_cannot_create_an_article(anonymous_client: Client, topics: list[Topic]) -> None:
    with nothing_written():
        response = anonymous_client.post(
            reverse("articles:create"), {**_form(topics), **statement_fields(), "submit": ""}
        )
    assert response.status_code == 302


@pytest.mark.parametrize("name", POST_ONLY)
def test_get_on_a_post_only_url_is_405(
    name: str, contributor_client: Client, make_article: ArticleBuilder, contributor: User
) -> None:
    article = make_article(contributor, State.SUBMITTED)
    with nothing_written(article):
        assert contributor_client.get(reverse(name, args=[article.pk])).status_code == 405


def test_a_non_numeric_article_id_is_404(contributor_client: Client) -> None:
    assert contributor_client.get("/profiel/activiteiten/abc/").status_code == 404


# --- Writing -------------------------------------------------------------------------------------


def test_contributor_can_save_a_new_draft(
    contributor_client: Client, contributor: User, topics: list[Topic]
) -> None:
    response = contributor_client.post(reverse("articles:create"), {**_form(topics), "save": ""})
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("articles:edit", args=[article.pk])
    assert (article.author, article.state) == (contributor, State.DRAFT)
    assert not article.events.exists()


def test_contributor_can_write_and_submit_in_one_go(
    contributor_client: Client,
    editor: User,
    topics: list[Topic],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = contributor_client.post(
            reverse("articles:create"), {**_form(topics), **statement_fields(), "submit": ""}
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("articles:dashboard")
    article = Article.objects.get()
    assert article.state == State.SUBMITTED
    assert article.revisions.count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([editor.email, article.author.email])


def test_contributor_can_edit_own_draft(
    contributor_client: Client, make_article: ArticleBuilder, contributor: User, topics: list[Topic]
) -> None:
    article = make_article.draft(contributor)
    response = contributor_client.get(reverse("articles:edit", args=[article.pk]))
    assert response.status_code == 200
    assert article.title in response.content.decode()
    assert response.context["form"].initial["version"] == article.version
    response = contributor_client.post(
        reverse("articles:edit", args=[article.pk]),
        {**_form(topics, title="Nieuwe titel"), "version": article.version, "save": ""},
    )
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).title == "Nieuwe titel"


def test_editing_a_submitted_article_leads_to_its_preview(
    contributor_client: Client, make_article: ArticleBuilder, contributor: User, topics: list[Topic]
) -> None:
    article = make_article(contributor, State.SUBMITTED)
    response = contributor_client.get(reverse("articles:edit", args=[article.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("articles:preview", args=[article.pk])
    with nothing_written(article):
        response = contributor_client.post(
            reverse("articles:edit", args=[article.pk]),
            {**_form(topics, title="Stiekem"), "save": ""},
        )
    assert response.status_code == 302


def test_a_stale_form_is_refused_and_the_text_stays(
    contributor_client: Client, make_article: ArticleBuilder, contributor: User, topics: list[Topic]
) -> None:
    article = make_article.draft(contributor)
    contributor_client.post(
        reverse("articles:autosave", args=[article.pk]),
        {**_form(topics, title="Nieuwer"), "version": 1},
    )
    with nothing_written(article):
        response = contributor_client.post(
            reverse("articles:edit", args=[article.pk]),
            {**_form(topics, title="Ouder maar getypt"), "version": 1, "save": ""},
        )
    # The conflict page (articles.conflict): both versions, the author's text kept for the merge.
    assert response.status_code == 409
    content = response.content.decode()
    assert 'class="conflict-form"' in content
    assert 'value="Ouder maar getypt"' in content


def test_submit_with_missing_fields_shows_errors_next_to_them_and_keeps_the_text(
    contributor_client: Client, topics: list[Topic]
) -> None:
    with nothing_written():
        response = contributor_client.post(
            reverse("articles:create"),
            {
                "title": "",
                "lead": "Mijn lead blijft staan.",
                "body": "<p>Mijn tekst blijft staan.</p>",
                "submit": "",
            },
        )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="id_title_error"' in content
    assert 'id="id_topics_errors"' in content
    assert "Mijn lead blijft staan." in content
    assert escape("<p>Mijn tekst blijft staan.</p>") in content
    with translation.override("nl"):
        # Dutch once the translations land; until then the same English text.
        assert escape(gettext("Give your article a title.")) in content
        assert escape(gettext("Choose at least one topic.")) in content


def test_more_than_three_topics_is_an_error_next_to_the_field(
    contributor_client: Client, topics: list[Topic]
) -> None:
    with nothing_written():
        response = contributor_client.post(
            reverse("articles:create"), {**_form(topics, topics=[t.pk for t in topics]), "save": ""}
        )
    content = response.content.decode()
    assert 'id="id_topics_errors"' in content
    with translation.override("nl"):
        assert escape(gettext("Choose at most three topics.")) in content


def test_text_over_the_limit_is_an_error_next_to_the_text(
    monkeypatch: pytest.MonkeyPatch, contributor_client: Client, topics: list[Topic], settings: Any
) -> None:
    monkeypatch.setattr(article_rules, "BODY_MAX_CHARS", 100)
    with nothing_written():
        response = contributor_client.post(
            reverse("articles:create"),
            {**_form(topics, body="<p>" + "woord " * 40 + "</p>"), "save": ""},
        )
    content = response.content.decode()
    assert 'id="body-errors"' in content
    assert "100" in content


def test_submitting_without_a_complete_profile_explains_what_is_missing(
    incomplete_contributor: User, client_for: Any, topics: list[Topic]
) -> None:
    client = client_for(incomplete_contributor)
    response = client.post(reverse("articles:create"), {**_form(topics), "submit": ""})
    assert response.status_code == 200
    content = response.content.decode()
    with translation.override("nl"):
        assert escape(gettext("Your profile has no name yet.")) in content
    # The save part of "save and submit" is rolled back too: the author still has the text on screen.
    assert not Article.objects.exists()
    assert reverse("accounts:profile") in content


# --- The author's actions ------------------------------------------------------------------------


def test_author_can_submit_from_the_preview(
    contributor_client: Client, make_article: ArticleBuilder, contributor: User
) -> None:
    article = make_article.draft(contributor)
    preview = contributor_client.get(reverse("articles:preview", args=[article.pk]))
    assert reverse("articles:submit", args=[article.pk]) in preview.content.decode()
    # A first submission needs the statement, which the editor page asks for.
    response = contributor_client.post(reverse("articles:submit", args=[article.pk]))
    assert response["Location"] == reverse("articles:edit", args=[article.pk])
    assert Article.objects.get(pk=article.pk).state == State.DRAFT
    response = contributor_client.post(
        reverse("articles:submit", args=[article.pk]), statement_fields()
    )
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).state == State.SUBMITTED


def test_submitting_an_incomplete_draft_goes_back_to_the_editor(
    contributor_client: Client, make_article: ArticleBuilder, contributor: User
) -> None:
    article = make_article.draft(contributor, lead="")
    with nothing_written(article):
        response = contributor_client.post(reverse("articles:submit", args=[article.pk]))
    assert response["Location"] == reverse("articles:edit", args=[article.pk])


@pytest.mark.parametrize(
    ("name", "state", "new_state"),
    [
        ("articles:withdraw_submission", State.SUBMITTED, State.DRAFT),
        ("articles:withdraw", State.PUBLISHED, State.OFFLINE),
        ("articles:reopen", State.OFFLINE, State.DRAFT),
    ],
)
def test_author_actions_move_the_article(
    name: str,
    state: str,
    new_state: str,
    contributor_client: Client,
    make_article: ArticleBuilder,
    contributor: User,
) -> None:
    article = make_article(contributor, state)
    response = contributor_client.post(reverse(name, args=[article.pk]))
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).state == new_state


@pytest.mark.parametrize(
    ("name", "state"),
    [
        ("articles:withdraw_submission", State.DRAFT),
        ("articles:withdraw", State.SUBMITTED),
        ("articles:reopen", State.PUBLISHED),
        ("articles:reopen", State.REJECTED),
        ("articles:submit", State.PUBLISHED),
    ],
)
def test_author_actions_from_the_wrong_state_change_nothing(
    name: str,
    state: str,
    contributor_client: Client,
    make_article: ArticleBuilder,
    contributor: User,
) -> None:
    article = make_article(contributor, state)
    with nothing_written(article):
        response = contributor_client.post(reverse(name, args=[article.pk]), follow=True)
    assert response.status_code == 200
    assert 'class="message error"' in response.content.decode()


# --- The pages themselves ------------------------------------------------------------------------


def test_dashboard_lists_own_articles_only(
    contributor_client: Client,
    make_article: ArticleBuilder,
    contributor: User,
    other_contributor: User,
) -> None:
    mine = make_article(contributor, State.SUBMITTED, title="Mijn stuk")
    make_article(other_contributor, State.SUBMITTED, title="Andermans stuk")
    content = contributor_client.get(reverse("articles:dashboard")).content.decode()
    assert mine.title in content
    assert "Andermans stuk" not in content


def test_dashboard_shows_the_editors_last_message(
    contributor_client: Client, make_article: ArticleBuilder, contributor: User
) -> None:
    make_article(contributor, State.CHANGES_REQUESTED)  # message "Graag korter."
    assert "Graag korter." in contributor_client.get(reverse("articles:dashboard")).content.decode()


def test_editor_page_shows_the_requested_changes(
    contributor_client: Client, make_article: ArticleBuilder, contributor: User
) -> None:
    article = make_article(contributor, State.CHANGES_REQUESTED)
    assert (
        "Graag korter."
        in contributor_client.get(reverse("articles:edit", args=[article.pk])).content.decode()
    )


def test_preview_shows_a_draft_to_its_author(
    contributor_client: Client, make_article: ArticleBuilder, contributor: User
) -> None:
    article = make_article.draft(contributor, title="Nog geheim")
    response = contributor_client.get(reverse("articles:preview", args=[article.pk]))
    assert response.status_code == 200
    assert "Nog geheim" in response.content.decode()


def test_preview_is_offered_from_the_start_and_shows_what_was_typed(
    contributor_client: Client, topics: list[Topic]
) -> None:
    page = contributor_client.get(reverse("articles:create")).content.decode()
    assert 'name="preview"' in page and ">Voorbeeld</button>" in page
    response = contributor_client.post(
        reverse("articles:create"), {**_form(topics, title="Nog nooit bewaard"), "preview": ""}
    )
    article = Article.objects.get()
    assert article.state == State.DRAFT and article.title == "Nog nooit bewaard"
    assert response["Location"] == reverse("articles:preview", args=[article.pk])
    preview = contributor_client.get(response["Location"]).content.decode()
    assert "Nog nooit bewaard" in preview


def test_preview_of_an_existing_draft_saves_the_latest_text_first(
    contributor_client: Client, make_article: ArticleBuilder, contributor: User, topics: list[Topic]
) -> None:
    article = make_article.draft(contributor)
    response = contributor_client.post(
        reverse("articles:edit", args=[article.pk]),
        {**_form(topics, title="Net veranderd"), "version": article.version, "preview": ""},
    )
    assert response["Location"] == reverse("articles:preview", args=[article.pk])
    article.refresh_from_db()
    assert article.title == "Net veranderd"
