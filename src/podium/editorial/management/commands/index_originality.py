"""`podium index_originality [--missing]`: (re)build the editor's assistant's originality index in
bulk, for data that did not pass through a submission (imports, `podium seed`) or after a change
of the hashing scheme."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from podium.editorial import assistant


class Command(BaseCommand):
    help = (
        "Fingerprint every submitted article for the originality check (MinHash, LSH bands), "
        "in bulk; with --missing only those without a fingerprint."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--missing", action="store_true", help="Only articles without a fingerprint."
        )
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        started = time.perf_counter()
        count = assistant.index_many(
            assistant.texts_to_index(
                missing_only=options["missing"], batch_size=options["batch_size"]
            ),
            batch_size=options["batch_size"],
        )
        self.stdout.write(
            f"{count} article(s) fingerprinted in {time.perf_counter() - started:.1f} s."
        )
