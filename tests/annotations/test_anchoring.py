"""Anchors: the text as a reader selects it, finding a passage again, and changing it in HTML."""

from __future__ import annotations

import pytest

from podium.annotations import anchoring
from podium.annotations.anchoring import Anchor, Found

BODY = (
    "<p>De arbeidsmarkt verandert <em>sneller</em> dan onze organisaties.</p>"
    "<h2>Wat betekent dit?</h2>"
    "<p>Teams die leren, winnen. Teams die wachten, verliezen.</p>"
)


def test_the_text_is_what_a_reader_selects_with_white_space_folded():
    text = anchoring.text_of(BODY).text
    assert text == (
        "De arbeidsmarkt verandert sneller dan onze organisaties. Wat betekent dit? "
        "Teams die leren, winnen. Teams die wachten, verliezen."
    )


def test_entities_are_read_as_the_characters_they_stand_for():
    text = anchoring.text_of("<p>R&amp;D &lt;script&gt; caf&#233;\u00a0nu</p>")
    assert text.text == "R&D <script> café nu"


def test_a_unique_quote_is_found_exactly():
    text = anchoring.text_of(BODY).text
    anchor = anchoring.anchor_at(text, text.index("sneller"), text.index("sneller") + 7)
    assert anchor.prefix.endswith("verandert ")
    assert anchoring.locate(text, anchor) == anchoring.Location(Found.EXACT, 26, 33)


def test_of_two_occurrences_the_surroundings_choose():
    text = anchoring.text_of(BODY).text
    second = text.index("Teams die wachten")
    anchor = anchoring.anchor_at(text, second, second + len("Teams die"))
    edited = "Nieuw begin. " + text
    where = anchoring.locate(edited, anchor)
    assert where.found == Found.EXACT
    assert edited[where.start :].startswith("Teams die wachten")


def test_a_rewritten_passage_is_found_by_its_surroundings():
    text = anchoring.text_of(BODY).text
    start = text.index("leren")
    anchor = anchoring.anchor_at(text, start, start + len("leren"))
    edited = text.replace("leren", "blijven studeren")
    where = anchoring.locate(edited, anchor)
    assert where.found == Found.CHANGED
    assert edited[where.start : where.end] == "blijven studeren"


def test_a_passage_whose_text_and_surroundings_are_gone_is_gone():
    anchor = Anchor("Teams die leren", "Wat betekent dit? ", ", winnen. Teams")
    assert anchoring.locate("Een heel andere tekst.", anchor).found == Found.GONE


@pytest.mark.parametrize(
    ("passage", "new", "expected"),
    [
        ("sneller", "trager", "<em>trager</em>"),
        (
            "verandert sneller dan",
            "gaat harder dan",
            "De arbeidsmarkt gaat harder dan<em></em> onze",
        ),
        ("R&D", "O&O", "<p>O&amp;O werkt</p>"),
    ],
)
def test_a_replacement_keeps_the_tags_and_escapes_the_new_text(passage, new, expected):
    body = BODY if passage != "R&D" else "<p>R&amp;D werkt</p>"
    text = anchoring.text_of(body)
    start = text.text.index(passage)
    result = anchoring.replace(body, text, start, start + len(passage), new)
    assert expected in result


def test_a_replacement_across_two_paragraphs_keeps_both_paragraphs():
    text = anchoring.text_of(BODY)
    start = text.text.index("dit?")
    end = text.text.index("Teams die leren") + len("Teams")
    result = anchoring.replace(BODY, text, start, end, "<b>")
    assert "<h2>Wat betekent &lt;b&gt;</h2><p> die leren" in result
