"""`podium newsletter send EDITION` (and `status`): starts the edition, takes part in sending it
next to any workers, shows the progress, and never sends anyone a second copy."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection

from podium.accounts.models import User
from podium.editorial.services import pick_article
from podium.newsletter import services
from podium.newsletter.management.commands import newsletter as command
from podium.newsletter.models import Delivery, Edition
from podium.topics.models import Topic

from ..podium_helpers import bulk_publish
from .conftest import add_subscribers
from .doubles import Server


class InlineThread:
    """The command's sending thread, run in the test's own thread and transaction: SQLite's test
    database is not shared between threads here (PostgreSQL runs the real thread below)."""

    def __init__(self, target: Callable[[], None], daemon: bool = False) -> None:
        self.target = target

    def start(self) -> None:
        self.target()

    def join(self, timeout: float | None = None) -> None:
        pass


@pytest.fixture
def inline(monkeypatch: Any) -> None:
    monkeypatch.setattr(command.threading, "Thread", InlineThread)
    monkeypatch.setattr(connection, "close", lambda: None)  # the thread closes its connection


def _send(*args: str) -> str:
    out = io.StringIO()
    call_command("newsletter", "send", *args, stdout=out)
    return out.getvalue()


def _edition_mails() -> list[Any]:
    return [m for m in mail.outbox if "Message-ID" in m.extra_headers]


@pytest.mark.django_db
def test_send_delivers_each_confirmed_subscriber_once(ready_edition: Edition, inline: None) -> None:
    subscribers = add_subscribers(7)
    add_subscribers(2, prefix="onbevestigd", status="pending")

    output = _send(str(ready_edition.pk))

    assert "sending started" in output
    assert "Done: 7 sent, 0 failed, 0 skipped of 7." in output
    assert "[########################################] 100%" in output
    edition = Edition.objects.get(pk=ready_edition.pk)
    assert edition.status == Edition.Status.SENT and edition.finished_at
    assert sorted(m.to[0] for m in _edition_mails()) == sorted(s.email for s in subscribers)
    assert Delivery.objects.filter(edition=edition, status=Delivery.Status.SENT).count() == 7


@pytest.mark.django_db
def test_sending_a_sent_edition_again_sends_nothing(ready_edition: Edition, inline: None) -> None:
    add_subscribers(3)
    _send(str(ready_edition.pk))
    sent = len(_edition_mails())

    output = _send(str(ready_edition.pk))

    assert len(_edition_mails()) == sent == 3
    assert "100%" in output and "sending started" not in output


@pytest.mark.django_db
def test_send_refuses_an_unknown_edition() -> None:
    with pytest.raises(CommandError, match="There is no edition 999"):
        _send("999")


@pytest.mark.django_db
def test_send_refuses_an_incomplete_edition_and_starts_nothing(editor: User) -> None:
    edition = services.create_edition(by=editor)  # no subject, no articles
    add_subscribers(2)
    with pytest.raises(CommandError) as refused:
        _send(str(edition.pk))
    assert str(refused.value)
    assert Edition.objects.get(pk=edition.pk).status == Edition.Status.DRAFT
    assert not Delivery.objects.exists() and not _edition_mails()


@pytest.mark.django_db
def test_status_shows_the_progress_once(ready_edition: Edition, editor: User) -> None:
    add_subscribers(4)
    services.start_sending(edition=ready_edition, by=editor)  # workers not run yet
    out = io.StringIO()
    call_command("newsletter", "status", str(ready_edition.pk), stdout=out)
    assert "0%" in out.getvalue() and "to go 4" in out.getvalue()


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs separate connections per thread (PostgreSQL)"
)


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_send_with_its_own_thread_and_a_worker_beside_it(
    txn_editor: User,
    topics: list[Topic],
    contributor: User,
    server: Server,
    monkeypatch: Any,
) -> None:
    """The real thing: the command's thread and a `podium worker`'s sender share the edition."""
    from podium.newsletter import sending, tasks

    monkeypatch.setattr(tasks, "enqueue_senders", lambda *a, **k: None)
    real_sleep = command.time.sleep
    monkeypatch.setattr(command.time, "sleep", lambda seconds: real_sleep(min(seconds, 0.05)))
    subscribers = add_subscribers(40)
    for article in bulk_publish(contributor, topics, 2, prefix="cli"):
        pick_article(article=article, kind="newsletter", by=txn_editor)
    edition = services.create_edition(by=txn_editor)
    services.update_edition(
        edition=edition, subject="Via de opdrachtregel", intro="", by=txn_editor
    )
    errors: list[BaseException] = []

    def other_worker() -> None:
        try:
            while Edition.objects.get(pk=edition.pk).status == Edition.Status.DRAFT:
                real_sleep(0.01)
            sending.run_worker(edition_id=edition.pk, worker_id="worker", idle_wait=0)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    beside = threading.Thread(target=other_worker)
    beside.start()
    output = _send(str(edition.pk))
    beside.join(60)

    assert not errors
    assert "Done: 40 sent" in output
    received = [m.to[0] for m in server.accepted if m.message_id.startswith("<edition-")]
    assert sorted(received) == sorted(s.email for s in subscribers), "everyone, exactly once"
