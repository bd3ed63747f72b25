"""`podium bestof list | build ID [--format a4|trim|epub] [--output FILE] | demo`, for production."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from podium.bestof import selectors, services
from podium.bestof.book import BuildError, prepare_book
from podium.bestof.demo import ensure_demo_compilation
from podium.bestof.models import Compilation


class Command(BaseCommand):
    help = (
        "Compilations of Het beste van Podium: list them, build their files, create the demo one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="List the compilations.")
        build = sub.add_parser("build", help="Build a compilation's files now (in this process).")
        build.add_argument("id", type=int)
        build.add_argument(
            "--format", choices=services.FORMATS, help="Only this format (default: all three)."
        )
        build.add_argument(
            "--output",
            help="Write to this file (one format) or folder (default: the current folder).",
        )
        sub.add_parser("demo", help="Create the demo compilation of the demo articles (once).")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(**options)

    def _list(self, **options: Any) -> None:
        rows = list(selectors.compilations())
        if not rows:
            self.stdout.write("No compilations yet.")
        for c in rows:
            count = getattr(c, "article_count", 0)
            self.stdout.write(
                f"{c.pk:>4}  {c.title}  ({c.period_start:%Y-%m-%d} – {c.period_end:%Y-%m-%d})  "
                f"{count} articles  {c.get_state_display()}  {c.get_build_status_display()}"
            )

    def _build(self, **options: Any) -> None:
        try:
            compilation = Compilation.objects.get(pk=options["id"])
        except Compilation.DoesNotExist:
            raise CommandError(
                f"There is no compilation {options['id']}; see `podium bestof list`."
            ) from None
        formats = [options["format"]] if options["format"] else list(services.FORMATS)
        output = Path(options["output"]) if options["output"] else Path.cwd()
        if len(formats) > 1 and output.suffix:
            raise CommandError(
                "--output must be a folder when building all formats; add --format for one file."
            )
        try:
            book = prepare_book(compilation)
            for fmt in formats:
                target = output if output.suffix else output / services.filename(compilation, fmt)
                target.parent.mkdir(parents=True, exist_ok=True)
                started = timezone.now()
                warnings = services.render(book, fmt, target)
                seconds = (timezone.now() - started).total_seconds()
                self.stdout.write(self.style.SUCCESS(f"{fmt}: {target} ({seconds:.1f} s)"))
                for warning in [*book.warnings, *warnings] if fmt == formats[0] else warnings:
                    self.stderr.write(self.style.WARNING(f"  warning: {warning}"))
        except BuildError as exc:
            raise CommandError("\n".join(exc.messages)) from None

    def _demo(self, **options: Any) -> None:
        compilation = ensure_demo_compilation()
        if compilation is None:
            self.stdout.write(
                "No demo articles or no editor found; load the demo first (`podium demo`)."
            )
        else:
            self.stdout.write(f"Demo compilation: {compilation.pk} {compilation.title}")
