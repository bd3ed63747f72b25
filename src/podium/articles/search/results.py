"""Reading the index: the results of a reader's query, in bounded work.

A query's results are, in order: the newest CANDIDATES matches ranked by relevance, then the
other matches, newest first, up to COUNT_LIMIT. Nothing ranks or counts every match of a common
word: the backends return the newest COUNT_LIMIT + 1 matches (their index walks newest first and
stops there), which gives the count exactly up to COUNT_LIMIT ("more than 1,000" beyond it, and
no pages past it: a reader refines the query or picks a topic or period). Relevance over the
candidates is worked out here, the same on every database, from the title and meta tokens the
index holds: a query word in the title counts TITLE_WEIGHT, in the lead, author or topics
META_WEIGHT, in the body alone 1; ties go to the most recently published.

The ids of the whole ordering and each page's snippets go through `keep`, which the caller may
give: the delivery layer keeps them under the page cache's generation (`podium.delivery.reads`),
so the same query (and its next pages) costs one cache read until something readers see
changes; by default they are computed every time. Snippets are marked in Python on the article's text, on both databases.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from podium.topics.models import Topic

from ..models import Article
from ..sanitize import html_words
from . import page
from .base import Filters, backend
from .text import MARK_END, MARK_START, PRIVATE_USE, Term, padded_tokens, query_terms

CANDIDATES = 200
COUNT_LIMIT = 1000
TITLE_WEIGHT = 10
META_WEIGHT = 4
SNIPPET_WORDS = 32
SNIPPET_SCAN_WORDS = 150  # a snippet looks this far into the text for a query word
SNIPPET_HTML_CHARS = 2000  # a body's HTML read at first for its snippet (see `snippet_of`)


class Keep(Protocol):
    """How a result is kept between requests: `keep(name, compute)` returns `compute()` or what
    it returned before under the same `name` (while nothing readers see has changed)."""

    def __call__[T](self, name: str, compute: Callable[[], T]) -> T: ...


def computed[T](name: str, compute: Callable[[], T]) -> T:
    """Keep nothing: compute every time."""
    return compute()


@dataclass(frozen=True)
class Found:
    """A query's ordering (article ids, at most COUNT_LIMIT) and whether there are more."""

    ids: tuple[int, ...]
    has_more: bool


@dataclass
class Hit:
    article: Article
    snippet: SafeString
    topics: tuple[Topic, ...] = ()  # by name, as the topics are listed everywhere


def score(terms: Sequence[Term], title: str, meta: str) -> int:
    # One substring test per field (`Term.needle`) rather than one per token: this runs for
    # every candidate.
    title, meta = f" {title} ", f" {meta} "
    total = 0
    for term in terms:
        needle = term.needle
        if needle in title:
            total += TITLE_WEIGHT
        elif needle in meta:
            total += META_WEIGHT
        else:
            total += 1
    return total


def find(terms: Sequence[Term], filters: Filters, now: datetime.datetime) -> Found:
    """Uncached: the ordering of the matches of `terms` (see the module's docstring)."""
    found = backend()
    if found is None or not terms:
        return Found((), False)
    newest = found.newest_matches(
        terms, filters, now, COUNT_LIMIT + 1, min(CANDIDATES, COUNT_LIMIT)
    )
    matches, candidates = newest.ids, newest.candidates

    def relevance(pk: int) -> tuple[int, float, int]:
        c = candidates[pk]
        return (-score(terms, c.title, c.meta), -c.published_at.timestamp(), -pk)

    ranked = sorted(candidates, key=relevance)
    ordering = ranked + matches[CANDIDATES:COUNT_LIMIT]
    return Found(tuple(ordering), len(matches) > COUNT_LIMIT)


def _cache_name(terms: Sequence[Term], filters: Filters) -> str:
    since = filters.since.isoformat() if filters.since else ""
    words = " ".join(f"{t.stem}{'*' if t.is_prefix else ''}" for t in terms)
    limits = f"{CANDIDATES}:{COUNT_LIMIT}"
    return f"search:v1:{limits}:{words}:{filters.topic_id or ''}:{since}"


