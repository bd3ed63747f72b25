"""The originality index in bulk: `index_many` and `podium index_originality` write exactly what
`index_article` writes one article at a time, the scheme migration recomputes old fingerprints,
and the lookup stays a fixed number of queries however many articles are stored."""

from __future__ import annotations

import importlib
import random
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from podium.accounts.models import User
from podium.articles.models import Article, Revision
from podium.editorial import assistant
from podium.editorial.models import Fingerprint, FingerprintBand
from tests.editorial.test_assistant import LIGHTLY_EDITED, ORIGINAL

TEXTS = [
    "",
    "!!! ...",
    "Kort",
    "Twee woorden",
    "Drie korte woorden",
    "Vier woorden precies hier",
    "De kat zit op de mat. De kat zit weer op de mat, en de mat blijft liggen.",
    "Ideeën über café: een naïeve coördinatie van ﬁnanciële reünies.",
    assistant.revision_text("Titel", "Een inleiding.", ORIGINAL),
    assistant.revision_text("Titel", "", LIGHTLY_EDITED),
    " ".join(["herhaling"] * 40),
]


def _words(rng: random.Random, n: int) -> str:
    syllables = ["ka", "lo", "mie", "ter", "van", "oe", "stra", "pin", "dul", "gro", "eu", "ruk"]
    return " ".join(
        "".join(rng.choice(syllables) for _ in range(rng.randint(1, 4))) for _ in range(n)
    )


def _bulk_articles(
    author: User, texts: list[str], state: str = Article.State.PUBLISHED
) -> list[Article]:
    now = timezone.now()
    start = Article.objects.count()
    return Article.objects.bulk_create(
        Article(
            author=author,
            title=f"Bulk {start + i}",
            slug=f"bulk-{start + i}",
            body=f"<p>{text}</p>",
            state=state,
            submitted_at=now,
            published_at=now if state == Article.State.PUBLISHED else None,
        )
        for i, text in enumerate(texts)
    )


def _stored(article_ids: list[int]) -> dict[int, tuple[bytes, int, list[int]]]:
    result = {}
    for fingerprint in Fingerprint.objects.filter(article_id__in=article_ids).prefetch_related(
        "bands"
    ):
        keys = sorted(band.key for band in fingerprint.bands.all())
        result[fingerprint.article_id] = (
            bytes(fingerprint.signature),
            fingerprint.shingle_count,
            keys,
        )
    return result


# --- Bulk signatures equal the single-text path ----------------------------------------------


@pytest.mark.parametrize("chunk", [1 << 15, 1, 7, 150])
def test_bulk_signatures_equal_one_text_at_a_time(chunk: int, monkeypatch: Any) -> None:
    monkeypatch.setattr(assistant, "MINHASH_CHUNK", chunk)  # texts split over several chunks
    signatures, counts = assistant.signatures(TEXTS)
    for text, signature, count in zip(TEXTS, signatures, counts, strict=True):
        mine = assistant.shingles(text)
        assert np.array_equal(signature, assistant.minhash(mine)), text
        assert count == len(mine), text
    keys = assistant.band_key_matrix(signatures)
    assert [list(row) for row in keys] == [assistant.band_keys(s) for s in signatures]


def test_shingles_of_a_short_text_and_of_nothing() -> None:
    assert assistant.shingles("") == set()
    assert len(assistant.shingles("Kort")) == 1
    assert len(assistant.shingles("een twee drie vier vijf")) == 2
    # Accents, case and punctuation do not change the shingles.
    assert assistant.shingles("Ideeën, café!") == assistant.shingles("ideeen cafe")


@pytest.mark.django_db
def test_index_many_writes_what_index_article_writes(contributor: User, monkeypatch: Any) -> None:
    articles = _bulk_articles(contributor, [f"tekst {i}" for i in range(len(TEXTS))])
    rows = [(a.pk, a.author_id, text) for a, text in zip(articles, TEXTS, strict=True)]
    for article, text in zip(articles, TEXTS, strict=True):
        assistant.index_article(article=article, text=text)
    one_by_one = _stored([a.pk for a in articles])

    monkeypatch.setattr(assistant, "MINHASH_CHUNK", 100)
    assert assistant.index_many(rows, batch_size=4) == len(TEXTS)  # replaces, over 3 batches
    in_bulk = _stored([a.pk for a in articles])

    assert in_bulk == one_by_one
    assert Fingerprint.objects.count() == len(TEXTS)
    assert FingerprintBand.objects.count() == len(TEXTS) * assistant.BANDS_COUNT


# --- The backfill command ----------------------------------------------------------------------


