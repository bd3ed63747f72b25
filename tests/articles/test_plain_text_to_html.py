"""Plain text typed without the editor keeps its paragraphs and line breaks."""

from __future__ import annotations

import pytest

from podium.articles.forms import ArticleForm
from podium.articles.sanitize import has_html_tags, plain_text_to_html


def test_blank_lines_separate_paragraphs_and_single_newlines_become_breaks() -> None:
    text = "Eerste alinea.\nTweede regel.\n\nTweede alinea."
    assert plain_text_to_html(text) == "<p>Eerste alinea.<br>Tweede regel.</p><p>Tweede alinea.</p>"


def test_windows_newlines_whitespace_only_lines_and_extra_blank_lines() -> None:
    text = "\r\n  Een  \r\n   \r\n\r\n\r\nTwee\tdrie  \r\n"
    assert plain_text_to_html(text) == "<p>Een</p><p>Twee drie</p>"


def test_text_is_escaped() -> None:
    assert plain_text_to_html("a < b & c > d") == "<p>a &lt; b &amp; c &gt; d</p>"


def test_empty_text() -> None:
    assert plain_text_to_html("") == ""
    assert plain_text_to_html(" \n\n \n") == ""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<p>x</p>", True),
        ("x<br/>y", True),
        ("<!-- note -->x", True),
        ("a < b and c > d", False),
        ("5 <10 but >2", False),
        ("plain\n\ntext", False),
    ],
)
def test_has_html_tags(raw: str, expected: bool) -> None:
    assert has_html_tags(raw) is expected


@pytest.mark.django_db
def test_form_turns_plain_text_body_into_paragraphs() -> None:
    form = ArticleForm(data={"title": "", "lead": "", "body": "Een <b niet.\n\nTwee\nregels"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["body"] == "<p>Een &lt;b niet.</p><p>Twee<br>regels</p>"


@pytest.mark.django_db
def test_form_leaves_html_body_to_the_sanitiser() -> None:
    form = ArticleForm(data={"title": "", "lead": "", "body": "<p>Een</p>\n\n<p>Twee</p>"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["body"] == "<p>Een</p>\n\n<p>Twee</p>"
