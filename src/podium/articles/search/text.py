"""Text as the index and the queries see it, the same on every database: fold (lower case,
accents removed: "financiële" → "financiele"), split into words (letters and digits), stem with
Snowball's Dutch stemmer ("samenwerking", "samengewerkt" → "samenwerk"; "leveranciers" →
"leverancier"), and add the parts of compounds (`compounds`: "zorgverzekeraar" is also "zorg" and
"verzekeraar").

The index holds *tokens*: the stems of an article's words and of their compound parts, as a
string of space-separated tokens per field. A query is a list of `Term`s; a term matches a token
that equals its stem, and a term of PREFIX_MIN_CHARS or more also a token that starts with it
("samenwerk…" in "samenwerkingsverband"). The stemmer cannot relate irregular forms
("ging"/"gaan").

User input never reaches a database as query syntax: a query is reduced to plain words here.
"""

from __future__ import annotations

import datetime
import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from ..sanitize import html_to_text
from . import compounds

MAX_QUERY_CHARS = 500
MAX_TERMS = 10
MAX_TERM_CHARS = 40
MAX_INDEXED_CHARS = 100
PREFIX_MIN_CHARS = 5

# Snippet highlight markers: private-use characters, removed from all indexed text so they can
# only come from the highlighter.
MARK_START = "\ue000"
MARK_END = "\ue001"
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
_WORD = re.compile(r"[^\W_]+")
_OPERATOR = re.compile(r"\b(?:AND|OR|NOT|NEAR)\b")

# Snowball's Dutch stop list (https://snowballstem.org/algorithms/dutch/stop.txt), folded.
STOP_WORDS = frozenset(
    [
        "de",
        "en",
        "van",
        "ik",
        "te",
        "dat",
        "die",
        "in",
        "een",
        "hij",
        "het",
        "niet",
        "zijn",
        "is",
        "was",
        "op",
        "aan",
        "met",
        "als",
        "voor",
        "had",
        "er",
        "maar",
        "om",
        "hem",
        "dan",
        "zou",
        "of",
        "wat",
        "mijn",
        "men",
        "dit",
        "zo",
        "door",
        "over",
        "ze",
        "zich",
        "bij",
        "ook",
        "tot",
        "je",
        "mij",
        "uit",
        "der",
        "daar",
        "haar",
        "naar",
        "heb",
        "hoe",
        "heeft",
        "hebben",
        "deze",
        "u",
        "want",
        "nog",
        "zal",
        "me",
        "zij",
        "nu",
        "ge",
        "geen",
        "omdat",
        "iets",
        "worden",
        "toch",
        "al",
        "waren",
        "veel",
        "meer",
        "doen",
        "toen",
        "moet",
        "ben",
        "zonder",
        "kan",
        "hun",
        "dus",
        "alles",
        "onder",
        "ja",
        "eens",
        "hier",
        "wie",
        "werd",
        "altijd",
        "doch",
        "wordt",
        "wezen",
        "kunnen",
        "ons",
        "zelf",
        "tegen",
        "na",
        "reeds",
        "wil",
        "kon",
        "niets",
        "uw",
        "iemand",
        "geweest",
        "andere",
    ]
)

_local = threading.local()


def _stemmer() -> snowballstemmer.Stemmer:
    # Snowball stemmer objects keep state while stemming: one per thread.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("dutch")
    return stemmer


_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lower case without accents: "Financiële" → "financiele"."""
    if text.isascii():
        return text.lower()
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text)).casefold()


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    return _stemmer().stemWord(word)


@lru_cache(maxsize=100_000)
def stem_of_typed(word: str) -> str:
    return stem(fold(word))


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


@lru_cache(maxsize=200_000)
def word_tokens(word: str) -> str:
    """The tokens of one folded word: its stem, then the stems of its compound parts."""
    own = stem(word)
    extra = [s for s in dict.fromkeys(stem(p) for p in compounds.parts(word)) if s != own]
    return " ".join([own, *extra])


def tokens(text: str) -> str:
    """The index tokens of `text`, space-separated, each word once (no query needs positions or
    frequencies: matching and ranking only ask whether a field holds a token). Words longer than
    MAX_INDEXED_CHARS are left out on every database (PostgreSQL refuses lexemes over 2 KB)."""
    return " ".join(
        word_tokens(w) for w in dict.fromkeys(words(text)) if len(w) <= MAX_INDEXED_CHARS
    )


def stemmed(text: str) -> str:
    """The stems of `text`'s words, space-separated, without compound parts."""
    return " ".join(stem(w) for w in words(text))


