"""Anchors: how a comment or a suggestion remembers the passage it is about, and finds it again.

An anchor is the passage's text (the *quote*) with a little of the text before and after it
(*prefix*, *suffix*), like the W3C Web Annotation TextQuoteSelector, plus the revision it was made
on and its offset there (a hint, never trusted). Positions are counted in the article's *text*:
the body's characters as a reader sees them, every run of white space folded to one space and a
space between blocks (paragraphs, headings, list items), which is what a browser's selection
gives once its white space is folded the same way.

Finding a passage again in a later text (`locate`):

1. the quote itself: one occurrence is it; among several, the one whose surroundings match the
   prefix and suffix best (then the one nearest the old offset);
2. else the prefix and suffix with something between them: the passage was rewritten in place
   (`Found.CHANGED`: shown there, but a suggestion on it can no longer be applied);
3. else it is gone (`Found.GONE`): the thread stays visible with its quote.

`replace` applies a suggestion to the body's HTML: the passage's characters are removed from the
text nodes that hold them and the new text goes where the passage began; tags are left in place,
so a passage across a bold word or two paragraphs keeps the document's structure.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from enum import StrEnum
from html.parser import HTMLParser

CONTEXT = 32  # characters of prefix and suffix kept with a quote
# Elements that separate text like a line break does in a browser's selection.
BLOCKS = frozenset(
    {
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "li",
        "ul",
        "ol",
        "blockquote",
        "figure",
        "figcaption",
        "br",
        "div",
        "pre",
        "hr",
    }
)
# After the prefix ends, the suffix must start within this many characters (a rewritten passage
# may have grown, but not into a different part of the text).
MAX_REWRITE = 2000


def fold(text: str) -> str:
    """White space as the anchors count it: every run one space, none at the ends."""
    return " ".join(text.split())


def fold_inside(text: str) -> str:
    """Every run of white space one space, the ends kept (the text around a selection)."""
    return re.sub(r"\s+", " ", text)


@dataclass(frozen=True)
class Text:
    """The readable text of a body, with where each character came from in the HTML
    (None for the space between two blocks, which no character of the HTML stands for)."""

    text: str
    spans: tuple[tuple[int, int] | None, ...]


class _Reader(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.line_starts = [0]
        for index, char in enumerate(source):
            if char == "\n":
                self.line_starts.append(index + 1)
        self.chars: list[str] = []
        self.spans: list[tuple[int, int] | None] = []

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def _emit(self, char: str, span: tuple[int, int] | None) -> None:
        if char.isspace():
            if not self.chars or self.chars[-1] == " ":
                return
            char = " "
        self.chars.append(char)
        self.spans.append(span)

    def _separate(self) -> None:
        self._emit(" ", None)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS:
            self._separate()

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS:
            self._separate()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        start = self._offset()
        for index, char in enumerate(data):
            self._emit(char, (start + index, start + index + 1))

    def _reference(self, raw: str) -> None:
        start = self._offset()
        end = start + len(raw)
        if self.source.startswith(";", end):
            end += 1
        for char in html.unescape(self.source[start:end]):
            self._emit(char, (start, end))

    def handle_entityref(self, name: str) -> None:
        self._reference(f"&{name}")

    def handle_charref(self, name: str) -> None:
        self._reference(f"&#{name}")


def text_of(body_html: str) -> Text:
    reader = _Reader(body_html or "")
    reader.feed(body_html or "")
    reader.close()
    chars, spans = reader.chars, reader.spans
    while chars and chars[-1] == " ":
        chars.pop()
        spans.pop()
    return Text("".join(chars), tuple(spans))


class Found(StrEnum):
    EXACT = "exact"
    CHANGED = "changed"
    GONE = "gone"


@dataclass(frozen=True)
class Anchor:
    quote: str
    prefix: str = ""
    suffix: str = ""
    position: int = 0


@dataclass(frozen=True)
class Location:
    found: Found
    start: int = 0
    end: int = 0

    @property
    def is_exact(self) -> bool:
        return self.found == Found.EXACT


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return n


def _occurrences(text: str, quote: str) -> list[int]:
    found, start = [], text.find(quote)
    while start != -1:
        found.append(start)
        start = text.find(quote, start + 1)
    return found


def best_occurrence(text: str, anchor: Anchor) -> int | None:
    """Where the quote is, choosing by the surroundings when it occurs more than once."""
    starts = _occurrences(text, anchor.quote) if anchor.quote else []
    if not starts:
        return None
    end_of = len(anchor.quote)

    def score(start: int) -> tuple[int, int]:
        context = _common_suffix(text[:start], anchor.prefix) + _common_prefix(
            text[start + end_of :], anchor.suffix
        )
        return (context, -abs(start - anchor.position))

    return max(starts, key=score)


def locate(text: str, anchor: Anchor) -> Location:
    """Find the anchor's passage in `text` (see the module's docstring)."""
    start = best_occurrence(text, anchor)
    if start is not None:
        return Location(Found.EXACT, start, start + len(anchor.quote))
    if anchor.prefix or anchor.suffix:
        for before in _occurrences(text, anchor.prefix) if anchor.prefix else [0]:
            after_prefix = before + len(anchor.prefix)
            if not anchor.suffix:
                if len(text) - after_prefix <= MAX_REWRITE and anchor.prefix:
                    return Location(Found.CHANGED, after_prefix, len(text))
                continue
            after = text.find(anchor.suffix, after_prefix, after_prefix + MAX_REWRITE)
            if after != -1 and (anchor.prefix or after == 0 or after_prefix == 0):
                return Location(Found.CHANGED, after_prefix, after)
    return Location(Found.GONE)


def anchor_at(text: str, start: int, end: int) -> Anchor:
    """The anchor of text[start:end], with its surroundings."""
    return Anchor(
        quote=text[start:end],
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
        position=start,
    )


class NotApplicable(Exception):
    """The passage cannot be changed in this HTML (it is made only of the space between blocks)."""


def replace(body_html: str, text: Text, start: int, end: int, new: str) -> str:
    """The body with text[start:end] replaced by the plain text `new` (start == end: inserted
    there). Tags stay where they are; the removed characters leave the text nodes that held them."""
    removed: set[int] = set()
    spans = [span for span in text.spans[start:end] if span is not None]
    for span_start, span_end in spans:
        removed.update(range(span_start, span_end))
    if spans:
        insert_at = spans[0][0]
    else:
        before = [span for span in text.spans[:start] if span is not None]
        after = [span for span in text.spans[end:] if span is not None]
        if before:
            insert_at = before[-1][1]
        elif after:
            insert_at = after[0][0]
        else:
            raise NotApplicable
    kept = [char for index, char in enumerate(body_html) if index not in removed]
    # Positions before insert_at shift by the removed characters before it.
    shift = sum(1 for index in removed if index < insert_at)
    position = insert_at - shift
    kept[position:position] = list(html.escape(new, quote=False))
    return "".join(kept)
