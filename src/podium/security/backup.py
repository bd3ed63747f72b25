"""Backups of the database and the uploaded media in one .tar.gz, taken while the site runs.

SQLite is copied through its online backup API (a consistent snapshot, readers and writers carry
on); PostgreSQL through pg_dump's custom format and pg_restore. The archive holds:

    manifest.json        engine, time, Podium's version
    database.sqlite3     or database.pgdump
    media/...            every file under MEDIA_ROOT
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

SQLITE_NAME = "database.sqlite3"
PG_NAME = "database.pgdump"


class BackupError(Exception):
    pass


def _engine() -> str:
    return "sqlite" if connection.vendor == "sqlite" else "postgresql"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: postgresql-client).")
    return path


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db: dict[str, Any] = connection.settings_dict
    args = [
        "-h",
        str(db.get("HOST") or "127.0.0.1"),
        "-p",
        str(db.get("PORT") or 5432),
        "-U",
        str(db.get("USER") or "postgres"),
    ]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def backup(target: Path) -> dict[str, Any]:
    """Write the archive to `target` (atomically: a partial file never has the final name)."""
    engine = _engine()
    manifest = {"engine": engine, "created_at": timezone.now().isoformat(), "format": 1}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if engine == "sqlite":
            connection.ensure_connection()
            destination = sqlite3.connect(work / SQLITE_NAME)
            with destination:
                connection.connection.backup(destination)  # type: ignore[union-attr]
            destination.close()
            database = work / SQLITE_NAME
        else:
            args, env = _pg_env()
            database = work / PG_NAME
            result = subprocess.run(  # noqa: S603 - a fixed argument list, no shell
                [
                    _tool("pg_dump"),
                    *args,
                    "-Fc",
                    "--no-owner",
                    "-f",
                    str(database),
                    connection.settings_dict["NAME"],
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        (work / "manifest.json").write_text(json.dumps(manifest))
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(work / "manifest.json", "manifest.json")
            archive.add(database, database.name)
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                archive.add(media, "media")
        partial.replace(target)
    return manifest


def restore(source: Path) -> dict[str, Any]:
    """Replace the database and the media with the archive's. The site should be stopped."""
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(source, "r:gz") as archive:
        archive.extractall(tmp, filter="data")
        work = Path(tmp)
        manifest = json.loads((work / "manifest.json").read_text())
        if manifest["engine"] != _engine():
            raise BackupError(
                f"This backup is of a {manifest['engine']} database; this site uses {_engine()}."
            )
        if manifest["engine"] == "sqlite":
            connection.ensure_connection()
            source_db = sqlite3.connect(work / SQLITE_NAME)
            with source_db:
                source_db.backup(connection.connection)  # type: ignore[arg-type]
            source_db.close()
        else:
            connection.close()
            args, env = _pg_env()
            result = subprocess.run(  # noqa: S603 - a fixed argument list, no shell
                [
                    _tool("pg_restore"),
                    *args,
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "-d",
                    connection.settings_dict["NAME"],
                    str(work / PG_NAME),
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode:
                raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
        media_dir = work / "media"
        if media_dir.is_dir():
            target = Path(settings.MEDIA_ROOT)
            target.mkdir(parents=True, exist_ok=True)
            for path in media_dir.rglob("*"):
                destination = target / path.relative_to(media_dir)
                if path.is_dir():
                    destination.mkdir(parents=True, exist_ok=True)
                else:
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    destination.write_bytes(path.read_bytes())
    return manifest
