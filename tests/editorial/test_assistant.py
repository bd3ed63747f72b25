"""The editor's assistant: readability against hand-computed values, links, completeness, and
originality through the LSH index."""

from __future__ import annotations

from typing import Any

import pytest

from podium.accounts.models import User
from podium.articles.models import Article, Revision
from podium.editorial import assistant
from podium.editorial import rules as editorial_rules
from podium.editorial.models import AssistantReport, Fingerprint, FingerprintBand
from tests.podium_helpers import ArticleBuilder

# --- Syllables and readability, computed by hand ----------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("kat", 1),
        ("huis", 1),  # ui
        ("nieuw", 1),  # ieu
        ("leeuw", 1),  # eeu
        ("bijna", 2),  # ij
        ("moeilijk", 2),  # oei, ij
        ("draaien", 2),  # aai + e
        ("ruimte", 2),
        ("theater", 3),  # e-a is not a diphthong
        ("ideeën", 3),  # the diaeresis starts a new syllable
        ("organisatie", 5),
        ("verandert", 3),
        ("koud", 1),  # ou
        ("deur", 1),  # eu
        ("boek", 1),  # oe
        ("uur", 1),  # uu
    ],
)
def test_dutch_syllables(word: str, expected: int) -> None:
    assert assistant.syllables(word) == expected


def test_flesch_douma_of_one_short_sentence() -> None:
    # 6 words, 1 sentence, 6 syllables: 206.835 − 0.93 × 6 − 77 × 1 = 124.255
    result = assistant.readability("De kat zit op de mat.")
    assert (result["words"], result["sentences"], result["syllables"]) == (6, 1, 6)
    assert result["score"] == pytest.approx(124.3, abs=0.05)
    assert result["band"] == "very_easy"


def test_flesch_douma_of_two_sentences() -> None:
    # "Het huis is oud." 4 words, 4 syllables; "De organisatie verandert voortdurend." 4 words:
    # de(1) or-ga-ni-sa-tie(5) ver-an-dert(3) voort-du-rend(3) = 12. Total 8 words, 2 sentences,
    # 16 syllables: 206.835 − 0.93 × 4 − 77 × 2 = 49.115 → "difficult" (30–50).
    result = assistant.readability("Het huis is oud. De organisatie verandert voortdurend.")
    assert (result["words"], result["sentences"], result["syllables"]) == (8, 2, 16)
    assert result["score"] == pytest.approx(49.1, abs=0.05)
    assert result["band"] == "difficult"
    assert result["longest"][0]["text"] == "De organisatie verandert voortdurend."


def test_flesch_douma_of_a_long_sentence() -> None:
    # 12 words, 1 sentence: wij(1) wil-len(2) on-ze(2) me-de-wer-kers(4) be-ter(2) be-ge-lei-den(4)
    # bij(1) het(1) le-ren(2) van(1) nieu-we(2) vaar-dig-he-den(4) = 26 syllables.
    # 206.835 − 0.93 × 12 − 77 × 26/12 = 206.835 − 11.16 − 166.83 = 28.84 → "very difficult".
    text = "Wij willen onze medewerkers beter begeleiden bij het leren van nieuwe vaardigheden."
    result = assistant.readability(text)
    assert (result["words"], result["syllables"]) == (12, 26)
    assert result["score"] == pytest.approx(28.8, abs=0.05)
    assert result["band"] == "very_difficult"


def test_sentences_survive_abbreviations_and_headings() -> None:
    text = "Dit is bijv. een zin. En o.a. nog een!\n\nWat betekent dit voor uw team\n\nDat zien we."
    assert assistant.sentences(text) == [
        "Dit is bijv. een zin.",
        "En o.a. nog een!",
        "Wat betekent dit voor uw team",
        "Dat zien we.",
    ]


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (95, "very_easy"),
        (85, "easy"),
        (75, "fairly_easy"),
        (65, "standard"),
        (55, "fairly_difficult"),
        (40, "difficult"),
        (10, "very_difficult"),
    ],
)
def test_bands(score: float, band: str) -> None:
    assert assistant.band(score) == band


# --- Links and self-promotion -----------------------------------------------------------------


def test_links_count_outbound_and_own_domain(settings: Any) -> None:
    settings.SITE_URL = "https://podium.example"
    body = (
        '<p><a href="https://www.vandijk.nl/diensten">a</a> <a href="https://blog.vandijk.nl/x">b</a>'
        ' <a href="https://cbs.nl/cijfers">c</a> <a href="https://podium.example/podium/ander/">d</a>'
        ' <a href="mailto:a@b.nl">e</a></p>'
    )
    result = assistant.links(body, website="https://vandijk.nl", organisation="", text="")
    assert result["outbound"] == 3
    assert result["internal"] == 1
    assert result["own_links"] == 2
    assert result["own_domain"] == "vandijk.nl"
    assert result["self_promotion"] is True
    assert set(result["reasons"]) == {"own_links", "own_share"}


def test_one_own_link_among_many_is_not_self_promotion() -> None:
    body = (
        "".join(f'<a href="https://bron{i}.nl/">x</a>' for i in range(4))
        + '<a href="https://vandijk.nl/">y</a>'
    )
    result = assistant.links(
        body, website="https://vandijk.nl", organisation="Van Dijk", text="Van Dijk zegt"
    )
    assert (result["outbound"], result["own_links"], result["self_promotion"]) == (5, 1, False)


