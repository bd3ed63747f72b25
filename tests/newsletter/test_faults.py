"""Faults that must never lose a delivery nor send a second copy (on SQLite and PostgreSQL).

The one repeat allowed: a worker killed after the mail server accepted a message and before the
delivery was recorded. It is sent again after the lease, with the same Message-ID."""

from __future__ import annotations

import threading
from typing import Any
from unittest import mock

import pytest
from django.db import OperationalError, connection

from podium.accounts.models import User
from podium.editorial.services import pick_article
from podium.newsletter import sending, services
from podium.newsletter.models import Delivery, Edition, Subscriber

from ..podium_helpers import bulk_publish
from .conftest import add_subscribers
from .doubles import Clock, Killed, Server
from .test_sending import drain

LEASE = 60


def everyone_exactly_once(
    server: Server, subscribers: list[Subscriber], *, repeats_allowed: int = 0
) -> None:
    editions = [
        m for m in server.accepted if m.message_id.startswith("<edition-")
    ]  # not the pick notices
    received = {m.to[0] for m in editions}
    assert received == {s.email for s in subscribers}, "nobody is missed"
    repeats = sum(n - 1 for n in server.message_ids.values())
    assert repeats <= repeats_allowed, server.duplicates
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == len(subscribers)


def test_refusing_and_dropping_every_nth_message(
    ready_edition: Edition, editor: User, server: Server, clock: Clock
) -> None:
    subs = add_subscribers(23)
    server.refuse_every = 3
    server.drop_every = 7
    services.start_sending(edition=ready_edition, by=editor)
    drain(ready_edition, clock)
    everyone_exactly_once(server, subs)
    assert server.opens > 5, "a dropped connection is reopened for the rest of the batch"
    retried = Delivery.objects.filter(attempts__gt=1)
    assert retried.exists() and all(d.status == Delivery.Status.SENT for d in retried)


def test_worker_killed_after_acceptance_repeats_at_most_that_message(
    ready_edition: Edition, editor: User, server: Server, clock: Clock
) -> None:
    subs = add_subscribers(12)
    server.kill_after_accepting = 3  # dies between the server's OK and the UPDATE of message 3
    services.start_sending(edition=ready_edition, by=editor)
    with pytest.raises(Killed):
        sending.run_worker(edition_id=ready_edition.pk, worker_id="first", clock=clock, idle_wait=0)
    server.kill_after_accepting = 0
    held = Delivery.objects.filter(claimed_by__startswith="first:", status=Delivery.Status.PENDING)
    assert held.count() == 3, "the rest of the killed worker's batch stays claimed"
    # A second worker starts at once: it sends everything else, but not the held batch.
    second = sending.run_worker(
        edition_id=ready_edition.pk, worker_id="second", clock=clock, idle_wait=0
    )
    assert second.totals.sent == 12 - 5 and not second.finished
    assert second.wake_at is not None and second.wake_at > clock()
    # After the lease it takes over.
    clock.advance(LEASE + 1)
    third = sending.run_worker(
        edition_id=ready_edition.pk, worker_id="second", clock=clock, idle_wait=0
    )
    assert third.finished
    everyone_exactly_once(server, subs, repeats_allowed=1)
    (repeated,) = server.duplicates
    assert server.duplicates[repeated] == 2, "the repeat has the same Message-ID"


def test_worker_killed_before_the_server_answers_sends_no_repeat(
    ready_edition: Edition, editor: User, server: Server, clock: Clock
) -> None:
    subs = add_subscribers(9)
    server.kill_before_sending = 4
    services.start_sending(edition=ready_edition, by=editor)
    with pytest.raises(Killed):
        sending.run_worker(edition_id=ready_edition.pk, worker_id="first", clock=clock, idle_wait=0)
    server.kill_before_sending = 0
    clock.advance(LEASE + 1)
    drain(ready_edition, clock)
    everyone_exactly_once(server, subs)


def test_two_workers_interleaved_never_share_a_delivery(
    ready_edition: Edition, editor: User, server: Server, clock: Clock
) -> None:
    subs = add_subscribers(17)
    services.start_sending(edition=ready_edition, by=editor)
    edition = Edition.objects.get(pk=ready_edition.pk)
    while True:
        a = sending.claim_batch(edition_id=edition.pk, worker_id="a", now=clock())
        b = sending.claim_batch(edition_id=edition.pk, worker_id="b", now=clock())
        assert not {r.pk for r in a.rows} & {r.pk for r in b.rows}
        if not a.rows and not b.rows:
            break
        sending.send_batch(b, edition=edition, clock=clock)
        sending.send_batch(a, edition=edition, clock=clock)
    assert sending.finish_if_done(edition.pk)
    everyone_exactly_once(server, subs)


def test_a_claim_is_not_taken_while_its_lease_runs(
    ready_edition: Edition, editor: User, server: Server, clock: Clock
) -> None:
    add_subscribers(3)
    services.start_sending(edition=ready_edition, by=editor)
    a = sending.claim_batch(edition_id=ready_edition.pk, worker_id="a", now=clock())
    clock.advance(LEASE - 1)
    assert sending.claim_batch(edition_id=ready_edition.pk, worker_id="b", now=clock()).rows == []
    clock.advance(2)
    b = sending.claim_batch(edition_id=ready_edition.pk, worker_id="b", now=clock())
    assert [r.pk for r in b.rows] == [r.pk for r in a.rows]
    # The first worker, back from a long pause, finds it no longer holds the rows: it sends nothing.
    result = sending.send_batch(a, edition=Edition.objects.get(pk=ready_edition.pk), clock=clock)
    assert result.sent == 0 and server.accepted == []


