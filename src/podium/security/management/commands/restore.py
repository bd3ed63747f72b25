from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from podium.security import backup


class Command(BaseCommand):
    help = "Restore the database and the media from a backup FILE made by `podium backup` (stop the site first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: object, file: Path, **options: object) -> None:
        if not file.is_file():
            raise CommandError(f"No backup at {file}")
        try:
            manifest = backup.restore(file)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored the {manifest['engine']} database of {manifest['created_at']} and the media"
        )
