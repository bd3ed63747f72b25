"""One voice: Podium speaks to its readers, contributors and editors with "u", everywhere (the desk
said "je" while the rest of the site said "u"). Every Dutch catalogue and every template's Dutch
text is checked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .test_translations import CATALOGUES, _label, parse_po

INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jezelf|jullie)\b", re.IGNORECASE)
TEMPLATES = sorted(Path(__file__).resolve().parent.parent.joinpath("src", "podium").rglob("*.html"))


@pytest.mark.parametrize("po", CATALOGUES, ids=_label)
def test_every_dutch_message_says_u(po: Path) -> None:
    informal = [
        f"line {entry.line}: {text}"
        for entry in parse_po(po)
        for text in entry.msgstr.values()
        if INFORMAL.search(text)
    ]
    assert informal == []


def test_no_template_says_je() -> None:
    """Dutch typed straight into a template (outside {% translate %}) speaks with "u" too."""
    informal = []
    for template in TEMPLATES:
        if (
            "vendor" in template.parts or "content" in template.parts
        ):  # demo articles: the writers' voice
            continue
        text = re.sub(
            r"{%.*?%}|{{.*?}}|<[^>]+>", " ", template.read_text(encoding="utf-8"), flags=re.S
        )
        informal += [f"{template.name}: {m.group(0)}" for m in INFORMAL.finditer(text)]
    assert informal == []
