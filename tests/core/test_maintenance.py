"""The daily upkeep: queued by the worker without cron, runs every app's daily job (retention,
automatic trust), then queues the next day's run exactly once."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from podium.accounts.models import User
from podium.articles.models import Article
from podium.core import hooks, maintenance
from podium.newsletter.models import Subscriber
from tests.podium_helpers import ArticleBuilder

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
AMS = datetime.timezone(datetime.timedelta(hours=1))  # Europe/Amsterdam in winter


def test_the_next_run_is_the_next_half_past_three_local_time() -> None:
    before = datetime.datetime(2026, 11, 29, 2, 0, tzinfo=AMS)
    after = datetime.datetime(2026, 11, 29, 3, 30, tzinfo=AMS)
    assert maintenance.next_run(before) == datetime.datetime(2026, 11, 29, 3, 30, tzinfo=AMS)
    # At (or after) the moment itself: tomorrow, not a second run today.
    assert maintenance.next_run(after) == datetime.datetime(2026, 11, 30, 3, 30, tzinfo=AMS)
    with override_settings(PODIUM_DAILY_AT="23:05"):
        assert maintenance.next_run(after).time() == datetime.time(23, 5)


def test_every_app_registers_its_daily_job() -> None:
    names = {f"{r.__module__}.{r.__qualname__}" for r in hooks.receivers(hooks.DAILY)}
    assert "podium.privacy.services.enforce_retention" in names
    assert "podium.editorial.receivers.on_daily" in names


def test_a_daily_run_enforces_retention_and_grants_earned_trust(
    contributor: User,
    make_article: ArticleBuilder,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # Three publications while the account was young: no trust then ...
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            make_article(contributor, Article.State.PUBLISHED)
    assert not User.objects.get(pk=contributor.pk).is_trusted
    # ... but once the account is old enough, without any new event, the daily sweep grants it.
    User.objects.filter(pk=contributor.pk).update(
        date_joined=timezone.now() - datetime.timedelta(days=31)
    )
    stale = Subscriber.objects.create(email="nooit-bevestigd@example.org")
    Subscriber.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=60)
    )
    summary = maintenance.run_daily()
    assert summary["podium.editorial.receivers.on_daily"] == {"became_trusted": 1}
    assert summary["podium.privacy.services.enforce_retention"]["unconfirmed_subscribers"] == 1
    assert User.objects.get(pk=contributor.pk).is_trusted
    assert not Subscriber.objects.filter(pk=stale.pk).exists()


def test_one_failing_job_does_not_stop_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> None:
        raise RuntimeError("kapot")

    monkeypatch.setattr(hooks, "_receivers", {hooks.DAILY: [broken, lambda: {"ok": 1}]})
    summary = maintenance.run_daily()
    assert next(iter(summary.values())) == {"error": "RuntimeError: kapot"}
    assert {"ok": 1} in summary.values()


@override_settings(TASKS=DB_TASKS)
def test_the_worker_queues_one_daily_run_and_the_run_queues_the_next() -> None:
    first = maintenance.schedule_next()
    assert first is not None and first > timezone.now()
    assert maintenance.schedule_next() is None  # already queued: no second one
    queued = DBTaskResult.objects.get(task_path=maintenance.TASK_PATH)
    assert queued.status == "READY" and queued.run_after == first

    # The run itself (status RUNNING, not READY) queues tomorrow's.
    DBTaskResult.objects.filter(pk=queued.pk).update(status="RUNNING")
    from podium.core.tasks import daily_maintenance

    daily_maintenance.call()
    waiting = DBTaskResult.objects.filter(task_path=maintenance.TASK_PATH, status="READY")
    assert waiting.count() == 1


def test_without_deferred_tasks_nothing_is_queued() -> None:
    # The tests' immediate backend cannot run a task later: nothing is queued (or run now).
    assert maintenance.schedule_next() is None


def test_the_commands_run_the_same_jobs() -> None:
    stale = Subscriber.objects.create(email="oud-verzoek@example.org")
    Subscriber.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=60)
    )
    out = io.StringIO()
    call_command("review_trust", stdout=out)
    call_command("retention", stdout=out)
    assert "0 contributor(s) became trusted." in out.getvalue()
    assert "unconfirmed_subscribers: 1 deleted" in out.getvalue()
    assert not Subscriber.objects.filter(pk=stale.pk).exists()