def test_a_long_batch_renews_its_lease(
    ready_edition: Edition, editor: User, server: Server, clock: Clock
) -> None:
    add_subscribers(5)
    services.start_sending(edition=ready_edition, by=editor)
    edition = Edition.objects.get(pk=ready_edition.pk)
    batch = sending.claim_batch(edition_id=edition.pk, worker_id="slow", now=clock())
    server.on_accept = lambda message: clock.advance(LEASE / 3)  # a slow mail server
    other: list[int] = []

    def peek(message: Any) -> None:
        clock.advance(LEASE / 3)
        other.extend(
            r.pk
            for r in sending.claim_batch(edition_id=edition.pk, worker_id="b", now=clock()).rows
        )

    server.on_accept = peek
    result = sending.send_batch(batch, edition=edition, clock=clock)
    assert result.sent == 5 and other == [], "nobody could take over the slow batch"


def test_database_connection_lost_mid_batch(
    ready_edition: Edition, editor: User, server: Server, clock: Clock
) -> None:
    subs = add_subscribers(8)
    services.start_sending(edition=ready_edition, by=editor)
    real = sending._record_sent
    calls = {"n": 0}

    def flaky(*args: Any, **kwargs: Any) -> int:
        calls["n"] += 1
        if calls["n"] in (3, 4):  # the same message fails to record twice, then the DB is back
            raise OperationalError("server closed the connection unexpectedly")
        return real(*args, **kwargs)

    with (
        mock.patch.object(sending, "_record_sent", flaky),
        mock.patch.object(sending.time, "sleep"),
    ):
        drain(ready_edition, clock)
    everyone_exactly_once(server, subs)


def test_database_gone_for_good_stops_the_batch_and_repeats_at_most_one(
    ready_edition: Edition, editor: User, server: Server, clock: Clock
) -> None:
    subs = add_subscribers(8)
    services.start_sending(edition=ready_edition, by=editor)
    real = sending._record_sent
    calls = {"n": 0}

    def broken(*args: Any, **kwargs: Any) -> int:
        calls["n"] += 1
        if calls["n"] >= 3:
            raise OperationalError("could not connect to server")
        return real(*args, **kwargs)

    with (
        mock.patch.object(sending, "_record_sent", broken),
        mock.patch.object(sending.time, "sleep"),
        pytest.raises(sending.DatabaseUnavailable),
    ):
        sending.run_worker(edition_id=ready_edition.pk, worker_id="first", clock=clock, idle_wait=0)
    assert len(server.accepted) == 3, "the worker stops sending once it cannot record"
    clock.advance(LEASE + 1)
    drain(ready_edition, clock)
    everyone_exactly_once(server, subs, repeats_allowed=1)


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs separate connections per thread (PostgreSQL)"
)


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_in_threads_on_postgresql(
    txn_editor: User,
    topics: list[Any],
    contributor: User,
    server: Server,
    monkeypatch: Any,
    settings: Any,
) -> None:
    from podium.newsletter import tasks

    monkeypatch.setattr(tasks, "enqueue_senders", lambda *a, **k: None)
    settings.NEWSLETTER_BATCH_SIZE = 7
    subs = add_subscribers(120)
    editor = txn_editor
    for article in bulk_publish(contributor, topics, 2, prefix="txn"):
        pick_article(article=article, kind="newsletter", by=editor)
    edition = services.create_edition(by=editor)
    services.update_edition(edition=edition, subject="Twee werkers", intro="", by=editor)
    services.start_sending(edition=edition, by=editor)
    errors: list[BaseException] = []
    barrier = threading.Barrier(3)

    def work(name: str) -> None:
        try:
            barrier.wait()
            sending.run_worker(edition_id=edition.pk, worker_id=name, idle_wait=0)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    everyone_exactly_once(server, subs)
    assert Edition.objects.get(pk=edition.pk).status == Edition.Status.SENT


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_postgresql_connection_killed_mid_batch(
    txn_editor: User, topics: list[Any], contributor: User, server: Server, monkeypatch: Any
) -> None:
    from podium.newsletter import tasks

    monkeypatch.setattr(tasks, "enqueue_senders", lambda *a, **k: None)
    monkeypatch.setattr(sending.time, "sleep", lambda s: None)
    subs = add_subscribers(9)
    editor = txn_editor
    for article in bulk_publish(contributor, topics, 2, prefix="txn"):
        pick_article(article=article, kind="newsletter", by=editor)
    edition = services.create_edition(by=editor)
    services.update_edition(edition=edition, subject="Verbinding weg", intro="", by=editor)
    services.start_sending(edition=edition, by=editor)

    def cut(message: Any) -> None:
        if len(server.accepted) in (2, 6):
            connection.connection.close()  # the socket under Django goes away

    server.on_accept = cut
    result = sending.run_worker(edition_id=edition.pk, idle_wait=0)
    assert result.finished
    everyone_exactly_once(server, subs)
