"""Differences between two versions of an article, for editors and authors.

The text is compared as it is built: paragraphs, headings, list items and quotes are blocks; an
added or removed block is marked as a whole (its own tag, wholly inside <ins> or <del>), a block
that was edited shows the words that changed, and a sentence or title that was mostly rewritten is
one replacement (old, then new) instead of old and new words interleaved."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Revision
from .sanitize import html_to_text

_TOKEN = re.compile(r"\s+|[^\s]+")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


# Below this share of words in common, a text counts as rewritten: one replacement.
REWRITTEN_BELOW = 0.5
# Blocks of one kind whose words agree at least this much are the same block, edited.
SAME_BLOCK_FROM = 0.4


def _word_ratio(old: str, new: str) -> float:
    return difflib.SequenceMatcher(a=old.split(), b=new.split(), autojunk=False).ratio()


def _inline_diff(old: str, new: str) -> str:
    """Escaped HTML of one text's changes: words marked, or one replacement if mostly rewritten."""
    if old == new:
        return str(escape(old))
    if old.strip() and new.strip() and _word_ratio(old, new) < REWRITTEN_BELOW:
        return f"<del>{escape(old)}</del><ins>{escape(new)}</ins>"
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
    return "".join(out)


def word_diff_html(old: str, new: str) -> SafeString:
    """Plain texts compared word by word, rendered with <del> and <ins> (all text escaped)."""
    rendered = _inline_diff(old, new).replace("\n\n", "</p><p>").replace("\n", "<br>")
    return mark_safe(f"<p>{rendered}</p>")  # noqa: S308 - every piece of text above is escaped


# --- Blocks ----------------------------------------------------------------------------------------

_BLOCK_TAGS = {"p", "h2", "h3", "h4", "li"}


@dataclass(frozen=True)
class Block:
    kind: str  # "p", "h2", "h3", "h4", "quote", "ul", "ol" (a list item of that list)
    text: str


@dataclass
class _BlockParser(HTMLParser):
    blocks: list[Block] = field(default_factory=list)
    stack: list[str] = field(default_factory=list)
    current: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def _kind(self) -> str:
        for tag in reversed(self.stack):
            if tag == "li":
                lists = [t for t in self.stack if t in ("ul", "ol")]
                return lists[-1] if lists else "ul"
            if tag in ("h2", "h3", "h4"):
                return tag
        return "quote" if "blockquote" in self.stack else "p"

    def _flush(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(Block(self._kind(), text))
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS or tag in ("ul", "ol", "blockquote"):
            self._flush()
        if tag == "br":
            self.current.append(" ")
        elif tag not in ("img", "hr"):
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS or tag in ("ul", "ol", "blockquote"):
            self._flush()
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        self.current.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def blocks_of(html: str) -> list[Block]:
    """The article's text as blocks, in order (the HTML is the sanitised body)."""
    parser = _BlockParser()
    parser.feed(html)
    parser.close()
    return parser.blocks


def _render(blocks: list[tuple[str, str, str]]) -> str:
    """(kind, inner HTML, class) → HTML; consecutive list items share one list."""
    out: list[str] = []
    open_list = ""
    for kind, inner, cls in blocks:
        attr = f' class="{cls}"' if cls else ""
        if kind in ("ul", "ol"):
            if open_list != kind:
                if open_list:
                    out.append(f"</{open_list}>")
                out.append(f"<{kind}>")
                open_list = kind
            out.append(f"<li{attr}>{inner}</li>")
            continue
        if open_list:
            out.append(f"</{open_list}>")
            open_list = ""
        if kind == "quote":
            out.append(f"<blockquote{attr}><p>{inner}</p></blockquote>")
        else:
            out.append(f"<{kind}{attr}>{inner}</{kind}>")
    if open_list:
        out.append(f"</{open_list}>")
    return "".join(out)


def _added(block: Block) -> tuple[str, str, str]:
    return (block.kind, f"<ins>{escape(block.text)}</ins>", "diff-added")


def _removed(block: Block) -> tuple[str, str, str]:
    return (block.kind, f"<del>{escape(block.text)}</del>", "diff-removed")


def _pair_changed(old: list[Block], new: list[Block]) -> list[tuple[str, str, str]]:
    """A run of blocks that differ: each old block is matched with the first later new block of
    its kind that shares enough words (an edit); the rest were removed or added whole. A single
    block replaced by a single block of its kind is an edit, however much of it changed."""
    if len(old) == len(new) == 1 and old[0].kind == new[0].kind:
        # One block where there was one: it was rewritten (one replacement if mostly new).
        return [(old[0].kind, _inline_diff(old[0].text, new[0].text), "diff-changed")]
    out: list[tuple[str, str, str]] = []
    j = 0
    for block in old:
        match = next(
            (
                k
                for k in range(j, len(new))
                if new[k].kind == block.kind
                and _word_ratio(block.text, new[k].text) >= SAME_BLOCK_FROM
            ),
            None,
        )
        if match is None:
            out.append(_removed(block))
            continue
        out.extend(_added(b) for b in new[j:match])
        out.append((block.kind, _inline_diff(block.text, new[match].text), "diff-changed"))
        j = match + 1
    out.extend(_added(b) for b in new[j:])
    return out


def block_diff_html(old_html: str, new_html: str) -> SafeString:
    """Two article bodies compared block by block, then word by word (all text escaped)."""
    a, b = blocks_of(old_html), blocks_of(new_html)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    out: list[tuple[str, str, str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.extend((block.kind, str(escape(block.text)), "") for block in a[i1:i2])
        else:
            out.extend(_pair_changed(a[i1:i2], b[j1:j2]))
    return mark_safe(_render(out))  # noqa: S308 - every piece of text above is escaped


@dataclass(frozen=True)
class FieldDiff:
    name: str
    changed: bool
    html: SafeString


def revision_text(revision: Revision) -> dict[str, str]:
    return {"title": revision.title, "lead": revision.lead, "body": html_to_text(revision.body)}


def diff_revisions(old: Revision, new: Revision) -> list[FieldDiff]:
    a, b = revision_text(old), revision_text(new)
    return [
        FieldDiff("title", a["title"] != b["title"], word_diff_html(a["title"], b["title"])),
        FieldDiff("lead", a["lead"] != b["lead"], word_diff_html(a["lead"], b["lead"])),
        FieldDiff("body", a["body"] != b["body"], block_diff_html(old.body, new.body)),
    ]


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
