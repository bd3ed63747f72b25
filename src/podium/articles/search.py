"""Full-text search over published articles, Dutch-aware, on SQLite and on PostgreSQL.

The index holds one row per *published* article (scheduled ones included: the query filters on
the publication time). It is written in the same transaction as the change that makes it stale:
`lifecycle.transition` and `services.edit_article` call `index_article()` after their write.

Text goes through the same steps on both databases before it is indexed or looked up:
fold (lower case, accents removed: "financiële" → "financiele"), split into words, and stem with
Snowball's Dutch stemmer ("samenwerking", "samengewerkt" → "samenwerk"; "leveranciers" →
"leverancier"). Query terms of five or more letters also match as a prefix, which finds compounds
that start with the word ("samenwerk…" in "samenwerkingsverband"); compounds whose head comes last
("zorgverzekeraar" for "verzekeraar") are not found. The stemmer cannot relate irregular forms
("ging"/"gaan").

- SQLite: an FTS5 table `articles_search` (title, meta = lead + author + topics, body) of stemmed
  words, tokenised by unicode61 with remove_diacritics 2; ranked by bm25 with title 10, meta 4,
  body 1; snippets are marked in Python on the original text.
- PostgreSQL: a table `articles_search` with a tsvector column (GIN index) holding the text under
  the `podium_dutch` configuration (Dutch snowball, plus `unaccent` when the server has it) and the
  Python stems, weighted A (title) / B (lead, author, topics) / C (body); a query term matches
  either form. Ranked by ts_rank_cd; snippets by ts_headline. A generated column `meta_vector`
  holds the A and B part alone (small, kept in the row) for "read more" (similar_article_ids).

User input never reaches the database as query syntax: a query is reduced to plain words first
(letters and digits only), and those are passed as parameters.
"""

# ruff: noqa: S608 — SQL is assembled only from our own fragments; every value is a parameter.
from __future__ import annotations

import datetime
import logging
import math
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.db import connection
from django.db.models import Count, Q, prefetch_related_objects
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Article
from .sanitize import html_to_text

logger = logging.getLogger(__name__)

MAX_QUERY_CHARS = 500
MAX_TERMS = 10
MAX_TERM_CHARS = 40
PREFIX_MIN_CHARS = 5
SNIPPET_WORDS = 32

# Snippet highlight markers: private-use characters, removed from all indexed text so they can
# only come from the highlighter.
MARK_START = "\ue000"
MARK_END = "\ue001"
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
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
def _stem_of_typed(word: str) -> str:
    return stem(fold(word))


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def stemmed(text: str) -> str:
    return " ".join(stem(w) for w in words(text))


@dataclass(frozen=True)
class Term:
    word: str  # folded word as typed
    stem: str

    @property
    def is_prefix(self) -> bool:
        return len(self.stem) >= PREFIX_MIN_CHARS


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


# --- The document of an article -----------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    title: str
    meta: str  # lead, author, topics
    body: str

    @property
    def snippet_source(self) -> str:
        return self.meta.split("\n", 1)[0] + "\n" + self.body


def document_for(
    *, title: str, lead: str, body_html: str, author: str, topics: Iterable[str]
) -> Document:
    def clean(text: str) -> str:
        return _PRIVATE_USE.sub("", text)

    return Document(
        title=clean(title),
        meta=clean("\n".join([" ".join(lead.split()), author, *topics])),
        body=clean(html_to_text(body_html)),
    )


def _document(article: Article) -> Document:
    return document_for(
        title=article.title,
        lead=article.lead,
        body_html=article.body,
        author=article.author.display_name,
        topics=[t.name for t in article.topics.all()],
    )


def _vendor() -> str:
    return connection.vendor


# --- Writing the index --------------------------------------------------------------------------

_PG_VECTOR = (
    "setweight(to_tsvector('podium_dutch', %s) || to_tsvector('simple', %s), 'A') || "
    "setweight(to_tsvector('podium_dutch', %s) || to_tsvector('simple', %s), 'B') || "
    "setweight(to_tsvector('podium_dutch', %s) || to_tsvector('simple', %s), 'C')"
)


