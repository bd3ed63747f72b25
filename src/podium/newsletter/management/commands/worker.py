"""`podium worker`: the background worker (django-tasks-db's db_worker) for any number of
processes on any number of machines. On start it hands out senders for unfinished editions, so a
worker restarted after a crash picks up what the crashed one left, and makes sure the daily upkeep
is queued (podium.core.maintenance)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run a background worker (all queues)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--worker-id", default=None, help="Unique per process (default: generated)."
        )
        parser.add_argument("--interval", type=float, default=1.0)

    def handle(self, *args: Any, **options: Any) -> None:
        from podium.core.maintenance import schedule_next
        from podium.newsletter.tasks import resume_all

        resume_all()
        schedule_next()  # the daily upkeep (retention, automatic trust), unless already queued
        extra = {"worker_id": options["worker_id"]} if options["worker_id"] else {}
        call_command(
            "db_worker",
            queue_name="*",
            reload=False,
            interval=options["interval"],
            startup_delay=False,
            verbosity=options["verbosity"],
            **extra,
        )
