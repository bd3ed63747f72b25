"""The editor's assistant: what a careful first reader notices, computed once per submitted version.

- Length: words and characters ("aanslagen") against the limit, reading time.
- Readability: Flesch–Douma, the Dutch adaptation of Flesch's reading ease,
  ``206.835 − 0.93 × words/sentence − 77 × syllables/word``, with its usual bands; the longest
  sentences. Dutch syllables are counted as vowel groups, where the diphthongs and long vowels
  (ij, ui, oe, ei, eu, ou, au, aa, ee, oo, uu, ie; and aai, ooi, oei, eeu, ieu) are one sound and
  a diaeresis (ideeën) starts a new one.
- Links: outbound links, links to the author's own domain (from the profile's website), and a
  self-promotion warning past configurable thresholds.
- Originality: MinHash over word shingles with LSH banding. Each submitted text's signature is
  cut into bands; every band becomes one indexed key (`FingerprintBand.key`). Finding candidates
  is one `key IN (…32 keys…)` query on that index, whatever the number of articles; at most
  MAX_CANDIDATES are ranked by their signatures and at most CLOSE_COMPARISONS per kind compared
  closely (exact shingle overlap). Shingles, signatures and band keys are numpy arithmetic, so a
  backfill (`index_many`, `podium index_originality`) computes them for thousands of texts at
  once. See bench/assistant.py and bench/results/assistant.md.
- Completeness: photo, bio, topics; title or lead too long for the home page.

The text functions are pure; `analyse_revision` and the index functions touch the database.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import numpy as np
from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from podium.accounts.models import User
from podium.articles import rules as article_rules
from podium.articles.models import Article, Revision
from podium.articles.sanitize import html_to_text
from podium.editorial import rules as editorial_rules

from .models import AssistantReport, Fingerprint, FingerprintBand

# --- Readability ------------------------------------------------------------------------------

VOWELS = frozenset("aeiouyáéíóúàèìòùâêîôûäëïöü")
# Longest first: a triphthong is one syllable, then the digraphs, then a single vowel.
VOWEL_UNITS = (
    "aai",
    "ooi",
    "oei",
    "eeu",
    "ieu",
    "ij",
    "ui",
    "oe",
    "ei",
    "eu",
    "ou",
    "au",
    "aa",
    "ee",
    "oo",
    "uu",
    "ie",
    "éé",
)
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|\d+(?:[.,]\d+)*", re.UNICODE)
# Dutch abbreviations whose full stop does not end a sentence.
_ABBREVIATIONS = re.compile(
    r"\b(bijv|bv|o\.a|d\.w\.z|m\.a\.w|e\.d|enz|etc|i\.p\.v|t\.a\.v|m\.b\.t|n\.a\.v|z\.g\.a\.n|dhr|mevr|mr|dr|drs|ir|ing|prof|nr|ca|vs|jl|a\.s)\.",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+(?=[\"'“‘(]?[A-ZÀ-ÝÄËÏÖÜ0-9])")

# Douma's interpretation of the score: (lower bound, key, label).
BANDS: tuple[tuple[float, str, Any], ...] = (
    (90, "very_easy", _("very easy")),
    (80, "easy", _("easy")),
    (70, "fairly_easy", _("fairly easy")),
    (60, "standard", _("standard")),
    (50, "fairly_difficult", _("fairly difficult")),
    (30, "difficult", _("difficult")),
    (-math.inf, "very_difficult", _("very difficult")),
)
BAND_LABELS = {key: label for _low, key, label in BANDS}


_VOWEL_UNIT = re.compile("|".join(VOWEL_UNITS) + "|[" + "".join(sorted(VOWELS)) + "]")


@functools.lru_cache(maxsize=65536)
def syllables(word: str) -> int:
    """Dutch syllables of one word: vowel groups, with diphthongs and long vowels as one. The
    alternation tries the longest units first; a vowel with a diaeresis (ë, ï) is in no unit, so
    it always starts a syllable of its own (ideeën: i-dee-ën)."""
    return len(_VOWEL_UNIT.findall(word.lower())) or 1


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def sentences(text: str) -> list[str]:
    """Sentences of plain text: blocks (paragraphs, subheadings) split at ., !, ? and … followed
    by a capital, except after common abbreviations."""
    result = []
    for block in re.split(r"\n\s*\n|\n", text):
        block = " ".join(block.split())
        if not block:
            continue
        shielded = _ABBREVIATIONS.sub(lambda m: m.group(0).replace(".", "\x00"), block)
        for part in _SENTENCE_END.split(shielded):
            part = part.replace("\x00", ".").strip()
            if words(part):
                result.append(part)
    return result


def flesch_douma(n_words: int, n_sentences: int, n_syllables: int) -> float:
    if not n_words or not n_sentences:
        return 0.0
    return 206.835 - 0.93 * (n_words / n_sentences) - 77 * (n_syllables / n_words)


def band(score: float) -> str:
    return next(key for low, key, _label in BANDS if score >= low)


def readability(text: str, *, longest: int = 3) -> dict[str, Any]:
    parts = sentences(text)
    per_sentence = [words(s) for s in parts]
    all_words = [w for ws in per_sentence for w in ws]
    n_syllables = sum(syllables(w) for w in all_words)
    score = flesch_douma(len(all_words), len(parts), n_syllables)
    ranked = sorted(range(len(parts)), key=lambda i: (-len(per_sentence[i]), -len(parts[i]), i))[
        :longest
    ]
    return {
        "score": round(score, 1),
        "band": band(score),
        "sentences": len(parts),
        "words": len(all_words),
        "syllables": n_syllables,
        "words_per_sentence": round(len(all_words) / len(parts), 1) if parts else 0,
        "syllables_per_word": round(n_syllables / len(all_words), 2) if all_words else 0,
        "longest": [{"text": parts[i], "words": len(per_sentence[i])} for i in ranked],
    }


# --- Length -----------------------------------------------------------------------------------


def length(text: str, *, characters: int) -> dict[str, Any]:
    n_words = len(words(text))
    limit = article_rules.BODY_MAX_CHARS
    return {
        "words": n_words,
        "characters": characters,
        "limit": limit,
        "over_limit": characters > limit,
        "reading_minutes": max(1, math.ceil(n_words / article_rules.WORDS_PER_MINUTE)),
    }


# --- Links ------------------------------------------------------------------------------------

_HREF = re.compile(r"""<a\s[^>]*?href\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def _host(url: str) -> str:
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.")


