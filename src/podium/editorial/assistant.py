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
  is one `key IN (…32 keys…)` query on that index, whatever the number of articles, and only the
  handful of candidates is compared closely (exact shingle overlap). See bench/assistant.py.
- Completeness: photo, bio, topics; title or lead too long for the home page.

The text functions are pure; `analyse_revision` and the index functions touch the database.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from podium.accounts.models import User
from podium.articles.models import Article, Revision
from podium.articles.sanitize import html_to_text

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
    limit = settings.PODIUM_BODY_MAX_CHARS
    return {
        "words": n_words,
        "characters": characters,
        "limit": limit,
        "over_limit": characters > limit,
        "reading_minutes": max(1, math.ceil(n_words / settings.PODIUM_WORDS_PER_MINUTE)),
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
    if len(own_links) > settings.PODIUM_SELF_PROMOTION_MAX_OWN_LINKS:
        reasons.append("own_links")
    if (
        outbound
        and own_links
        and 100 * len(own_links) / len(outbound) > settings.PODIUM_SELF_PROMOTION_MAX_OWN_SHARE
    ):
        reasons.append("own_share")
    if org_mentions > settings.PODIUM_SELF_PROMOTION_MAX_ORG_MENTIONS:
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
    if len(title) > settings.PODIUM_HOME_TITLE_MAX_CHARS:
        missing.append("title_too_long")
    if len(lead) > settings.PODIUM_HOME_LEAD_MAX_CHARS:
        missing.append("lead_too_long")
    return missing


# --- Originality: MinHash over word shingles, LSH bands -----------------------------------------

SHINGLE_WORDS = 4
NUM_PERM = 128
BANDS_COUNT = 32
ROWS_PER_BAND = NUM_PERM // BANDS_COUNT  # 4 rows: texts with Jaccard ≥ 0.5 meet with p > 0.87
# Multiply-shift hashing (a·x + b mod 2**64, upper 32 bits; a odd): a universal family that numpy
# computes without a modulo. The seed is fixed: stored signatures must stay comparable.
_rng = np.random.default_rng(20260101)
_A = _rng.integers(0, 2**63, size=NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_B = _rng.integers(0, 2**63, size=NUM_PERM, dtype=np.uint64)
_SHIFT = np.uint64(32)


_COMBINING = re.compile(r"[\u0300-\u036f]")
_TOKEN = re.compile(r"[a-z0-9]+")


def normalise(text: str) -> list[str]:
    """Lower-case words without accents or punctuation: the text as a copier would leave it."""
    return _TOKEN.findall(_COMBINING.sub("", unicodedata.normalize("NFKD", text.lower())))


def shingles(text: str) -> set[int]:
    """32-bit hashes of every run of SHINGLE_WORDS words (a shorter text is one shingle)."""
    tokens = normalise(text)
    if not tokens:
        return set()
    return {
        int.from_bytes(
            hashlib.blake2b(
                " ".join(tokens[i : i + SHINGLE_WORDS]).encode(), digest_size=4
            ).digest(),
            "little",
        )
        for i in range(max(1, len(tokens) - SHINGLE_WORDS + 1))
    }


def minhash(shingle_hashes: Iterable[int]) -> np.ndarray:
    values = np.fromiter(shingle_hashes, dtype=np.uint64)
    if values.size == 0:
        return np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    with np.errstate(over="ignore"):
        hashed = (values[:, None] * _A + _B) >> _SHIFT
    return hashed.min(axis=0).astype(np.uint32)


def band_keys(signature: np.ndarray) -> list[int]:
    """One signed 64-bit key per band (the band number is part of the key)."""
    keys = []
    for band_no in range(BANDS_COUNT):
        chunk = signature[band_no * ROWS_PER_BAND : (band_no + 1) * ROWS_PER_BAND].tobytes()
        digest = hashlib.blake2b(bytes([band_no]) + chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(a == b)) / NUM_PERM


def signature_from_bytes(raw: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(bytes(raw), dtype=np.uint32)


def revision_text(title: str, lead: str, body_html: str) -> str:
    return "\n\n".join(part for part in (title, lead, html_to_text(body_html)) if part)


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


@dataclass(frozen=True)
class Match:
    article_id: int
    title: str
    author: str
    state: str
    share: int  # percent of the new text's shingles found in the other text
    jaccard: float


def _best(
    candidates: list[tuple[Fingerprint, float]], mine: set[int], limit: int = 5
) -> Match | None:
    """Compare the closest candidates by their real text: the share of this text found there."""
    best: Match | None = None
    for fingerprint, jaccard in sorted(candidates, key=lambda c: -c[1])[:limit]:
        other = fingerprint.article
        theirs = shingles(revision_text(other.title, other.lead, other.body))
        share = round(100 * len(mine & theirs) / len(mine)) if mine else 0
        if best is None or share > best.share:
            best = Match(
                other.pk, other.title, str(other.author), other.state, share, round(jaccard, 2)
            )
    return best


def originality(*, article: Article, text: str) -> dict[str, Any]:
    """The most similar published article (anyone's) and the most similar earlier submission by
    the same author, found through the LSH index."""
    mine = shingles(text)
    signature = minhash(mine)
    keys = band_keys(signature)
    candidate_ids = (
        FingerprintBand.objects.filter(key__in=keys)
        .exclude(fingerprint__article_id=article.pk)
        .values_list("fingerprint_id", flat=True)
        .distinct()
    )
    fingerprints = list(
        Fingerprint.objects.filter(pk__in=list(candidate_ids[:200])).select_related(
            "article__author"
        )
    )
    published: list[tuple[Fingerprint, float]] = []
    own: list[tuple[Fingerprint, float]] = []
    for fp in fingerprints:
        jaccard = estimated_jaccard(signature, signature_from_bytes(fp.signature))
        if fp.article.is_live:
            published.append((fp, jaccard))
        if fp.author_id == article.author_id:
            own.append((fp, jaccard))
    best_published = _best(published, mine)
    best_own = _best(own, mine)
    threshold = settings.PODIUM_ORIGINALITY_WARN_PERCENT

    def as_dict(match: Match | None) -> dict[str, Any] | None:
        return None if match is None or match.share == 0 else match.__dict__

    return {
        "published": as_dict(best_published),
        "same_author": as_dict(best_own),
        "warn": any(m is not None and m.share >= threshold for m in (best_published, best_own)),
        "threshold": threshold,
        "candidates": len(fingerprints),
    }


# --- The whole report --------------------------------------------------------------------------


def analyse(
    *, article: Article, title: str, lead: str, body: str, characters: int
) -> dict[str, Any]:
    text = revision_text(title, lead, body)
    body_text = html_to_text(body)
    author = article.author
    return {
        "length": length(body_text, characters=characters),
        "readability": readability(body_text),
        "links": links(
            body, website=author.website, organisation=author.organisation, text=body_text
        ),
        "originality": originality(article=article, text=text),
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
