"""The editors' desk and review page: only editors get in, and every action is a POST that goes
through the lifecycle."""

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
from podium.articles.models import Article, ArticleEvent, Revision
from podium.topics.models import Topic
from tests.podium_helpers import ArticleBuilder, nothing_written, statement

State = Article.State
Action = ArticleEvent.Action

pytestmark = pytest.mark.django_db

ACTIONS = {
    # url name: (form data, the state it needs, the state it leads to)
    "editorial:publish": (
        {"message": "Mooi stuk.", "when": "now"},
        State.SUBMITTED,
        State.PUBLISHED,
    ),
    "editorial:request_changes": (
        {"changes-message": "Korter graag."},
        State.SUBMITTED,
        State.CHANGES_REQUESTED,
    ),
    "editorial:reject": ({"reject-message": "Reclame."}, State.SUBMITTED, State.REJECTED),
    "editorial:take_down": ({"takedown-message": "Klacht."}, State.PUBLISHED, State.OFFLINE),
}
ARTICLE_PAGES = ["editorial:review", "editorial:edit"]


def _edit_form(article: Article, topics: list[Topic], **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": article.title,
        "lead": article.lead,
        "body": "<p>Door de redactie verbeterde tekst.</p>",
        "topics": [topics[0].pk],
        "version": article.version,
        "note": "Taal en lengte.",
    }
    data.update(overrides)
    return data


