"""The conversation about an article: messages, internal notes, the resubmission's note, claiming,
and who sees what (the author never sees an internal note or who handles the submission)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from podium.accounts import roles
from podium.accounts.models import User
from podium.articles import conversation
from podium.articles.models import Article, ArticleEvent, Message, Notification
from tests.podium_helpers import ArticleBuilder, make_user, nothing_written

State = Article.State
Action = ArticleEvent.Action

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_editor(db: None) -> User:
    return make_user("joost@example.org", display_name="Joost Redacteur", role=roles.EDITORS)


def test_author_answers_a_request_for_changes(
    make_article: ArticleBuilder, contributor: User, editor: User
) -> None:
    article = make_article(contributor, State.CHANGES_REQUESTED)
    message = conversation.write_message(
        article=article, by=contributor, body="Ik heb de inleiding ingekort."
    )
    assert message.is_internal is False
    entries = conversation.thread(article, contributor)
    assert [e.label or e.text for e in entries] == [
        "Ingediend",
        "Wijzigingen gevraagd",
        "Ik heb de inleiding ingekort.",
    ]
    # The editor who asked hears of it; the author, who wrote it, does not.
    assert list(Notification.objects.values_list("recipient__email", "kind")) == [
        (editor.email, Notification.Kind.MESSAGE)
    ]


def test_resubmission_carries_the_authors_note(
    make_article: ArticleBuilder, contributor: User, editor: User
) -> None:
    article = make_article(contributor, State.CHANGES_REQUESTED)
    conversation.resubmit(article=article, by=contributor, note="Korter, met een nieuwe kop.")
    article.refresh_from_db()
    assert article.state == State.SUBMITTED
    event = article.events.order_by("-pk").first()
    assert event is not None and event.action == Action.SUBMIT
    assert event.message == "Korter, met een nieuwe kop."
    assert article.revisions.order_by("-number").first().note == "Korter, met een nieuwe kop."  # type: ignore[union-attr]
    assert conversation.thread(article, editor)[-1].text == "Korter, met een nieuwe kop."


def test_internal_note_is_never_shown_to_the_author(
    make_article: ArticleBuilder, contributor: User, editor: User, second_editor: User
) -> None:
    article = make_article(contributor, State.SUBMITTED)
    conversation.write_message(
        article=article, by=editor, body="Let op: lijkt op stuk van mei.", internal=True
    )
    assert [e.text for e in conversation.thread(article, editor) if e.is_message] == [
        "Let op: lijkt op stuk van mei."
    ]
    assert [e for e in conversation.thread(article, contributor) if e.is_message] == []
    # Only editors are told, never the author.
    recipients = set(Notification.objects.values_list("recipient_id", flat=True))
    assert contributor.pk not in recipients
    assert second_editor.pk in recipients


@pytest.mark.parametrize("who", ["other", "incomplete", "author"])
def test_only_editors_write_internal_notes(
    who: str,
    make_article: ArticleBuilder,
    contributor: User,
    other_contributor: User,
    incomplete_contributor: User,
) -> None:
    article = make_article(contributor, State.SUBMITTED)
    by = {"other": other_contributor, "incomplete": incomplete_contributor, "author": contributor}[
        who
    ]
    with nothing_written(article), pytest.raises(PermissionDenied):
        conversation.write_message(article=article, by=by, body="Intern?", internal=True)


def test_an_editor_who_wrote_the_article_gets_no_internal_notes_on_it(
    make_article: ArticleBuilder, editor: User, second_editor: User
) -> None:
    editor.bio = "Eva schrijft ook."
    editor.save()
    article = make_article(editor, State.SUBMITTED)
    with pytest.raises(PermissionDenied):
        conversation.write_message(article=article, by=editor, body="Intern", internal=True)
    conversation.write_message(article=article, by=second_editor, body="Intern", internal=True)
    assert [e for e in conversation.thread(article, editor) if e.is_message] == []
    assert not Notification.objects.filter(recipient=editor).exists()


def test_other_contributors_cannot_write(
    make_article: ArticleBuilder, contributor: User, other_contributor: User
) -> None:
    article = make_article(contributor, State.SUBMITTED)
    with nothing_written(article), pytest.raises(PermissionDenied):
        conversation.write_message(article=article, by=other_contributor, body="Hallo")


def test_no_conversation_on_a_draft(
    make_article: ArticleBuilder, contributor: User, editor: User
) -> None:
    article = make_article(contributor)
    for by in (contributor, editor):
        with nothing_written(article), pytest.raises(PermissionDenied):
            conversation.write_message(article=article, by=by, body="Hallo")


def test_an_empty_or_overlong_message_is_refused(
    make_article: ArticleBuilder, contributor: User
) -> None:
    article = make_article(contributor, State.SUBMITTED)
    for body in ("   ", "<b></b>", "x" * 4001):
        with nothing_written(article), pytest.raises(ValidationError):
            conversation.write_message(article=article, by=contributor, body=body)


def test_messages_are_stored_as_plain_text(make_article: ArticleBuilder, contributor: User) -> None:
    article = make_article(contributor, State.SUBMITTED)
    message = conversation.write_message(
        article=article, by=contributor, body="<script>alert(1)</script>Een <b>vraag</b>"
    )
    assert "<" not in message.body


# --- Claiming ------------------------------------------------------------------------------


def test_editor_claims_and_another_takes_over(
    make_article: ArticleBuilder, contributor: User, editor: User, second_editor: User
) -> None:
    article = make_article(contributor, State.SUBMITTED)
    conversation.claim(article=article, by=editor)
    article.refresh_from_db()
    assert article.claimed_by == editor
    with pytest.raises(conversation.AlreadyClaimed):
        conversation.claim(article=article, by=second_editor)
    conversation.take_over(article=article, by=second_editor)
    article.refresh_from_db()
    assert article.claimed_by == second_editor
    actions = list(article.events.values_list("action", "actor_id", "message"))
    assert actions[-2:] == [
        (Action.CLAIM, editor.pk, ""),
        (Action.TAKE_OVER, second_editor.pk, "Eva Redacteur"),
    ]
    # Eva hears that Joost took it over; the author hears nothing of the desk's arrangements.
    assert list(Notification.objects.values_list("recipient_id", "kind")) == [
        (editor.pk, Notification.Kind.TAKE_OVER)
    ]
    assert [
        e.event
        for e in conversation.thread(article, contributor)
        if e.event and e.event.action in ArticleEvent.DESK_ONLY
    ] == []
    assert (
        len(
            [
                e
                for e in conversation.thread(article, editor)
                if e.event and e.event.action in ArticleEvent.DESK_ONLY
            ]
        )
        == 2
    )


@pytest.mark.parametrize("who", ["author", "other"])
def test_only_editors_claim(
    who: str, make_article: ArticleBuilder, contributor: User, other_contributor: User
) -> None:
    article = make_article(contributor, State.SUBMITTED)
    by = contributor if who == "author" else other_contributor
    with nothing_written(article), pytest.raises(PermissionDenied):
        conversation.claim(article=article, by=by)
    with nothing_written(article), pytest.raises(PermissionDenied):
        conversation.take_over(article=article, by=by)


def test_take_over_needs_someone_else_handling_it(
    make_article: ArticleBuilder, contributor: User, editor: User
) -> None:
    article = make_article(contributor, State.SUBMITTED)
    with nothing_written(article), pytest.raises(ValidationError):
        conversation.take_over(article=article, by=editor)
    conversation.claim(article=article, by=editor)
    with nothing_written(article), pytest.raises(ValidationError):
        conversation.take_over(article=article, by=editor)


def test_only_a_waiting_submission_is_claimed(
    make_article: ArticleBuilder, contributor: User, editor: User
) -> None:
    article = make_article(contributor, State.PUBLISHED)
    with nothing_written(article), pytest.raises(ValidationError):
        conversation.claim(article=article, by=editor)


def test_desk_filters_on_mine(
    make_article: ArticleBuilder,
    contributor: User,
    editor: User,
    second_editor: User,
    client_for: object,
) -> None:
    mine = make_article(contributor, State.SUBMITTED, title="Mijn stuk")
    theirs = make_article(contributor, State.SUBMITTED, title="Hun stuk")
    conversation.claim(article=mine, by=editor)
    conversation.claim(article=theirs, by=second_editor)
    client: Client = client_for(editor)  # type: ignore[operator]
    page = client.get(reverse("editorial:desk")).content.decode()
    assert "in behandeling bij Eva Redacteur" in page
    assert "in behandeling bij Joost Redacteur" in page
    page = client.get(reverse("editorial:desk") + "?mine=on").content.decode()
    assert "Mijn stuk" in page and "Hun stuk" not in page


# --- Pages ---------------------------------------------------------------------------------


def test_author_writes_from_the_conversation_page(
    make_article: ArticleBuilder, contributor: User, contributor_client: Client
) -> None:
    article = make_article(contributor, State.CHANGES_REQUESTED)
    url = reverse("articles:conversation", kwargs={"pk": article.pk})
    page = contributor_client.get(url)
    assert page.status_code == 200
    assert "Graag korter." in page.content.decode()
    response = contributor_client.post(url, {"body": "Is dit beter?"})
    assert response.status_code == 302
    assert Message.objects.get().body == "Is dit beter?"
    assert contributor_client.post(url, {"body": ""}).status_code == 400


def test_author_resubmits_with_a_note_without_javascript(
    make_article: ArticleBuilder, contributor: User, contributor_client: Client
) -> None:
    article = make_article(contributor, State.CHANGES_REQUESTED)
    response = contributor_client.post(
        reverse("articles:resubmit", kwargs={"pk": article.pk}), {"note": "Ingekort."}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.state == State.SUBMITTED
    assert article.events.order_by("-pk").first().message == "Ingekort."  # type: ignore[union-attr]


def test_editor_page_resubmits_with_a_note(
    make_article: ArticleBuilder, contributor: User, contributor_client: Client
) -> None:
    article = make_article(contributor, State.CHANGES_REQUESTED)
    url = reverse("articles:edit", kwargs={"pk": article.pk})
    assert 'name="note"' in contributor_client.get(url).content.decode()
    response = contributor_client.post(
        url,
        {
            "title": article.title,
            "lead": article.lead,
            "body": article.body,
            "topics": [t.pk for t in article.topics.all()],
            "version": article.version,
            "note": "Nu met bronnen.",
            "submit": "",
        },
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.state == State.SUBMITTED
    assert article.revisions.order_by("-number").first().note == "Nu met bronnen."  # type: ignore[union-attr]


def test_review_page_shows_notes_to_editors_only(
    make_article: ArticleBuilder,
    contributor: User,
    editor: User,
    editor_client: Client,
    contributor_client: Client,
) -> None:
    article = make_article(contributor, State.SUBMITTED)
    editor_client.post(
        reverse("editorial:note", kwargs={"pk": article.pk}), {"note-body": "Geheime twijfel"}
    )
    editor_client.post(
        reverse("editorial:message", kwargs={"pk": article.pk}), {"message-body": "Mooi stuk!"}
    )
    editor_client.post(reverse("editorial:claim", kwargs={"pk": article.pk}))
    review = editor_client.get(reverse("editorial:review", kwargs={"pk": article.pk})).content
    assert b"Geheime twijfel" in review and b"Mooi stuk!" in review
    assert b"In behandeling bij Eva Redacteur" in review
    for url in (
        reverse("articles:conversation", kwargs={"pk": article.pk}),
        reverse("articles:preview", kwargs={"pk": article.pk}),
        reverse("articles:dashboard"),
        reverse("articles:versions", kwargs={"pk": article.pk}),
    ):
        page = contributor_client.get(url).content
        assert b"Geheime twijfel" not in page
        assert b"behandeling" not in page
    assert (
        b"Mooi stuk!"
        in contributor_client.get(
            reverse("articles:conversation", kwargs={"pk": article.pk})
        ).content
    )


def test_conversation_pages_run_a_fixed_number_of_queries(
    make_article: ArticleBuilder,
    contributor: User,
    editor: User,
    second_editor: User,
    contributor_client: Client,
) -> None:
    """Thirty messages from three people cost what three do: no query per message or writer."""
    article = make_article(contributor, State.SUBMITTED)
    url = reverse("articles:conversation", kwargs={"pk": article.pk})

    def write(n: int) -> None:
        for i in range(n):
            by = (contributor, editor, second_editor)[i % 3]
            conversation.write_message(article=article, by=by, body=f"Bericht {i}")

    write(3)
    contributor_client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert contributor_client.get(url).status_code == 200
    write(27)
    with CaptureQueriesContext(connection) as many:
        page = contributor_client.get(url)
    assert page.content.decode().count("thread-message") == 30
    assert len(many.captured_queries) == len(few.captured_queries)