@dataclass(frozen=True)
class Term:
    word: str  # folded word as typed
    stem: str

    @property
    def is_prefix(self) -> bool:
        return len(self.stem) >= PREFIX_MIN_CHARS

    def matches(self, token: str) -> bool:
        return token == self.stem or (self.is_prefix and token.startswith(self.stem))

    @property
    def needle(self) -> str:
        """What a string of tokens, with a space before and after, holds where one of its
        tokens `matches` this term: the stem as a whole token, or (a prefix term) at the start
        of one. Tokens are separated by single spaces (`tokens`), so one substring test (in C)
        asks every token at once."""
        return f" {self.stem}" if self.is_prefix else f" {self.stem} "


def query_terms(query: str) -> list[Term]:
    """The plain words of a reader's query: no syntax, no stop words, at most MAX_TERMS."""
    terms: list[Term] = []
    seen: set[str] = set()
    # Operators typed out of habit ("a AND b") are not words to look for.
    query = _OPERATOR.sub(" ", query[:MAX_QUERY_CHARS])
    for word in words(query):
        if word in STOP_WORDS or len(word) > MAX_TERM_CHARS:
            continue
        term = Term(word, stem(word))
        if term.stem in seen:
            continue
        seen.add(term.stem)
        terms.append(term)
        if len(terms) == MAX_TERMS:
            break
    return terms


@lru_cache(maxsize=200_000)
def padded_tokens(word: str) -> str:
    """The tokens of a word of an article's text (as written), with a space before and after:
    what a `Term.needle` is looked for in. Snippets ask it of the same words page after page."""
    return f" {word_tokens(fold(word))} "


# --- The document of an article -----------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    """The text of an article the index is made from."""

    title: str
    meta: str  # lead, author, topics
    body: str
    topic_ids: tuple[int, ...] = ()


def document_for(
    *,
    title: str,
    lead: str,
    body_html: str,
    author: str,
    topics: Iterable[str],
    topic_ids: Iterable[int] = (),
) -> Document:
    def clean(text: str) -> str:
        return PRIVATE_USE.sub("", text)

    return Document(
        title=clean(title),
        meta=clean("\n".join([" ".join(lead.split()), author, *topics])),
        body=clean(html_to_text(body_html)),
        topic_ids=tuple(sorted(set(topic_ids))),
    )


# Topics are in the index as tags ("_t12"), so a topic filter is one more term the index
# intersects rather than a look-up per match. The underscore cannot come from a reader's query
# (`_WORD` leaves it out), so no query word equals or starts with a tag.
TOPIC_TAG = "_t"


def topic_tag(topic_id: int) -> str:
    return f"{TOPIC_TAG}{int(topic_id)}"


@dataclass(frozen=True)
class IndexRow:
    """What the index holds for one published article: its fields' tokens, its topic tags and
    its publication time (a backend may keep that beside the tokens, so that a query need not
    read the article's row to know whether readers may see it yet)."""

    article_id: int
    published_at: datetime.datetime
    title: str
    meta: str
    body: str
    tags: str = ""

    @classmethod
    def of(cls, article_id: int, published_at: datetime.datetime, document: Document) -> IndexRow:
        return cls(
            article_id,
            published_at,
            tokens(document.title),
            tokens(document.meta),
            tokens(document.body),
            " ".join(topic_tag(t) for t in document.topic_ids),
        )
