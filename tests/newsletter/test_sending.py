"""Sending an edition: one delivery per confirmed subscriber, one message each, personalised."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from podium.accounts.models import User
from podium.newsletter import sending, services
from podium.newsletter.models import Delivery, Edition, Subscriber
from podium.newsletter.rendering import UNSUBSCRIBE_PLACEHOLDER, message_id

from .conftest import add_subscribers
from .doubles import Clock, Server


def drain(edition: Edition, clock: Clock, *, step: float = 3600, rounds: int = 50) -> None:
    """Run workers, moving the clock on whenever only retries are left, until the edition is done."""
    for _ in range(rounds):
        result = sending.run_worker(edition_id=edition.pk, clock=clock, idle_wait=0)
        if result.finished:
            return
        clock.advance(step)
    raise AssertionError("the edition did not finish")


def test_start_sending_creates_one_delivery_per_confirmed_subscriber(
    ready_edition: Edition, editor: User
) -> None:
    confirmed = add_subscribers(4)
    add_subscribers(2, prefix="wacht", status=Subscriber.Status.PENDING)
    add_subscribers(1, prefix="weg", status=Subscriber.Status.UNSUBSCRIBED)
    edition = services.start_sending(edition=ready_edition, by=editor)
    assert edition.status == Edition.Status.SENDING
    assert sorted(Delivery.objects.values_list("subscriber_id", flat=True)) == sorted(
        s.pk for s in confirmed
    )
    assert UNSUBSCRIBE_PLACEHOLDER in edition.html and UNSUBSCRIBE_PLACEHOLDER in edition.text
    assert all(item.title for item in edition.items.all()), "items are frozen when sending starts"


def test_sending_delivers_each_subscriber_once_with_personal_headers(
    ready_edition: Edition, editor: User, django_capture_on_commit_callbacks: Any
) -> None:
    subs = add_subscribers(7)
    with django_capture_on_commit_callbacks(execute=True):
        services.start_sending(edition=ready_edition, by=editor)
    ready_edition.refresh_from_db()
    assert ready_edition.status == Edition.Status.SENT and ready_edition.finished_at
    assert sorted(m.to[0] for m in mail.outbox) == sorted(s.email for s in subs)
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 7
    by_address = {m.to[0]: m for m in mail.outbox}
    message = by_address[subs[0].email]
    assert message.extra_headers["Message-ID"] == message_id(ready_edition.pk, subs[0].pk)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link.startswith("https://podium.example/nieuwsbrief/afmelden/")
    html = message.alternatives[0].content
    assert link in html and link in message.body
    assert UNSUBSCRIBE_PLACEHOLDER not in html + message.body
    assert 'style="' in html, "CSS is inlined"
    assert "prefers-color-scheme: dark" in html
    for article in ready_edition.items.all():
        assert article.title in html and article.title in message.body
    assert (
        by_address[subs[1].email].extra_headers["List-Unsubscribe"]
        != message.extra_headers["List-Unsubscribe"]
    )


def test_a_delivery_exists_once_per_edition_and_subscriber(
    ready_edition: Edition, editor: User
) -> None:
    add_subscribers(1)
    services.start_sending(edition=ready_edition, by=editor)
    delivery = Delivery.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(
            edition=ready_edition, subscriber=delivery.subscriber, due_at=delivery.due_at
        )


def test_an_edition_cannot_be_started_twice_or_changed_after(
    ready_edition: Edition, editor: User
) -> None:
    add_subscribers(2)
    services.start_sending(edition=ready_edition, by=editor)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.start_sending(edition=ready_edition, by=editor)
    with pytest.raises(ValidationError):
        services.update_edition(edition=ready_edition, subject="Anders", intro="", by=editor)
    assert Delivery.objects.count() == 2


def test_one_connection_per_batch(
    ready_edition: Edition, editor: User, server: Server, clock: Clock
) -> None:
    add_subscribers(12)  # batch size 5: three batches
    services.start_sending(edition=ready_edition, by=editor)
    drain(ready_edition, clock)
    assert len(server.accepted) == 12
    assert server.opens == 3


def test_temporary_failures_are_retried_later_with_the_same_message_id(
    ready_edition: Edition, editor: User, server: Server, clock: Clock
) -> None:
    add_subscribers(4)
    server.refuse_every = 2  # 451 on every second attempt
    services.start_sending(edition=ready_edition, by=editor)
    first = sending.run_worker(edition_id=ready_edition.pk, clock=clock, idle_wait=0)
    assert first.totals.sent == 2 and first.totals.retried == 2 and not first.finished
    assert first.wake_at is not None and first.wake_at > clock()
    waiting = Delivery.objects.filter(status=Delivery.Status.PENDING)
    assert all(d.attempts == 1 and "451" in d.last_error and d.claimed_by == "" for d in waiting)
    server.refuse_every = 0
    drain(ready_edition, clock)
    assert len(server.accepted) == 4 and not server.duplicates
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 4


def test_permanent_failures_fail_the_delivery_and_count_as_bounce(
    ready_edition: Edition, editor: User, server: Server, clock: Clock, settings: Any
) -> None:
    settings.NEWSLETTER_BOUNCE_LIMIT = 1
    subs = add_subscribers(3)
    server.permanent_for = {subs[1].email}
    services.start_sending(edition=ready_edition, by=editor)
    drain(ready_edition, clock)
    failed = Delivery.objects.get(status=Delivery.Status.FAILED)
    assert (
        failed.subscriber_id == subs[1].pk and "550" in failed.last_error and failed.attempts == 1
    )
    bounced = Subscriber.objects.get(pk=subs[1].pk)
    assert bounced.bounce_score == 1 and bounced.status == Subscriber.Status.SUPPRESSED
    assert len(server.accepted) == 2


def test_below_the_bounce_limit_the_subscriber_stays(
    ready_edition: Edition, editor: User, server: Server, clock: Clock, settings: Any
) -> None:
    settings.NEWSLETTER_BOUNCE_LIMIT = 2
    subs = add_subscribers(1)
    server.permanent_for = {subs[0].email}
    services.start_sending(edition=ready_edition, by=editor)
    drain(ready_edition, clock)
    subscriber = Subscriber.objects.get()
    assert subscriber.bounce_score == 1 and subscriber.status == Subscriber.Status.CONFIRMED


def test_a_delivery_fails_after_the_last_attempt(
    ready_edition: Edition, editor: User, server: Server, clock: Clock, settings: Any
) -> None:
    settings.NEWSLETTER_MAX_ATTEMPTS = 3
    add_subscribers(1)
    server.refuse_every = 1
    services.start_sending(edition=ready_edition, by=editor)
    drain(ready_edition, clock)
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED and delivery.attempts == 3
    assert Subscriber.objects.get().bounce_score == 0, "temporary failures are no bounces"
    ready_edition.refresh_from_db()
    assert ready_edition.status == Edition.Status.SENT


def test_subscribers_who_leave_during_sending_are_skipped(
    ready_edition: Edition, editor: User, server: Server, clock: Clock
) -> None:
    subs = add_subscribers(3)
    services.start_sending(edition=ready_edition, by=editor)
    services.unsubscribe(subscriber=subs[0])
    drain(ready_edition, clock)
    assert Delivery.objects.get(subscriber=subs[0]).status == Delivery.Status.SKIPPED
    assert sorted(m.to[0] for m in server.accepted) == sorted(s.email for s in subs[1:])


def test_the_send_rate_spreads_the_edition(
    ready_edition: Edition, editor: User, server: Server, clock: Clock, settings: Any
) -> None:
    settings.NEWSLETTER_SEND_RATE = 60  # one a second
    add_subscribers(10)
    services.start_sending(edition=ready_edition, by=editor)
    clock.now = Delivery.objects.order_by("due_at").first().due_at  # type: ignore[union-attr]
    clock.advance(2.5)
    result = sending.run_worker(edition_id=ready_edition.pk, clock=clock, idle_wait=0)
    assert result.totals.sent == 3 and result.wake_at is not None
    drain(ready_edition, clock, step=1)
    assert len(server.accepted) == 10


def test_scheduled_editions_start_when_due(ready_edition: Edition, editor: User) -> None:
    import datetime

    from django.utils import timezone

    add_subscribers(2)
    at = timezone.now() + datetime.timedelta(hours=1)
    services.schedule_edition(edition=ready_edition, at=at, by=editor)
    assert services.start_due_editions() == []
    assert services.start_due_editions(now=at) == [ready_edition.pk]
    ready_edition.refresh_from_db()
    assert ready_edition.status == Edition.Status.SENDING and Delivery.objects.count() == 2
    assert services.start_due_editions(now=at) == [], "a second call starts nothing"


def test_a_test_send_goes_to_the_editor_only(ready_edition: Edition, editor: User) -> None:
    add_subscribers(3)
    services.send_test(edition=ready_edition, by=editor)
    assert [m.to for m in mail.outbox] == [[editor.email]]
    assert mail.outbox[0].subject.startswith("[Test]")
    assert not Delivery.objects.exists()
    ready_edition.refresh_from_db()
    assert ready_edition.status == Edition.Status.DRAFT


def test_smtp_messages_are_built_once_and_personalised_by_substitution(
    ready_edition: Edition, editor: User, server: Server, clock: Clock
) -> None:
    import email
    import email.policy

    services.update_edition(
        edition=ready_edition, subject="De wéék van Podium", intro="Één", by=editor
    )
    subs = add_subscribers(2)
    services.start_sending(edition=ready_edition, by=editor)
    drain(ready_edition, clock)
    parsed = {}
    for received in server.accepted:
        message = email.message_from_bytes(received.raw, policy=email.policy.default)
        parsed[str(message["To"])] = message
    message = parsed[subs[0].email]
    assert message["Subject"] == "De wéék van Podium"
    assert message["Message-ID"] == message_id(ready_edition.pk, subs[0].pk)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = str(message["List-Unsubscribe"]).strip("<>")
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert link in text and f'href="{link}"' in html
    assert "Één" in text and UNSUBSCRIBE_PLACEHOLDER not in text + html
    assert parsed[subs[1].email]["List-Unsubscribe"] != message["List-Unsubscribe"]
    # The link works: it leads to the subscriber's own unsubscribe page.
    from django.test import Client

    response = Client().post(link.removeprefix("https://podium.example"))
    assert response.status_code == 200
    assert Subscriber.objects.get(pk=subs[0].pk).status == Subscriber.Status.UNSUBSCRIBED
