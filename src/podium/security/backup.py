"""Backups of the database and every stored file in one .tar.gz, taken while the site runs.

SQLite is copied through its online backup API (a consistent snapshot, readers and writers carry
on); PostgreSQL through pg_dump's custom format and pg_restore. The files are read through the
storages (podium.core.storage), so the same command backs up local folders and object-store
buckets alike. The archive holds:

    manifest.json        engine, time, format
    database.sqlite3     or database.pgdump
    files/default/...    public media (the "default" storage)
    files/private/...    private files: compilations, data exports, profile photos

Format 1 archives (before the storages) kept MEDIA_ROOT under media/; restore still reads them.
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

from django.core.files import File
from django.core.files.storage import storages
from django.db import connection
from django.utils import timezone

from podium.core import storage

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
    manifest: dict[str, Any] = {
        "engine": engine,
        "created_at": timezone.now().isoformat(),
        "format": 2,
    }
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
            manifest["files"] = {
                alias: _add_files(archive, alias) for alias in (storage.PUBLIC, storage.PRIVATE)
            }
        partial.replace(target)
    return manifest


def _add_files(archive: tarfile.TarFile, alias: str) -> int:
    """Every file of storage `alias` into the archive under files/<alias>/; the count."""
    store = storages[alias]
    count = 0
    for name in storage.walk(store):
        info = tarfile.TarInfo(f"files/{alias}/{name}")
        info.size = store.size(name)
        info.mtime = int(timezone.now().timestamp())
        with store.open(name, "rb") as handle:
            archive.addfile(info, handle)
        count += 1
    return count


def _restore_files(folder: Path, alias: str) -> None:
    """Write every file under `folder` back into storage `alias` under its old name."""
    if not folder.is_dir():
        return
    store = storages[alias]
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(folder).as_posix()
        if store.exists(name):
            store.delete(name)
        with path.open("rb") as handle:
            saved = store.save(name, File(handle, name=name))
        if saved != name:
            raise BackupError(f"{alias}: {name} came back as {saved}")


def restore(source: Path) -> dict[str, Any]:
    """Replace the database and the stored files with the archive's. The site should be stopped."""
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
        if manifest.get("format", 1) == 1:
            _restore_files(work / "media", storage.PUBLIC)
        else:
            for alias in (storage.PUBLIC, storage.PRIVATE):
                _restore_files(work / "files" / alias, alias)
    return manifest