def _same_site(host: str, domain: str) -> bool:
    return bool(domain) and (host == domain or host.endswith("." + domain))


def links(body_html: str, *, website: str, organisation: str, text: str) -> dict[str, Any]:
    site = _host(settings.SITE_URL)
    own = _host(website) if website else ""
    hosts = [
        _host(h)
        for h in _HREF.findall(body_html or "")
        if h.lower().startswith(("http://", "https://"))
    ]
    outbound = [h for h in hosts if h and not _same_site(h, site)]
    own_links = [h for h in outbound if _same_site(h, own)]
    org_mentions = 0
    if organisation.strip():
        org_mentions = len(re.findall(re.escape(organisation.strip()), text, flags=re.IGNORECASE))
    reasons = []
    if len(own_links) > editorial_rules.SELF_PROMOTION_MAX_OWN_LINKS:
        reasons.append("own_links")
    if (
        outbound
        and own_links
        and 100 * len(own_links) / len(outbound) > editorial_rules.SELF_PROMOTION_MAX_OWN_SHARE
    ):
        reasons.append("own_share")
    if org_mentions > editorial_rules.SELF_PROMOTION_MAX_ORG_MENTIONS:
        reasons.append("org_mentions")
    return {
        "outbound": len(outbound),
        "internal": len(hosts) - len(outbound),
        "own_domain": own,
        "own_links": len(own_links),
        "own_share": round(100 * len(own_links) / len(outbound)) if outbound else 0,
        "org_mentions": org_mentions,
        "self_promotion": bool(reasons),
        "reasons": reasons,
    }


