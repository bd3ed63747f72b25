"""Importing plain text and Markdown as contributors send them (the format in DESIGN.md)."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from podium.articles.importing import ImportedList, ImportResult, import_file, import_text
from podium.articles.importing.text import decode
from podium.articles.importing.typography import curl_quotes
from podium.articles.sanitize import sanitize_html
from tests.articles import import_samples as samples
from tests.podium_helpers import assert_inert


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Iterator[None]:
    """Assert against the English source strings, whatever translations exist."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


LINK_REL = 'rel="nofollow ugc noopener"'

WRAPPED_BODY = (
    "<p>Organisaties die dat “een tijdelijk probleem” noemen, vergissen zich. Het gaat om een "
    "verschuiving die ’s avonds aan de keukentafel begint, bij mensen die hun werk anders willen "
    "inrichten.</p>"
    "<h2>Wat betekent dit voor uw team?</h2>"
    "<p>Teams die leren, winnen. Drie dingen helpen daarbij:</p>"
    "<ol><li>Begin klein en kies een team dat wil experimenteren.</li><li>Meet wat werkt.</li>"
    "<li>Vier successen.</li></ol>"
    "<h2>De rol van de leidinggevende</h2>"
    "<p>Leidinggevenden maken het verschil. Zij kunnen:</p>"
    "<ul><li>ruimte geven;</li><li>vertrouwen geven;</li><li>zelf het goede voorbeeld geven.</li></ul>"
    "<p>Wie nu investeert, wint later.</p>"
)


def test_hard_wrapped_text_becomes_title_lead_subheadings_lists_bio_and_loses_boilerplate() -> None:
    result = import_file("artikel.txt", samples.WRAPPED_TXT.encode("utf-8"))

    assert result.title == "Werk verandert sneller dan organisaties"
    # Lines broken in the middle of a sentence are one paragraph again.
    assert result.lead == (
        "Wie vandaag talent zoekt, moet anders kijken naar werk. De tijd dat een vacature vanzelf "
        "vol liep, is voorbij: zelfs in de zorg en het onderwijs blijven plekken maanden open."
    )
    assert result.subheadings == ["Wat betekent dit voor uw team?", "De rol van de leidinggevende"]
    assert result.lists == [
        ImportedList(
            ordered=True,
            items=[
                "Begin klein en kies een team dat wil experimenteren.",
                "Meet wat werkt.",
                "Vier successen.",
            ],
        ),
        ImportedList(
            ordered=False,
            items=["ruimte geven;", "vertrouwen geven;", "zelf het goede voorbeeld geven."],
        ),
    ]
    assert result.bio == "Anna de Vries is adviseur arbeidsmarkt bij Van Dijk & Partners."
    assert result.removed == [
        "Plaats ook een artikel op Podium? Meld je aan via podium.example.org.",
        "© 2025 Vakblad Voorbeeld. Alle rechten voorbehouden.",
    ]
    assert result.body_html == WRAPPED_BODY
    assert not result.title_missing


def test_text_without_blank_lines_in_utf8_with_bom_keeps_its_structure() -> None:
    data = codecs.BOM_UTF8 + samples.UNBROKEN_TXT.encode("utf-8")

    result = import_file("thuiswerken.txt", data)

    assert result.title == "Zeven jaar thuiswerken: een balans"
    assert result.lead == "Thuiswerken is blijvend, maar de manier waarop we het organiseren niet."
    assert result.subheadings == ["Wat ging er goed?", "Wat ging er mis?"]
    assert result.lists == [
        ImportedList(ordered=False, items=["minder files", "meer focus"]),  # "•"
        ImportedList(ordered=False, items=["inwerken op afstand", "informeel overleg"]),  # "*"
        ImportedList(
            ordered=True, items=["Spreek vaste kantoordagen af.", "Investeer in inwerken."]
        ),  # "1."
    ]
    assert result.bio == "Bram Jansen is controller bij een zorginstelling."  # "Over de schrijver:"
    assert result.removed == []
    assert result.body_html == (
        "<h2>Wat ging er goed?</h2>"
        "<p>Mensen werken geconcentreerder. Ze reizen minder en houden tijd over.</p>"
        "<ul><li>minder files</li><li>meer focus</li></ul>"
        "<h2>Wat ging er mis?</h2>"
        "<p>Teams verloren het contact. Nieuwe collega’s vonden hun weg niet.</p>"
        "<ul><li>inwerken op afstand</li><li>informeel overleg</li></ul>"
        "<ol><li>Spreek vaste kantoordagen af.</li><li>Investeer in inwerken.</li></ol>"
    )
    assert "\ufeff" not in result.title


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16"])
def test_accents_survive_every_encoding_contributors_use(encoding: str) -> None:
    result = import_file("accenten.txt", samples.ACCENTS_TXT.encode(encoding))

    assert result.title == "Ideeën voor een coöperatieve zorg"
    assert (
        result.lead
        == "Een reünie van zorgprofessionals leverde één conclusie op: de cliënt moet centraal."
    )
    assert (
        result.body_html
        == "<p>Daarom pleit ik voor een café-achtige ontmoetingsplek. Dat is geen naïef idee.</p>"
    )
    assert result.bio == "Chloë Müller is verpleegkundige."


