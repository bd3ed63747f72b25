"""Building a compilation: the background task, progress, replacing files, and bad input that
either is handled (and reported) or stops the build with a message that says what to fix."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from podium.articles import rules as article_rules
from podium.articles import services as article_services
from podium.bestof import services
from podium.bestof.book import BuildError, prepare_book
from podium.bestof.models import Compilation

pytestmark = pytest.mark.django_db


def test_contributor_cannot_create_a_compilation(contributor: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.create_compilation(
            by=contributor,
            title="X",
            period_start=__import__("datetime").date(2026, 1, 1),
            period_end=__import__("datetime").date(2026, 3, 31),
        )
    assert not Compilation.objects.exists()


def test_period_must_not_end_before_it_starts(editor: Any) -> None:
    import datetime

    with pytest.raises(ValidationError):
        services.create_compilation(
            by=editor,
            title="X",
            period_start=datetime.date(2026, 3, 1),
            period_end=datetime.date(2026, 2, 1),
        )


def test_only_live_articles_can_be_chosen(
    make_compilation: Any, editor: Any, make_article: Any, contributor: Any
) -> None:
    compilation = make_compilation(n=1)
    draft = make_article(contributor)
    with pytest.raises(ValidationError, match="Alleen gepubliceerde"):
        services.set_articles(compilation=compilation, article_ids=[draft.pk], by=editor)
    assert compilation.entries.count() == 1


def test_empty_compilation_cannot_be_built(make_compilation: Any, editor: Any) -> None:
    compilation = make_compilation(n=0)
    with pytest.raises(ValidationError):
        services.request_build(compilation=compilation, by=editor)
    with pytest.raises(BuildError, match="nog geen artikelen"):
        prepare_book(compilation)


def test_article_taken_down_after_it_was_chosen_stops_the_build_naming_it(
    make_compilation: Any, editor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    on_commit = django_capture_on_commit_callbacks
    compilation = make_compilation(n=2)
    article = compilation.entries.first().article
    article_services.take_down_article(article=article, by=editor, reason="Klacht ontvangen.")
    with on_commit(execute=True):
        services.request_build(compilation=compilation, by=editor)
    compilation.refresh_from_db()
    assert compilation.build_status == Compilation.BuildStatus.FAILED
    assert any(
        article.title in message and "niet meer gepubliceerd" in message
        for message in compilation.build_errors
    )
    assert not compilation.has_files


def test_author_without_photo_and_missing_photo_file_are_handled(
    make_compilation: Any, make_author: Any
) -> None:
    compilation = make_compilation(n=2)
    first, second = [e.article.author for e in compilation.entries.order_by("position")]
    first.photo = ""
    first.save()
    Path(second.photo.path).unlink()
    book = prepare_book(compilation)
    assert [a.photo for a in book.articles] == [None, None]
    assert len(book.warnings) == 1 and second.display_name in book.warnings[0]


def test_small_photo_gets_a_resolution_warning(make_compilation: Any) -> None:
    compilation = make_compilation(n=1)
    author = compilation.entries.first().article.author
    from django.core.files.base import ContentFile

    from podium.bestof.sample import sample_portrait

    author.photo.save("klein.jpg", ContentFile(sample_portrait(1, size=200)), save=True)
    book = prepare_book(compilation)
    assert any("ppi" in w and author.display_name in w for w in book.warnings)


def test_image_that_cannot_be_fetched_is_left_out_and_reported_without_network(
    make_compilation: Any, monkeypatch: Any
) -> None:
    import urllib.request

    def no_network(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the build tried to reach the network")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", no_network)
    compilation = make_compilation(n=1)
    article = compilation.entries.first().article
    # The sanitiser allows no images today; the build must still cope if one gets through.
    article.body += '<p><img src="https://example.com/grafiek.png" alt="grafiek"></p><p><img src="/media/ontbreekt.png"></p>'
    article.save()
    book = prepare_book(compilation)
    assert "<img" not in book.articles[0].body_html
    assert len([w for w in book.warnings if "afbeelding" in w]) == 2


def test_fetcher_refuses_the_network_and_files_outside_its_folders(tmp_path: Path) -> None:
    from podium.bestof.fetcher import LocalFetcher, RefusedURL

    allowed = tmp_path / "ok"
    allowed.mkdir()
    (allowed / "a.png").write_bytes(b"png")
    (tmp_path / "secret.txt").write_text("no")
    fetcher = LocalFetcher([allowed])
    assert fetcher.fetch((allowed / "a.png").as_uri()).read() == b"png"
    for url in [
        "https://example.com/a.png",
        "http://127.0.0.1/x",
        (tmp_path / "secret.txt").as_uri(),
        "data:text/plain,hi",
    ]:
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 4


def test_missing_weasyprint_libraries_fail_the_build_with_a_clear_message(
    make_compilation: Any, editor: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    on_commit = django_capture_on_commit_callbacks
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if Pango could not be loaded
    compilation = make_compilation(n=1)
    with on_commit(execute=True):
        services.request_build(compilation=compilation, by=editor)
    compilation.refresh_from_db()
    assert compilation.build_status == Compilation.BuildStatus.FAILED
    assert "libpango-1.0-0" in compilation.build_errors[0]


@pytest.mark.slow
def test_build_runs_in_the_background_and_rebuilding_replaces_the_files(
    make_compilation: Any, editor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    on_commit = django_capture_on_commit_callbacks
    compilation = make_compilation(n=2, words=200)
    with on_commit(execute=True):  # ImmediateBackend: the task runs once the request commits
        services.request_build(compilation=compilation, by=editor)
    compilation.refresh_from_db()
    assert compilation.build_status == Compilation.BuildStatus.DONE, compilation.build_errors
    assert compilation.build_progress == 100
    first = {f: Path(getattr(compilation, f).path) for f in ("pdf_a4", "pdf_trim", "epub")}
    assert all(p.is_file() for p in first.values())
    private = Path(settings.PODIUM_PRIVATE_ROOT).resolve()
    assert all(p.resolve().is_relative_to(private) for p in first.values())
    assert not any(
        p.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve()) for p in first.values()
    )

    with on_commit(execute=True):
        services.request_build(compilation=compilation, by=editor)
    compilation.refresh_from_db()
    second = {f: Path(getattr(compilation, f).path) for f in first}
    assert all(p.is_file() for p in second.values())
    stored = [p for p in (private / "bestof").rglob("*") if p.is_file()]
    assert sorted(stored) == sorted(second.values())  # the old files are gone, not piled up


@pytest.mark.slow
def test_finalising_tells_each_author_once_by_email_and_under_activiteiten(
    make_compilation: Any, editor: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    on_commit = django_capture_on_commit_callbacks
    compilation = make_compilation(n=2, words=200)
    with pytest.raises(ValidationError):
        services.finalise_compilation(compilation=compilation, by=editor)  # not built yet
    with on_commit(execute=True):
        services.request_build(compilation=compilation, by=editor)
    mail.outbox.clear()
    with on_commit(execute=True):
        services.finalise_compilation(compilation=compilation, by=editor)
    authors = [e.article.author for e in compilation.entries.all()]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(a.email for a in authors)
    assert compilation.title in mail.outbox[0].subject
    page = client_for(authors[0]).get("/profiel/activiteiten/").content.decode()
    assert "Uw artikel staat in de gedrukte bundel" in page
    with pytest.raises(ValidationError):
        services.set_articles(compilation=compilation, article_ids=[], by=editor)


@pytest.mark.slow
def test_a_3000_word_article_flows_over_many_pages_and_the_contents_stay_right(
    monkeypatch: pytest.MonkeyPatch, make_compilation: Any, settings: Any, tmp_path: Path
) -> None:
    from .test_files import real_start_pages, toc_entries

    monkeypatch.setattr(article_rules, "BODY_MAX_CHARS", 40_000)
    compilation = make_compilation(n=2, words=3000)
    book = prepare_book(compilation)
    target = tmp_path / "a4.pdf"
    assert services.render(book, "a4", target) == []
    titles = [a.title for a in book.articles]
    starts = real_start_pages(target, titles)
    assert toc_entries(target, titles) == starts
    assert starts[titles[1]] - starts[titles[0]] >= 8


def test_icc_profile_setting_makes_the_printers_pdf_pdf_x4(
    make_compilation: Any, settings: Any, tmp_path: Path
) -> None:
    import weasyprint

    from .test_files import pdf_objects

    settings.PODIUM_BESTOF_ICC_PROFILE = str(
        Path(weasyprint.__file__).parent / "pdf" / "sRGB2014.icc"
    )
    book = prepare_book(make_compilation(n=1, words=100))
    services.render(book, "trim", tmp_path / "x.pdf")
    data = pdf_objects(tmp_path / "x.pdf")
    assert b"/GTS_PDFX" in data and b"PDF/X-4" in data


def test_bad_trim_size_setting_is_refused_loudly(settings: Any) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from podium.bestof.conf import page_format

    settings.PODIUM_BESTOF_TRIM_SIZE = "A4-ish"
    with pytest.raises(ImproperlyConfigured):
        page_format("trim")
    settings.PODIUM_BESTOF_TRIM_SIZE = "170 x 240"
    assert (page_format("trim").width_mm, page_format("trim").height_mm) == (170, 240)


def test_colophon_names_the_editors_the_period_and_the_authors_copyright_by_default(
    make_compilation: Any, editor: Any, settings: Any
) -> None:
    from ..podium_helpers import make_user

    make_user("joris@example.org", display_name="Joris de Wit", role="editor")
    make_user("ex@example.org", display_name="Oud-redacteur", role="editor", is_active=False)
    settings.SITE_URL = "https://podium.example"
    compilation = make_compilation(n=1)
    colophon = prepare_book(compilation).colophon
    assert colophon.editors == ["Eva Redacteur", "Joris de Wit"]
    assert colophon.printer == "Drukkerij De Bij, Utrecht"
    assert colophon.site == "podium.example"
    year = compilation.period_end.year
    assert colophon.licence.startswith(f"© {year} de auteurs. De auteurs houden het auteursrecht")


def test_colophon_fields_filled_in_by_the_editors_win(make_compilation: Any, editor: Any) -> None:
    compilation = make_compilation(n=1)
    compilation = services.update_compilation(
        compilation=compilation,
        by=editor,
        title=compilation.title,
        period_start=compilation.period_start,
        period_end=compilation.period_end,
        colophon_editors="Eva Smit\n\n  Joris de Wit \n",
        licence="CC BY-NC-ND 4.0",
        printer="Drukkerij Van Eck, Den Haag",
    )
    colophon = prepare_book(compilation).colophon
    assert colophon.editors == ["Eva Smit", "Joris de Wit"]
    assert (colophon.licence, colophon.printer) == (
        "CC BY-NC-ND 4.0",
        "Drukkerij Van Eck, Den Haag",
    )


def test_a_colophon_without_printer_is_built_with_a_reminder(make_compilation: Any) -> None:
    book = prepare_book(make_compilation(n=1, printer=""))
    assert book.warnings == [
        "Het colofon noemt nog geen drukker. Vul de drukker in onder “Titel, voorwoord en colofon "
        "bewerken” voordat de bestanden naar de drukker gaan."
    ]
