"""Sending an edition: every pending delivery is sent by exactly one worker.

The protocol, for any number of workers on any number of machines:

1. `claim_batch` takes up to N due deliveries that nobody holds (or whose holder's lease ran
   out) with a conditional UPDATE that sets `claimed_by` to a token unique to this batch and
   `claimed_until` to now + lease. The UPDATE repeats the "nobody holds it" condition, so of two
   workers racing for a row only one gets it (PostgreSQL additionally skips rows another claim
   has locked; SQLite serialises writers).
2. `send_batch` sends the batch over one SMTP (or provider) connection and records each
   delivery right after the server answered, with an UPDATE that only succeeds while this
   batch still holds the row. Leases are renewed while a batch runs, so a slow batch is never
   taken over by another worker while it is still sending.
3. Temporary failures (SMTP 4xx, dropped connections, time-outs) release the row with a later
   `due_at` (exponential back-off); permanent ones (5xx) mark it failed and raise the
   subscriber's bounce score.

The one unavoidable repeat: a worker that dies after the mail server accepted a message but
before the UPDATE recording it leaves the row claimed; after the lease another worker sends it
again, with the same Message-ID. Because every message is recorded before the next is sent,
that is at most one message per crash. A database that stays unreachable for longer than the
recording retries makes the worker stop the batch the same way (at most one repeat)."""

from __future__ import annotations

import logging
import random
import smtplib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.mail import mailers
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Min, Q
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from podium.core import freshness

from . import conf
from .models import Delivery, Edition, Subscriber
from .rendering import build_message, prepare

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]

TEMPORARY = "temporary"
PERMANENT = "permanent"


class DatabaseUnavailable(Exception):
    """Recording a result failed even after reconnecting; the batch stops here."""


@dataclass
class Claimed:
    pk: int
    subscriber_id: int
    email: str
    subscriber_status: str


@dataclass
class Batch:
    token: str
    edition_id: int
    until: datetime
    rows: list[Claimed]


@dataclass
class BatchResult:
    sent: int = 0
    failed: int = 0
    retried: int = 0
    skipped: int = 0
    lost: int = 0

    def add(self, other: BatchResult) -> None:
        for name in ("sent", "failed", "retried", "skipped", "lost"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class RunResult:
    totals: BatchResult = field(default_factory=BatchResult)
    batches: int = 0
    finished: bool = False
    wake_at: datetime | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "sent": self.totals.sent,
            "failed": self.totals.failed,
            "retried": self.totals.retried,
            "skipped": self.totals.skipped,
            "batches": self.batches,
            "finished": self.finished,
            "wake_at": self.wake_at.isoformat() if self.wake_at else None,
        }


def new_worker_id(prefix: str = "worker") -> str:
    import os
    import socket

    return f"{prefix}-{socket.gethostname()[:30]}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


def _claimable(edition_id: int, now: datetime) -> Q:
    return Q(edition_id=edition_id, status=Delivery.Status.PENDING, due_at__lte=now) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )


