"""podium remove-orphan-pictures [--grace-days N]

What the daily upkeep does for pictures (`podium.images.cleanup`), now: mark the pictures nothing
uses, delete those marked longer than the grace period ago with their original and variants, and
delete stray files under images/. Run twice a grace period apart to see a picture go; with
--grace-days 0 a picture marked in this run goes in this run (after a restore, say).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from podium.images.cleanup import ORPHAN_GRACE, remove_orphans


class Command(BaseCommand):
    help = "Delete pictures nothing uses any more (after a grace period) and their files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--grace-days",
            type=float,
            default=ORPHAN_GRACE / datetime.timedelta(days=1),
            help="how long a picture stays marked as unused before it is deleted (default: %(default)s)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = remove_orphans(grace=datetime.timedelta(days=options["grace_days"]))
        self.stdout.write(
            f"{report.marked} marked as unused, {report.unmarked} in use again, "
            f"{report.deleted} deleted ({report.files_deleted} files), "
            f"{report.stray_files_deleted} stray files deleted."
        )
        for error in report.errors:
            self.stderr.write(error)