def _write_rows(rows: Sequence[tuple[int, Document]]) -> None:
    if not rows:
        return
    with connection.cursor() as cursor:
        if _vendor() == "sqlite":
            cursor.executemany(
                "INSERT OR REPLACE INTO articles_search (rowid, title, meta, body) VALUES (%s, %s, %s, %s)",
                [(pk, stemmed(d.title), stemmed(d.meta), stemmed(d.body)) for pk, d in rows],
            )
        elif _vendor() == "postgresql":
            cursor.executemany(
                "INSERT INTO articles_search (article_id, snippet_source, vector) "
                f"VALUES (%s, %s, {_PG_VECTOR}) "
                "ON CONFLICT (article_id) DO UPDATE SET snippet_source = EXCLUDED.snippet_source, "
                "vector = EXCLUDED.vector",
                [
                    (
                        pk,
                        d.snippet_source,
                        d.title,
                        stemmed(d.title),
                        d.meta,
                        stemmed(d.meta),
                        d.body,
                        stemmed(d.body),
                    )
                    for pk, d in rows
                ],
            )


def _delete_rows(pks: Sequence[int]) -> None:
    if not pks or _vendor() not in ("sqlite", "postgresql"):
        return
    key = "rowid" if _vendor() == "sqlite" else "article_id"
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM articles_search WHERE {key} = %s", [(pk,) for pk in pks])


def index_article(article: Article) -> None:
    """Bring the index in line with `article` as stored now: a published article is (re)indexed,
    any other is removed. Call it inside the transaction that changed the article."""
    row = (
        Article.objects.select_related("author")
        .prefetch_related("topics")
        .filter(pk=article.pk)
        .first()
    )
    if row is None or row.state != Article.State.PUBLISHED:
        _delete_rows([article.pk])
    else:
        _write_rows([(row.pk, _document(row))])


def reindex_articles(pks: Iterable[int], batch_size: int = 500) -> int:
    """`index_article` for many articles at once: each published one is rewritten, every other
    (unpublished, or deleted meanwhile) is removed. For changes the article row does not show but
    its document does: the author's name, a topic's name, a deleted account. Call it inside the
    transaction that made the change. Returns the number of articles written."""
    ids = sorted(set(pks))
    written = 0
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        rows = list(
            Article.objects.filter(pk__in=chunk, state=Article.State.PUBLISHED)
            .select_related("author")
            .prefetch_related("topics")
        )
        _write_rows([(a.pk, _document(a)) for a in rows])
        kept = {a.pk for a in rows}
        _delete_rows([pk for pk in chunk if pk not in kept])
        written += len(rows)
    return written


