"""Submitting: what an article and its author need first, what is kept, and who is told."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext

from podium.accounts.models import User
from podium.articles import rules as article_rules
from podium.articles import services
from podium.articles.models import Article, ArticleEvent, Revision
from podium.topics.models import Topic
from tests.podium_helpers import ArticleBuilder, nothing_written, statement

State = Article.State
Action = ArticleEvent.Action

pytestmark = pytest.mark.django_db


def test_submitting_a_complete_draft_creates_a_revision_and_an_event(
    make_article: ArticleBuilder, contributor: User
) -> None:
    article = make_article.draft(contributor)
    services.submit_article(article=article, by=contributor, terms=statement())
    article.refresh_from_db()
    assert article.state == State.SUBMITTED
    assert article.submitted_at is not None
    assert article.slug
    revision = article.revisions.get()
    assert (revision.number, revision.kind, revision.created_by) == (
        1,
        Revision.Kind.SUBMISSION,
        contributor,
    )
    assert (revision.title, revision.lead, revision.body) == (
        article.title,
        article.lead,
        article.body,
    )
    event = article.events.get()
    assert (event.action, event.actor, event.from_state, event.to_state) == (
        Action.SUBMIT,
        contributor,
        State.DRAFT,
        State.SUBMITTED,
    )
    assert event.revision == revision


def test_trusted_contributor_is_published_at_once(
    make_article: ArticleBuilder, trusted_contributor: User
) -> None:
    article = make_article.draft(trusted_contributor)
    services.submit_article(article=article, by=trusted_contributor, terms=statement())
    article.refresh_from_db()
    assert article.state == State.PUBLISHED
    assert article.is_live
    assert article.events.get().action == Action.AUTO_PUBLISH
    assert article.revisions.count() == 1
    assert Article.objects.published().filter(pk=article.pk).exists()


@pytest.mark.parametrize(
    ("missing", "problem"),
    [
        ({"display_name": ""}, "Your profile has no name yet."),
        ({"bio": "  "}, "Your profile has no “Over de auteur” text yet."),
    ],
)
def test_submitting_needs_a_complete_profile(
    missing: dict[str, str], problem: str, make_article: ArticleBuilder, contributor: User
) -> None:
    article = make_article.draft(contributor)
    User.objects.filter(pk=contributor.pk).update(**missing)
    contributor = User.objects.get(pk=contributor.pk)
    with nothing_written(article), pytest.raises(ValidationError) as info:
        services.submit_article(article=article, by=contributor, terms=statement())
    with translation.override("nl"):
        assert gettext(problem) in info.value.messages


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ({"title": ""}, "The article has no title."),
        ({"lead": ""}, "The article has no lead."),
        ({"body": ""}, "The article has no text."),
        ({"body": "<p>   </p><h2></h2>"}, "The article has no text."),
        ({"topics": []}, "Choose one to three topics."),
    ],
    ids=["title", "lead", "body", "empty-blocks", "topics"],
)
def test_submitting_needs_title_lead_text_and_topics(
    text: dict[str, Any], problem: str, make_article: ArticleBuilder, contributor: User
) -> None:
    article = make_article.draft(contributor, **text)
    with nothing_written(article), pytest.raises(ValidationError) as info:
        services.submit_article(article=article, by=contributor, terms=statement())
    with translation.override("nl"):
        assert gettext(problem) in info.value.messages


def test_an_article_keeps_at_most_three_topics(
    make_article: ArticleBuilder, contributor: User, topics: list[Topic]
) -> None:
    article = make_article.draft(contributor, topics=topics)  # four offered
    assert article.topics.count() == 3
    services.submit_article(article=article, by=contributor, terms=statement())
    assert Article.objects.get(pk=article.pk).state == State.SUBMITTED


def test_submitting_respects_the_character_limit(
    make_article: ArticleBuilder, contributor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = make_article.draft(contributor, body="<p>" + "woord " * 40 + "</p>")  # 239 characters
    monkeypatch.setattr(article_rules, "BODY_MAX_CHARS", 200)
    with nothing_written(article), pytest.raises(ValidationError) as info:
        services.submit_article(article=article, by=contributor, terms=statement())
    assert any("200" in m for m in info.value.messages)
    monkeypatch.setattr(article_rules, "BODY_MAX_CHARS", 240)
    services.submit_article(article=article, by=contributor, terms=statement())
    assert Article.objects.get(pk=article.pk).state == State.SUBMITTED


def test_a_draft_may_run_over_the_limit_while_the_author_cuts(
    make_article: ArticleBuilder, contributor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(article_rules, "BODY_MAX_CHARS", 100)
    article = make_article.draft(contributor, body="<p>" + "woord " * 40 + "</p>")
    assert article.char_count > 100
    with pytest.raises(ValidationError):  # but not far beyond it
        make_article.draft(contributor, body="<p>" + "woord " * 100 + "</p>")


def test_only_the_author_submits(
    make_article: ArticleBuilder, contributor: User, other_contributor: User
) -> None:
    from django.core.exceptions import PermissionDenied

    article = make_article.draft(contributor)
    with nothing_written(article), pytest.raises(PermissionDenied):
        services.submit_article(article=article, by=other_contributor, terms=statement())


def test_a_submission_cannot_be_submitted_twice(
    make_article: ArticleBuilder, contributor: User
) -> None:
    from podium.articles.lifecycle import TransitionNotAllowed

    article = make_article(contributor, State.SUBMITTED)
    with nothing_written(article), pytest.raises(TransitionNotAllowed):
        services.submit_article(article=article, by=contributor, terms=statement())


def test_resubmitting_after_changes_keeps_both_versions(
    make_article: ArticleBuilder, contributor: User, editor: User
) -> None:
    article = make_article(contributor, State.CHANGES_REQUESTED)
    services.save_draft(
        by=contributor,
        article=article,
        text=make_article.text(title=article.title, body="<p>Een kortere tekst over werk.</p>"),
    )
    services.submit_article(article=article, by=contributor, terms=statement())
    revisions = list(article.revisions.order_by("number"))
    assert [r.number for r in revisions] == [1, 2]
    assert "Een kortere tekst" in revisions[1].body
    assert "Een kortere tekst" not in revisions[0].body


def test_two_articles_with_the_same_title_get_different_slugs(
    make_article: ArticleBuilder, contributor: User
) -> None:
    a = make_article(contributor, State.SUBMITTED, title="Zelfde titel")
    b = make_article(contributor, State.SUBMITTED, title="Zelfde titel")
    assert a.slug == "zelfde-titel"
    assert b.slug == "zelfde-titel-2"


# --- Who is told ---------------------------------------------------------------------------------


def test_editors_get_one_email_on_submission(
    make_article: ArticleBuilder,
    contributor: User,
    editor: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    article = make_article.draft(contributor, title="Werk verandert")
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_article(article=article, by=contributor, terms=statement())
    # The editors' notice, and the author's acknowledgement (tests/web/test_write_for_podium.py).
    assert sorted(m.to[0] for m in mail.outbox) == sorted([editor.email, contributor.email])
    (message,) = [m for m in mail.outbox if m.to == [editor.email]]
    assert message.to == [editor.email]
    assert "Werk verandert" in message.subject
    assert f"/redactie/artikel/{article.pk}/" in message.body
    html = message.alternatives[0][0]
    assert "Werk verandert" in html


def test_editors_hear_of_a_trusted_contributors_publication(
    make_article: ArticleBuilder,
    trusted_contributor: User,
    editor: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    article = make_article.draft(trusted_contributor)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_article(article=article, by=trusted_contributor, terms=statement())
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [editor.email]
    with translation.override("nl"):
        assert (
            gettext("Published without review: %(title)s") % {"title": article.title}
            in mail.outbox[0].subject
        )


def test_editors_hear_of_a_withdrawn_submission(
    make_article: ArticleBuilder,
    contributor: User,
    editor: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    article = make_article(contributor, State.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_submission(article=article, by=contributor)
    assert [m.to for m in mail.outbox] == [[editor.email]]
    with translation.override("nl"):
        assert (
            gettext("Submission withdrawn: %(title)s") % {"title": article.title}
            in mail.outbox[0].subject
        )


def test_no_email_is_sent_when_the_submission_fails(
    make_article: ArticleBuilder,
    contributor: User,
    editor: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    article = make_article.draft(contributor, lead="")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.submit_article(article=article, by=contributor, terms=statement())
    assert mail.outbox == []


def test_author_is_told_of_publication(
    make_article: ArticleBuilder,
    contributor: User,
    editor: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    article = make_article(contributor, State.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_article(article=article, by=editor, message="Mooi stuk!")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [contributor.email]
    assert article.get_absolute_url() in message.body
    assert "Mooi stuk!" in message.body


def test_author_is_told_which_changes_are_requested(
    make_article: ArticleBuilder,
    contributor: User,
    editor: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    article = make_article(contributor, State.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_changes(
            article=article, by=editor, message="Schrap de tweede alinea.\nEn de laatste zin."
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [contributor.email]
    assert "Schrap de tweede alinea." in message.body
    assert "Schrap de tweede alinea.<br>En de laatste zin." in message.alternatives[0][0]


def test_author_is_told_why_the_article_is_rejected(
    make_article: ArticleBuilder,
    contributor: User,
    editor: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    article = make_article(contributor, State.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_article(article=article, by=editor, reason="Dit is een persbericht.")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [contributor.email]
    assert "Dit is een persbericht." in mail.outbox[0].body


def test_author_is_told_why_the_article_was_taken_down(
    make_article: ArticleBuilder,
    contributor: User,
    editor: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    article = make_article(contributor, State.PUBLISHED)
    with django_capture_on_commit_callbacks(execute=True):
        services.take_down_article(article=article, by=editor, reason="Een klacht.")
    assert [m.to for m in mail.outbox] == [[contributor.email]]
    assert "Een klacht." in mail.outbox[0].body


def test_author_gets_a_change_summary_of_an_editor_edit(
    make_article: ArticleBuilder,
    contributor: User,
    editor: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    article = make_article(
        contributor, State.SUBMITTED, body="<p>Het gras is groen en de lucht is blauw.</p>"
    )
    text = make_article.text(
        title=article.title, body="<p>Het gras is geel en de lucht is blauw.</p>"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.edit_article(
            article=article,
            by=editor,
            text=text,
            expected_version=article.version,
            note="Kleur verbeterd.",
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [contributor.email]
    assert "- groen" in message.body
    assert "+ geel" in message.body
    assert "Kleur verbeterd." in message.body
    assert "<del>groen</del>" in message.alternatives[0][0]
    assert "<ins>geel</ins>" in message.alternatives[0][0]


def test_the_author_is_not_emailed_about_own_actions(
    make_article: ArticleBuilder,
    contributor: User,
    editor: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    article = make_article(contributor, State.PUBLISHED)
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_article(article=article, by=contributor)
        services.reopen_article(article=article, by=contributor)
    assert mail.outbox == []


def test_emails_are_sent_only_after_commit(
    make_article: ArticleBuilder,
    contributor: User,
    editor: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    article = make_article(contributor, State.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.publish_article(article=article, by=editor)
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [[contributor.email]]


def test_the_editors_address_from_the_settings_is_added(
    make_article: ArticleBuilder,
    contributor: User,
    editor: User,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.EDITORS_EMAIL = "redactie@example.org"
    article = make_article.draft(contributor)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_article(article=article, by=contributor, terms=statement())
    assert sorted(mail.outbox[0].to) == sorted([editor.email, "redactie@example.org"])