class SearchResults:
    """The ordered hits of one query, sliceable and countable, so Django's Paginator can page it:
    the ordering and the count come from one bounded search (or the cache), each page from one
    query of its articles."""

    def __init__(
        self,
        terms: Sequence[Term],
        filters: Filters,
        *,
        keep: Keep = computed,
    ) -> None:
        self.terms = list(terms)
        self.filters = filters
        self.keep = keep
        self.now = timezone.now()
        self._found: Found | None = None

    @property
    def found(self) -> Found:
        if self._found is None:
            if not self.terms:
                self._found = Found((), False)
            else:
                self._found = self.keep(
                    _cache_name(self.terms, self.filters),
                    lambda: find(self.terms, self.filters, self.now),
                )
        return self._found

    def count(self) -> int:
        return len(self.found.ids)

    @property
    def has_more(self) -> bool:
        """More matches than `count()` (which stops at COUNT_LIMIT)."""
        return self.found.has_more

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: slice) -> list[Hit]:
        if not isinstance(key, slice):
            raise TypeError("SearchResults only supports slicing")
        ids = self.found.ids[key] if self.terms else ()
        if not ids:
            return []
        found = backend()
        assert found is not None  # a database without one finds nothing (see `find`)
        # The page's articles with their authors, co-authors and topics, in one query (`page`).
        articles = page.read(found, ids)
        seen = WordHits(self.terms)
        # The page's snippets are kept too (the articles are read afresh).
        snippets = self.keep(
            f"{_cache_name(self.terms, self.filters)}:page:{key.start}:{key.stop}",
            lambda: {
                pk: snippet_of(articles[pk].article, self.terms, seen)
                for pk in ids
                if pk in articles
            },
        )
        return [
            Hit(
                article=articles[pk].article,
                snippet=render_snippet(snippets.get(pk, "")),
                topics=tuple(
                    Topic(pk=topic_id, name=name, name_en=name_en)
                    for topic_id, name, name_en in articles[pk].topics
                ),
            )
            for pk in ids
            if pk in articles
        ]


def search(query: str, filters: Filters | None = None, *, keep: Keep = computed) -> SearchResults:
    """Published articles matching every plain word of `query` (stop words dropped), most
    relevant of the newest first. Never raises on odd input: a query without usable words simply
    finds nothing. The ordering and the snippets go through `keep` (see `Keep`)."""
    return SearchResults(query_terms(query), filters or Filters(), keep=keep)


def has_terms(query: str) -> bool:
    return bool(query_terms(query))


# --- Snippets -----------------------------------------------------------------------------------


@dataclass
class WordHits:
    """Which words of a page's texts hold one of the query's terms (itself or as a compound
    part), each word asked once for all the page's snippets."""

    terms: Sequence[Term]
    checked: set[str] = field(default_factory=set)
    hits: set[str] = field(default_factory=set)
    needles: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        self.needles = tuple(term.needle for term in self.terms)

    def check(self, words: Iterable[str]) -> set[str]:
        """`words` as a set, each of them checked: whether it holds one of the terms, itself or
        as a compound part (the terms' needles worked out once for the page)."""
        given = set(words)
        new = given - self.checked
        if new:
            needles, hits = self.needles, self.hits
            for word in new:
                padded = padded_tokens(word)
                for needle in needles:
                    if needle in padded:
                        hits.add(word)
                        break
            self.checked |= new
        return given