@pytest.mark.django_db
def test_index_originality_uses_the_latest_revision_and_skips_drafts(
    contributor: User, capsys: Any
) -> None:
    with_revisions, without_revision = _bulk_articles(contributor, ["oud", "eigen tekst hier"])
    (draft,) = _bulk_articles(contributor, ["nog niet ingediend"], state=Article.State.DRAFT)
    for number, body in ((1, "<p>Eerste versie van de tekst.</p>"), (2, ORIGINAL)):
        Revision.objects.create(
            article=with_revisions,
            number=number,
            kind=Revision.Kind.SUBMISSION,
            title="Versie",
            lead="",
            body=body,
            created_by=contributor,
        )

    call_command("index_originality")
    assert "2 article(s) fingerprinted" in capsys.readouterr().out

    stored = {fp.article_id: fp for fp in Fingerprint.objects.all()}
    assert set(stored) == {with_revisions.pk, without_revision.pk}
    expected = assistant.minhash(
        assistant.shingles(assistant.revision_text("Versie", "", ORIGINAL))
    )
    assert bytes(stored[with_revisions.pk].signature) == expected.tobytes()
    own_text = assistant.revision_text(without_revision.title, "", without_revision.body)
    expected = assistant.minhash(assistant.shingles(own_text))
    assert bytes(stored[without_revision.pk].signature) == expected.tobytes()
    assert draft.pk not in stored

    Fingerprint.objects.filter(article=without_revision).delete()
    call_command("index_originality", "--missing")
    assert "1 article(s) fingerprinted" in capsys.readouterr().out
    assert Fingerprint.objects.filter(article=without_revision).exists()


@pytest.mark.django_db
def test_the_scheme_migration_recomputes_old_fingerprints(contributor: User) -> None:
    (article,) = _bulk_articles(contributor, ["wat tekst"])
    Revision.objects.create(
        article=article,
        number=1,
        kind=Revision.Kind.SUBMISSION,
        title="Versie",
        lead="",
        body=ORIGINAL,
        created_by=contributor,
    )
    old = Fingerprint.objects.create(article=article, author=contributor, signature=b"\x00" * 512)
    FingerprintBand.objects.create(fingerprint=old, key=42)

    migration = importlib.import_module("podium.editorial.migrations.0003_fingerprint_scheme_2")
    migration.recompute(apps, SimpleNamespace(connection=connection))

    signature = assistant.minhash(
        assistant.shingles(assistant.revision_text("Versie", "", ORIGINAL))
    )
    old.refresh_from_db()
    assert bytes(old.signature) == signature.tobytes()
    assert sorted(old.bands.values_list("key", flat=True)) == sorted(assistant.band_keys(signature))


# --- The lookup: bounded, whatever the size of the index ----------------------------------------


def _lookup_queries(article: Article) -> tuple[int, dict[str, Any]]:
    text = assistant.revision_text("Kopie", "", LIGHTLY_EDITED)
    with CaptureQueriesContext(connection) as captured:
        found = assistant.originality(article=article, text=text)
    return len(captured), found


@pytest.mark.django_db
def test_lookup_queries_do_not_grow_with_the_number_of_stored_articles(
    contributor: User, other_contributor: User
) -> None:
    (original,) = _bulk_articles(contributor, [ORIGINAL])
    (submission,) = _bulk_articles(other_contributor, ["nieuw"], state=Article.State.SUBMITTED)
    submission = Article.objects.select_related("author").get(pk=submission.pk)
    assistant.index_many([(original.pk, original.author_id, original.body)])

    few, found = _lookup_queries(submission)
    assert found["published"]["article_id"] == original.pk

    rng = random.Random(4)
    unrelated = [_words(rng, 120) for _ in range(400)]
    stored = _bulk_articles(contributor, unrelated)
    assistant.index_many(
        (a.pk, a.author_id, text) for a, text in zip(stored, unrelated, strict=True)
    )
    assert Fingerprint.objects.count() == 401

    many, found = _lookup_queries(submission)
    assert found["published"]["article_id"] == original.pk
    assert found["candidates"] == 1  # unrelated texts share no band
    assert many == few == 3  # band lookup, candidates' signatures, the finalists' texts


@pytest.mark.django_db
def test_candidates_and_close_comparisons_are_capped(
    contributor: User, other_contributor: User, monkeypatch: Any
) -> None:
    monkeypatch.setattr(assistant, "MAX_CANDIDATES", 6)
    monkeypatch.setattr(assistant, "CLOSE_COMPARISONS", 2)
    copies = _bulk_articles(contributor, [ORIGINAL] * 10)
    assistant.index_many((a.pk, a.author_id, a.body) for a in copies)
    (submission,) = _bulk_articles(other_contributor, ["nieuw"], state=Article.State.SUBMITTED)
    submission = Article.objects.select_related("author").get(pk=submission.pk)

    compared: list[str] = []
    shingles = assistant.shingles
    monkeypatch.setattr(assistant, "shingles", lambda text: compared.append(text) or shingles(text))

    queries, found = _lookup_queries(submission)
    assert found["candidates"] == 6  # of the 10 copies that share bands
    assert found["published"]["article_id"] in {a.pk for a in copies}
    assert queries == 3
    assert len(compared) == 1 + 2  # the submission itself, then two copies by their text


@pytest.mark.django_db
def test_an_article_never_matches_itself(contributor: User) -> None:
    (article,) = _bulk_articles(contributor, [ORIGINAL], state=Article.State.SUBMITTED)
    article = Article.objects.select_related("author").get(pk=article.pk)
    assistant.index_many([(article.pk, article.author_id, article.body)])
    found = assistant.originality(article=article, text=ORIGINAL)
    assert found["candidates"] == 0
    assert found["published"] is None and found["same_author"] is None
