"""`podium newsletter send EDITION` and friends.

`send` starts the edition (if it is not sending yet) and then takes part in sending it, next to
any `podium worker` processes, showing a progress bar until every delivery is done."""

from __future__ import annotations

import sys
import threading
import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from podium.newsletter import sending, services, tasks
from podium.newsletter.models import Edition
from podium.newsletter.selectors import Progress, edition_progress


def bar(progress: Progress, width: int = 40) -> str:
    filled = int(width * progress.percent / 100)
    return (
        f"[{'#' * filled}{'.' * (width - filled)}] {progress.percent:3d}%  "
        f"sent {progress.sent}  failed {progress.failed}  skipped {progress.skipped}  to go {progress.pending}"
    )


class Command(BaseCommand):
    help = "Send and inspect newsletter editions."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        send = sub.add_parser("send", help="Start sending an edition and show its progress.")
        send.add_argument("edition", type=int)
        send.add_argument(
            "--watch-only",
            action="store_true",
            help="Only show progress; leave sending to the workers.",
        )
        status = sub.add_parser("status", help="Show an edition's progress once.")
        status.add_argument("edition", type=int)
        sub.add_parser(
            "resume",
            help="Queue senders for every edition still sending, and start due scheduled ones.",
        )
        sub.add_parser(
            "send-due", help="Start the scheduled editions whose time has come (for cron)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["subcommand"]
        if name == "send":
            self.send(options["edition"], watch_only=options["watch_only"])
        elif name == "status":
            self._edition(options["edition"])
            self.stdout.write(bar(edition_progress(options["edition"])))
        elif name == "resume":
            started, resumed = tasks.resume_all()
            self.stdout.write(
                f"started {started or 'none'}; senders queued for {resumed or 'none'}"
            )
        elif name == "send-due":
            started = services.start_due_editions()
            self.stdout.write(f"started {started or 'none'}")

    def _edition(self, pk: int) -> Edition:
        try:
            return Edition.objects.get(pk=pk)
        except Edition.DoesNotExist:
            raise CommandError(f"There is no edition {pk}.") from None

    def send(self, pk: int, *, watch_only: bool) -> None:
        edition = self._edition(pk)
        if edition.is_editable:
            try:
                services.start_sending(edition=edition, by=None)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
            self.stdout.write(f"Edition {pk} “{edition.subject}”: sending started.")
        elif edition.status == Edition.Status.SENT:
            self.stdout.write(bar(edition_progress(pk)))
            return
        done = threading.Event()
        errors: list[BaseException] = []

        def work() -> None:
            from django.db import connection

            try:
                while not done.is_set():
                    result = sending.run_worker(
                        edition_id=pk, worker_id=sending.new_worker_id("cli")
                    )
                    if result.finished:
                        break
                    if result.wake_at is not None:
                        time.sleep(2)
            except BaseException as exc:
                errors.append(exc)
            finally:
                connection.close()

        worker = None
        if not watch_only:
            worker = threading.Thread(target=work, daemon=True)
            worker.start()
        tty = sys.stdout.isatty()
        try:
            while True:
                progress = edition_progress(pk)
                line = bar(progress)
                self.stdout.write(("\r" + line) if tty else line, ending="" if tty else "\n")
                self.stdout.flush()
                if progress.status == Edition.Status.SENT or errors:
                    break
                time.sleep(0.5 if tty else 5)
        except KeyboardInterrupt:
            self.stdout.write(
                "\nStopped watching; unfinished deliveries are taken over by the workers."
            )
        finally:
            done.set()
            if worker is not None:
                worker.join(timeout=30)
        self.stdout.write("")
        if errors:
            raise CommandError(f"sending stopped: {errors[0]}")
        progress = edition_progress(pk)
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {progress.sent} sent, {progress.failed} failed, {progress.skipped} skipped of {progress.total}."
            )
        )