def rebuild_index(batch_size: int = 2000) -> int:
    """Rebuild the whole index from the articles (after bulk imports or seeding). Returns the
    number of indexed articles."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM articles_search")
    published = (
        Article.objects.filter(state=Article.State.PUBLISHED)
        .select_related("author")
        .prefetch_related("topics")
        .order_by("pk")
    )
    total, last_pk = 0, 0
    while True:
        batch = list(published.filter(pk__gt=last_pk)[:batch_size])
        if not batch:
            return total
        _write_rows([(a.pk, _document(a)) for a in batch])
        total += len(batch)
        last_pk = batch[-1].pk


# --- Reading the index --------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    topic_id: int | None = None
    since: datetime.datetime | None = None


@dataclass
class Hit:
    article: Article
    snippet: SafeString


def _fts5_match(terms: Sequence[Term], *, any_term: bool = False) -> str:
    # Stems are letters and digits only (see _WORD), so quoting them is all FTS5 needs.
    parts = [f'"{t.stem}"*' if t.is_prefix else f'"{t.stem}"' for t in terms]
    return (" OR " if any_term else " AND ").join(parts)


def _pg_query(terms: Sequence[Term], *, any_term: bool = False) -> tuple[str, list[str]]:
    """A tsquery expression in which each term matches its Dutch lexeme or its Python stem."""
    parts, params = [], []
    for t in terms:
        suffix = ":*" if t.is_prefix else ""
        parts.append("(plainto_tsquery('podium_dutch', %s) || to_tsquery('simple', %s))")
        params += [t.word, t.stem + suffix]
    return "(" + (" || " if any_term else " && ").join(parts) + ")", params


def _filters_sql(
    filters: Filters, now: datetime.datetime
) -> tuple[str, list[str | int | datetime.datetime]]:
    sql = "a.state = %s AND a.published_at <= %s"
    params: list[str | int | datetime.datetime] = [Article.State.PUBLISHED, now]
    if filters.since is not None:
        sql += " AND a.published_at >= %s"
        params.append(filters.since)
    if filters.topic_id is not None:
        sql += " AND EXISTS (SELECT 1 FROM articles_article_topics t WHERE t.article_id = a.id AND t.topic_id = %s)"
        params.append(filters.topic_id)
    return sql, params


class SearchResults:
    """The ranked hits of one query, sliceable and countable, so Django's Paginator can page it
    with one count query and one query per page."""

    def __init__(self, terms: Sequence[Term], filters: Filters) -> None:
        self.terms = list(terms)
        self.filters = filters
        self.now = timezone.now()
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = self._run_count() if self.terms else 0
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: slice) -> list[Hit]:
        if not isinstance(key, slice):
            raise TypeError("SearchResults only supports slicing")
        if not self.terms:
            return []
        start, stop = key.start or 0, key.stop if key.stop is not None else self.count()
        return self._run_page(start, max(0, stop - start))

    def _run_count(self) -> int:
        where, params = _filters_sql(self.filters, self.now)
        with connection.cursor() as cursor:
            if _vendor() == "sqlite":
                cursor.execute(
                    "SELECT count(*) FROM articles_search s JOIN articles_article a ON a.id = s.rowid "
                    f"WHERE articles_search MATCH %s AND {where}",
                    [_fts5_match(self.terms), *params],
                )
            else:
                tsquery, qparams = _pg_query(self.terms)
                cursor.execute(
                    "SELECT count(*) FROM articles_search s JOIN articles_article a ON a.id = s.article_id "
                    f"WHERE s.vector @@ {tsquery} AND {where}",
                    [*qparams, *params],
                )
            return int(cursor.fetchone()[0])

    def _run_page(self, offset: int, limit: int) -> list[Hit]:
        if limit == 0:
            return []
        where, params = _filters_sql(self.filters, self.now)
        with connection.cursor() as cursor:
            if _vendor() == "sqlite":
                cursor.execute(
                    "SELECT a.id FROM articles_search s JOIN articles_article a ON a.id = s.rowid "
                    f"WHERE articles_search MATCH %s AND {where} "
                    "ORDER BY bm25(articles_search, 10.0, 4.0, 1.0), a.published_at DESC, a.id DESC "
                    "LIMIT %s OFFSET %s",
                    [_fts5_match(self.terms), *params, limit, offset],
                )
                ranked = [(pk, None) for (pk,) in cursor.fetchall()]
            else:
                tsquery, qparams = _pg_query(self.terms)
                cursor.execute(
                    f"WITH q AS (SELECT {tsquery} AS query), "
                    "page AS (SELECT s.article_id, ts_rank_cd(s.vector, q.query) AS rank, a.published_at "
                    "FROM articles_search s JOIN articles_article a ON a.id = s.article_id, q "
                    f"WHERE s.vector @@ q.query AND {where} "
                    "ORDER BY rank DESC, a.published_at DESC, s.article_id DESC LIMIT %s OFFSET %s) "
                    "SELECT page.article_id, ts_headline('podium_dutch', s.snippet_source, q.query, %s) "
                    "FROM page JOIN articles_search s ON s.article_id = page.article_id, q "
                    "ORDER BY page.rank DESC, page.published_at DESC, page.article_id DESC",
                    [*qparams, *params, limit, offset, _HEADLINE_OPTIONS],
                )
                ranked = cursor.fetchall()
        articles = (
            Article.objects.select_related("author")
            .prefetch_related("topics")
            .in_bulk([pk for pk, _ in ranked])
        )
        hits = []
        for pk, headline in ranked:
            article = articles.get(pk)
            if article is None:
                continue
            marked = (
                headline
                if headline is not None
                else mark_terms(article.lead + "\n" + html_to_text(article.body), self.terms)
            )
            hits.append(Hit(article=article, snippet=render_snippet(marked)))
        return hits


_HEADLINE_OPTIONS = (
    f'StartSel="{MARK_START}", StopSel="{MARK_END}", MaxWords={SNIPPET_WORDS}, MinWords=15, '
    'MaxFragments=2, FragmentDelimiter=" … "'
)


def search(query: str, filters: Filters | None = None) -> SearchResults:
    """Published articles matching every plain word of `query` (stop words dropped), best first.
    Never raises on odd input: a query without usable words simply finds nothing."""
    return SearchResults(query_terms(query), filters or Filters())


def has_terms(query: str) -> bool:
    return bool(query_terms(query))


# --- Snippets -----------------------------------------------------------------------------------

_TOKEN = re.compile(r"([^\W_]+)")


def mark_terms(text: str, terms: Sequence[Term], *, size: int = SNIPPET_WORDS) -> str:
    """The `size`-word window of `text` with the most query words, those words wrapped in the
    highlight markers (the Python twin of ts_headline, for SQLite)."""
    text = _PRIVATE_USE.sub("", " ".join(text.split()))
    pieces = _TOKEN.split(text)  # even: separators, odd: words
    word_positions = list(range(1, len(pieces), 2))
    exact = {t.stem for t in terms}
    prefixes = tuple(t.stem for t in terms if t.is_prefix)

    def matches(word: str) -> bool:
        s = _stem_of_typed(word)
        return s in exact or (bool(prefixes) and s.startswith(prefixes))

    hits = [i for i, pos in enumerate(word_positions) if matches(pieces[pos])]
    start = 0
    if hits:
        best = max(range(len(hits)), key=lambda h: sum(1 for x in hits[h:] if x < hits[h] + size))
        start = max(0, hits[best] - 4)
    chosen = word_positions[start : start + size]
    if not chosen:
        return ""
    hit_positions = {word_positions[i] for i in hits}
    out = []
    for index in range(chosen[0], chosen[-1] + 1):
        piece = pieces[index]
        out.append(f"{MARK_START}{piece}{MARK_END}" if index in hit_positions else piece)
    snippet = "".join(out)
    if start > 0:
        snippet = "… " + snippet
    if chosen[-1] < word_positions[-1]:
        snippet += " …"
    return snippet


def render_snippet(marked: str) -> SafeString:
    """Escape everything, then turn the markers into <mark> elements."""
    safe = escape(marked).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(safe)  # noqa: S308 — escaped above; only our own markers become tags


# --- Related articles ---------------------------------------------------------------------------
#
# "Read more" under an article must not cost a page render more at 100,000 articles than at 100.
# The computation looks only at the most recent publications (RELATED_WINDOW, found through
# indexes) and its result, a short list of ids, is cached per article for hours (Redis in
# production, files in the embedded set-up). A render re-reads those ids through one indexed
# query of what is published now, so an article taken down disappears from every "read more" at
# once; a new article joins the lists as they expire.

RELATED_WINDOW = 3000  # candidates: the most recent articles (by id, i.e. by creation)
RELATED_CANDIDATES = 9  # ids kept per article: room for take-downs before a list runs short
RELATED_KEY = "podium:related:v1:{pk}:{published}"


def _window_floor() -> int:
    """The lowest article id among the RELATED_WINDOW most recent ones (0 when there are fewer)."""
    row = Article.objects.order_by("-pk").values_list("pk", flat=True)[
        RELATED_WINDOW - 1 : RELATED_WINDOW
    ]
    return next(iter(row), 0)


def similar_article_ids(
    article: Article, *, limit: int = 10, floor: int | None = None
) -> list[int]:
    """Recent published articles (id ≥ `floor`, by default the RELATED_WINDOW most recent) whose
    title, lead, author and topics share the most telling words of `article`'s title and lead,
    best first; never `article` itself.

    Each shared word counts by its rarity within the window (the same idea as bm25's IDF), summed
    per article; the same words and weights on both databases. Bounded by the window, not by the
    size of the index: on SQLite, FTS5's bm25() would count every term over the whole index, so
    each term's matches within the window are fetched and weighed in Python; on PostgreSQL, one
    pass over the window's rows (by primary key) tests each term against the small title/meta
    vector in the row, never the (TOASTed) body vector, and weighs and ranks them in SQL."""
    terms = [t for t in query_terms(article.title + " " + article.lead) if len(t.word) >= 4][:8]
    if not terms:
        return []
    if floor is None:
        floor = _window_floor()
    with connection.cursor() as cursor:
        if _vendor() == "sqlite":
            # One statement: per term, the window's articles with the term in title or meta.
            branch = (
                "SELECT %s, rowid FROM articles_search "
                "WHERE articles_search MATCH %s AND rowid >= %s AND rowid <> %s"
            )
            params: list[int | str] = []
            for index, term in enumerate(terms):
                params += [index, '{title meta}: "' + term.stem + '"', floor, article.pk]
            cursor.execute(" UNION ALL ".join([branch] * len(terms)), params)
            matches: dict[int, list[int]] = {}
            for index, pk in cursor.fetchall():
                matches.setdefault(index, []).append(pk)
            score: dict[int, float] = {}
            for found in matches.values():
                weight = math.log(1 + RELATED_WINDOW / len(found))
                for pk in found:
                    score[pk] = score.get(pk, 0.0) + weight
            return sorted(score, key=lambda pk: (-score[pk], -pk))[:limit]
        if _vendor() == "postgresql":
            # window: per row, which terms its title/meta holds (h0, h1, ...); weights: per term,
            # log(1 + window / rows holding it); then the rows holding any, by summed weight.
            n = range(len(terms))
            holds = ", ".join(f"s.meta_vector @@ plainto_tsquery('simple', %s) AS h{i}" for i in n)
            weights = ", ".join(
                f"ln(1 + %s::float8 / nullif(count(*) FILTER (WHERE h{i}), 0)) AS w{i}" for i in n
            )
            total = " + ".join(f"CASE WHEN m.h{i} THEN w.w{i} ELSE 0 END" for i in n)
            cursor.execute(
                f"WITH m AS MATERIALIZED (SELECT s.article_id, {holds} FROM articles_search s "
                "WHERE s.article_id >= %s AND s.article_id <> %s), "
                f"w AS (SELECT {weights} FROM m) "
                f"SELECT m.article_id FROM m, w WHERE {' OR '.join(f'm.h{i}' for i in n)} "
                f"ORDER BY {total} DESC, m.article_id DESC LIMIT %s",
                [
                    *(t.stem for t in terms),
                    floor,
                    article.pk,
                    *(RELATED_WINDOW for _ in n),
                    limit,
                ],
            )
            return [pk for (pk,) in cursor.fetchall()]
        return []


def related_article_ids(article: Article, *, limit: int = RELATED_CANDIDATES) -> list[int]:
    """Compute, uncached: recent published articles sharing the most topics with `article`
    and those with the most similar text, mixed, best first; never `article` itself. A fixed
    number of queries, each bounded by RELATED_WINDOW whatever the number of articles."""
    topic_ids = [t.pk for t in article.topics.all()]
    floor = _window_floor()
    score: dict[int, float] = {}
    if topic_ids:
        # Bounded by the window, not by how many articles a topic has. SQLite probes the (article,
        # topic) index for each of the most recent publications (found through a covering index).
        # PostgreSQL would rather read all the topics' rows and hash them against that list, so
        # there the window is the id window of the text half: the (article, topic) index from its
        # lowest id on, each row's article checked by primary key.
        if _vendor() == "postgresql":
            in_window = Q(
                article_id__gte=floor,
                article__state=Article.State.PUBLISHED,
                article__published_at__lte=timezone.now(),
            )
        else:
            recent = Article.objects.published().order_by("-published_at").values("pk")
            in_window = Q(article_id__in=recent[:RELATED_WINDOW])
        shared = (
            Article.topics.through.objects.filter(in_window, topic_id__in=topic_ids)
            .exclude(article_id=article.pk)
            .values("article_id")
            .annotate(shared=Count("topic_id"))
            .order_by("-shared", "-article_id")[:20]
        )
        for row in shared:
            score[row["article_id"]] = float(row["shared"])
    similar = similar_article_ids(article, limit=10, floor=floor)
    for position, pk in enumerate(similar):
        score[pk] = score.get(pk, 0.0) + 1.5 * (len(similar) - position) / len(similar)
    return sorted(score, key=lambda pk: (-score[pk], -pk))[:limit]


def _related_cache() -> BaseCache:
    return caches[settings.PODIUM_RELATED_CACHE_ALIAS]


def _related_key(article: Article) -> str:
    # The publication time makes the key this publication's: an article published again (or,
    # in tests, a new article that reuses a rolled-back id) starts afresh.
    published = int(article.published_at.timestamp() * 1e6) if article.published_at else 0
    return RELATED_KEY.format(pk=article.pk, published=published)


def cached_related_ids(article: Article) -> list[int]:
    """`related_article_ids(article)`, from the cache when it has them. A cache that is down
    costs the computation, never the page."""
    key = _related_key(article)
    try:
        ids = _related_cache().get(key)
    except Exception:
        logger.exception("Related articles: cache unavailable")
        return related_article_ids(article)
    if ids is None:
        ids = related_article_ids(article)
        try:
            _related_cache().set(key, ids, timeout=settings.PODIUM_RELATED_CACHE_SECONDS)
        except Exception:
            logger.exception("Related articles: could not store %s", key)
    return list(ids)


def related_articles(article: Article, *, limit: int = 3) -> list[Article]:
    """Published articles a reader of `article` may want next (see `related_article_ids`), ready
    for teasers (author and topics loaded): the cached ids re-read through one indexed query of
    what is published now (+ their topics), so nothing taken down is ever shown."""
    ids = cached_related_ids(article)
    if not ids:
        return []
    # By primary key, then "published now" checked on the rows: given `state` and `published_at`
    # in the WHERE clause, SQLite's planner prefers their index and scans every publication.
    found = Article.objects.select_related("author").defer("body").in_bulk(ids)
    related = [found[pk] for pk in ids if pk in found and found[pk].is_live][:limit]
    prefetch_related_objects(related, "topics")
    return related
