from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from podium.security import backup


class Command(BaseCommand):
    help = "Back up the database (online, while the site runs) and the media to FILE (.tar.gz)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: object, file: Path, **options: object) -> None:
        try:
            manifest = backup.backup(file)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Backup of the {manifest['engine']} database and the media written to {file}"
        )
