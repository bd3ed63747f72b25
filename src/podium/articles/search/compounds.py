"""Dutch compounds split into the words they are made of, so that the index holds the parts too:
"zorgverzekeraar" is indexed as itself and as "zorg" and "verzekeraar", so a search for
"verzekeraar" finds it; "pensioenfondsen" also as "pensioen", "fonds" (and "fondsen").

Two well-kept sources from the same project, OpenTaal (the Dutch spelling list behind
LibreOffice's and Firefox's Dutch spell checking), decide:

- **where a word may be cut**: the hyphenation points of pyphen's Dutch dictionary
  (`hyph_nl_NL`, shipped inside pyphen, which WeasyPrint already needs). Dutch hyphenation
  respects the boundaries of a compound's parts, so "bestuur" (be-stuur) is never cut into
  "best" + "uur", nor "kantoor" (kan-toor) into "kant" + "oor", although all four are words;
- **whether each side is a word**: the Dutch Hunspell word list (Debian's `hunspell-nl`,
  `/usr/share/hunspell/nl.dic`, or `PODIUM_SEARCH_WORDLIST`), with the plural and linking forms
  Dutch compounds use ("arbeids|markt", "boeken|kast", "bedrijven|beleid").

A cut is taken at the first hyphenation point (from the left) where both sides are words, else
where the left side is a word and the right side a compound (which is split again). Prepositions
and separable particles ("over", "voor", "samen" ...) are not parts ("overleg" stays whole), and
neither are derivational endings that happen to be words ("persoon|lijk").

Why not a trained splitter? The maintained ones on PyPI are German-only (charsplit-fst), or last
released in 2020 and German-first (compound-split); a dictionary check needs no model, runs the
same on every machine that has the two word lists, and is easy to reason about when a reader asks
why a word was (not) found.

Without the word list (a machine without `hunspell-nl`) nothing is split, and a warning says so
once; `scripts/system-packages` installs it. The list is read on first use (about 0.3 s,
~12 MB), only in processes that write the index.
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from pathlib import Path

import pyphen
from django.conf import settings

logger = logging.getLogger(__name__)

MIN_WORD = 7  # shorter words are not split
MIN_MODIFIER = 3
MIN_HEAD = 4

# Prepositions, adverbs and prefixes that start separable verbs and their nouns ("overleg",
# "voorstel", "aanpak", "samenwerking"): lexicalised words, not compounds of two nouns.
PARTICLES = frozenset(
    [
        "aan",
        "achter",
        "af",
        "bij",
        "binnen",
        "boven",
        "buiten",
        "door",
        "her",
        "heen",
        "in",
        "langs",
        "mede",
        "mee",
        "na",
        "naar",
        "neer",
        "om",
        "onder",
        "ont",
        "op",
        "over",
        "rond",
        "samen",
        "te",
        "tegen",
        "terug",
        "toe",
        "tussen",
        "uit",
        "ver",
        "voor",
        "voorbij",
        "weer",
        "weg",
    ]
)
# Derivational endings that are also words: "persoon|lijk", "weten|schap", "waar|heid".
SUFFIXES = frozenset(
    [
        "baar",
        "dom",
        "heid",
        "heden",
        "ling",
        "lijk",
        "lijke",
        "loos",
        "loze",
        "schap",
        "schappen",
        "zaam",
    ]
)

_lock = threading.Lock()
_words: frozenset[str] | None = None
_hyphenator: pyphen.Pyphen | None = None


def wordlist_path() -> Path:
    return Path(settings.PODIUM_SEARCH_WORDLIST)


def _load() -> tuple[frozenset[str], pyphen.Pyphen]:
    global _words, _hyphenator
    if _words is not None and _hyphenator is not None:
        return _words, _hyphenator
    with _lock:
        if _words is None:
            _words = _read_words(wordlist_path())
        if _hyphenator is None:
            _hyphenator = pyphen.Pyphen(lang="nl_NL", left=MIN_MODIFIER, right=MIN_HEAD)
    return _words, _hyphenator


def _read_words(path: Path) -> frozenset[str]:
    from .text import fold  # text imports this module

    try:
        lines = path.read_text(encoding="utf-8").splitlines()[1:]  # first line: the count
    except OSError:
        logger.warning(
            "Search: no Dutch word list at %s (Debian package hunspell-nl); compounds are not "
            "split, so 'verzekeraar' will not find 'zorgverzekeraar'",
            path,
        )
        return frozenset()
    words = set()
    for line in lines:
        word = line.split("/", 1)[0]
        # Lower-case entries only: names and abbreviations are not parts of compounds.
        if len(word) >= MIN_MODIFIER and word.isalpha() and word.islower():
            words.add(fold(word))
    return frozenset(words)


def is_available() -> bool:
    return bool(_load()[0])


def base_form(part: str, words: frozenset[str]) -> str | None:
    """The listed word `part` is, or whose plural or linking form it is ("arbeids" → "arbeid",
    "boeken" → "boek", "ziekten" → "ziekte", "bedrijven" → "bedrijf", "huizen" → "huis",
    "pannen" → "pan"); None when it is none of these."""
    if part in words:
        return part
    candidates = [part[:-1]] if part.endswith(("s", "n")) else []
    if part.endswith("en") and len(part) > 4:
        stem = part[:-2]
        candidates.append(stem)
        if stem.endswith("v"):
            candidates.append(stem[:-1] + "f")
        if stem.endswith("z"):
            candidates.append(stem[:-1] + "s")
        if len(stem) > 2 and stem[-1] == stem[-2]:
            candidates.append(stem[:-1])
    return next((c for c in candidates if c in words), None)


def _is_word(part: str, words: frozenset[str]) -> bool:
    return base_form(part, words) is not None


def _is_ending(part: str, words: frozenset[str]) -> bool:
    return (base_form(part, words) or part) in SUFFIXES


@lru_cache(maxsize=200_000)
def split(word: str) -> tuple[str, ...]:
    """The parts of the folded compound `word`, left to right ("zorgverzekeraar" →
    ("zorg", "verzekeraar")), or () when it is not a compound of listed words."""
    if len(word) < MIN_WORD or not word.isalpha():
        return ()
    words, hyphenator = _load()
    if not words:
        return ()
    cuts = [
        cut
        for cut in hyphenator.positions(word)
        if len(word) - cut >= MIN_HEAD
        and word[:cut] not in PARTICLES
        and _is_word(word[:cut], words)
    ]
    # Two words first, the longest head first ("zorg|verzekeraar", "zieken|huis" rather than
    # "zie|kenhuis"); then a word and a compound ("arbeids|marktbeleid").
    for cut in cuts:
        head = word[cut:]
        if not _is_ending(head, words) and _is_word(head, words):
            return (*_modifier(word[:cut]), head)
    for cut in cuts:
        rest = split(word[cut:])
        if rest:
            return (*_modifier(word[:cut]), *rest)
    return ()


def _modifier(part: str) -> tuple[str, ...]:
    # A modifier may be a compound too: "arbeidsmarkt|beleid" → "arbeids", "markt", "beleid".
    return split(part) or (part,)


def parts(word: str) -> tuple[str, ...]:
    """What the index holds besides `word` itself: each part of the compound, as written and as
    listed, and each compound tail ("arbeidsmarktbeleid" → "arbeids", "markt", "beleid",
    "arbeid", "marktbeleid")."""
    pieces = split(word)
    if not pieces:
        return ()
    words = _load()[0]
    # The listed forms too: the stemmer makes "fonds" of "fondsen" but "fond" of "fonds".
    bases = [b for b in (base_form(p, words) for p in pieces) if b is not None]
    tails = ["".join(pieces[i:]) for i in range(1, len(pieces) - 1)]
    return (*pieces, *bases, *tails)
