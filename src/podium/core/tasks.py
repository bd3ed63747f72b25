"""Background work of the core app."""

from __future__ import annotations

from typing import Any

from django.tasks import task

from . import maintenance


@task()
def daily_maintenance() -> dict[str, Any]:
    """The daily upkeep (see podium.core.maintenance); queues tomorrow's run when done."""
    summary = maintenance.run_daily()
    maintenance.schedule_next()
    return summary