def snippet_of(article: Article, terms: Sequence[Term], seen: WordHits | None = None) -> str:
    """The marked snippet of `article` (see `mark_terms`). A snippet needs the text's first
    SNIPPET_SCAN_WORDS words or so, not all of it: the body's HTML is read up to a tag's end near
    SNIPPET_HTML_CHARS first, and in full only when that head holds too few words."""
    seen = WordHits(terms) if seen is None else seen
    body = article.body
    cut = body.rfind(">", 0, SNIPPET_HTML_CHARS) + 1 if len(body) > SNIPPET_HTML_CHARS else 0
    if cut:
        # Cut just after a tag, so no tag or entity is cut in two: the head's text is the body's
        # text up to there (all of its words but the last, which may be cut short).
        head = article.lead + "\n" + html_words(body[:cut])
        marked = _marked(head, SNIPPET_WORDS, seen, is_head=True)
        if marked is not None:
            return marked
    return mark_terms(article.lead + "\n" + html_words(body), terms, seen=seen)


_TOKEN = re.compile(r"([^\W_]+)")
# The same words in ASCII text ([^\W_] is a letter or digit), told apart several times faster.
_ASCII_TOKEN = re.compile(r"([A-Za-z0-9]+)")


def mark_terms(
    text: str,
    terms: Sequence[Term],
    *,
    size: int = SNIPPET_WORDS,
    seen: WordHits | None = None,
) -> str:
    """`size` words of `text` from just before the first query word (or compound holding one),
    the query words among them wrapped in the highlight markers; the first query word is looked
    for among the first SNIPPET_SCAN_WORDS words (none there: the text's start). `seen`
    remembers, for these `terms`, which words hold one (pass the same one for every snippet of
    a page)."""
    marked = _marked(text, size, WordHits(terms) if seen is None else seen, is_head=False)
    assert marked is not None  # only a head can be too short
    return marked


def _marked(text: str, size: int, seen: WordHits, *, is_head: bool) -> str | None:
    """`mark_terms`; for the head of a longer text (`is_head`: its last word may be cut short),
    None when the head has too few words to tell the snippet."""
    # Separator, word, separator, …, separator. A snippet is decided by the text's first words
    # (the first query word among the first SNIPPET_SCAN_WORDS, `size` words from just before
    # it, and whether a word follows them): only so many are split off, the rest of the text is
    # the last part.
    limit = SNIPPET_SCAN_WORDS + size + 1
    if text.isascii():  # no private-use characters either
        parts = _ASCII_TOKEN.split(text, maxsplit=limit)
    else:
        parts = _TOKEN.split(PRIVATE_USE.sub("", text), maxsplit=limit)
    words = parts[1::2]
    if len(words) == limit:
        # More words may follow: the snippet ends before the last of these (`end` below) and,
        # whatever follows, with "…".
        words = words[:-1]
        known = len(words)
    else:
        known = len(words) - 1 if is_head else len(words)
    scanned = words[: min(known, SNIPPET_SCAN_WORDS)]
    # Most texts hold no query word near their start (the title or the lead matched): asked of
    # the set of words at once, that costs no Python per word.
    if seen.check(scanned).isdisjoint(seen.hits):
        first_hit = None
    else:
        first_hit = next(i for i, word in enumerate(scanned) if word in seen.hits)
    start = 0 if first_hit is None else max(0, first_hit - 4)
    if is_head and known <= max(start + size, SNIPPET_SCAN_WORDS if first_hit is None else 0):
        return None  # the rest of the text could change the snippet or its closing "…"
    if not known:
        return ""
    end = min(start + size, known)
    seen.check(words[start:end])
    out = []
    for i in range(start, end):
        word = words[i]
        out.append(f"{MARK_START}{word}{MARK_END}" if word in seen.hits else word)
        if i < end - 1:
            out.append(parts[2 * i + 2])
    snippet = " ".join("".join(out).split())
    if start > 0:
        snippet = "… " + snippet
    if known > start + size:
        snippet += " …"
    return snippet


def render_snippet(marked: str) -> SafeString:
    """Escape everything, then turn the markers into <mark> elements."""
    safe = escape(marked).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(safe)  # noqa: S308 — escaped above; only our own markers become tags