def claim_batch(
    *, edition_id: int, worker_id: str, size: int | None = None, now: datetime | None = None
) -> Batch:
    """Claim up to `size` due deliveries of the edition for this worker (see the module doc)."""
    now = now or timezone.now()
    size = size or conf.batch_size()
    token = f"{worker_id[:60]}:{uuid.uuid4().hex[:16]}"
    until = now + timedelta(seconds=conf.lease_seconds())
    condition = _claimable(edition_id, now)
    with transaction.atomic():
        ids = list(
            Delivery.objects.filter(condition)
            .order_by("due_at", "pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:size]
        )
        if ids:
            Delivery.objects.filter(condition, pk__in=ids).update(
                claimed_by=token, claimed_until=until
            )
    rows = [
        Claimed(pk, subscriber_id, email, status)
        for pk, subscriber_id, email, status in Delivery.objects.filter(
            claimed_by=token, status=Delivery.Status.PENDING
        )
        .order_by("due_at", "pk")
        .values_list("pk", "subscriber_id", "subscriber__email", "subscriber__status")
    ]
    return Batch(token=token, edition_id=edition_id, until=until, rows=rows)


def classify(exc: BaseException) -> tuple[str, str, bool]:
    """(TEMPORARY or PERMANENT, a short description, whether the connection must be reopened)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        code = codes[0] if codes else 550
        return (
            (PERMANENT if 500 <= code < 600 else TEMPORARY),
            f"SMTP {code} (recipient refused)",
            False,
        )
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return TEMPORARY, "connection to the mail server lost", True
    if isinstance(exc, smtplib.SMTPResponseException):
        code = exc.smtp_code
        text = (
            exc.smtp_error.decode(errors="replace")
            if isinstance(exc.smtp_error, bytes)
            else str(exc.smtp_error)
        )
        kind = PERMANENT if 500 <= code < 600 else TEMPORARY
        # 421 means the server is closing the connection.
        return kind, f"SMTP {code} {text}"[:400], code == 421
    if isinstance(exc, OSError):
        return TEMPORARY, f"connection error: {exc}"[:400], True
    try:
        from anymail.exceptions import AnymailAPIError, AnymailRecipientsRefused
    except ImportError:  # pragma: no cover - anymail is a dependency
        pass
    else:
        if isinstance(exc, AnymailRecipientsRefused):
            return PERMANENT, str(exc)[:400], False
        if isinstance(exc, AnymailAPIError):
            status = getattr(exc, "status_code", None)
            temporary = status is None or status == 429 or status >= 500
            return (TEMPORARY if temporary else PERMANENT), str(exc)[:400], False
    if isinstance(exc, smtplib.SMTPException):
        return TEMPORARY, str(exc)[:400], True
    return TEMPORARY, f"{type(exc).__name__}: {exc}"[:400], True


def backoff(attempts: int) -> timedelta:
    base = conf.retry_base_seconds()
    seconds = min(base * (2 ** max(attempts - 1, 0)), 3600)
    return timedelta(seconds=seconds * random.uniform(1.0, 1.25))


def _with_db_retry[T](operation: Callable[[], T], *, tries: int = 6) -> T:
    """Run a small write, reconnecting after a lost database connection."""
    delay = 0.2
    for attempt in range(tries):
        try:
            return operation()
        except (OperationalError, InterfaceError) as exc:
            if attempt == tries - 1:
                raise DatabaseUnavailable(str(exc)) from exc
            logger.warning("database write failed (%s); reconnecting", exc)
            if not connection.in_atomic_block:
                connection.close()  # Django opens a fresh connection on the next query
            time.sleep(delay)
            delay = min(delay * 2, 5)
    raise DatabaseUnavailable("unreachable")  # pragma: no cover


def _record_sent(row: Claimed, token: str, now: datetime) -> int:
    return Delivery.objects.filter(
        pk=row.pk, claimed_by=token, status=Delivery.Status.PENDING
    ).update(status=Delivery.Status.SENT, sent_at=now, attempts=F("attempts") + 1, last_error="")


def _record_skipped(row: Claimed, token: str) -> int:
    return Delivery.objects.filter(
        pk=row.pk, claimed_by=token, status=Delivery.Status.PENDING
    ).update(status=Delivery.Status.SKIPPED)


def _record_temporary(row: Claimed, token: str, error: str, now: datetime) -> tuple[int, bool]:
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .filter(pk=row.pk, claimed_by=token, status=Delivery.Status.PENDING)
            .only("pk", "attempts")
            .first()
        )
        if delivery is None:
            return 0, False
        attempts = delivery.attempts + 1
        if attempts >= conf.max_attempts():
            Delivery.objects.filter(pk=row.pk).update(
                status=Delivery.Status.FAILED, attempts=attempts, last_error=error
            )
            return 1, False
        Delivery.objects.filter(pk=row.pk).update(
            attempts=attempts,
            last_error=error,
            due_at=now + backoff(attempts),
            claimed_by="",
            claimed_until=None,
        )
        return 1, True


def _record_permanent(row: Claimed, token: str, error: str, now: datetime) -> int:
    with transaction.atomic():
        done = Delivery.objects.filter(
            pk=row.pk, claimed_by=token, status=Delivery.Status.PENDING
        ).update(status=Delivery.Status.FAILED, attempts=F("attempts") + 1, last_error=error)
        if done:
            Subscriber.objects.filter(pk=row.subscriber_id).update(
                bounce_score=F("bounce_score") + 1
            )
            Subscriber.objects.filter(
                pk=row.subscriber_id,
                status=Subscriber.Status.CONFIRMED,
                bounce_score__gte=conf.bounce_limit(),
            ).update(
                status=Subscriber.Status.SUPPRESSED, left_at=now, suppressed_reason=error[:200]
            )
        return done


def _renew(batch: Batch, remaining: list[Claimed], clock: Clock) -> list[Claimed]:
    """Extend the lease on what is left of the batch; keep only the rows still held."""
    now = clock()
    until = now + timedelta(seconds=conf.lease_seconds())
    pks = [row.pk for row in remaining]

    def renew() -> int:
        return Delivery.objects.filter(
            pk__in=pks, claimed_by=batch.token, status=Delivery.Status.PENDING
        ).update(claimed_until=until)

    _with_db_retry(renew)
    held = set(
        Delivery.objects.filter(
            pk__in=pks, claimed_by=batch.token, status=Delivery.Status.PENDING
        ).values_list("pk", flat=True)
    )
    batch.until = until
    return [row for row in remaining if row.pk in held]


def default_mailer() -> Any:
    """A connection of its own to the default mailer (settings.MAILERS["default"])."""
    return mailers.default


def send_batch(
    batch: Batch,
    *,
    edition: Edition,
    clock: Clock = timezone.now,
    connection_factory: Callable[[], Any] = default_mailer,
    on_sent: Callable[[int], None] | None = None,
) -> BatchResult:
    """Send the claimed deliveries over one connection, recording each right after the answer."""
    result = BatchResult()
    if not batch.rows:
        return result
    mail = connection_factory()
    renew_margin = timedelta(seconds=conf.lease_seconds() / 2)
    remaining = list(batch.rows)
    is_open = False
    raw_smtp = isinstance(mail, SMTPBackend)
    prepared = prepare(
        edition_id=edition.pk, subject=edition.subject, html=edition.html, text=edition.text
    )
    try:
        while remaining:
            if clock() >= batch.until - renew_margin:
                remaining = _renew(batch, remaining, clock)
                if not remaining:
                    break
            row = remaining.pop(0)
            if row.subscriber_status != Subscriber.Status.CONFIRMED:
                _with_db_retry(lambda: _record_skipped(row, batch.token))  # noqa: B023
                result.skipped += 1
                continue
            try:
                if not is_open:
                    # Explicitly opened, so the connection stays open for the whole batch.
                    mail.open()
                    is_open = True
                if raw_smtp and row.email.isascii():
                    # SMTP: the prepared bytes with the recipient filled in, no MIME building.
                    raw = prepared.raw_for(subscriber_id=row.subscriber_id, email=row.email)
                    mail.connection.sendmail(prepared.from_email, [row.email], raw)
                else:
                    # Providers (anymail) and other backends take a message object.
                    mail.send_messages(
                        [
                            build_message(
                                edition_id=edition.pk,
                                subject=edition.subject,
                                html=edition.html,
                                text=edition.text,
                                subscriber_id=row.subscriber_id,
                                email=row.email,
                            )
                        ]
                    )
            except Exception as exc:
                kind, error, reopen = classify(exc)
                if reopen:
                    is_open = False
                    try:
                        mail.close()
                    except Exception:
                        logger.debug("closing a broken mail connection failed", exc_info=True)
                now = clock()
                if kind == PERMANENT:
                    done = _with_db_retry(lambda: _record_permanent(row, batch.token, error, now))  # noqa: B023
                    result.failed += done
                else:
                    done, will_retry = _with_db_retry(
                        lambda: _record_temporary(row, batch.token, error, now)  # noqa: B023
                    )
                    if will_retry:
                        result.retried += 1
                    elif done:
                        result.failed += 1
                if not done:
                    result.lost += 1
                continue
            now = clock()
            done = _with_db_retry(lambda: _record_sent(row, batch.token, now))  # noqa: B023
            if done:
                result.sent += 1
                if on_sent:
                    on_sent(1)
            else:
                # Another worker took the row over: only possible after our lease ran out.
                result.lost += 1
                logger.warning("delivery %s was taken over while being sent", row.pk)
    finally:
        try:
            mail.close()
        except Exception:
            logger.debug("closing the mail connection failed", exc_info=True)
    return result


def next_wake(edition_id: int) -> datetime | None:
    """When something of this edition can next be claimed, or None when nothing is left: a row
    becomes claimable at its due time, or when the lease of whoever holds it runs out."""
    return Delivery.objects.filter(edition_id=edition_id, status=Delivery.Status.PENDING).aggregate(
        at=Min(Greatest("due_at", Coalesce("claimed_until", "due_at")))
    )["at"]


def finish_if_done(edition_id: int, now: datetime | None = None) -> bool:
    if Delivery.objects.filter(edition_id=edition_id, status=Delivery.Status.PENDING).exists():
        return False
    if Edition.objects.filter(pk=edition_id, status=Edition.Status.SENDING).update(
        status=Edition.Status.SENT, finished_at=now or timezone.now()
    ):
        freshness.readers_see_change_on_commit()  # the edition appears in the public archive
    return True


def run_worker(
    *,
    edition_id: int,
    worker_id: str | None = None,
    clock: Clock = timezone.now,
    max_batches: int | None = None,
    idle_wait: float | None = None,
    on_sent: Callable[[int], None] | None = None,
    connection_factory: Callable[[], Any] = default_mailer,
    sleep: Callable[[float], None] = time.sleep,
) -> RunResult:
    """Claim and send batches of the edition until nothing is due; wait in-process for work that
    becomes due within `idle_wait` seconds, else report when to come back (`wake_at`)."""
    worker_id = worker_id or new_worker_id()
    idle_wait = conf.idle_wait_seconds() if idle_wait is None else idle_wait
    run = RunResult()
    edition = Edition.objects.only("pk", "subject", "html", "text", "status").get(pk=edition_id)
    if edition.status != Edition.Status.SENDING:
        run.finished = edition.status == Edition.Status.SENT
        return run
    while max_batches is None or run.batches < max_batches:
        try:
            batch = claim_batch(edition_id=edition_id, worker_id=worker_id, now=clock())
        except (OperationalError, InterfaceError):
            logger.warning("claiming failed; reconnecting", exc_info=True)
            if not connection.in_atomic_block:
                connection.close()
            sleep(1)
            continue
        if batch.rows:
            run.batches += 1
            try:
                run.totals.add(
                    send_batch(
                        batch,
                        edition=edition,
                        clock=clock,
                        on_sent=on_sent,
                        connection_factory=connection_factory,
                    )
                )
            except DatabaseUnavailable:
                logger.exception("the database stayed unreachable; stopping this batch")
                raise
            continue
        wake = next_wake(edition_id)
        if wake is None:
            run.finished = finish_if_done(edition_id, clock())
            return run
        wait = (wake - clock()).total_seconds()
        if wait > idle_wait:
            run.wake_at = wake
            return run
        sleep(max(wait, 0.05))
    run.wake_at = next_wake(edition_id)
    return run
