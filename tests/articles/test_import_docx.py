"""Importing Word documents: structure kept, formatting dropped, tracked changes accepted."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import docx
import pytest
from django.utils import translation
from docx.oxml import parse_xml

from podium.articles.importing import ImportedList, import_file
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


def test_word_article_keeps_title_lead_subheadings_lists_links_and_bio() -> None:
    result = import_file("artikel.docx", samples.full_article_docx())

    assert result.title == samples.TITLE
    assert not result.title_missing
    assert result.lead == samples.LEAD
    assert result.subheadings == [
        "Wat betekent dit voor uw team?",
        "Drie lessen uit de praktijk",
        "De rol van de leidinggevende",  # a short bold line on its own
    ]
    assert result.lists == [
        ImportedList(ordered=True, items=["Begin klein.", "Meet wat werkt.", "Vier successen."]),
        ImportedList(ordered=False, items=["ze geven ruimte;", "ze geven vertrouwen."]),
    ]
    assert result.bio == samples.BIO
    assert result.removed == ["Schrijf je in voor onze nieuwsbrief op example.org/nieuwsbrief"]
    assert result.notes == []
    assert result.body_html == (
        "<p>De arbeidsmarkt is <strong>krap</strong> en wordt <em>krapper</em>. Lees "
        f'<a href="https://example.org/rapport" {LINK_REL}>het rapport</a> van het CBS.</p>'
        "<h2>Wat betekent dit voor uw team?</h2>"
        "<p>Teams die leren, winnen. Teams die wachten, verliezen hun beste mensen.</p>"
        "<h3>Drie lessen uit de praktijk</h3>"
        "<ol><li>Begin klein.</li><li>Meet wat werkt.</li><li>Vier successen.</li></ol>"
        "<h2>De rol van de leidinggevende</h2>"
        "<p>Leidinggevenden maken het verschil:</p>"
        "<ul><li>ze geven ruimte;</li><li>ze geven vertrouwen.</li></ul>"
        "<p>Wie nu investeert, <strong>wint later</strong>.</p>"
    )


def test_text_typed_with_show_changes_on_comes_out_as_the_accepted_text() -> None:
    result = import_file("bijgehouden.docx", samples.tracked_changes_docx())

    assert result.title == samples.TITLE
    assert result.lead == "Wie vandaag talent zoekt, moet anders kijken naar werk."
    assert result.subheadings == ["Wat betekent dit voor jouw team?"]
    # The deleted paragraph is gone, the deleted paragraph mark joins two paragraphs, moved-away
    # text is not there.
    assert result.body_html == (
        "<h2>Wat betekent dit voor jouw team?</h2><p>Teams die leren, winnen.</p><p>Dit blijft staan.</p>"
    )
    for deleted in ("personeel", "geschrapt", "voor uw team", "elders"):
        assert deleted not in result.body_html + result.lead
    assert result.notes == [
        "Tracked changes were accepted: the text is as it reads with all changes accepted."
    ]


def test_tables_images_comments_fonts_and_hidden_text_are_dropped_with_a_note() -> None:
    result = import_file("rommelig.docx", samples.dropped_things_docx())

    assert result.title == samples.TITLE
    assert result.lead == samples.LEAD
    assert result.body_html == (
        "<p>Voor de tabel.</p><p>Hier hoort een bron bij.</p>"
        "<p>Rode tekst in Comic Sans.</p><p>Zichtbaar.</p>"
    )
    assert "Sector" not in result.body_html and "Welke bron" not in result.body_html
    assert result.notes == [
        "1 table was removed: tables do not fit an article. Write what matters as text or a list.",
        "1 drawing (a chart, a shape or a text box) was removed: only pictures come along.",
        "1 comment was removed.",
        "Fonts, colours and sizes were dropped: Podium sets the type itself.",
    ]


def test_direct_numbering_is_looked_up_and_heading_levels_map_to_h2_and_h3() -> None:
    result = import_file("nummering.docx", samples.numbering_docx())

    assert result.title == "Zo houdt u talent vast"  # the first heading, without a Title style
    assert result.lead == samples.LEAD
    assert result.subheadings == ["Vijf vragen", "Een detail"]
    assert result.lists == [
        ImportedList(ordered=True, items=["Wat wil de medewerker?", "Wat kan de organisatie?"]),
        ImportedList(ordered=False, items=["eerlijk loon", "goede begeleiding"]),
    ]
    assert result.body_html == (
        "<h2>Vijf vragen</h2>"
        "<ol><li>Wat wil de medewerker?</li><li>Wat kan de organisatie?</li></ol>"
        "<h3>Een detail</h3>"
        "<ul><li>eerlijk loon</li><li>goede begeleiding</li></ul>"
        "<p>Tot slot een gewone alinea.</p>"
    )


def test_a_document_that_starts_with_a_paragraph_has_no_title_and_says_so() -> None:
    result = import_file("zonder-titel.docx", samples.no_title_docx())

    assert result.title == ""
    assert result.title_missing
    assert result.lead.startswith("Steeds meer organisaties merken")
    assert result.body_html == "<p>De tweede alinea.</p>"
    assert result.summary()[0] == "No title recognised: fill it in yourself."


def test_a_long_bold_paragraph_is_text_not_a_subheading() -> None:
    document = docx.Document()
    document.add_paragraph(samples.TITLE, style="Title")
    document.add_paragraph(samples.LEAD)
    document.add_paragraph().add_run(
        "Dit is een hele alinea die vet is gezet, omdat de schrijver hem belangrijk vond."
    ).bold = True
    document.add_paragraph().add_run("Let op:").bold = True

    result = import_file("vet.docx", samples.docx_bytes(document))

    assert result.subheadings == []
    assert result.body_html == (
        "<p><strong>Dit is een hele alinea die vet is gezet, omdat de schrijver hem belangrijk "
        "vond.</strong></p><p><strong>Let op:</strong></p>"
    )


def test_word_links_and_markup_pass_the_same_sanitiser_as_typed_text() -> None:
    document = docx.Document()
    document.add_paragraph(samples.TITLE, style="Title")
    document.add_paragraph(samples.LEAD)
    paragraph = document.add_paragraph("Kijk ")
    samples.add_hyperlink(document, paragraph, "javascript:alert(1)", "daar")
    paragraph.add_run(" of <script>alert(2)</script> <b>niet</b>.")
    document.add_paragraph("Tot slot.")

    result = import_file("gevaarlijk.docx", samples.docx_bytes(document))

    assert result.body_html == sanitize_html(result.body_html)
    assert "javascript" not in result.body_html
    assert "<script>" not in result.body_html
    assert "&lt;script&gt;" in result.body_html  # typed text stays text
    assert_inert(result.body_html)


def test_a_link_made_with_a_hyperlink_field_is_kept() -> None:
    document = docx.Document()
    document.add_paragraph(samples.TITLE, style="Title")
    document.add_paragraph(samples.LEAD)
    paragraph = document.add_paragraph("Zie ")
    w = samples.W
    for xml in (
        f'<w:r {w}><w:fldChar w:fldCharType="begin"/></w:r>',
        f'<w:r {w}><w:instrText xml:space="preserve"> HYPERLINK "https://example.org/veld" </w:instrText></w:r>',
        f'<w:r {w}><w:fldChar w:fldCharType="separate"/></w:r>',
        f"<w:r {w}><w:t>de bron</w:t></w:r>",
        f'<w:r {w}><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        paragraph._p.append(parse_xml(xml))
    paragraph.add_run(".")

    result = import_file("veld.docx", samples.docx_bytes(document))

    assert (
        result.body_html == f'<p>Zie <a href="https://example.org/veld" {LINK_REL}>de bron</a>.</p>'
    )


@pytest.mark.parametrize("name", ["artikel.txt", "artikel.md"])
def test_a_word_document_saved_under_a_text_name_is_read_as_word(name: str) -> None:
    result = import_file(name, samples.small_docx())

    assert result.title == samples.TITLE
    assert result.subheadings == ["Wat betekent dit voor uw team?"]
