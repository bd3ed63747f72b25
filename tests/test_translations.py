"""Every Dutch catalogue is complete, and what Django loads is what the catalogue says.

Each app keeps its own catalogue (src/podium/<app>/locale/) and the project one sits in
src/podium/locale/ (LOCALE_PATHS, which wins over every app and over allauth). A catalogue with an
empty or fuzzy entry shows English to Dutch readers; a .mo compiled before the .po last changed
shows the old wording. The .po files are read with a small parser, so these tests need nothing
beyond gettext's msgfmt (installed by scripts/system-packages).
"""

from __future__ import annotations

import ast
import gettext as gnu_gettext
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext

SRC = Path(__file__).resolve().parent.parent / "src" / "podium"
CATALOGUES = sorted(
    p for p in SRC.rglob("locale/*/LC_MESSAGES/django.po") if "static" not in p.parts
)


def _label(po: Path) -> str:
    return str(po.relative_to(SRC)) if po.is_relative_to(SRC) else str(po)


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)


def parse_po(path: Path) -> list[Entry]:
    """The live entries of a .po file (obsolete `#~` entries are skipped), header included.

    As in GNU gettext, blank lines are only whitespace: an entry ends where the next one's comments
    or msgctxt/msgid begin, so a blank line between msgid and msgstr is still one entry."""
    entries: list[Entry] = []
    current = Entry(line=1)
    target: tuple[str, int] | None = None  # which field the next "..." continuation line extends

    def next_entry(number: int) -> None:
        nonlocal current, target
        if current.msgid or current.msgstr:
            entries.append(current)
            current = Entry(line=number)
        target = None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if current.msgstr:
                next_entry(number)
            if line.startswith("#,") and not line.startswith("#~"):
                current.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith('"'):
            if target is None:
                raise AssertionError(f"{path}:{number}: a string continues nothing")
            _append(current, target, ast.literal_eval(line))
            continue
        keyword, _, value = line.partition(" ")
        if keyword.startswith("msgstr["):
            target = ("msgstr", int(keyword[len("msgstr[") : -1]))
        elif keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
            if keyword in ("msgctxt", "msgid") and current.msgstr:
                next_entry(number)
            target = (keyword, 0)
        else:
            raise AssertionError(f"{path}:{number}: unknown keyword {keyword!r}")
        if not current.msgid and not current.msgstr and keyword in ("msgctxt", "msgid"):
            current.line = number
        _start(current, target)
        _append(current, target, ast.literal_eval(value))
    next_entry(0)
    return entries


def _start(entry: Entry, target: tuple[str, int]) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] = ""
    elif name == "msgctxt":
        entry.msgctxt = ""
    elif name == "msgid_plural":
        entry.msgid_plural = ""


def _append(entry: Entry, target: tuple[str, int], text: str) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] += text
    elif name == "msgctxt":
        entry.msgctxt = (entry.msgctxt or "") + text
    elif name == "msgid_plural":
        entry.msgid_plural = (entry.msgid_plural or "") + text
    else:
        entry.msgid += text


def _describe(entry: Entry) -> str:
    return f"line {entry.line}: {entry.msgid[:70]!r}"


def test_there_are_catalogues_to_check() -> None:
    labels = {_label(po) for po in CATALOGUES}
    assert "locale/nl/LC_MESSAGES/django.po" in labels
    assert "articles/locale/nl/LC_MESSAGES/django.po" in labels


def test_the_parser_reads_plurals_contexts_continuations_and_flags(tmp_path: Path) -> None:
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: nl\\n"\n\n'
        '#, python-format\nmsgid "%(n)s word"\nmsgid_plural "%(n)s words"\n'
        'msgstr[0] "%(n)s woord"\nmsgstr[1] ""\n\n'
        '#, fuzzy\nmsgctxt "button"\nmsgid "Long "\n"line"\n\nmsgstr "Lange regel"\n\n'
        '#~ msgid "Gone"\n#~ msgstr "Weg"\n',
        encoding="utf-8",
    )
    header, plural, fuzzy = parse_po(po)
    assert header.msgid == "" and header.msgstr == {0: "Language: nl\n"}
    assert plural.msgid_plural == "%(n)s words" and plural.msgstr == {0: "%(n)s woord", 1: ""}
    assert fuzzy.flags == {"fuzzy"} and fuzzy.msgctxt == "button" and fuzzy.msgid == "Long line"


