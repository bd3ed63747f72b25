"""Looking for a person in every table: the check that a deletion left nothing behind."""

# ruff: noqa: S608 — table and column names come from the database's own catalogue, quoted.

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connection, models


def tables_mentioning(needles: list[str]) -> list[str]:
    """Every text column of every table, searched for each needle."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        text_fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(
                f, (models.CharField, models.TextField, models.EmailField, models.JSONField)
            )
        ]
        for field in text_fields:
            for needle in needles:
                if not needle:
                    continue
                lookup = f"{field.name}__icontains"
                try:
                    hit = model._default_manager.filter(**{lookup: needle}).exists()
                except Exception:  # a JSON column on a backend without icontains
                    hit = any(
                        needle.lower() in str(v).lower()
                        for v in model._default_manager.values_list(field.name, flat=True)
                    )
                if hit:
                    found.append(f"{model._meta.label}.{field.name} ~ {needle!r}")
    return found


# --- Every table and every stored file, whatever the models say ---------------------------------


def database_mentions(needles: list[str]) -> list[str]:
    """Every column of every table in the database (found by introspection, so tables that are
    no model's, such as the search index and its FTS5 shadow tables, count too), read as text
    and searched for each needle, whatever its case. A binary column is searched for the needle's
    UTF-8 bytes."""
    found = []
    needles = [n for n in needles if n]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        for table in tables:
            for column in _columns(cursor, table):
                for needle in needles:
                    if _column_holds(cursor, table, column, needle):
                        found.append(f"{table}.{column[0]} ~ {needle!r}")
        if connection.vendor == "sqlite":
            found += _fts5_terms_holding(cursor, needles)
    return found


def _fts5_terms_holding(cursor: Any, needles: list[str]) -> list[str]:
    """FTS5 keeps its terms prefix-compressed in binary segments, where no text search finds
    them: its own vocabulary table lists the terms the index still holds."""
    cursor.execute("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%fts5(%'")
    found = []
    for (table,) in cursor.fetchall():
        vocab = f"temp.{table}_vocab_check"
        cursor.execute(f"DROP TABLE IF EXISTS {vocab}")
        cursor.execute(f"CREATE VIRTUAL TABLE {vocab} USING fts5vocab(main, {table}, 'row')")
        # Terms are single words (stems): the one-word needles are looked up as they are.
        for needle in (n for n in needles if n.isalnum()):
            cursor.execute(f"SELECT term FROM {vocab} WHERE term = %s", [needle.lower()])
            found += [f"{table} (term {t!r}) ~ {needle!r}" for (t,) in cursor.fetchall()]
        cursor.execute(f"DROP TABLE {vocab}")
    return found


def _columns(cursor: Any, table: str) -> list[tuple[str, str]]:
    """(name, type) of the table's columns."""
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = %s",
            [table],
        )
        return [(name, kind) for name, kind in cursor.fetchall()]
    quoted = connection.ops.quote_name(table)
    cursor.execute(f"PRAGMA table_info({quoted})")
    return [(row[1], (row[2] or "").lower()) for row in cursor.fetchall()]


def _column_holds(cursor: Any, table: str, column: tuple[str, str], needle: str) -> bool:
    name, kind = column
    t, c = connection.ops.quote_name(table), connection.ops.quote_name(name)
    pattern = (
        "%" + needle.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    )
    if connection.vendor == "postgresql":
        if kind == "bytea":
            sql = f"SELECT 1 FROM {t} WHERE position(convert_to(%s, 'UTF8') in {c}) > 0 LIMIT 1"
            cursor.execute(sql, [needle])
        else:
            sql = f"SELECT 1 FROM {t} WHERE lower(CAST({c} AS text)) LIKE %s ESCAPE '\\' LIMIT 1"
            cursor.execute(sql, [pattern])
    else:
        # A binary value (FTS5's index segments among them) is searched byte for byte: text
        # functions would stop at its first NUL byte.
        sql = (
            f"SELECT 1 FROM {t} WHERE lower(CAST({c} AS TEXT)) LIKE %s ESCAPE '\\' "
            f"OR (typeof({c}) = 'blob' AND instr({c}, CAST(%s AS BLOB)) > 0) LIMIT 1"
        )
        cursor.execute(sql, [pattern, needle.lower()])
    return cursor.fetchone() is not None


def stored_text(path: Path) -> str:
    """What a stored file says: a PDF's text (pdftotext), every member of an EPUB (a zip), any
    other file's bytes. White space and hyphenation at line ends are folded away, so a name the
    layout broke over two lines is still found."""
    if path.suffix == ".pdf":
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    elif path.suffix == ".epub":
        with zipfile.ZipFile(path) as book:
            text = "\n".join(
                book.read(member).decode("utf-8", errors="replace") for member in book.namelist()
            )
    else:
        text = path.read_bytes().decode("utf-8", errors="replace")
    text = text.replace("\u00ad", "").replace("-\n", "")
    return " ".join(text.split())


def files_mentioning(needles: list[str], roots: list[Path]) -> list[str]:
    """Every stored file under `roots` whose name or text (see `stored_text`) holds a needle."""
    found = []
    for root in roots:
        for path in sorted(p for p in Path(root).rglob("*") if p.is_file()):
            # Its name counts too: a photo is found by its file name.
            text = (str(path.relative_to(root)) + " " + stored_text(path)).lower()
            found += [f"{path} ~ {n!r}" for n in needles if n and n.lower() in text]
    return found


def images_in(path: Path) -> int:
    """The images a PDF (pdfimages) or an EPUB (its image members) holds."""
    if path.suffix == ".pdf":
        listing = subprocess.run(
            ["pdfimages", "-list", str(path)], check=True, capture_output=True, text=True
        ).stdout
        return len(listing.splitlines()[2:])  # two header lines
    with zipfile.ZipFile(path) as book:
        return sum(
            name.lower().endswith((".jpg", ".jpeg", ".png", ".gif", ".webp"))
            for name in book.namelist()
        )
