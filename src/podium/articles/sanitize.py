"""The one gate for article HTML: whatever a browser, an import or a script sends, what is stored
is exactly Podium's semantic set (paragraphs, h2/h3, bold, italic, links, lists, quotes) and
Podium's own figure markup (`podium.images.rendering.figure_markup`):

    <figure><img src="<Podium's picture storage>…" alt="…" data-image="<id>"><figcaption>…</figcaption></figure>

A picture from anywhere else, an `<img>` without its picture id, or a figure without a picture is
removed; which pictures an article may show is decided by the service that saves it."""

from __future__ import annotations

import html
import re

import nh3

from podium.core import text as _text
from podium.images.rendering import picture_url_prefix

ALLOWED_TAGS = {
    "p",
    "h2",
    "h3",
    "strong",
    "em",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "br",
    "figure",
    "img",
    "figcaption",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt", "data-image"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"

# Presentational synonyms are mapped onto the semantic set before cleaning, so pasted <b>/<i>/<h1>
# keep their meaning instead of disappearing.
_SYNONYMS = [
    (re.compile(r"<(/?)b(\s[^>]*)?>", re.I), r"<\1strong>"),
    (re.compile(r"<(/?)i(\s[^>]*)?>", re.I), r"<\1em>"),
    (re.compile(r"<(/?)h1(\s[^>]*)?>", re.I), r"<\1h2>"),
    (re.compile(r"<(/?)h[4-6](\s[^>]*)?>", re.I), r"<\1h3>"),
    (re.compile(r"<(/?)div(\s[^>]*)?>", re.I), r"<\1p>"),
]
_EMPTY_BLOCK = re.compile(r"<(p|h2|h3|li|blockquote|figcaption)>(\s|&nbsp;|<br>)*</\1>")
_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(p|h2|h3|li|blockquote|figcaption)>|<br>")
_WORD = re.compile(r"\w+(?:[-'’]\w+)*", re.UNICODE)
# Something that looks like an HTML tag or comment ("<p>", "</em>", "<br/>", "<!--"); a lone "<"
# in prose ("a < b") is not one.
_DIGITS = re.compile(r"\d{1,18}")
# After cleaning: an <img> that lost its source or id, and a figure left without a picture.
_BARE_IMG = re.compile(r"<img(?![^>]*\bsrc=)[^>]*>|<img(?![^>]*\bdata-image=)[^>]*>")
_FIGURE = re.compile(r"<figure>(.*?)</figure>", re.S)
_FIGCAPTION_ONLY = re.compile(r"<figcaption>(.*?)</figcaption>", re.S)
_HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]*>|<!--")
_BLANK_LINE = re.compile(r"\n[ \t\f\v]*\n\s*")


def _picture_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag != "img":
        return value
    if attribute == "src":
        prefix = picture_url_prefix()
        return value if value.startswith(prefix) and ".." not in value else None
    if attribute == "data-image":
        return value if _DIGITS.fullmatch(value) else None
    return value


def _tidy_figures(cleaned: str) -> str:
    """Keep figures that hold exactly one picture; a lone caption becomes a paragraph."""
    cleaned = _BARE_IMG.sub("", cleaned)

    def tidy(match: re.Match[str]) -> str:
        inner = match.group(1)
        if inner.count("<img") != 1:
            captions = _FIGCAPTION_ONLY.findall(inner)
            return "".join(f"<p>{c}</p>" for c in captions)
        return match.group(0)

    return _FIGURE.sub(tidy, cleaned)


def sanitize_html(raw: str) -> str:
    """Return `raw` reduced to the allowed tags, attributes and URL schemes; empty blocks go."""
    if not raw:
        return ""
    text = raw
    for pattern, replacement in _SYNONYMS:
        text = pattern.sub(replacement, text)
    cleaned = nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        # "*": ammonia allows lang and title on every tag unless told otherwise; Podium allows none.
        attributes={"*": set(), **ALLOWED_ATTRIBUTES},
        url_schemes=ALLOWED_SCHEMES,
        link_rel=LINK_REL,
        attribute_filter=_picture_attribute,
        strip_comments=True,
        clean_content_tags={
            "script",
            "style",
            "svg",
            "math",
            "iframe",
            "object",
            "template",
            "noscript",
        },
    )
    cleaned = _tidy_figures(cleaned)
    previous = None
    while previous != cleaned:
        previous = cleaned
        cleaned = _EMPTY_BLOCK.sub("", cleaned)
    return cleaned.strip()


def has_html_tags(raw: str) -> bool:
    """Whether `raw` contains at least one HTML tag (else it is plain text)."""
    return bool(_HTML_TAG.search(raw or ""))


def plain_text_to_html(text: str) -> str:
    """Plain text as typed without the editor, as HTML: paragraphs separated by blank lines become
    <p>, single line breaks inside a paragraph become <br>. Everything is escaped, so the result
    still goes through `sanitize_html` like any other HTML."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    paragraphs = []
    for block in _BLANK_LINE.split(text):
        lines = [html.escape(" ".join(line.split()), quote=False) for line in block.split("\n")]
        lines = [line for line in lines if line]
        if lines:
            paragraphs.append("<p>" + "<br>".join(lines) + "</p>")
    return "".join(paragraphs)


def clean_text(raw: str, *, keep_lines: bool = False) -> str:
    """Plain-text fields (title, lead, messages): no markup at all, white space folded."""
    return _text.clean_text(raw, keep_lines=keep_lines)


def html_to_text(fragment: str) -> str:
    """The readable text of sanitised HTML, blocks separated by blank lines."""
    text = _BLOCK_END.sub("\n\n", fragment or "")
    text = _TAG.sub("", text)
    text = html.unescape(text)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_words(fragment: str) -> str:
    """The text of sanitised HTML with the words, and what lies between them, of `html_to_text`,
    without its layout of lines and blank lines (for a snippet, which folds white space: a third
    of the cost)."""
    return html.unescape(_TAG.sub("", _BLOCK_END.sub(" ", fragment or "")))


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def count_characters(fragment: str) -> int:
    """Characters of body text as a reader sees them (tags not counted, white space folded)."""
    return len(" ".join(html_to_text(fragment).split()))
