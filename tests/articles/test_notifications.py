"""Batched e-mail about the conversation: one e-mail per person and article per quarter hour,
a daily digest, or none, in the person's language; internal notes reach editors only."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from podium.accounts import roles
from podium.accounts import services as accounts
from podium.accounts.models import User
from podium.articles import conversation, notifications
from podium.articles.models import Article, Notification
from tests.podium_helpers import ArticleBuilder, make_user, statement

State = Article.State
MINUTE = datetime.timedelta(minutes=1)

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(make_article: ArticleBuilder, contributor: User) -> Article:
    return make_article(contributor, State.CHANGES_REQUESTED)


def _deliver(user: User, now: datetime.datetime) -> int:
    return notifications.deliver_due(user.pk, now=now)


def test_three_messages_in_a_quarter_hour_make_two_emails(
    article: Article, contributor: User, editor: User
) -> None:
    start = timezone.now()
    notifications.notify_participants(article, actor=editor, kind="message", text="Eén", now=start)
    assert _deliver(contributor, start) == 1  # the first one goes at once
    notifications.notify_participants(
        article, actor=editor, kind="message", text="Twee", now=start + MINUTE
    )
    notifications.notify_participants(
        article, actor=editor, kind="message", text="Drie", now=start + 2 * MINUTE
    )
    assert _deliver(contributor, start + 5 * MINUTE) == 0  # the quarter hour is not over
    assert _deliver(contributor, start + 15 * MINUTE) == 1  # both in one e-mail
    assert len(mail.outbox) == 2
    body = mail.outbox[1].body
    assert "Twee" in body and "Drie" in body and "Eén" not in body
    assert mail.outbox[1].to == [contributor.email]
    assert _deliver(contributor, start + 60 * MINUTE) == 0  # sent once only


def test_a_second_worker_finds_nothing_to_send(
    article: Article, contributor: User, editor: User
) -> None:
    now = timezone.now()
    notifications.notify_participants(article, actor=editor, kind="message", text="Eén", now=now)
    assert _deliver(contributor, now) == 1
    assert _deliver(contributor, now) == 0
    assert len(mail.outbox) == 1


def test_daily_digest_gathers_every_article(
    make_article: ArticleBuilder, contributor: User, editor: User
) -> None:
    accounts.set_notification_preferences(
        user=contributor, by=contributor, notify=User.Notify.DAILY, email_language="nl"
    )
    first = make_article(contributor, State.SUBMITTED)
    second = make_article(contributor, State.SUBMITTED)
    now = timezone.now()
    for article in (first, second):
        notifications.notify_participants(
            article, actor=editor, kind="message", text=f"Over {article.pk}", now=now
        )
    due = set(Notification.objects.values_list("due_at", flat=True))
    assert len(due) == 1 and due.pop() > now
    assert _deliver(contributor, now) == 0
    assert notifications.deliver_all_due(now=now + datetime.timedelta(days=1)) == {"e-mails": 1}
    assert first.title in mail.outbox[0].body and second.title in mail.outbox[0].body


def test_none_means_no_email(article: Article, contributor: User, editor: User) -> None:
    accounts.set_notification_preferences(
        user=contributor, by=contributor, notify=User.Notify.NONE, email_language="nl"
    )
    rows = notifications.notify_participants(article, actor=editor, kind="message", text="Hallo")
    assert rows == []
    assert notifications.deliver_all_due(now=timezone.now() + datetime.timedelta(days=2)) == {
        "e-mails": 0
    }


def test_email_in_the_recipients_language(
    article: Article, contributor: User, editor: User
) -> None:
    accounts.set_notification_preferences(
        user=contributor, by=contributor, notify=User.Notify.IMMEDIATE, email_language="en"
    )
    now = timezone.now()
    notifications.notify_participants(article, actor=editor, kind="message", text="Hallo", now=now)
    notifications.notify_participants(
        article, actor=contributor, kind="message", text="Dag", now=now
    )
    _deliver(contributor, now)
    _deliver(editor, now)
    english, dutch = mail.outbox
    assert english.subject.startswith("New on") and "Dear Anna de Vries" in english.body
    assert dutch.subject.startswith("Nieuw bij") and "Beste Eva Redacteur" in dutch.body


def test_internal_note_reaches_no_author_even_when_passed(
    article: Article, contributor: User, editor: User
) -> None:
    rows = notifications.notify_participants(
        article,
        actor=editor,
        kind="internal_note",
        text="Intern",
        internal=True,
        recipients=[contributor, editor],
    )
    assert rows == []


def test_editor_demoted_before_sending_gets_no_internal_note(
    article: Article, editor: User, admin_user: User
) -> None:
    colleague = make_user("joost@example.org", display_name="Joost", role=roles.EDITORS)
    conversation.write_message(article=article, by=colleague, body="Intern", internal=True)
    accounts.set_role(user=editor, by=admin_user, role=roles.Role.CONTRIBUTOR)
    editor.refresh_from_db()
    assert _deliver(editor, timezone.now() + datetime.timedelta(hours=1)) == 0
    assert Notification.objects.get(recipient=editor).sent_at is not None


def test_preferences_are_the_members_own(contributor: User, other_contributor: User) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        accounts.set_notification_preferences(
            user=contributor, by=other_contributor, notify="none", email_language="nl"
        )


def test_profile_page_saves_the_choice(contributor: User, contributor_client) -> None:  # type: ignore[no-untyped-def]
    assert "Eén keer per dag" in contributor_client.get("/profiel/").content.decode()
    response = contributor_client.post(
        "/profiel/meldingen/", {"notify": "daily", "email_language": "en"}
    )
    assert response.status_code == 302
    contributor.refresh_from_db()
    assert (contributor.notify, contributor.email_language) == ("daily", "en")


def test_one_task_per_batch(
    article: Article, contributor: User, editor: User, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """The first message of a quarter hour queues the sending; the ones that join it queue
    nothing more (the immediate backend of the tests sends at once)."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        conversation.write_message(article=article, by=editor, body="Eén")
    assert len(callbacks) == 1 and len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        conversation.write_message(article=article, by=editor, body="Twee")
        conversation.write_message(article=article, by=editor, body="Drie")
    assert len(callbacks) == 1  # "Drie" joins the e-mail "Twee" waits for
    assert len(mail.outbox) == 1  # not due before the quarter hour is over
    due = Notification.objects.filter(sent_at=None).values_list("due_at", flat=True)
    assert len(set(due)) == 1


