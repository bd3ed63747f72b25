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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..models import Article
from ..sanitize import html_to_text
from .base import Filters, backend
from .text import MARK_END, MARK_START, PRIVATE_USE, Term, matches_word, query_terms

CANDIDATES = 200
COUNT_LIMIT = 1000
TITLE_WEIGHT = 10
META_WEIGHT = 4
SNIPPET_WORDS = 32
SNIPPET_SCAN_WORDS = 150  # a snippet looks this far into the text for a query word


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


def score(terms: Sequence[Term], title: str, meta: str) -> int:
    title_tokens, meta_tokens = title.split(), meta.split()
    total = 0
    for term in terms:
        if any(term.matches(t) for t in title_tokens):
            total += TITLE_WEIGHT
        elif any(term.matches(t) for t in meta_tokens):
            total += META_WEIGHT
        else:
            total += 1
    return total


def find(terms: Sequence[Term], filters: Filters, now: datetime.datetime) -> Found:
    """Uncached: the ordering of the matches of `terms` (see the module's docstring)."""
    found = backend()
    if found is None or not terms:
        return Found((), False)
    matches = found.newest_matches(terms, filters, now, COUNT_LIMIT + 1)
    candidates = found.candidates(matches[: min(CANDIDATES, COUNT_LIMIT)])

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
        articles = (
            Article.objects.select_related("author", "header_image")
            .prefetch_related("topics")
            .in_bulk(list(ids))
        )
        # The page's snippets are kept too (the articles are read afresh).
        snippets = self.keep(
            f"{_cache_name(self.terms, self.filters)}:page:{key.start}:{key.stop}",
            lambda: {pk: snippet_of(articles[pk], self.terms) for pk in ids if pk in articles},
        )
        return [
            Hit(article=articles[pk], snippet=render_snippet(snippets.get(pk, "")))
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


def snippet_of(article: Article, terms: Sequence[Term]) -> str:
    return mark_terms(article.lead + "\n" + html_to_text(article.body), terms)


_TOKEN = re.compile(r"([^\W_]+)")


def mark_terms(text: str, terms: Sequence[Term], *, size: int = SNIPPET_WORDS) -> str:
    """`size` words of `text` from just before the first query word (or compound holding one),
    the query words among them wrapped in the highlight markers. Reads the text only up to the
    end of that window, and at most SNIPPET_SCAN_WORDS words for the first query word."""
    text = PRIVATE_USE.sub("", text)
    seen: dict[str, bool] = {}

    def is_hit(word: str) -> bool:
        if word not in seen:
            seen[word] = matches_word(word, terms)
        return seen[word]

    spans: list[tuple[int, int, bool]] = []  # (start, end, is a hit) of the words read so far
    first_hit: int | None = None
    for match in _TOKEN.finditer(text):
        hit = is_hit(match.group())
        spans.append((match.start(), match.end(), hit))
        if hit and first_hit is None:
            first_hit = len(spans) - 1
        if first_hit is None:
            if len(spans) >= SNIPPET_SCAN_WORDS:
                break  # none near the start (the title, lead or author matched): show the start
        elif len(spans) > max(0, first_hit - 4) + size:
            break
    if not spans:
        return ""
    start = 0 if first_hit is None else max(0, first_hit - 4)
    chosen = spans[start : start + size]
    out = []
    position = chosen[0][0]
    for begin, end, hit in chosen:
        out.append(text[position:begin])
        out.append(f"{MARK_START}{text[begin:end]}{MARK_END}" if hit else text[begin:end])
        position = end
    snippet = " ".join("".join(out).split())
    if start > 0:
        snippet = "… " + snippet
    if len(spans) > start + size:
        snippet += " …"
    return snippet


def render_snippet(marked: str) -> SafeString:
    """Escape everything, then turn the markers into <mark> elements."""
    safe = escape(marked).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(safe)  # noqa: S308 — escaped above; only our own markers become tags