# --- Who gets in ---------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login_from_the_desk(anonymous_client: Client) -> None:
    response = anonymous_client.get(reverse("editorial:desk"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={reverse('editorial:desk')}"


@pytest.mark.parametrize("persona", ["contributor_client", "trusted_client"])
def test_contributors_get_403_on_the_desk(persona: str, request: pytest.FixtureRequest) -> None:
    client: Client = request.getfixturevalue(persona)
    response = client.get(reverse("editorial:desk"))
    assert response.status_code == 403
    assert "403.html" in [t.name for t in response.templates]


@pytest.mark.parametrize("persona", ["editor_client", "admin_client"])
def test_editors_and_administrators_see_the_desk(
    persona: str, request: pytest.FixtureRequest
) -> None:
    client: Client = request.getfixturevalue(persona)
    assert client.get(reverse("editorial:desk")).status_code == 200


@pytest.mark.parametrize("name", ARTICLE_PAGES)
def test_review_pages_answer_by_role(
    name: str,
    make_article: ArticleBuilder,
    contributor: User,
    anonymous_client: Client,
    contributor_client: Client,
    other_client: Client,
    editor_client: Client,
    admin_client: Client,
) -> None:
    article = make_article(contributor, State.SUBMITTED)
    url = reverse(name, args=[article.pk])
    assert anonymous_client.get(url).status_code == 302
    assert (
        contributor_client.get(url).status_code == 403
    )  # even the author: this is the editors' side
    assert other_client.get(url).status_code == 403
    assert editor_client.get(url).status_code == 200
    assert admin_client.get(url).status_code == 200


@pytest.mark.parametrize("name", [*ARTICLE_PAGES, *ACTIONS])
def test_editors_cannot_see_drafts(
    name: str, make_article: ArticleBuilder, contributor: User, editor_client: Client
) -> None:
    article = make_article.draft(contributor)
    with nothing_written(article):
        response = (
            editor_client.get(reverse(name, args=[article.pk]))
            if name in ARTICLE_PAGES
            else (editor_client.post(reverse(name, args=[article.pk]), ACTIONS[name][0]))
        )
    assert response.status_code == 404


def test_editors_get_404_for_an_unknown_article(editor_client: Client) -> None:
    assert editor_client.get(reverse("editorial:review", args=[999999])).status_code == 404


@pytest.mark.parametrize("name", list(ACTIONS))
@pytest.mark.parametrize("persona", ["anonymous_client", "contributor_client", "other_client"])
def test_non_editors_cannot_act_even_by_posting_directly(
    name: str,
    persona: str,
    request: pytest.FixtureRequest,
    make_article: ArticleBuilder,
    contributor: User,
) -> None:
    client: Client = request.getfixturevalue(persona)
    data, state, _ = ACTIONS[name]
    article = make_article(contributor, state)
    with nothing_written(article):
        response = client.post(reverse(name, args=[article.pk]), data)
    assert response.status_code == (302 if persona == "anonymous_client" else 403)


@pytest.mark.parametrize("persona", ["anonymous_client", "contributor_client", "other_client"])
def test_non_editors_cannot_edit_by_posting_directly(
    persona: str,
    request: pytest.FixtureRequest,
    make_article: ArticleBuilder,
    contributor: User,
    topics: list[Topic],
) -> None:
    client: Client = request.getfixturevalue(persona)
    article = make_article(contributor, State.SUBMITTED)
    with nothing_written(article):
        response = client.post(
            reverse("editorial:edit", args=[article.pk]), _edit_form(article, topics)
        )
    assert response.status_code == (302 if persona == "anonymous_client" else 403)


@pytest.mark.parametrize("name", list(ACTIONS))
def test_get_on_an_editor_action_is_405(
    name: str, make_article: ArticleBuilder, contributor: User, editor_client: Client
) -> None:
    article = make_article(contributor, ACTIONS[name][1])
    with nothing_written(article):
        assert editor_client.get(reverse(name, args=[article.pk])).status_code == 405


def test_desk_is_get_only(editor_client: Client) -> None:
    assert editor_client.post(reverse("editorial:desk")).status_code == 405


# --- Acting --------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["editor", "admin_user"])
@pytest.mark.parametrize("name", list(ACTIONS))
def test_editor_actions_move_the_article_and_record_who(
    name: str,
    persona: str,
    request: pytest.FixtureRequest,
    client_for: Any,
    make_article: ArticleBuilder,
    contributor: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    actor: User = request.getfixturevalue(persona)
    data, state, new_state = ACTIONS[name]
    article = make_article(contributor, state)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(actor).post(reverse(name, args=[article.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("editorial:review", args=[article.pk])
    article.refresh_from_db()
    assert article.state == new_state
    event = article.events.latest("pk")
    assert (event.actor, event.from_state, event.to_state) == (actor, state, new_state)
    message = next(iter(data.values()))
    assert event.message == message
    assert [m.to for m in mail.outbox] == [[contributor.email]]


@pytest.mark.parametrize(
    "name", ["editorial:request_changes", "editorial:reject", "editorial:take_down"]
)
def test_a_message_is_required_and_its_error_is_shown_next_to_the_field(
    name: str, make_article: ArticleBuilder, contributor: User, editor_client: Client
) -> None:
    data, state, _ = ACTIONS[name]
    article = make_article(contributor, state)
    field = next(iter(data))
    with nothing_written(article):
        response = editor_client.post(reverse(name, args=[article.pk]), {field: "   "})
    assert response.status_code == 400
    content = response.content.decode()
    assert f'id="id_{field}_error"' in content
    with translation.override("nl"):
        assert escape(gettext("Write a message for the author.")) in content


def test_acting_on_an_article_someone_else_already_decided_explains_and_changes_nothing(
    make_article: ArticleBuilder, contributor: User, editor_client: Client
) -> None:
    article = make_article(contributor, State.REJECTED)
    with nothing_written(article):
        response = editor_client.post(
            reverse("editorial:publish", args=[article.pk]), {"when": "now"}, follow=True
        )
    assert response.status_code == 200
    assert 'class="message error"' in response.content.decode()


def test_editor_can_edit_the_text_and_it_becomes_a_revision(
    make_article: ArticleBuilder,
    contributor: User,
    editor: User,
    editor_client: Client,
    topics: list[Topic],
    django_capture_on_commit_callbacks: Any,
) -> None:
    article = make_article(contributor, State.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("editorial:edit", args=[article.pk]), _edit_form(article, topics)
        )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body == "<p>Door de redactie verbeterde tekst.</p>"
    assert article.state == State.SUBMITTED
    revision = article.revisions.latest("number")
    assert (revision.kind, revision.created_by, revision.note) == (
        Revision.Kind.EDITOR_EDIT,
        editor,
        "Taal en lengte.",
    )
    assert [m.to for m in mail.outbox] == [[contributor.email]]
    assert "Taal en lengte." in mail.outbox[0].body


def test_editor_edit_with_a_stale_version_is_refused_and_keeps_the_text(
    make_article: ArticleBuilder, contributor: User, editor_client: Client, topics: list[Topic]
) -> None:
    article = make_article(contributor, State.SUBMITTED)
    with nothing_written(article):
        response = editor_client.post(
            reverse("editorial:edit", args=[article.pk]),
            _edit_form(article, topics, version=article.version - 1, title="Mijn versie"),
        )
    # The conflict page (articles.conflict): both versions, the editor's text kept for the merge.
    assert response.status_code == 409
    content = response.content.decode()
    assert 'class="conflict-form"' in content
    assert 'value="Mijn versie"' in content


def test_editor_edit_page_starts_from_the_stored_text_and_version(
    make_article: ArticleBuilder, contributor: User, editor_client: Client
) -> None:
    article = make_article(contributor, State.SUBMITTED)
    response = editor_client.get(reverse("editorial:edit", args=[article.pk]))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial == {
        "title": article.title,
        "lead": article.lead,
        "body": article.body,
        "topics": list(article.topics.all()),
        "version": article.version,
    }
    assert form.require_complete  # the editors' form, not the author's


@pytest.mark.parametrize("state", [State.CHANGES_REQUESTED, State.REJECTED, State.OFFLINE])
def test_editor_edit_is_only_for_submitted_and_published_articles(
    state: str,
    make_article: ArticleBuilder,
    contributor: User,
    editor_client: Client,
    topics: list[Topic],
) -> None:
    article = make_article(contributor, state)
    with nothing_written(article):
        response = editor_client.post(
            reverse("editorial:edit", args=[article.pk]), _edit_form(article, topics)
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("editorial:review", args=[article.pk])


# --- What the pages show -------------------------------------------------------------------------


def test_desk_lists_submissions_oldest_first(
    make_article: ArticleBuilder, contributor: User, other_contributor: User, editor_client: Client
) -> None:
    first = make_article(contributor, State.SUBMITTED, title="Eerste inzending")
    second = make_article(other_contributor, State.SUBMITTED, title="Tweede inzending")
    make_article.draft(contributor, title="Geheim concept")
    content = editor_client.get(reverse("editorial:desk")).content.decode()
    assert content.index(first.title) < content.index(second.title)
    assert "Geheim concept" not in content


def test_review_page_shows_the_word_diff_between_the_last_two_versions(
    make_article: ArticleBuilder, contributor: User, editor: User, editor_client: Client
) -> None:
    from podium.articles import services

    article = make_article(contributor, State.SUBMITTED, body="<p>Het gras is groen.</p>")
    services.request_changes(article=article, by=editor, message="Kleur?")
    services.save_draft(
        by=contributor,
        article=article,
        text=make_article.text(title=article.title, body="<p>Het gras is geel.</p>"),
    )
    services.submit_article(article=article, by=contributor, terms=statement())
    content = editor_client.get(reverse("editorial:review", args=[article.pk])).content.decode()
    assert "<del>groen.</del><ins>geel.</ins>" in content
    assert "Kleur?" in content


def test_review_page_compares_the_chosen_versions(
    make_article: ArticleBuilder, contributor: User, editor: User, editor_client: Client
) -> None:
    from podium.articles import services

    article = make_article(contributor, State.SUBMITTED, body="<p>Een.</p>")
    for body in ("<p>Twee.</p>", "<p>Drie.</p>"):
        services.request_changes(article=article, by=editor, message="Nog eens.")
        services.save_draft(
            by=contributor, article=article, text=make_article.text(title=article.title, body=body)
        )
        services.submit_article(article=article, by=contributor, terms=statement())
    url = reverse("editorial:review", args=[article.pk])
    assert "<del>Twee.</del><ins>Drie.</ins>" in editor_client.get(url).content.decode()
    assert (
        "<del>Een.</del><ins>Drie.</ins>"
        in editor_client.get(url, {"a": 1, "b": 3}).content.decode()
    )
    assert editor_client.get(url, {"a": "x", "b": "<script>"}).status_code == 200
