"""podium import-article: the import for editors who receive articles by e-mail."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from podium.accounts.models import User
from podium.articles.models import Article, ArticleEvent
from podium.topics.models import Topic
from tests.articles import import_samples as samples
from tests.podium_helpers import nothing_written


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Iterator[None]:
    """Assert against the English source strings, whatever translations exist."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db


@pytest.fixture
def docx_file(tmp_path: Path) -> Path:
    path = tmp_path / "ingezonden.docx"
    path.write_bytes(samples.full_article_docx())
    return path


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("import-article", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_prints_the_result_and_saves_nothing(
    docx_file: Path, incomplete_contributor: User
) -> None:
    with nothing_written():
        output = _run(str(docx_file), "--author", incomplete_contributor.email, "--dry-run")

    assert "- Title: “Werk verandert sneller dan organisaties”" in output
    assert "- 3 subheadings" in output and "- 2 lists" in output
    assert f"Title: {samples.TITLE}\n" in output
    assert f"Lead: {samples.LEAD}\n" in output
    assert "<h2>Wat betekent dit voor uw team?</h2>" in output
    assert "Dry run: nothing was saved." in output
    incomplete_contributor.refresh_from_db()
    assert incomplete_contributor.bio == ""


def test_without_flags_the_article_becomes_a_draft_of_the_author(
    docx_file: Path, contributor: User
) -> None:
    output = _run(str(docx_file), "--author", contributor.email.upper())

    article = Article.objects.get()
    assert article.author == contributor and article.state == Article.State.DRAFT
    assert article.title == samples.TITLE
    assert f"Article {article.pk} “{samples.TITLE}” of {contributor.email}: Draft." in output


def test_submit_submits_it_for_the_author(
    docx_file: Path, contributor: User, topics: list[Topic]
) -> None:
    _run(
        str(docx_file),
        "--author",
        contributor.email,
        "--topic",
        "arbeidsmarkt",
        "--topic",
        "Zorg",
        "--submit",
    )

    article = Article.objects.get()
    assert article.state == Article.State.SUBMITTED
    assert sorted(t.slug for t in article.topics.all()) == ["arbeidsmarkt", "zorg"]
    assert list(article.events.values_list("action", "actor")) == [
        (ArticleEvent.Action.SUBMIT, contributor.pk)
    ]


def test_publish_publishes_it_at_once_with_an_editor_as_actor(
    docx_file: Path, contributor: User, editor: User, topics: list[Topic]
) -> None:
    _run(str(docx_file), "--author", contributor.email, "--topic", "arbeidsmarkt", "--publish")

    article = Article.objects.get()
    assert article.state == Article.State.PUBLISHED and article.is_live
    assert list(article.events.values_list("action", "actor")) == [
        (ArticleEvent.Action.SUBMIT, contributor.pk),
        (ArticleEvent.Action.PUBLISH, editor.pk),
    ]


def test_publish_without_any_editor_fails_clearly_and_saves_nothing(
    docx_file: Path, contributor: User, topics: list[Topic]
) -> None:
    with nothing_written(), pytest.raises(CommandError, match=re.escape("needs an active editor")):
        _run(str(docx_file), "--author", contributor.email, "--topic", "arbeidsmarkt", "--publish")


def test_a_submission_that_is_not_complete_leaves_nothing_behind(
    docx_file: Path, contributor: User
) -> None:
    with (
        nothing_written(),
        pytest.raises(
            CommandError, match=re.escape("Nothing was saved: Choose one to three topics.")
        ),
    ):
        _run(str(docx_file), "--author", contributor.email, "--submit")


def test_the_bio_from_the_file_completes_the_profile_so_it_can_be_submitted(
    tmp_path: Path, incomplete_contributor: User, topics: list[Topic]
) -> None:
    incomplete_contributor.display_name = "Dirk de Boer"
    incomplete_contributor.save()
    path = tmp_path / "dirk.txt"
    path.write_bytes(samples.WRAPPED_TXT.encode("cp1252"))

    output = _run(
        str(path), "--author", incomplete_contributor.email, "--topic", "zorg", "--submit"
    )

    incomplete_contributor.refresh_from_db()
    assert incomplete_contributor.bio.startswith("Anna de Vries is adviseur")
    assert Article.objects.get().state == Article.State.SUBMITTED
    assert "now the author's profile bio" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--author", "niemand@example.org"],
            "No user with the e-mail address niemand@example.org.",
        ),
        (["--author", "anna@example.org", "--topic", "onbekend"], "No topic “onbekend”."),
    ],
)
def test_unknown_authors_and_topics_are_refused(
    docx_file: Path, contributor: User, args: list[str], message: str
) -> None:
    with nothing_written(), pytest.raises(CommandError, match=re.escape(message)):
        _run(str(docx_file), *args)


def test_a_bad_file_gets_the_same_specific_error(tmp_path: Path, contributor: User) -> None:
    path = tmp_path / "geheim.docx"
    path.write_bytes(samples.encrypted_docx())

    with (
        nothing_written(),
        pytest.raises(CommandError, match=re.escape("protected with a password")),
    ):
        _run(str(path), "--author", contributor.email)


def test_a_missing_file_is_reported(tmp_path: Path, contributor: User) -> None:
    with pytest.raises(CommandError, match=re.escape("No such file")):
        _run(str(tmp_path / "weg.docx"), "--author", contributor.email)


def test_submit_and_publish_exclude_each_other(docx_file: Path, contributor: User) -> None:
    with pytest.raises(CommandError):
        _run(str(docx_file), "--author", contributor.email, "--submit", "--publish")


def test_publish_without_an_editor_is_refused(docx_file: Path, contributor: User) -> None:
    with pytest.raises(CommandError, match="editor"):
        _run(str(docx_file), "--author", contributor.email, "--publish")