def test_windows_1252_quotes_and_dashes_are_read_as_such() -> None:
    data = samples.CP1252_TXT.encode("cp1252")
    assert b"\x92" in data and b"\x93" in data and b"\x96" in data  # really Windows' own bytes

    result = import_file("windows.txt", data)

    assert result.title == "Ideeën voor een coöperatieve zorg"
    assert (
        result.lead
        == "De cliënt’s wensen – niet de regels – staan voorop. “Zorg is mensenwerk”, zei een collega."
    )
    assert result.body_html == (
        "<p>Een reünie leverde één conclusie op: zorg is geen café-product, en dat is geen naïef idee.</p>"
    )
    assert result.bio == "Chloë Müller is verpleegkundige."


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        ("Caf\u00e9 \u2019s".encode(), "Café ’s", "utf-8"),
        (codecs.BOM_UTF8 + "Café".encode(), "Café", "utf-8-sig"),
        (b"Caf\xe9 \x92s", "Café ’s", "cp1252"),
        # 0x81 is not defined in Windows-1252: only Latin-1 reads this file.
        (b"Caf\xe9 na\xefef. " * 10 + b"\x81", "Café naïef. " * 10 + "\x81", "latin-1"),
    ],
)
def test_the_encoding_is_recognised(data: bytes, text: str, encoding: str) -> None:
    assert decode(data) == (text, encoding)


def test_markdown_headings_emphasis_links_lists_and_quotes_are_kept() -> None:
    result = import_file("artikel.md", samples.ARTICLE_MD.encode("utf-8"))

    assert result.title == "Werk verandert sneller dan organisaties"
    assert result.lead == "Wie vandaag talent zoekt, moet anders kijken naar werk."
    assert result.subheadings == ["Wat betekent dit voor uw team?", "Een detail"]
    assert result.lists == [
        ImportedList(ordered=False, items=["ruimte geven", "vertrouwen geven"]),
        ImportedList(ordered=True, items=["Begin klein.", "Meet wat werkt."]),
    ]
    assert result.bio == "Anna de Vries is adviseur arbeidsmarkt."
    assert result.notes == ["Images were removed; add them later if the editors ask for them."]
    assert result.body_html == (
        "<p>De arbeidsmarkt is <strong>krap</strong> en wordt <em>krapper</em>. Lees "
        f'<a href="https://example.org/cbs" {LINK_REL}>het rapport</a> of '
        f'<a href="https://example.org/samenvatting" {LINK_REL}>de samenvatting</a>.</p>'
        "<h2>Wat betekent dit voor uw team?</h2>"
        "<p>Teams die leren, winnen.</p>"
        "<ul><li>ruimte geven</li><li>vertrouwen geven</li></ul>"
        "<h3>Een detail</h3>"
        "<ol><li>Begin klein.</li><li>Meet wat werkt.</li></ol>"
        "<blockquote><p>Talent blijft waar het kan groeien.</p></blockquote>"
    )


def test_markdown_is_sanitised_like_typed_text() -> None:
    source = (
        "# Titel\n\nDe lead.\n\n"
        "Een [link](javascript:alert(1)) en <script>alert(2)</script> en "
        '<img src=x onerror="alert(3)"> en <a href="https://example.org" onclick="x()">goed</a>.\n\n'
        "Tot slot.\n"
    )

    result = import_file("gevaarlijk.md", source.encode())

    assert result.body_html == sanitize_html(result.body_html)
    assert "javascript" not in result.body_html and "alert" not in result.body_html
    assert f'<a href="https://example.org" {LINK_REL}>goed</a>' in result.body_html
    assert_inert(result.body_html)


def test_pasted_plain_text_is_not_read_as_html() -> None:
    result = import_text(
        "Titel\n\nDe lead.\n\nDit is <b>geen</b> opmaak & <script>ook niet</script>.\n\nEinde."
    )

    assert result.body_html == (
        "<p>Dit is &lt;b&gt;geen&lt;/b&gt; opmaak &amp; &lt;script&gt;ook niet&lt;/script&gt;.</p><p>Einde.</p>"
    )
    assert result.body_html == sanitize_html(result.body_html)


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        (samples.NO_TITLE_TXT, "the first line ends mid-sentence"),
        (samples.TOO_LONG_TITLE_TXT, "the first line is too long"),
        (
            "Zo begint het, met een komma,\nen gaat het verder.\n\nTweede alinea.\n",
            "continues in lower case",
        ),
    ],
)
def test_a_first_line_that_is_no_title_leaves_the_title_empty_and_says_so(
    source: str, reason: str
) -> None:
    result = import_file("zonder-titel.txt", source.encode())

    assert result.title == "", reason
    assert result.title_missing
    assert "No title recognised: fill it in yourself." in result.summary()


def test_no_title_keeps_the_first_paragraph_whole_as_the_lead() -> None:
    result = import_file("zonder-titel.txt", samples.NO_TITLE_TXT.encode())

    assert result.lead == (
        "Steeds meer organisaties merken dat de arbeidsmarkt sneller verandert dan hun eigen werving. "
        "Dat vraagt om een andere blik op werk en op mensen, en om leidinggevenden die durven te kiezen."
    )
    assert result.body_html == "<p>Daarom drie voorstellen.</p>"


