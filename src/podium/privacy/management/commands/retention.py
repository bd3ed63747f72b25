from django.core.management.base import BaseCommand

from podium.privacy import services


class Command(BaseCommand):
    help = "Delete what the privacy statement keeps only for a while (the worker also does this daily)."

    def handle(self, *args: object, **options: object) -> None:
        for name, count in services.enforce_retention().items():
            self.stdout.write(f"{name}: {count} deleted")