def test_lifecycle_emails_go_in_each_recipients_language(
    make_article: ArticleBuilder,
    contributor: User,
    editor: User,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    colleague = make_user("joost@example.org", display_name="Joost", role=roles.EDITORS)
    for person, language in ((contributor, "en"), (colleague, "en")):
        accounts.set_notification_preferences(
            user=person, by=person, notify=User.Notify.IMMEDIATE, email_language=language
        )
    article = make_article(contributor, State.CHANGES_REQUESTED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        conversation.resubmit(article=article, by=contributor, note="Korter gemaakt.")
    by_recipient = {tuple(m.to): m for m in mail.outbox}
    assert "Review it on the editors' desk" in by_recipient[(colleague.email,)].body
    assert "Note from the author:" in by_recipient[(colleague.email,)].body
    assert "Beoordeel het op de redactiepagina" in by_recipient[(editor.email,)].body
    assert "Notitie van de auteur:" in by_recipient[(editor.email,)].body
    assert "Korter gemaakt." in by_recipient[(editor.email,)].body
    assert "Thank you for" in by_recipient[(contributor.email,)].body


def test_sent_rows_go_after_thirty_days(article: Article, contributor: User, editor: User) -> None:
    now = timezone.now()
    notifications.notify_participants(article, actor=editor, kind="message", text="Oud", now=now)
    _deliver(contributor, now)
    notifications.deliver_all_due(now=now + datetime.timedelta(days=29))
    assert Notification.objects.count() == 1
    notifications.deliver_all_due(now=now + datetime.timedelta(days=31))
    assert not Notification.objects.exists()


def test_a_claim_left_by_a_dead_worker_is_sent_by_the_sweep(
    article: Article, contributor: User, editor: User
) -> None:
    now = timezone.now()
    notifications.notify_participants(article, actor=editor, kind="message", text="Hallo", now=now)
    Notification.objects.update(batch="dead-worker")
    assert notifications.deliver_all_due(now=now + 10 * MINUTE) == {"e-mails": 0}
    assert notifications.deliver_all_due(now=now + 61 * MINUTE) == {"e-mails": 1}
    assert Notification.objects.get().sent_at is not None


def test_co_authors_share_the_conversation_and_its_emails(
    article: Article, contributor: User, other_contributor: User, editor: User, client_for
) -> None:  # type: ignore[no-untyped-def]
    from podium.articles import coauthors

    invitation = coauthors.invite_coauthor(
        article=article, by=contributor, email=other_contributor.email, language="nl"
    )
    coauthors.accept_invitation(invitation=invitation, by=other_contributor)
    article.refresh_from_db()
    now = timezone.now()
    conversation.write_message(article=article, by=editor, body="Kan het korter?")
    conversation.write_message(article=article, by=editor, body="Alleen voor ons.", internal=True)
    assert _deliver(other_contributor, now + 15 * MINUTE) == 1
    sent = [m for m in mail.outbox if m.to == [other_contributor.email]]
    assert len(sent) == 1
    assert "Kan het korter?" in sent[0].body and "Alleen voor ons." not in sent[0].body
    page = client_for(other_contributor).get(f"/profiel/activiteiten/{article.pk}/gesprek/")
    assert page.status_code == 200
    assert "Kan het korter?" in page.content.decode()
    assert "Alleen voor ons." not in page.content.decode()


def test_every_writer_hears_of_a_decision_in_their_own_email(
    make_article: ArticleBuilder,
    contributor: User,
    other_contributor: User,
    editor: User,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    from podium.articles import coauthors
    from podium.articles import services as articles

    article = make_article(contributor, State.DRAFT)
    invitation = coauthors.invite_coauthor(
        article=article, by=contributor, email=other_contributor.email, language="nl"
    )
    coauthors.accept_invitation(invitation=invitation, by=other_contributor)
    articles.submit_article(article=article, by=contributor, terms=statement())
    article.refresh_from_db()
    accounts.set_notification_preferences(
        user=other_contributor, by=other_contributor, notify="immediate", email_language="en"
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        articles.request_changes(article=article, by=editor, message="Korter graag.")
    sent = {tuple(m.to): m.body for m in mail.outbox}
    assert set(sent) == {(contributor.email,), (other_contributor.email,)}
    assert contributor.display_name in sent[(contributor.email,)]
    assert other_contributor.display_name in sent[(other_contributor.email,)]
    assert "Dear" in sent[(other_contributor.email,)]  # in their own language
    assert "Korter graag." in sent[(other_contributor.email,)]