def test_typography_is_normalised() -> None:
    result = import_file("typografie.txt", samples.TYPOGRAPHY_TXT.encode())

    assert result.title == "Wat “goed genoeg” betekent"
    # Single quotes paired, apostrophes curled, non-breaking and double spaces folded.
    assert result.lead == "Hij zei: ‘Dit is het moment.’ Het was al laat, zo’n tien uur ’s avonds."
    # Soft hyphens and zero-width characters gone; ambiguous quotes stay straight.
    assert result.body_html == (
        "<p>Een organisatie met dubbele spaties en zerowidth tekens.</p>"
        "<p>Een 12\" scherm en een losse ' blijven recht.</p>"
    )


@pytest.mark.parametrize(
    ("straight", "curly"),
    [
        ('"Ja", zei ze.', "“Ja”, zei ze."),
        ("'t Is 's-Hertogenbosch in de jaren '90.", "’t Is ’s-Hertogenbosch in de jaren ’90."),
        ("Thomas' boek en zo'n auto's.", "Thomas’ boek en zo’n auto’s."),
        ("Een 'citaat' hier.", "Een ‘citaat’ hier."),
        ('Alleen " los', 'Alleen " los'),
        ('Een "open maar nooit dicht', 'Een "open maar nooit dicht'),
    ],
)
def test_straight_quotes_are_curled_only_where_unambiguous(straight: str, curly: str) -> None:
    assert curl_quotes(straight) == curly


@pytest.mark.parametrize(
    "bio_line",
    [
        "Over de auteur: Anna is adviseur.",
        "Over de schrijver: Anna is adviseur.",
        "About the author: Anna is adviseur.",
        "OVER DE AUTEUR - Anna is adviseur.",
    ],
)
def test_every_way_of_writing_the_bio_line_is_recognised(bio_line: str) -> None:
    result = import_text(f"Titel\n\nDe lead.\n\nDe tekst.\n\n{bio_line}\n")

    assert result.bio == "Anna is adviseur."
    assert result.body_html == "<p>De tekst.</p>"


def test_a_bio_under_its_own_heading_is_recognised() -> None:
    result = import_text(
        "Titel\n\nDe lead.\n\nDe tekst.\n\nOver de auteur\n\nAnna is adviseur.\n\nvolg ons op LinkedIn\n"
    )

    assert result.bio == "Anna is adviseur."
    assert result.removed == ["volg ons op LinkedIn"]
    assert result.body_html == "<p>De tekst.</p>"


def test_a_bio_too_long_for_the_profile_is_left_out_and_said_so() -> None:
    long_bio = "Anna is adviseur. " * 40

    result = import_text(f"Titel\n\nDe lead.\n\nDe tekst.\n\nOver de auteur: {long_bio}\n")

    assert result.bio == ""
    assert result.body_html == "<p>De tekst.</p>"
    assert result.removed == [f"Over de auteur: {long_bio.strip()}"]
    assert any("longer than 600 characters" in note for note in result.notes)


def test_trailing_boilerplate_goes_even_without_a_bio() -> None:
    result = import_text(
        "Titel\n\nDe lead.\n\nDe tekst over de nieuwsbrief van de gemeente blijft staan.\n\n"
        "Deel dit artikel\n\nCopyright 2025 Uitgeverij Voorbeeld\n"
    )

    assert result.body_html == "<p>De tekst over de nieuwsbrief van de gemeente blijft staan.</p>"
    assert result.removed == ["Deel dit artikel", "Copyright 2025 Uitgeverij Voorbeeld"]
    assert result.bio == ""


def test_a_paragraph_too_long_for_a_lead_stays_in_the_text() -> None:
    first = "Dit is een zin van de eerste alinea die lang doorgaat. " * 9

    result = import_text(f"Titel\n\n{first}\n\nTweede alinea.\n")

    assert result.lead == ""
    assert result.body_html == f"<p>{first.strip()}</p><p>Tweede alinea.</p>"
    assert any("too long for a lead" in note for note in result.notes)


def test_the_summary_lists_what_was_recognised_and_removed() -> None:
    result = import_file("artikel.txt", samples.WRAPPED_TXT.encode())

    assert result.summary() == [
        "Title: “Werk verandert sneller dan organisaties”",
        "Lead: “Wie vandaag talent zoekt, moet anders kijken naar werk. De tijd dat een vacature vanzelf vol liep,…”",
        "2 subheadings",
        "2 lists",
        "“Over de auteur” text found.",
        "2 pieces of text removed:",
        "Removed: “Plaats ook een artikel op Podium? Meld je aan via podium.example.org.”",
        "Removed: “© 2025 Vakblad Voorbeeld. Alle rechten voorbehouden.”",
    ]


def test_a_result_survives_the_trip_through_the_session() -> None:
    result = import_file("artikel.md", samples.ARTICLE_MD.encode())

    assert ImportResult.from_dict(result.to_dict()) == result
