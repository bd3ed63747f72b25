"""The daily upkeep: what the privacy statement and the trust rules promise to do every day,
without anyone setting up cron.

`podium worker` makes sure one `daily_maintenance` task is waiting in the task queue (run after
the next 03:30 local time, ``PODIUM_DAILY_AT``); when it has run, it queues the next one. The
task announces the ``DAILY`` hook, whose receivers live in the apps that own the rules (privacy:
retention; editorial: contributors whose record now earns automatic trust), and asks SQLite to
refresh its planner statistics (``PRAGMA optimize``; PostgreSQL's autovacuum does that itself).

Two workers starting at the same moment may both queue a run; every job is idempotent, so the
worst case is doing the day's work twice. The management commands `podium retention` and
`podium review_trust` still run the same jobs on demand (or from cron, if you prefer)."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from . import hooks

logger = logging.getLogger(__name__)

TASK_PATH = "podium.core.tasks.daily_maintenance"


def daily_at() -> datetime.time:
    hour, _, minute = settings.PODIUM_DAILY_AT.partition(":")
    return datetime.time(int(hour), int(minute or 0))


def next_run(now: datetime.datetime | None = None) -> datetime.datetime:
    """The next moment at `daily_at()` local time after `now`."""
    local = timezone.localtime(now or timezone.now())
    candidate = local.replace(
        hour=daily_at().hour, minute=daily_at().minute, second=0, microsecond=0
    )
    if candidate <= local:
        candidate = timezone.make_aware(
            datetime.datetime.combine(candidate.date() + datetime.timedelta(days=1), daily_at()),
            local.tzinfo,
        )
    return candidate


def run_daily() -> dict[str, Any]:
    """Run every DAILY receiver (one failing does not stop the others) and tidy the database."""
    summary: dict[str, Any] = {}
    for receiver in hooks.receivers(hooks.DAILY):
        name = f"{receiver.__module__}.{receiver.__qualname__}"
        try:
            summary[name] = receiver()
        except Exception as exc:
            logger.exception("Daily upkeep: %s failed", name)
            summary[name] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA optimize")
        summary["sqlite_optimize"] = True
    return summary


def is_scheduled(after: datetime.datetime | None = None) -> bool:
    """Whether a daily run is already waiting in the database task queue."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=TASK_PATH, status="READY", run_after__gt=after or timezone.now()
    ).exists()


def schedule_next(now: datetime.datetime | None = None) -> datetime.datetime | None:
    """Queue the next daily run unless one is waiting; returns its time, or None when the task
    backend cannot run tasks later (the tests' immediate backend) or one is already queued."""
    from .tasks import daily_maintenance

    backend = daily_maintenance.get_backend()
    if not backend.supports_defer:
        return None
    from django_tasks_db.backend import DatabaseBackend

    if isinstance(backend, DatabaseBackend) and is_scheduled(now):
        return None
    at = next_run(now)
    daily_maintenance.using(run_after=at).enqueue()
    return at
