from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from podium.accounts.models import User
from podium.editorial.trust import apply_automatic_trust


class Command(BaseCommand):
    help = "Grant trust to every contributor whose record now meets the automatic rule (run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        granted = 0
        for user in User.objects.filter(
            is_active=True, is_trusted=False, articles__isnull=False
        ).distinct():
            if apply_automatic_trust(user) is not None:
                granted += 1
        self.stdout.write(f"{granted} contributor(s) became trusted.")
