"""podium related [--all]

"Read more" under the published articles (see `podium.articles.related`), computed in bulk: after
an upgrade that brought stored lines (the articles published before it have none, and show the
newest of their topics until they do), or, with --all, anew for every article (say after a large
import). Publishing and editing compute an article's own lines in the background.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from podium.articles import related


class Command(BaseCommand):
    help = "Compute the “read more” of published articles that have none (all with --all)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all", action="store_true", help="compute every published article's anew"
        )
        parser.add_argument("--batch", type=int, default=2000, help="articles per transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        report = self.stdout.write if options["verbosity"] > 1 else None
        done = related.backfill(
            only_missing=not options["all"], batch=options["batch"], report=report
        )
        self.stdout.write(_("“Read more” computed for %(count)d articles.") % {"count": done})
