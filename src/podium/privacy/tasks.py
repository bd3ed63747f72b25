from __future__ import annotations

from django.tasks import task

from . import services


@task()
def enforce_retention() -> dict[str, int]:
    """Run daily (cron: `podium retention`, or enqueue this task): deletes what is kept only a while."""
    return services.enforce_retention()