@pytest.mark.parametrize("po", CATALOGUES, ids=_label)
def test_every_entry_is_translated(po: Path) -> None:
    untranslated = [
        _describe(entry)
        for entry in parse_po(po)
        if entry.msgid and (not entry.msgstr or not all(entry.msgstr.values()))
    ]
    assert not untranslated, f"{_label(po)} has untranslated entries:\n" + "\n".join(untranslated)


@pytest.mark.parametrize("po", CATALOGUES, ids=_label)
def test_no_entry_is_fuzzy(po: Path) -> None:
    fuzzy = [_describe(entry) for entry in parse_po(po) if "fuzzy" in entry.flags]
    assert not fuzzy, (
        f"{_label(po)} has fuzzy entries (check them, then drop the flag):\n" + "\n".join(fuzzy)
    )


def _mo_catalogue(mo: Path) -> dict[object, str]:
    with mo.open("rb") as handle:
        catalogue = dict(gnu_gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]
    catalogue.pop("", None)  # the header: its POT-Creation-Date changes with every makemessages
    return catalogue


def _po_catalogue(po: Path) -> dict[object, str]:
    catalogue: dict[object, str] = {}
    for entry in parse_po(po):
        if not entry.msgid or "fuzzy" in entry.flags:
            continue  # msgfmt leaves fuzzy entries out
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            if entry.msgstr.get(0):
                catalogue[key] = entry.msgstr[0]
        elif all(entry.msgstr.values()):
            for index, text in entry.msgstr.items():
                catalogue[(key, index)] = text
    return catalogue


@pytest.mark.parametrize("po", CATALOGUES, ids=_label)
def test_the_compiled_catalogue_matches_the_po_file(po: Path, tmp_path: Path) -> None:
    """Compare what the .mo holds with a fresh compile of the .po (msgfmt), by content: byte
    layouts differ between gettext versions, translations must not."""
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{_label(po)} is not compiled: run compilemessages and commit the .mo"
    msgfmt = shutil.which("msgfmt")
    if msgfmt:
        fresh = tmp_path / "django.mo"
        subprocess.run(
            [msgfmt, "--check-format", "-o", str(fresh), str(po)], check=True, capture_output=True
        )
        expected = _mo_catalogue(fresh)
    else:
        expected = _po_catalogue(po)
    actual = _mo_catalogue(mo)
    stale = sorted(
        repr(key)[:90]
        for key in expected.keys() | actual.keys()
        if expected.get(key) != actual.get(key)
    )
    assert not stale, (
        f"{_label(po)}: the .mo is older than the .po; run compilemessages. Differs:\n"
        + "\n".join(stale)
    )


def test_the_site_says_inloggen_and_uitloggen() -> None:
    """The project catalogue wins over Django's and allauth's "Aanmelden"/"Afmelden", which the
    newsletter uses for subscribing."""
    with translation.override("nl"):
        assert gettext("Log in") == "Inloggen"
        assert gettext("Log out") == "Uitloggen"
        assert gettext("Sign In") == "Inloggen"
        assert gettext("Sign Out") == "Uitloggen"
        assert gettext("Sign Up") == "Account aanmaken"
        assert gettext("Write for Podium") == "Schrijf voor Podium"


def test_app_catalogues_are_not_shadowed_by_earlier_apps() -> None:
    """Apps listed earlier in INSTALLED_APPS (admin, allauth) win for the same msgid; these words
    must still come out as Podium's."""
    with translation.override("nl"):
        assert gettext("Draft") == "Concept"
        assert gettext("Submitted") == "Ingediend"
        assert gettext("Changes requested") == "Wijzigingen gevraagd"
        assert gettext("Rejected") == "Afgewezen"
        assert gettext("Lead") == "Intro"
        assert gettext("Your profile") == "Uw profiel"
        assert ngettext("{n} word", "{n} words", 2) == "{n} woorden"
