"""E-mail subjects and text bodies are plain text: what a person typed arrives as typed, escaped
once at most (never `&quot;` or `&amp;` in a subject)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core import mail

import podium
from podium.accounts.models import User
from podium.articles import services
from tests.podium_helpers import ArticleBuilder

TITLE = 'Kost "R&D" meer dan 5 > 4?'
SOURCE = Path(podium.__file__).parent


def _plain_text_templates() -> list[Path]:
    return sorted(
        path
        for path in SOURCE.rglob("*.txt")
        if "email" in path.parts and "templates" in path.parts
    )


def test_every_plain_text_email_template_turns_autoescaping_off() -> None:
    """Subjects and text bodies are not HTML: escaping them shows `&amp;` to the reader. A
    template that extends another inherits its base's setting."""
    templates = _plain_text_templates()
    assert len(templates) > 8
    wrong = [
        str(path.relative_to(SOURCE))
        for path in templates
        if "{% autoescape off %}" not in (text := path.read_text())
        and "{% extends" not in text
        and not path.name.startswith("_")  # partials are included by a template that does
    ]
    assert not wrong, wrong


@pytest.mark.django_db
def test_subjects_carry_the_title_as_typed(
    contributor: User,
    make_article: ArticleBuilder,
    editor: User,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.PODIUM_EDITORS_EMAIL = "redactie@podium.example"
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article.submitted(contributor, title=TITLE)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_changes(article=article, by=editor, message="Graag korter.")
    subjects = [message.subject for message in mail.outbox]
    assert len(subjects) >= 2, subjects
    for subject in subjects:
        assert TITLE in subject, subject
        assert "&quot;" not in subject and "&amp;" not in subject and "&gt;" not in subject
    bodies = [message.body for message in mail.outbox]
    assert all(TITLE in body for body in bodies), bodies
