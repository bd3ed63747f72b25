"""Word-level differences between two versions of an article, for editors and authors."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Revision
from .sanitize import html_to_text

_TOKEN = re.compile(r"\s+|[^\s]+")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_diff_html(old: str, new: str) -> SafeString:
    """Plain texts compared word by word, rendered with <del> and <ins> (all text escaped)."""
    a, b = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    out: list[str] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    rendered = "".join(out).replace("\n\n", "</p><p>").replace("\n", "<br>")
    return mark_safe(f"<p>{rendered}</p>")  # noqa: S308 - every piece of text above is escaped


@dataclass(frozen=True)
class FieldDiff:
    name: str
    changed: bool
    html: SafeString


def revision_text(revision: Revision) -> dict[str, str]:
    return {"title": revision.title, "lead": revision.lead, "body": html_to_text(revision.body)}


def diff_revisions(old: Revision, new: Revision) -> list[FieldDiff]:
    a, b = revision_text(old), revision_text(new)
    return [FieldDiff(name, a[name] != b[name], word_diff_html(a[name], b[name])) for name in a]


@dataclass(frozen=True)
class ChangeSummary:
    words_removed: int
    words_added: int
    fields: list[str]
    removed: list[str]
    added: list[str]


def change_summary(old: Revision, new: Revision, *, samples: int = 5) -> ChangeSummary:
    """A short, plain-text account of what changed, for the e-mail to the author."""
    a, b = revision_text(old), revision_text(new)
    removed: list[str] = []
    added: list[str] = []
    words_removed = words_added = 0
    for name in a:
        old_words, new_words = a[name].split(), b[name].split()
        matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op in ("delete", "replace"):
                words_removed += i2 - i1
                removed.append(" ".join(old_words[i1:i2]))
            if op in ("insert", "replace"):
                words_added += j2 - j1
                added.append(" ".join(new_words[j1:j2]))
    return ChangeSummary(
        words_removed=words_removed,
        words_added=words_added,
        fields=[name for name in a if a[name] != b[name]],
        removed=removed[:samples],
        added=added[:samples],
    )
