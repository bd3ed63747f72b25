"""The shape every format is parsed into, and the rules that turn it into an article.

A parser (Word, plain text, Markdown) only says what it sees: paragraphs, headings, lists, with
bold, italic and links inside. This module decides what the article is made of, the same way for
every format: the title, the lead, the subheadings, the "Over de auteur" bio and the boilerplate
after it, then renders the body and sends it through the sanitiser that typed text goes through.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Literal

from django.utils.translation import gettext as _

from podium.articles import rules as article_rules

from ..sanitize import count_characters, sanitize_html
from . import typography
from .result import ImportedList, ImportedPicture, ImportResult, picture_mark

BlockKind = Literal["title", "heading", "paragraph", "list", "quote", "figure"]

TITLE_MAX_WORDS = 20
SUBHEADING_MAX_CHARS = 100
SUBHEADING_MAX_WORDS = 12
BIO_MAX_CHARS = 600  # accounts.User.bio
_BIO_START = re.compile(
    r"^\s*(?:over\s+de\s+(?:auteur|schrijver)|about\s+the\s+author)\s*(?:[:.\-–—]\s*|$)", re.I
)
# Lines a site appends to an article: calls to action, newsletters, copyright, sharing.
_BOILERPLATE = re.compile(
    r"©|\(c\)\s*\d{4}|copyright|alle rechten voorbehouden|all rights reserved"
    r"|abonneer|abonneren|aanmelden|meld (?:je|u) (?:nu )?aan|schrijf (?:je|u) (?:nu )?in|inschrijven"
    r"|subscribe|sign up"
    r"|plaats (?:ook|zelf|uw|je) (?:ook )?een artikel|schrijf (?:ook )?mee|word (?:ook )?auteur"
    r"|deel dit artikel|share this|volg ons|follow us|lees (?:ook|meer)\b|read more"
    r"|klik hier|click here|reageer (?:op|hieronder)|bekijk (?:ook|meer)\b",
    re.I,
)
# A trailing piece longer than this is text of the article, not boilerplate.
_BOILERPLATE_MAX_CHARS = 300
_SENTENCE_END = re.compile(r"[.!?…][”’\"')\]]*\s+\S")
_TRAILING_CLOSERS = "”’\"')]» "


@dataclass
class Span:
    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None


@dataclass
class Block:
    kind: BlockKind
    spans: list[Span] = field(default_factory=list)
    items: list[list[Span]] = field(default_factory=list)
    ordered: bool = False
    # The level the source gave a heading (Word's "Heading 2", Markdown's "##"); None for a line
    # recognised as a heading by its shape.
    level: int | None = None
    # A figure: the index of its picture in the parser's list of pictures.
    picture: int | None = None

    @property
    def text(self) -> str:
        return " ".join("".join(span.text for span in self.spans).split())

    def item_texts(self) -> list[str]:
        return [" ".join("".join(span.text for span in item).split()) for item in self.items]


# --- Shapes of lines -----------------------------------------------------------------------------


def last_mark(text: str) -> str:
    """The last character that is not a closing quote or bracket ("" for an empty text)."""
    stripped = text.rstrip(_TRAILING_CLOSERS)
    return stripped[-1] if stripped else ""


def looks_like_title(text: str) -> bool:
    """Short, one sentence at most, and not ending mid-sentence."""
    text = text.strip()
    if not text or len(text) > article_rules.TITLE_MAX_CHARS or len(text.split()) > TITLE_MAX_WORDS:
        return False
    if last_mark(text) in (",", ";", ":", "-", "–", "—"):
        return False
    if _SENTENCE_END.search(text):
        return False
    return not (last_mark(text) == "." and len(text.split()) > SUBHEADING_MAX_WORDS)


def looks_like_subheading(text: str) -> bool:
    """A short line without final punctuation, or a short question."""
    text = text.strip()
    if not text or len(text) > SUBHEADING_MAX_CHARS or len(text.split()) > SUBHEADING_MAX_WORDS:
        return False
    if _SENTENCE_END.search(text):
        return False
    mark = last_mark(text)
    return mark == "?" or mark.isalnum()


def is_bio_start(text: str) -> bool:
    return bool(_BIO_START.match(text))


# --- From blocks to an article -------------------------------------------------------------------


def build_result(
    blocks: list[Block],
    *,
    notes: list[str] | None = None,
    title_from_paragraph: bool = False,
    pictures: list[ImportedPicture] | None = None,
) -> ImportResult:
    """Decide title, lead, subheadings, bio and boilerplate; render and sanitise the body. With
    `title_from_paragraph`, a first paragraph shaped like a title is taken for one (Word, where
    the parser cannot see lines); the text parser decides about its first line itself. Figure
    blocks (Word's pictures, in `pictures`) stand in the body as marks until they are stored;
    a picture is never the title, the lead or the bio, and the ones after the bio go with it."""
    notes = list(notes or [])
    blocks = [block for block in (_normalised(block) for block in blocks) if _has_text(block)]
    result = ImportResult(notes=notes, pictures=list(pictures or []))
    if not blocks:
        raise _empty()

    result.title, blocks = _take_title(blocks, title_from_paragraph)
    result.title_missing = not result.title
    blocks, result.bio, result.removed = _take_bio_and_boilerplate(blocks, notes)
    result.lead, blocks = _take_lead(blocks, notes)

    headings = [block for block in blocks if block.kind == "heading"]
    explicit_levels = sorted({block.level for block in headings if block.level is not None})
    result.subheadings = [block.text for block in headings]
    result.lists = [
        ImportedList(ordered=block.ordered, items=block.item_texts())
        for block in blocks
        if block.kind == "list"
    ]
    result.body_html = _render_body(blocks, explicit_levels)

    chars = count_characters(result.body_html)
    if chars > article_rules.BODY_MAX_CHARS:
        notes.append(
            _(
                "The text has %(count)s characters; the limit is %(limit)s. Shorten it before you submit."
            )
            % {"count": chars, "limit": article_rules.BODY_MAX_CHARS}
        )
    if not result.title and not result.lead and not result.body_html:
        raise _empty()
    return result


def _empty() -> Exception:
    from .result import ImportRejected

    return ImportRejected(_("There is no text in it to import."), code="empty")


def _normalised(block: Block) -> Block:
    def clean(spans: list[Span]) -> list[Span]:
        texts = typography.normalise_pieces([span.text for span in spans])
        out = [
            Span(text, span.bold, span.italic, span.href)
            for text, span in zip(texts, spans, strict=True)
        ]
        return [span for span in out if span.text]

    return Block(
        kind=block.kind,
        spans=clean(block.spans),
        items=[item for item in (clean(item) for item in block.items) if item],
        ordered=block.ordered,
        level=block.level,
        picture=block.picture,
    )


def _has_text(block: Block) -> bool:
    if block.kind == "figure":
        return block.picture is not None
    return bool(block.items) if block.kind == "list" else bool(block.text)


def _first_text(blocks: list[Block]) -> int | None:
    """The index of the first block that is not a picture (a document may open with one)."""
    return next((i for i, block in enumerate(blocks) if block.kind != "figure"), None)


def _take_title(blocks: list[Block], from_paragraph: bool) -> tuple[str, list[Block]]:
    at = _first_text(blocks)
    if at is None:
        return "", blocks
    first = blocks[at]
    shaped_like_one = from_paragraph and first.kind == "paragraph" and looks_like_title(first.text)
    if first.kind in ("title", "heading") or shaped_like_one:
        if len(first.text) <= article_rules.TITLE_MAX_CHARS:
            return first.text, blocks[:at] + blocks[at + 1 :]
        first.kind = "paragraph"  # a "title" too long to be one is text
    return "", blocks


def _take_bio_and_boilerplate(
    blocks: list[Block], notes: list[str]
) -> tuple[list[Block], str, list[str]]:
    """The last paragraph that starts "Over de auteur:" is the bio; everything after it is what
    the site it was copied from added. Without a bio, trailing lines that look like boilerplate
    go."""
    bio_at = None
    for index in range(len(blocks) - 1, -1, -1):
        if blocks[index].kind in ("paragraph", "heading") and is_bio_start(blocks[index].text):
            bio_at = index
            break
    if bio_at is None:
        end = len(blocks)
        while end > 1 and _is_boilerplate(blocks[end - 1]):
            end -= 1
        return blocks[:end], "", [_block_text(block) for block in blocks[end:]]

    bio = _BIO_START.sub("", blocks[bio_at].text, count=1).strip()
    after = blocks[bio_at + 1 :]
    if not bio and after and after[0].kind == "paragraph":
        # "Over de auteur" as a heading of its own, the bio in the paragraph below it.
        bio, after = after[0].text, after[1:]
    removed = [_block_text(block) for block in after if block.kind != "figure"]
    if len(bio) > BIO_MAX_CHARS:
        notes.append(
            _(
                "The “Over de auteur” text is longer than %(limit)s characters; it was left out. Shorten it in your profile."
            )
            % {"limit": BIO_MAX_CHARS}
        )
        removed.insert(
            0, blocks[bio_at].text if _BIO_START.sub("", blocks[bio_at].text).strip() else bio
        )
        bio = ""
    return blocks[:bio_at], bio, removed


def _is_boilerplate(block: Block) -> bool:
    text = _block_text(block)
    return len(text) <= _BOILERPLATE_MAX_CHARS and bool(_BOILERPLATE.search(text))


def _block_text(block: Block) -> str:
    return "; ".join(block.item_texts()) if block.kind == "list" else block.text


def _take_lead(blocks: list[Block], notes: list[str]) -> tuple[str, list[Block]]:
    at = _first_text(blocks)
    if at is None or blocks[at].kind != "paragraph":
        return "", blocks
    lead = blocks[at].text
    if len(lead) > article_rules.LEAD_MAX_CHARS:
        notes.append(
            _(
                "The first paragraph is too long for a lead (at most %(limit)s characters); it stays in the text."
            )
            % {"limit": article_rules.LEAD_MAX_CHARS}
        )
        return "", blocks
    return lead, blocks[:at] + blocks[at + 1 :]


# --- Rendering -----------------------------------------------------------------------------------


def _render_body(blocks: list[Block], explicit_levels: list[int]) -> str:
    """The body through the sanitiser, with a mark between the sanitised pieces where a picture
    stands (the sanitiser drops comments, so no mark can come from the document's text)."""
    pieces: list[str] = []
    text: list[str] = []
    for block in blocks:
        if block.kind == "figure" and block.picture is not None:
            pieces.append(sanitize_html("".join(text)))
            pieces.append(picture_mark(block.picture))
            text = []
        else:
            text.append(_render(block, explicit_levels))
    pieces.append(sanitize_html("".join(text)))
    return "".join(pieces)


def _render(block: Block, explicit_levels: list[int]) -> str:
    if block.kind in ("heading", "title"):
        tag = "h3" if block.level is not None and explicit_levels.index(block.level) > 0 else "h2"
        return f"<{tag}>{html.escape(block.text, quote=False)}</{tag}>"
    if block.kind == "list":
        tag = "ol" if block.ordered else "ul"
        items = "".join(f"<li>{render_inline(item)}</li>" for item in block.items)
        return f"<{tag}>{items}</{tag}>"
    if block.kind == "quote":
        return f"<blockquote><p>{render_inline(block.spans)}</p></blockquote>"
    return f"<p>{render_inline(block.spans)}</p>"


def render_inline(spans: list[Span]) -> str:
    """Spans as HTML, neighbours with the same formatting merged: a link around bold around
    italic, line breaks as <br>."""
    merged: list[Span] = []
    for span in spans:
        last = merged[-1] if merged else None
        if last and (last.bold, last.italic, last.href) == (span.bold, span.italic, span.href):
            last.text += span.text
        else:
            merged.append(Span(span.text, span.bold, span.italic, span.href))
    out = []
    for span in merged:
        text = html.escape(span.text, quote=False).replace("\n", "<br>")
        if span.italic and span.text.strip():
            text = f"<em>{text}</em>"
        if span.bold and span.text.strip():
            text = f"<strong>{text}</strong>"
        if span.href:
            text = f'<a href="{html.escape(span.href)}">{text}</a>'
        out.append(text)
    return "".join(out)
