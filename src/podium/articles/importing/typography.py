"""Typography of imported text: invisible characters out, spaces folded, straight quotes curled
the Dutch way where that is unambiguous.

The functions work on a paragraph given as a list of pieces (the runs of one formatting), so a
quote opened in plain text and closed in bold still pairs up, and formatting boundaries stay where
they were."""

from __future__ import annotations

import re
import unicodedata

# Dutch print: “dubbele” and ‘enkele’ quotes; the apostrophe is the closing single quote.
OPEN_DOUBLE, CLOSE_DOUBLE = "“", "”"
OPEN_SINGLE, CLOSE_SINGLE = "‘", "’"
APOSTROPHE = "’"

# Soft hyphen, zero-width space/joiners, word joiner, BOM, Mongolian vowel separator.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e"), None)
# Non-breaking and typographic spaces, tabs: all become a plain space.
_SPACES = re.compile(r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Dutch elisions after an apostrophe: ’s avonds, ’t, ’n, ’k, ’s-Hertogenbosch, ’90.
_ELISION = re.compile(r"(?:[stnk](?!\w)|s-|\d\d(?!\d))", re.I)
_OPENING_CONTEXT = set(" \n([{/—–-") | {""}
_CLOSING_FOLLOWERS = set(" \n.,;:!?)]}…—–-") | {""}


def clean_characters(text: str) -> str:
    """Remove invisible and control characters (keeping line breaks), turn special spaces into
    plain ones and compose accents (a Mac's e + ¨ becomes ë)."""
    text = unicodedata.normalize("NFC", text.translate(_INVISIBLE))
    text = _SPACES.sub(" ", text)
    return _CONTROL.sub("", text)


def normalise_pieces(pieces: list[str]) -> list[str]:
    """The pieces of one paragraph with clean characters, single spaces (none at the ends or
    around line breaks) and curled quotes. Returns as many pieces as it was given."""
    cleaned = [clean_characters(piece) for piece in pieces]
    curled = _split_like(curl_quotes("".join(cleaned)), cleaned)
    return _fold_spaces(curled)


def normalise(text: str) -> str:
    return normalise_pieces([text])[0]


def curl_quotes(text: str) -> str:
    """Straight quotes to curly ones where the context decides it; a quote that cannot be paired
    or placed stays straight. One character in, one character out."""
    chars = list(text)
    _curl_doubles(chars)
    _curl_singles(chars)
    return "".join(chars)


def _before(chars: list[str], i: int) -> str:
    return chars[i - 1] if i > 0 else ""


def _after(chars: list[str], i: int) -> str:
    return chars[i + 1] if i + 1 < len(chars) else ""


def _can_open(chars: list[str], i: int) -> bool:
    return _before(chars, i) in _OPENING_CONTEXT and _after(chars, i) not in ("", " ", "\n")


def _can_close(chars: list[str], i: int) -> bool:
    return _before(chars, i) not in ("", " ", "\n") and _after(chars, i) in _CLOSING_FOLLOWERS


def _curl_doubles(chars: list[str]) -> None:
    open_at: int | None = None
    for i, char in enumerate(chars):
        if char != '"':
            continue
        if open_at is None and _can_open(chars, i):
            open_at = i
        elif open_at is not None and _can_close(chars, i):
            chars[open_at], chars[i] = OPEN_DOUBLE, CLOSE_DOUBLE
            open_at = None


def _curl_singles(chars: list[str]) -> None:
    text = "".join(chars)
    open_at: int | None = None
    for i, char in enumerate(chars):
        if char != "'":
            continue
        before, after = _before(chars, i), _after(chars, i)
        if before.isalnum() and after.isalnum():
            chars[i] = APOSTROPHE  # auto’s, zo’n
        elif before in _OPENING_CONTEXT and _ELISION.match(text, i + 1):
            chars[i] = APOSTROPHE  # ’s avonds, ’t is, ’90
        elif open_at is None and _can_open(chars, i):
            open_at = i
        elif _can_close(chars, i):
            # Closing quote and apostrophe are the same character (Thomas’ boek), so this one is
            # certain; it also confirms a pending opening quote.
            chars[i] = CLOSE_SINGLE
            if open_at is not None:
                chars[open_at] = OPEN_SINGLE
                open_at = None


def _split_like(joined: str, pieces: list[str]) -> list[str]:
    result, start = [], 0
    for piece in pieces:
        result.append(joined[start : start + len(piece)])
        start += len(piece)
    return result


def _fold_spaces(pieces: list[str]) -> list[str]:
    """Collapse runs of spaces across piece boundaries; no spaces at the ends of the paragraph or
    next to a line break."""
    result: list[str] = []
    previous = "\n"  # the start of the paragraph counts as a line start
    for piece in pieces:
        out: list[str] = []
        for char in piece:
            if char == " " and previous in (" ", "\n"):
                continue
            if char == "\n":
                if previous == "\n":
                    continue
                while out and out[-1] == " ":
                    out.pop()
                if not out:
                    _drop_trailing_space(result)
            out.append(char)
            previous = char
        result.append("".join(out))
    # Trailing white space of the whole paragraph.
    for index in range(len(result) - 1, -1, -1):
        stripped = result[index].rstrip(" \n")
        result[index] = stripped
        if stripped:
            break
    return result


def _drop_trailing_space(result: list[str]) -> None:
    for index in range(len(result) - 1, -1, -1):
        if result[index]:
            result[index] = result[index].rstrip(" ")
            return
