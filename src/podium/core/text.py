"""Plain text from whatever a browser, an import or a script sends: titles, leads, names, bios and
the editors' messages. Shared by `accounts` and `articles`, which is why it lives here."""

from __future__ import annotations

import html

import nh3

# Each round decodes one level of entities; real text needs one, an attack a few more.
_MAX_ROUNDS = 10


def clean_text(raw: str, *, keep_lines: bool = False) -> str:
    """`raw` without any markup, entities decoded ("R&amp;D" reads "R&D") and white space folded;
    with `keep_lines`, line breaks stay (messages that are shown with their line breaks).

    Decoding is repeated until nothing changes, so that an encoded tag ("&lt;script&gt;") cannot
    come back as markup after the first round; text that is still not stable after a handful of
    rounds loses its angle brackets."""
    text = raw or ""
    for _ in range(_MAX_ROUNDS):
        cleaned = html.unescape(nh3.clean(text, tags=set(), clean_content_tags={"script", "style"}))
        if cleaned == text:
            break
        text = cleaned
    else:
        text = text.replace("<", "").replace(">", "")
    if keep_lines:
        lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").split("\n")]
        return "\n".join(lines).strip()
    return " ".join(text.split())


def shorten(text: str, limit: int) -> str:
    """`text` as it is when it has at most `limit` characters, else cut to that many with "…" in
    place of the rest (quotes in summaries and e-mails)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
