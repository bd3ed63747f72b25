"""Comments and suggestions reach people through the conversation's batched e-mail
(`articles.notifications`): the authors and the editors involved hear of a new comment or
suggestion, the people in a thread of a reply, the editor who suggested of the decision; the
one who acted hears nothing, and five comments in a quarter hour make one e-mail."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from podium.accounts.models import User
from podium.annotations import services
from podium.articles import notifications
from podium.articles import services as articles
from podium.articles.models import Article, Notification
from tests.podium_helpers import ArticleBuilder

pytestmark = pytest.mark.django_db

LATER = datetime.timedelta(minutes=16)


@pytest.fixture
def submission(make_article: ArticleBuilder, contributor: User) -> Article:
    return make_article(contributor, Article.State.SUBMITTED)


def _news(user: User) -> list[tuple[str, str]]:
    return list(
        Notification.objects.filter(recipient=user).order_by("pk").values_list("kind", "text")
    )


def test_a_comment_a_reply_and_a_decision_each_reach_the_other_side(
    submission: Article, contributor: User, editor: User
) -> None:
    thread = services.comment_on(
        article=submission, by=editor, quote="Teams die leren", body="Een voorbeeld?"
    )
    assert _news(contributor) == [("comment", "“Teams die leren”\nEen voorbeeld?")]
    services.reply(thread=thread, by=contributor, body="Komt eraan.")
    assert _news(editor) == [("reply", "“Teams die leren”\nKomt eraan.")]
    suggestion = services.suggest(
        article=submission, by=editor, quote="de buren", change="replace", replacement="anderen"
    )
    assert _news(contributor)[-1] == ("suggestion", "“de buren” → “anderen”")
    articles.request_changes(article=submission, by=editor, message="Zie de voorstellen.")
    services.accept(thread=suggestion, by=contributor)
    assert _news(editor)[-1] == (
        "resolved",
        "“de buren” → “anderen”\nUw voorstel is aangenomen.",
    )
    assert not Notification.objects.filter(recipient=editor, kind="comment").exists()
    assert not Notification.objects.filter(recipient=contributor, kind="reply").exists()


def test_five_comments_in_a_quarter_hour_make_one_email(
    submission: Article, contributor: User, editor: User
) -> None:
    for word in ("Teams", "leren", "winnen", "wachten", "buren"):
        services.comment_on(article=submission, by=editor, quote=word, body=f"Over {word}.")
    now = timezone.now()
    sent = notifications.deliver_due(contributor.pk, now=now) + notifications.deliver_due(
        contributor.pk, now=now + LATER
    )
    assert sent <= 2
    bodies = " ".join(message.body for message in mail.outbox)
    assert all(f"Over {word}." in bodies for word in ("Teams", "leren", "buren"))
    assert notifications.deliver_due(contributor.pk, now=now + 2 * LATER) == 0


def test_nobody_hears_of_a_thread_being_resolved_or_of_what_they_did_themselves(
    submission: Article, contributor: User, editor: User
) -> None:
    thread = services.comment_on(article=submission, by=contributor, quote="Teams", body="Hm.")
    services.resolve(thread=thread, by=contributor)
    services.reopen(thread=thread, by=editor)
    assert _news(contributor) == []
    assert [kind for kind, _text in _news(editor)] == ["comment"]