# --- Completeness -----------------------------------------------------------------------------


def completeness(*, author: User, title: str, lead: str, n_topics: int) -> list[str]:
    """What is missing or too long for the home page (keys; the template words them)."""
    missing = []
    if not author.photo:
        missing.append("photo")
    if not author.bio.strip():
        missing.append("bio")
    if n_topics == 0:
        missing.append("topics")
    if len(title) > editorial_rules.HOME_TITLE_MAX_CHARS:
        missing.append("title_too_long")
    if len(lead) > editorial_rules.HOME_LEAD_MAX_CHARS:
        missing.append("lead_too_long")
    return missing


# --- Originality: MinHash over word shingles, LSH bands -----------------------------------------

SHINGLE_WORDS = 4
NUM_PERM = 128
BANDS_COUNT = 32
ROWS_PER_BAND = NUM_PERM // BANDS_COUNT  # 4 rows: texts with Jaccard ≥ 0.5 meet with p > 0.87
# The lookup's bounds, whatever the size of the index: at most MAX_CANDIDATES fingerprints (those
# sharing the most bands) are fetched and ranked by their signatures, and of those at most
# CLOSE_COMPARISONS per kind (published, same author) are compared by their text.
MAX_CANDIDATES = 200
CLOSE_COMPARISONS = 5
# Bulk signatures hash this many shingles at once (× NUM_PERM × 8 bytes: 32 MiB of scratch).
MINHASH_CHUNK = 1 << 15