def test_naming_the_organisation_often_is_flagged(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    monkeypatch.setattr(editorial_rules, "SELF_PROMOTION_MAX_ORG_MENTIONS", 2)
    text = "Bij Van Dijk weten we het. Van Dijk helpt. Kies Van Dijk."
    result = assistant.links("", website="", organisation="Van Dijk", text=text)
    assert result["org_mentions"] == 3
    assert result["reasons"] == ["org_mentions"]


# --- Completeness -----------------------------------------------------------------------------


def test_completeness_names_what_is_missing(
    monkeypatch: pytest.MonkeyPatch, contributor: User, settings: Any
) -> None:
    monkeypatch.setattr(editorial_rules, "HOME_TITLE_MAX_CHARS", 20)
    missing = assistant.completeness(author=contributor, title="x" * 21, lead="Kort.", n_topics=0)
    assert missing == ["photo", "topics", "title_too_long"]


# --- Originality ------------------------------------------------------------------------------

ORIGINAL = (
    "<p>De arbeidsmarkt in de zorg staat onder druk. Ziekenhuizen zoeken verpleegkundigen, "
    "maar de opleidingen leveren te weinig mensen af. Wie vandaag een vacature opent, wacht "
    "maanden op een geschikte kandidaat.</p><h2>Wat kunnen bestuurders doen?</h2><p>Begin bij "
    "het behoud van de mensen die er al zijn. Roosters die rekening houden met het gezinsleven, "
    "een leidinggevende die luistert en ruimte om te leren maken meer verschil dan een hogere "
    "bonus. Investeer daarnaast in zij-instromers: zij brengen ervaring mee uit andere sectoren "
    "en blijven vaak langer dan verwacht.</p><p>Tot slot: meet wat werkt. Houd bij waarom mensen "
    "vertrekken en waarom ze blijven, en stuur daar elk kwartaal op bij.</p>"
)
LIGHTLY_EDITED = (
    ORIGINAL.replace("staat onder druk", "staat zwaar onder druk")
    .replace("Ziekenhuizen zoeken", "Veel ziekenhuizen zoeken")
    .replace("maken meer verschil", "maken veel meer verschil")
    .replace("Tot slot", "Ten slotte")
)
UNRELATED = (
    "<p>Financiële rapportages worden steeds vaker automatisch opgesteld. Controllers besteden "
    "hun tijd daardoor aan analyse in plaats van aan het verzamelen van cijfers uit losse "
    "spreadsheets.</p><h2>Wat vraagt dat van de controller?</h2><p>Een goede controller begrijpt "
    "de processen achter de getallen en durft het management tegen te spreken wanneer de "
    "prognoses te rooskleurig zijn. Data-vaardigheden zijn daarbij geen luxe meer.</p>"
)


def _submitted_report(article: Article) -> dict[str, Any]:
    revision = Revision.objects.filter(article=article).order_by("-number").first()
    assert revision is not None
    return AssistantReport.objects.get(revision=revision).data


@pytest.mark.django_db
def test_report_is_computed_when_a_version_is_submitted(
    make_article: ArticleBuilder, contributor: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(contributor, Article.State.SUBMITTED, body=ORIGINAL)
    data = _submitted_report(article)
    assert data["length"]["words"] == article.word_count
    assert data["readability"]["sentences"] > 3
    assert Fingerprint.objects.filter(article=article).exists()
    assert (
        FingerprintBand.objects.filter(fingerprint__article=article).count()
        == assistant.BANDS_COUNT
    )


@pytest.mark.django_db
def test_originality_finds_a_lightly_edited_copy_of_a_published_article(
    make_article: ArticleBuilder,
    contributor: User,
    other_contributor: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        original = make_article(contributor, Article.State.PUBLISHED, body=ORIGINAL)
        make_article(contributor, Article.State.PUBLISHED, body=UNRELATED)
        copy = make_article(other_contributor, Article.State.SUBMITTED, body=LIGHTLY_EDITED)
    found = _submitted_report(copy)["originality"]
    assert found["published"]["article_id"] == original.pk
    assert found["published"]["share"] >= 60
    assert found["warn"] is True
    assert found["same_author"] is None


@pytest.mark.django_db
def test_originality_does_not_flag_unrelated_articles(
    make_article: ArticleBuilder,
    contributor: User,
    other_contributor: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        make_article(contributor, Article.State.PUBLISHED, body=ORIGINAL)
        fresh = make_article(other_contributor, Article.State.SUBMITTED, body=UNRELATED)
    found = _submitted_report(fresh)["originality"]
    assert found["published"] is None
    assert found["warn"] is False


@pytest.mark.django_db
def test_originality_finds_a_recycled_earlier_submission_by_the_same_author(
    make_article: ArticleBuilder, contributor: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        rejected = make_article(contributor, Article.State.REJECTED, body=ORIGINAL)
        again = make_article(contributor, Article.State.SUBMITTED, body=LIGHTLY_EDITED)
    found = _submitted_report(again)["originality"]
    assert found["same_author"]["article_id"] == rejected.pk
    assert found["published"] is None  # the rejected one was never published


@pytest.mark.django_db
def test_the_index_is_an_indexed_lookup() -> None:
    indexes = {tuple(index.fields) for index in FingerprintBand._meta.indexes}
    assert ("key",) in indexes
