"""Background work for the newsletter. Tasks take ids and call plain functions."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.tasks import task
from django.utils import timezone, translation

from podium.core.mail import send_templated_email

from . import conf, sending, services, tokens
from .models import Edition, Subscriber

logger = logging.getLogger(__name__)


@task()
def send_confirmation(subscriber_id: int) -> int:
    subscriber = Subscriber.objects.filter(
        pk=subscriber_id, status=Subscriber.Status.PENDING
    ).first()
    if subscriber is None:
        return 0
    from django.conf import settings
    from django.urls import reverse

    # The link opens the page in the language of the e-mail (the subscriber's).
    with translation.override(subscriber.language or settings.LANGUAGE_CODE):
        link = settings.SITE_URL + reverse(
            "newsletter:confirm",
            kwargs={"token": tokens.make_confirm_token(subscriber.pk, subscriber.email)},
        )
    return send_templated_email(
        "newsletter/email/confirm",
        to=[subscriber.email],
        context={"confirm_url": link, "valid_days": conf.confirm_max_age() // 86400},
        language=subscriber.language,
    )


@task()
def send_data_link(subscriber_id: int, language: str = "") -> int:
    """The link to "Mijn nieuwsbriefgegevens" (see subscriber_data.request_data_link). Takes only
    the id, so the task's stored arguments hold nothing personal."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return 0
    from django.conf import settings
    from django.urls import reverse

    language = language or subscriber.language or settings.LANGUAGE_CODE
    with translation.override(language):  # the link in the e-mail's language
        link = settings.SITE_URL + reverse(
            "newsletter:my_data",
            kwargs={"token": tokens.make_data_token(subscriber.pk, subscriber.email)},
        )
    return send_templated_email(
        "newsletter/email/data_link",
        to=[subscriber.email],
        context={"data_url": link, "valid_hours": conf.data_link_max_age() // 3600},
        language=language,
    )


@task()
def send_edition(edition_id: int) -> dict[str, Any]:
    """One sender: claims and sends batches until nothing is due, then hands over to a later run
    when retries or other workers' leases are still open."""
    result = sending.run_worker(edition_id=edition_id, worker_id=sending.new_worker_id("task"))
    if result.wake_at is not None:
        _enqueue_later(edition_id, result.wake_at)
    return result.as_dict()


@task()
def start_scheduled(edition_id: int) -> list[int]:
    return services.start_due_editions()


def _supports_defer() -> bool:
    return bool(send_edition.get_backend().supports_defer)


def _enqueue_later(edition_id: int, at: datetime.datetime) -> None:
    if _supports_defer():
        send_edition.using(run_after=max(at, timezone.now())).enqueue(edition_id)
    else:
        # Backends without deferral (the tests' immediate one) leave the rest to `podium
        # newsletter resume` or the next worker start.
        logger.info(
            "edition %s has work left at %s; no deferred tasks on this backend", edition_id, at
        )


def enqueue_senders(edition_id: int, count: int | None = None) -> None:
    for _ in range(count or conf.parallel_tasks()):
        send_edition.enqueue(edition_id)


def enqueue_scheduled(edition_id: int, at: datetime.datetime) -> None:
    if _supports_defer():
        start_scheduled.using(run_after=at).enqueue(edition_id)


def resume_all() -> tuple[list[int], list[int]]:
    """Start due scheduled editions and give every edition still sending fresh senders; run when
    a worker starts, so a restart picks up whatever a crashed worker left."""
    started = services.start_due_editions()
    sending_ids = list(
        Edition.objects.filter(status=Edition.Status.SENDING).values_list("pk", flat=True)
    )
    for edition_id in sending_ids:
        if edition_id not in started:
            enqueue_senders(edition_id)
    return started, sending_ids