# Everything below is seeded: stored signatures and band keys must stay comparable. Changing the
# scheme means recomputing the index (see migration 0003 and `podium index_originality`).
_rng = np.random.default_rng(20260101)
# MinHash: multiply-shift hashing (a·x + b mod 2**64, upper 32 bits; a odd), a universal family
# that numpy computes without a modulo.
_A = _rng.integers(0, 2**63, size=NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_B = _rng.integers(0, 2**63, size=NUM_PERM, dtype=np.uint64)
# A shingle is Σ token_hash[i]·M[i] over its words, mixed; a band key is Σ row[i]·R[i] + salt of
# its band, mixed. Sums of products vectorise over whole arrays of texts, where a cryptographic
# hash per shingle would cost a Python call for each of millions of shingles.
_SHINGLE_MUL = _rng.integers(0, 2**63, size=SHINGLE_WORDS, dtype=np.uint64) * np.uint64(2) + 1
_BAND_MUL = _rng.integers(0, 2**63, size=ROWS_PER_BAND, dtype=np.uint64) * np.uint64(2) + 1
_BAND_SALT = _rng.integers(0, 2**63, size=BANDS_COUNT, dtype=np.uint64)
_SHIFT = np.uint64(32)
_LOW32 = np.uint64(0xFFFFFFFF)
_FMIX_SHIFT = np.uint64(33)
_FMIX_1 = np.uint64(0xFF51AFD7ED558CCD)
_FMIX_2 = np.uint64(0xC4CEB9FE1A85EC53)


_COMBINING = re.compile(r"[\u0300-\u036f]")
# Bytes other than a–z and 0–9 separate words; a character left outside ASCII after the accent
# strip becomes "?" and so a separator too.
_SEPARATORS = bytes(c if c in b"abcdefghijklmnopqrstuvwxyz0123456789" else 32 for c in range(256))
_TOKEN_CACHE_SIZE = 1 << 17
_TOKEN_HASHES: dict[bytes, int] = {}


def normalise(text: str) -> list[bytes]:
    """Lower-case words without accents or punctuation: the text as a copier would leave it."""
    text = text.lower()
    if not text.isascii():  # NFKD and the accent strip change nothing in ASCII text
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return text.encode("ascii", "replace").translate(_SEPARATORS).split()


def _token_hashes(text: str) -> list[int]:
    """A 64-bit hash (BLAKE2b) per word, from a bounded cache that only grows: no entry
    disappears while another thread reads it."""
    tokens = normalise(text)
    cache = _TOKEN_HASHES
    missing = set(tokens).difference(cache)
    if not missing:
        return list(map(cache.__getitem__, tokens))
    fresh = {
        token: int.from_bytes(hashlib.blake2b(token, digest_size=8).digest(), "little")
        for token in missing
    }
    if len(cache) < _TOKEN_CACHE_SIZE:
        cache.update(fresh)
    return [fresh[token] if token in fresh else cache[token] for token in tokens]


def _fmix(x: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser, in place: every input bit reaches every output bit."""
    x ^= x >> _FMIX_SHIFT
    x *= _FMIX_1
    x ^= x >> _FMIX_SHIFT
    x *= _FMIX_2
    x ^= x >> _FMIX_SHIFT
    return x


def _windows(tokens: np.ndarray) -> np.ndarray:
    """The 32-bit hash of every run of SHINGLE_WORDS consecutive entries of `tokens` (uint64)."""
    count = tokens.size - SHINGLE_WORDS + 1
    with np.errstate(over="ignore"):
        acc = tokens[:count] * _SHINGLE_MUL[0]
        for i in range(1, SHINGLE_WORDS):
            acc += tokens[i : i + count] * _SHINGLE_MUL[i]
        return _fmix(acc) >> _SHIFT


def shingles(text: str) -> set[int]:
    """32-bit hashes of every run of SHINGLE_WORDS words (a shorter text is one shingle)."""
    tokens = np.array(_token_hashes(text), dtype=np.uint64)
    if tokens.size == 0:
        return set()
    if tokens.size < SHINGLE_WORDS:
        tokens = np.concatenate([tokens, np.zeros(SHINGLE_WORDS - tokens.size, dtype=np.uint64)])
    return set(_windows(tokens).tolist())


def minhash(shingle_hashes: Iterable[int]) -> np.ndarray:
    values = np.fromiter(shingle_hashes, dtype=np.uint64)
    if values.size == 0:
        return np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    with np.errstate(over="ignore"):
        hashed = _A[:, None] * values + _B[:, None]
    # The minimum before the shift: taking the upper half keeps the order.
    return (hashed.min(axis=1) >> _SHIFT).astype(np.uint32)


def band_key_matrix(signatures: np.ndarray) -> np.ndarray:
    """One signed 64-bit key per band and signature (n × NUM_PERM → n × BANDS_COUNT); the band
    number is part of the key."""
    rows = signatures.reshape(len(signatures), BANDS_COUNT, ROWS_PER_BAND).astype(np.uint64)
    with np.errstate(over="ignore"):
        keys = (rows * _BAND_MUL).sum(axis=2, dtype=np.uint64) + _BAND_SALT
        return _fmix(keys).view(np.int64)


def band_keys(signature: np.ndarray) -> list[int]:
    return [int(key) for key in band_key_matrix(signature[None, :])[0]]


def signatures(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """MinHash signatures (n × NUM_PERM, uint32) and distinct shingle counts of many texts at
    once: for each text the same values as `minhash(shingles(text))` and `len(shingles(text))`,
    computed over one array for all texts instead of text by text (see `index_many`)."""
    n = len(texts)
    token_lists = [_token_hashes(text) for text in texts]
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=n)
    # Each text padded to at least SHINGLE_WORDS tokens (a short text is one shingle), all texts
    # end to end; windows that straddle two texts are dropped.
    padded = np.where(lengths == 0, 0, np.maximum(lengths, SHINGLE_WORDS))
    owner = np.repeat(np.arange(n, dtype=np.uint64), padded)
    flat = np.zeros(owner.size, dtype=np.uint64)
    shift = np.cumsum(padded) - padded - (np.cumsum(lengths) - lengths)
    flat[np.repeat(shift, lengths) + np.arange(lengths.sum())] = np.fromiter(
        itertools.chain.from_iterable(token_lists), dtype=np.uint64, count=int(lengths.sum())
    )
    result = np.full((n, NUM_PERM), 0xFFFFFFFF, dtype=np.uint32)
    if flat.size < SHINGLE_WORDS:
        return result, np.zeros(n, dtype=np.int64)
    hashes = _windows(flat)
    first, last = owner[: hashes.size], owner[SHINGLE_WORDS - 1 :]
    same = first == last
    # Distinct (text, shingle) pairs, grouped by text (a sort: numpy's hash-based unique is slower).
    pairs = np.sort((first[same] << _SHIFT) | hashes[same], kind="stable")
    if pairs.size:
        pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]
    counts = np.bincount((pairs >> _SHIFT).astype(np.intp), minlength=n)
    values = pairs & _LOW32
    offsets = np.concatenate(([0], np.cumsum(counts)))
    # One permutation per row and the shingles along the row: numpy reduces contiguous segments
    # of a row several times faster than segments of rows.
    scratch = np.empty(
        (NUM_PERM, min(values.size, max(MINHASH_CHUNK, int(counts.max())))), np.uint64
    )
    start = 0
    while start < n:
        # As many texts as fit in MINHASH_CHUNK shingles, at least one.
        stop = max(
            start + 1, int(np.searchsorted(offsets, offsets[start] + MINHASH_CHUNK, "right")) - 1
        )
        stop = min(stop, n)
        chunk = values[offsets[start] : offsets[stop]]
        if chunk.size:
            hashed = scratch[:, : chunk.size]
            with np.errstate(over="ignore"):
                np.multiply(_A[:, None], chunk, out=hashed)
                hashed += _B[:, None]
            filled = np.flatnonzero(counts[start:stop]) + start
            minima = np.minimum.reduceat(hashed, offsets[filled] - offsets[start], axis=1)
            result[filled] = (minima.T >> _SHIFT).astype(np.uint32)
        start = stop
    return result, counts


def revision_text(title: str, lead: str, body_html: str) -> str:
    return _joined_text(title, lead, html_to_text(body_html))


def _joined_text(title: str, lead: str, body_text: str) -> str:
    return "\n\n".join(part for part in (title, lead, body_text) if part)


@transaction.atomic
def index_article(*, article: Article, text: str) -> Fingerprint:
    """Store (or replace) the article's fingerprint and its band keys."""
    hashes = shingles(text)
    signature = minhash(hashes)
    fingerprint, _created = Fingerprint.objects.update_or_create(
        article=article,
        defaults={
            "author_id": article.author_id,
            "signature": signature.tobytes(),
            "shingle_count": len(hashes),
            "updated_at": timezone.now(),
        },
    )
    fingerprint.bands.all().delete()
    FingerprintBand.objects.bulk_create(
        FingerprintBand(fingerprint=fingerprint, key=key) for key in band_keys(signature)
    )
    return fingerprint


def index_many(rows: Iterable[tuple[int, int, str]], *, batch_size: int = 2000) -> int:
    """Store (or replace) the fingerprints of many articles, given as `(article_id, author_id,
    text)`: the rows `index_article` would write one by one, with the signatures computed in bulk
    (`signatures`) and the band keys written with one `executemany` per batch, one transaction per
    batch. For backfills (`podium index_originality`) and the benchmark. Returns the count."""
    total = 0
    for batch in itertools.batched(rows, batch_size):
        _index_batch(batch)
        total += len(batch)
    return total


def _index_batch(batch: Sequence[tuple[int, int, str]]) -> None:
    article_ids = [article_id for article_id, _author, _text in batch]
    sigs, counts = signatures([text for _article, _author, text in batch])
    keys = band_key_matrix(sigs)
    now = timezone.now()
    alias = router.db_for_write(FingerprintBand)
    connection = connections[alias]
    quote = connection.ops.quote_name
    table = quote(FingerprintBand._meta.db_table)
    column = {field.name: str(field.column) for field in FingerprintBand._meta.concrete_fields}
    columns = f"{quote(column['fingerprint'])}, {quote(column['key'])}"
    insert_bands = f"INSERT INTO {table} ({columns}) VALUES (%s, %s)"  # noqa: S608 - names from the model
    with transaction.atomic(using=alias):
        FingerprintBand.objects.using(alias).filter(
            fingerprint__article_id__in=article_ids
        ).delete()
        Fingerprint.objects.using(alias).filter(article_id__in=article_ids).delete()
        created = Fingerprint.objects.using(alias).bulk_create(
            Fingerprint(
                article_id=article_id,
                author_id=author_id,
                signature=sigs[i].tobytes(),
                shingle_count=int(counts[i]),
                updated_at=now,
            )
            for i, (article_id, author_id, _text) in enumerate(batch)
        )
        ids = [fingerprint.pk for fingerprint in created]
        if not all(ids):  # backends that do not return keys from a bulk insert
            by_article = dict(
                Fingerprint.objects.using(alias)
                .filter(article_id__in=article_ids)
                .values_list("article_id", "pk")
            )
            ids = [by_article[article_id] for article_id in article_ids]
        band_rows = zip(
            np.repeat(np.array(ids, dtype=np.int64), BANDS_COUNT).tolist(),
            keys.ravel().tolist(),
            strict=True,
        )
        with connection.cursor() as cursor:
            cursor.executemany(insert_bands, list(band_rows))


def texts_to_index(
    *, missing_only: bool = False, batch_size: int = 2000
) -> Iterator[tuple[int, int, str]]:
    """`(article_id, author_id, text)` of every article that was ever submitted, as
    `analyse_revision` indexes it: the text of its latest revision, or the article's own text when
    it has none (bulk-inserted data). Read in batches, by primary key."""
    latest = Revision.objects.filter(article=OuterRef("pk")).order_by("-number").values("pk")[:1]
    articles = Article.objects.annotate(latest_revision=Subquery(latest)).filter(
        Q(latest_revision__isnull=False) | ~Q(state=Article.State.DRAFT)
    )
    if missing_only:
        articles = articles.filter(fingerprint__isnull=True)
    last = 0
    while True:
        chunk = list(
            articles.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "author_id", "title", "lead", "body", "latest_revision")[:batch_size]
        )
        if not chunk:
            return
        last = chunk[-1][0]
        revisions = Revision.objects.only("title", "lead", "body").in_bulk(
            [revision for *_fields, revision in chunk if revision is not None]
        )
        for pk, author_id, title, lead, body, revision_id in chunk:
            if revision_id is not None:
                revision = revisions[revision_id]
                title, lead, body = revision.title, revision.lead, revision.body
            yield pk, author_id, revision_text(title, lead, body)


@dataclass(frozen=True)
class Match:
    article_id: int
    title: str
    author: str
    state: str
    share: int  # percent of the new text's shingles found in the other text
    jaccard: float


@dataclass(frozen=True)
class _Candidate:
    article_id: int
    author_id: int
    live: bool
    jaccard: float


def band_hits(keys: list[int]) -> QuerySet[FingerprintBand, int]:
    """Ids of the fingerprints sharing any of `keys`, most shared bands first: one `IN` query on
    the `fingerprint_band_key_idx` index."""
    return (
        FingerprintBand.objects.filter(key__in=keys)
        .values("fingerprint_id")
        .annotate(shared=Count("pk"))
        .order_by("-shared", "fingerprint_id")
        .values_list("fingerprint_id", flat=True)
    )


def _candidates(*, article_id: int | None, signature: np.ndarray) -> list[_Candidate]:
    """The fingerprints that share a band with `signature`: one `key IN (…)` query on the band
    index (most shared bands first, at most MAX_CANDIDATES), then their signatures by primary key."""
    hits = list(band_hits(band_keys(signature))[: MAX_CANDIDATES + 1])  # + 1: the article itself
    if not hits:
        return []
    rows = (
        Fingerprint.objects.filter(pk__in=hits)
        .select_related("article")
        .only("article_id", "author_id", "signature", "article__state", "article__published_at")
    )
    fingerprints = [fp for fp in rows if fp.article_id != article_id][:MAX_CANDIDATES]
    if not fingerprints:
        return []
    theirs = np.frombuffer(b"".join(bytes(fp.signature) for fp in fingerprints), dtype=np.uint32)
    same = np.count_nonzero(theirs.reshape(-1, NUM_PERM) == signature, axis=1) / NUM_PERM
    return [
        _Candidate(fp.article_id, fp.author_id, fp.article.is_live, float(jaccard))
        for fp, jaccard in zip(fingerprints, same, strict=True)
    ]


def _closest(candidates: list[_Candidate]) -> list[_Candidate]:
    return sorted(candidates, key=lambda c: (-c.jaccard, c.article_id))[:CLOSE_COMPARISONS]


def _best(
    candidates: list[_Candidate], mine: set[int], texts: dict[int, tuple[Article, set[int]]]
) -> Match | None:
    """Of the closest candidates, the one holding the largest share of this text."""
    best: Match | None = None
    for candidate in candidates:
        other, theirs = texts[candidate.article_id]
        share = round(100 * len(mine & theirs) / len(mine)) if mine else 0
        if best is None or share > best.share:
            best = Match(
                other.pk,
                other.title,
                str(other.author),
                other.state,
                share,
                round(candidate.jaccard, 2),
            )
    return best


def originality(*, article: Article, text: str) -> dict[str, Any]:
    """The most similar published article (anyone's) and the most similar earlier submission by
    the same author, found through the LSH index: at most three queries, whatever the number of
    stored articles (band lookup, candidates' signatures, the finalists' texts)."""
    mine = shingles(text)
    signature = minhash(mine)
    candidates = _candidates(article_id=article.pk, signature=signature)
    published = _closest([c for c in candidates if c.live])
    own = _closest([c for c in candidates if c.author_id == article.author_id])
    finalists = {c.article_id for c in published + own}
    texts: dict[int, tuple[Article, set[int]]] = {}
    if finalists:
        for other in Article.objects.filter(pk__in=finalists).select_related("author"):
            texts[other.pk] = (other, shingles(revision_text(other.title, other.lead, other.body)))
    best_published = _best(published, mine, texts)
    best_own = _best(own, mine, texts)
    threshold = editorial_rules.ORIGINALITY_WARN_PERCENT

    def as_dict(match: Match | None) -> dict[str, Any] | None:
        return None if match is None or match.share == 0 else match.__dict__

    return {
        "published": as_dict(best_published),
        "same_author": as_dict(best_own),
        "warn": any(m is not None and m.share >= threshold for m in (best_published, best_own)),
        "threshold": threshold,
        "candidates": len(candidates),
    }


# --- The whole report --------------------------------------------------------------------------


def analyse(
    *, article: Article, title: str, lead: str, body: str, characters: int
) -> dict[str, Any]:
    body_text = html_to_text(body)
    author = article.author
    return {
        "length": length(body_text, characters=characters),
        "readability": readability(body_text),
        "links": links(
            body, website=author.website, organisation=author.organisation, text=body_text
        ),
        "originality": originality(article=article, text=_joined_text(title, lead, body_text)),
    }


def analyse_revision(revision: Revision) -> AssistantReport:
    """Compute and store the report of `revision`, then put its text in the originality index
    (after the lookup, so an article never matches itself)."""
    from podium.articles.sanitize import count_characters

    article = Article.objects.select_related("author").get(pk=revision.article_id)
    data = analyse(
        article=article,
        title=revision.title,
        lead=revision.lead,
        body=revision.body,
        characters=count_characters(revision.body),
    )
    with transaction.atomic():
        report, _created = AssistantReport.objects.update_or_create(
            revision=revision, defaults={"data": data, "computed_at": timezone.now()}
        )
        index_article(
            article=article, text=revision_text(revision.title, revision.lead, revision.body)
        )
    return report


def report_for(revision: Revision) -> AssistantReport:
    """The stored report of `revision`, computed now if the background task has not run yet."""
    try:
        return AssistantReport.objects.get(revision=revision)
    except AssistantReport.DoesNotExist:
        return analyse_revision(revision)
