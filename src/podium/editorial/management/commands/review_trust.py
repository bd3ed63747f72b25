from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from podium.editorial.trust import review_all


class Command(BaseCommand):
    help = (
        "Grant trust to every contributor whose record now meets the automatic rule "
        "(the worker also does this daily)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{review_all()} contributor(s) became trusted.")
