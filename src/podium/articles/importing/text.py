"""Plain text and Markdown, as contributors send them.

Decoding: a BOM decides; otherwise strict UTF-8; otherwise Windows-1252 (a superset of Latin-1
for every printable character), unless the file holds bytes Windows-1252 does not define, which
only Latin-1 can read. Anything with NUL bytes or many control characters is not text.

Structure (the article format in DESIGN.md): the first line is the title unless it clearly is not
one; lines of a paragraph that was hard-wrapped are joined again; short standalone lines without
final punctuation (or ending in "?") are subheadings; lines starting with "1)", "1.", "-", "•" or
"*" are list items. What the title, lead, bio and boilerplate are is decided in `structure`.

Markdown uses the same line rules (contributors hard-wrap and forget blank lines before lists
there too, which Markdown proper would not forgive), adds "#" headings and "> " quotes, and leaves
the spans inside a block (**bold**, *italic*, [links](url)) to the `markdown` package.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from .result import ImportRejected
from .structure import Block, Span, last_mark, looks_like_subheading, looks_like_title
from .typography import clean_characters

if TYPE_CHECKING:
    from lxml import html as lxml_html

# Share of control characters above which a "text" file is taken for binary.
_CONTROL_SHARE = 0.01
_UNDEFINED_IN_CP1252 = frozenset(b"\x81\x8d\x8f\x90\x9d")
_SIGNATURES = [
    (b"%PDF", "pdf"),
    (b"\x89PNG", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF8", "image"),
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "office"),
    (b"{\\rtf", "rtf"),
]

_LIST_ITEM = re.compile(r"^(\s*)(?:(\d{1,3})[.)]|[-•*–])\s+(\S.*)$")
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_MD_RULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$")
_MD_QUOTE = re.compile(r"^\s{0,3}>\s?(.*)$")
_MD_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_MD_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_BLOCK_START = re.compile(r"^(\d+)([.)])|^([-+*#>=])")
_INDENTED = re.compile(r"^\s{2,}\S")
_SENTENCE_MARKS = (".", "!", "?", ":", "…")


# --- Bytes to text -------------------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str]:
    """The text of a file and the name of the encoding it was read with. Raises ImportRejected
    for an empty file or one that is not text."""
    if not data.strip():
        raise ImportRejected(_("The file is empty."), code="empty")
    if _signature(data):
        raise _not_text(data)
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding)), encoding
            except UnicodeDecodeError:
                raise _not_text(data) from None
    if b"\x00" in data:
        raise _not_text(data)
    try:
        return _checked(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    if _UNDEFINED_IN_CP1252.isdisjoint(data):
        return _checked(data.decode("cp1252")), "cp1252"
    return _checked(data.decode("latin-1")), "latin-1"


def _checked(text: str) -> str:
    controls = sum(
        1 for char in text if unicodedata.category(char) == "Cc" and char not in "\t\n\r\f"
    )
    if controls and controls / len(text) > _CONTROL_SHARE:
        raise _not_text(b"")
    if not text.strip(" \t\r\n\f\u00a0\ufeff\u200b"):
        raise ImportRejected(_("The file is empty."), code="empty")
    return text


def _signature(data: bytes) -> str:
    return next((kind for signature, kind in _SIGNATURES if data.startswith(signature)), "")


def _not_text(data: bytes) -> ImportRejected:
    kind = _signature(data)
    messages = {
        "pdf": _("This is a PDF file, not a text file. Open it, copy the text and paste it below."),
        "image": _("This is an image, not a text file. Podium can only import text."),
        "office": _(
            "This is an old Word (.doc) or other Office file, not a text file. Save it as .docx in Word and import that."
        ),
        "rtf": _(
            "This is an RTF file, not a text file. Save it as .docx or as plain text (.txt) and import that."
        ),
    }
    return ImportRejected(
        messages.get(
            kind, _("This is not a text file. Podium can import .docx, .txt and .md files.")
        ),
        code="not_text",
    )


def is_zip(data: bytes) -> bool:
    return data.startswith(b"PK\x03\x04")


# --- Text to blocks ------------------------------------------------------------------------------


@dataclass
class _Line:
    text: str  # without the indentation
    indent: int
    blank_before: bool


def parse(text: str, *, markdown: bool = False) -> tuple[list[Block], list[str]]:
    """Blocks of a plain-text (or Markdown) article, and notes about what was dropped."""
    notes: list[str] = []
    raw_lines = clean_characters(text.replace("\r\n", "\n").replace("\r", "\n")).split("\n")
    references = ""
    if markdown:
        raw_lines, references, dropped = _markdown_prepare(raw_lines)
        notes.extend(dropped)
    lines = _lines(raw_lines)
    if not lines:
        return [], notes
    width = _wrap_width(lines)
    parser = _Parser(lines, width, markdown=markdown, references=references)
    return parser.run(), notes


def _lines(raw_lines: list[str]) -> list[_Line]:
    lines, blank = [], True
    for raw in raw_lines:
        stripped = raw.rstrip()
        if not stripped.strip():
            blank = True
            continue
        content = stripped.lstrip()
        lines.append(_Line(content, len(stripped) - len(content), blank))
        blank = False
    return lines


def _wrap_width(lines: list[_Line]) -> int | None:
    """The width the text was hard-wrapped at, or None when paragraphs are single long lines."""
    lengths = [len(line.text) + line.indent for line in lines]
    if len(lengths) < 4:
        return None
    widest = max(lengths)
    if widest > 100:
        return None
    near_full = [line for line in lines if len(line.text) + line.indent >= widest * 0.8]
    # Wrapped lines mostly break mid-sentence; lines of similar length that each end a sentence
    # are unwrapped paragraphs that happen to be alike.
    mid_sentence = sum(1 for line in near_full if last_mark(line.text) not in _SENTENCE_MARKS)
    return widest if len(near_full) >= 3 and mid_sentence * 2 >= len(near_full) else None


def _first_word(text: str) -> str:
    return text.split(maxsplit=1)[0] if text.split() else ""


class _Parser:
    def __init__(
        self, lines: list[_Line], width: int | None, *, markdown: bool, references: str
    ) -> None:
        self.lines = lines
        self.width = width
        self.markdown = markdown
        self.references = references
        self.blocks: list[Block] = []

    # Line shapes.

    def _is_full(self, index: int) -> bool:
        """The next word would not have fit on this line: the break is a hard wrap."""
        if self.width is None or index + 1 >= len(self.lines):
            return False
        line, following = self.lines[index], self.lines[index + 1]
        return line.indent + len(line.text) + 1 + len(_first_word(following.text)) > self.width

    def _continues(self, index: int) -> bool:
        """Line `index + 1` belongs to the same sentence or paragraph as line `index`."""
        if index + 1 >= len(self.lines) or self.lines[index + 1].blank_before:
            return False
        following = self.lines[index + 1].text
        if self._list_item(index + 1) or self._special(index + 1):
            return False
        if following[:1].islower():
            return True
        if last_mark(self.lines[index].text) not in _SENTENCE_MARKS:
            return True
        return self._is_full(index)

    def _list_item(self, index: int) -> re.Match[str] | None:
        return _LIST_ITEM.match(" " * self.lines[index].indent + self.lines[index].text)

    def _special(self, index: int) -> bool:
        """A Markdown heading or quote line."""
        text = self.lines[index].text
        return self.markdown and bool(_MD_HEADING.match(text) or _MD_QUOTE.match(text))

    def _standalone_heading(self, index: int) -> bool:
        """A short line on its own: nothing before it in its paragraph, and what follows (if
        anything follows without a blank line) starts a new sentence."""
        line = self.lines[index]
        if not looks_like_subheading(line.text) or self._is_full(index):
            return False
        if index + 1 < len(self.lines) and not self.lines[index + 1].blank_before:
            following = self.lines[index + 1].text
            if following[:1].islower() or following[:1] in (",", ";", ")"):
                return False
        return True

    # Building blocks.

    def run(self) -> list[Block]:
        index = self._title()
        while index < len(self.lines):
            index = self._block(index)
        return self.blocks

    def _title(self) -> int:
        first = self.lines[0]
        if self._list_item(0):
            return 0
        if self.markdown:
            heading = _MD_HEADING.match(first.text)
            if heading:
                self.blocks.append(Block("title", self._spans(heading.group(2))))
                return 1
            if _MD_QUOTE.match(first.text):
                return 0
        if not looks_like_title(first.text):
            return 0
        if len(self.lines) > 1 and not self.lines[1].blank_before:
            following = self.lines[1].text
            if following[:1].islower() or (
                self._is_full(0) and last_mark(first.text) not in (".", "!", "?")
            ):
                return 0  # the first line of a wrapped paragraph, not a title
        self.blocks.append(Block("title", self._spans(first.text)))
        return 1

    def _block(self, index: int) -> int:
        line = self.lines[index]
        if self.markdown:
            heading = _MD_HEADING.match(line.text)
            if heading:
                self.blocks.append(
                    Block("heading", self._spans(heading.group(2)), level=len(heading.group(1)))
                )
                return index + 1
            if _MD_QUOTE.match(line.text):
                return self._quote(index)
        if self._list_item(index):
            return self._list(index)
        if self._standalone_heading(index):
            self.blocks.append(Block("heading", self._spans(line.text)))
            return index + 1
        return self._paragraph(index)

    def _paragraph(self, index: int) -> int:
        parts = [self.lines[index].text]
        while self._continues(index):
            index += 1
            parts.append(self.lines[index].text)
        self.blocks.append(Block("paragraph", self._spans(" ".join(parts))))
        return index + 1

    def _quote(self, index: int) -> int:
        parts: list[str] = []
        while index < len(self.lines):
            match = _MD_QUOTE.match(self.lines[index].text)
            if not match or (parts and self.lines[index].blank_before):
                break
            parts.append(match.group(1))
            index += 1
        self.blocks.append(Block("quote", self._spans(" ".join(parts))))
        return index

    def _list(self, index: int) -> int:
        ordered = bool(self._list_item(index).group(2))  # type: ignore[union-attr]
        items: list[list[Span]] = []
        while index < len(self.lines):
            match = self._list_item(index)
            if match is None or bool(match.group(2)) != ordered:
                break
            if items and self.lines[index].blank_before and not self._next_is_item(index, ordered):
                break
            parts = [match.group(3)]
            # Continuation lines. Items often lack final punctuation, so only indentation, a
            # lower-case start or a hard wrap make the next line part of the item.
            while (
                index + 1 < len(self.lines)
                and not self.lines[index + 1].blank_before
                and not self._list_item(index + 1)
            ):
                following = self.lines[index + 1]
                if not (
                    _INDENTED.match(" " * following.indent + following.text)
                    or following.text[:1].islower()
                    or self._is_full(index)
                ):
                    break
                index += 1
                parts.append(following.text)
            items.append(self._spans(" ".join(parts)))
            index += 1
        self.blocks.append(Block("list", items=items, ordered=ordered))
        return index

    def _next_is_item(self, index: int, ordered: bool) -> bool:
        match = self._list_item(index)
        return match is not None and bool(match.group(2)) == ordered

    def _spans(self, text: str) -> list[Span]:
        if not self.markdown:
            return [Span(text)]
        return markdown_spans(text, self.references)


# --- Markdown --------------------------------------------------------------------------------------


def _markdown_prepare(raw_lines: list[str]) -> tuple[list[str], str, list[str]]:
    """Turn setext headings into "#" ones, rules into blank lines, keep code blocks as text; take
    out link reference definitions (they are given back to every span conversion)."""
    out: list[str] = []
    references: list[str] = []
    notes: list[str] = []
    in_fence = False
    images = 0
    for raw in raw_lines:
        if _MD_FENCE.match(raw):
            in_fence = not in_fence
            out.append("")
            continue
        if in_fence:
            out.append(raw)
            continue
        if _MD_REFERENCE.match(raw):
            references.append(raw.strip())
            continue
        setext = _MD_SETEXT.match(raw)
        if setext and out and out[-1].strip() and not _LIST_ITEM.match(out[-1]):
            marker = "#" if setext.group(1)[0] == "=" else "##"
            out[-1] = f"{marker} {out[-1].strip()}"
            continue
        if _MD_RULE.match(raw):
            out.append("")
            continue
        images += len(_MD_IMAGE.findall(raw))
        out.append(_MD_IMAGE.sub("", raw))
    if images:
        notes.append(_("Images were removed; add them later if the editors ask for them."))
    return out, "\n".join(references), notes


class _SpanCollector:
    def __init__(self) -> None:
        self.spans: list[Span] = []

    def walk(
        self, element: lxml_html.HtmlElement, bold: bool, italic: bool, href: str | None
    ) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in ("script", "style"):
            if element.tail:
                self.spans.append(Span(element.tail, bold, italic, href))
            return
        inner_bold = bold or tag in ("strong", "b")
        inner_italic = italic or tag in ("em", "i")
        inner_href = element.get("href") if tag == "a" and element.get("href") else href
        if tag == "br":
            self.spans.append(Span("\n", bold, italic, href))
        if element.text:
            self.spans.append(Span(element.text, inner_bold, inner_italic, inner_href))
        for child in element:
            self.walk(child, inner_bold, inner_italic, inner_href)
            if child.tail:
                self.spans.append(Span(child.tail, inner_bold, inner_italic, inner_href))
        if tag in ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"):
            self.spans.append(Span(" "))


def markdown_spans(text: str, references: str = "") -> list[Span]:
    """The inline Markdown of one block (**bold**, *italic*, [link](url), `code`) as spans. Block
    syntax at the start of the text is escaped: the block is already decided."""
    source = _MD_BLOCK_START.sub(
        lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else f"\\{m.group(3)}", text, count=1
    )
    # Imported here, not with the module: Markdown and lxml are only needed by an import, and
    # every web process would otherwise carry them (see podium.articles.importing).
    import markdown as markdown_lib
    from lxml import html as lxml_html

    rendered = markdown_lib.markdown(source + ("\n\n" + references if references else ""))
    if not rendered.strip():
        return [Span(text)]
    root = lxml_html.fragment_fromstring(rendered, create_parent="div")
    collector = _SpanCollector()
    for child in root:
        collector.walk(child, False, False, None)
    spans = collector.spans
    if spans and not spans[-1].text.strip():
        spans.pop()
    return spans
