"""`podium seed --articles 100000 --authors 5000 --subscribers 100000`: data at scale (see
`podium.demo.seed`)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from podium.demo.seed import seed
from podium.editorial import assistant


class Command(BaseCommand):
    help = "Add generated authors, articles (with topics, placements, picks, search index) and subscribers."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--articles", type=int, default=1000)
        parser.add_argument("--authors", type=int, default=100)
        parser.add_argument("--subscribers", type=int, default=1000)
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed: the same seed gives the same text."
        )
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument(
            "--header-images",
            type=int,
            default=0,
            metavar="N",
            help="Draw N distinct header pictures (with their variants, about a CPU second each) "
            "and give every article one of them, so cards render their <picture> (make bench-web "
            "uses 16). Default: none.",
        )
        parser.add_argument(
            "--originality",
            action="store_true",
            help="Afterwards, fingerprint every article not yet in the editors' originality index "
            "(about 2 minutes per 100,000; the same as `podium index_originality --missing`).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["authors"] < 1 and options["articles"] > 0:
            raise CommandError("Articles need at least one author (--authors).")
        if min(options["articles"], options["authors"], options["subscribers"]) < 0:
            raise CommandError("Numbers must not be negative.")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        if options["header_images"] < 0:
            raise CommandError("--header-images must not be negative.")
        started = time.perf_counter()
        result = seed(
            articles=options["articles"],
            authors=options["authors"],
            subscribers=options["subscribers"],
            random_seed=options["seed"],
            batch_size=options["batch_size"],
            header_images=options["header_images"],
            report=lambda line: self.stdout.write(line) if options["verbosity"] >= 1 else None,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {result['authors']:,} authors, {result['articles']:,} articles and "
                f"{result['subscribers']:,} subscribers"
                + (f" ({result['header_images']} header images)" if result["header_images"] else "")
                + f" in {time.perf_counter() - started:.0f} s (tag {result['tag']})."
            )
        )
        if options["originality"]:
            started = time.perf_counter()
            count = assistant.index_many(
                assistant.texts_to_index(missing_only=True, batch_size=options["batch_size"]),
                batch_size=options["batch_size"],
            )
            self.stdout.write(
                f"Originality index: {count:,} article(s) fingerprinted in "
                f"{time.perf_counter() - started:.0f} s."
            )
