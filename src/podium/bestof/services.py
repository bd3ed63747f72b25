"""Writes on compilations: create and edit, choose the articles, build, finalise.

Every write checks that the acting user is an editor and that a finalised compilation stays as it
was printed. Builds run in the background (`tasks.build_compilation`); `run_build` is what the
task and the `podium bestof build` command call.
"""

from __future__ import annotations

import datetime
import logging
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _

from podium.accounts.models import User
from podium.accounts.roles import editors_only
from podium.articles.models import Article
from podium.core import erasure

from .book import Book, BuildError, prepare_book
from .models import Compilation, CompilationEntry

logger = logging.getLogger(__name__)

FORMATS = ("a4", "trim", "epub")
FILE_FIELDS = {"a4": "pdf_a4", "trim": "pdf_trim", "epub": "epub"}
EDITORS_ONLY = gettext_lazy("Only editors can work on compilations.")


def _require_editable(compilation: Compilation) -> None:
    if not compilation.is_editable:
        raise ValidationError(
            _("This compilation is finalised; it stays as it was sent to the printer."),
            code="finalised",
        )


def _check_period(start: datetime.date, end: datetime.date) -> None:
    if end < start:
        raise ValidationError(
            _("The period must end on or after the day it starts."), code="period"
        )


@editors_only(EDITORS_ONLY)
@transaction.atomic
def create_compilation(
    *,
    by: User,
    title: str,
    period_start: datetime.date,
    period_end: datetime.date,
    subtitle: str = "",
    foreword: str = "",
    colophon_editors: str = "",
    licence: str = "",
    printer: str = "",
) -> Compilation:
    """A new draft compilation for a period, starting with the articles the editors picked for
    *Het beste van Podium* in that period (in pick order); the editor changes the choice on the
    articles page. Raises PermissionDenied, ValidationError."""
    from .selectors import candidates

    _check_period(period_start, period_end)
    compilation = Compilation.objects.create(
        title=title.strip(),
        subtitle=subtitle.strip(),
        foreword=foreword.strip(),
        colophon_editors=colophon_editors.strip(),
        licence=licence.strip(),
        printer=printer.strip(),
        period_start=period_start,
        period_end=period_end,
        created_by=by,
    )
    picked = [c.article.pk for c in candidates(compilation) if c.is_picked and c.article.is_live]
    CompilationEntry.objects.bulk_create(
        CompilationEntry(compilation=compilation, article_id=pk, position=n)
        for n, pk in enumerate(picked, start=1)
    )
    return compilation


@editors_only(EDITORS_ONLY)
@transaction.atomic
def update_compilation(
    *,
    compilation: Compilation,
    by: User,
    title: str,
    period_start: datetime.date,
    period_end: datetime.date,
    subtitle: str = "",
    foreword: str = "",
    colophon_editors: str = "",
    licence: str = "",
    printer: str = "",
) -> Compilation:
    compilation = Compilation.objects.select_for_update().get(pk=compilation.pk)
    _require_editable(compilation)
    _check_period(period_start, period_end)
    compilation.title = title.strip()
    compilation.subtitle = subtitle.strip()
    compilation.foreword = foreword.strip()
    compilation.colophon_editors = colophon_editors.strip()
    compilation.licence = licence.strip()
    compilation.printer = printer.strip()
    compilation.period_start = period_start
    compilation.period_end = period_end
    compilation.updated_at = timezone.now()
    compilation.save()
    return compilation


@editors_only(EDITORS_ONLY)
@transaction.atomic
def set_articles(*, compilation: Compilation, article_ids: Sequence[int], by: User) -> Compilation:
    """Make `article_ids`, in this order, the compilation's articles. Each must be published and
    live; repeated ids count once. Raises PermissionDenied, ValidationError (naming the article)."""
    compilation = Compilation.objects.select_for_update().get(pk=compilation.pk)
    _require_editable(compilation)
    ordered = list(dict.fromkeys(int(pk) for pk in article_ids))
    articles = {a.pk: a for a in Article.objects.filter(pk__in=ordered)}
    missing = [pk for pk in ordered if pk not in articles]
    if missing:
        raise ValidationError(
            _("Some of the chosen articles no longer exist. Reload the page and choose again."),
            code="missing",
        )
    not_live = [articles[pk] for pk in ordered if not articles[pk].is_live]
    if not_live:
        raise ValidationError(
            _("Only published articles can go into a compilation; not: %(titles)s.")
            % {"titles": ", ".join(f"“{a}”" for a in not_live)},
            code="not_published",
        )
    compilation.entries.all().delete()
    CompilationEntry.objects.bulk_create(
        [
            CompilationEntry(compilation=compilation, article_id=pk, position=n)
            for n, pk in enumerate(ordered, start=1)
        ]
    )
    compilation.updated_at = timezone.now()
    compilation.save(update_fields=["updated_at"])
    return compilation


@editors_only(EDITORS_ONLY)
@transaction.atomic
def request_build(*, compilation: Compilation, by: User) -> Compilation:
    """Queue a build of all three files (it replaces earlier ones when it succeeds). A newer
    request supersedes a build still running. Raises PermissionDenied, ValidationError."""
    from .tasks import build_compilation

    compilation = Compilation.objects.select_for_update().get(pk=compilation.pk)
    if not compilation.entries.exists():
        raise ValidationError(_("Choose at least one article before building."), code="empty")
    compilation.build_number += 1
    compilation.build_status = Compilation.BuildStatus.QUEUED
    compilation.build_progress = 0
    compilation.build_step = _("Waiting for a free worker")
    compilation.build_errors = []
    compilation.build_warnings = []
    compilation.build_started_at = None
    compilation.build_finished_at = None
    compilation.save()
    pk, number = compilation.pk, compilation.build_number
    transaction.on_commit(lambda: build_compilation.enqueue(pk, number))
    return compilation


@editors_only(EDITORS_ONLY)
@transaction.atomic
def finalise_compilation(*, compilation: Compilation, by: User) -> Compilation:
    """Freeze the compilation as sent to the printer and tell its authors (after commit).
    Needs a successful build of the current choice. Raises PermissionDenied, ValidationError."""
    from .tasks import notify_authors_finalised

    compilation = Compilation.objects.select_for_update().get(pk=compilation.pk)
    _require_editable(compilation)
    if compilation.build_status != Compilation.BuildStatus.DONE or not (
        compilation.pdf_trim and compilation.epub
    ):
        raise ValidationError(
            _("Build the compilation successfully before finalising it."), code="not_built"
        )
    if compilation.build_finished_at and compilation.updated_at > compilation.build_finished_at:
        raise ValidationError(
            _("The compilation changed after its last build. Build it again before finalising."),
            code="stale",
        )
    compilation.state = Compilation.State.FINALISED
    compilation.finalised_at = timezone.now()
    compilation.finalised_by = by
    compilation.save()
    pk = compilation.pk
    transaction.on_commit(lambda: notify_authors_finalised.enqueue(pk))
    return compilation


# --- Building -----------------------------------------------------------------------------------


def render(book: Book, fmt: str, target: Path) -> list[str]:
    """Write `book` in format `fmt` ("a4", "trim", "epub") to `target`; returns warnings."""
    if fmt == "epub":
        from .epub import render_epub

        return render_epub(book, target)
    from .pdf import render_pdf

    return render_pdf(book, fmt, target)


def _progress(pk: int, number: int, **fields: object) -> bool:
    """Record progress unless a newer build has been requested (then: False, stop)."""
    return Compilation.objects.filter(pk=pk, build_number=number).update(**fields) == 1


STEPS: list[tuple[str, Callable[[], str], int]] = [
    ("a4", lambda: _("Building the proof PDF (A4)"), 5),
    ("trim", lambda: _("Building the printer's PDF"), 40),
    ("epub", lambda: _("Building the EPUB"), 80),
]


def run_build(*, compilation_id: int, build_number: int) -> bool:
    """Build the proof PDF, the printer's PDF and the EPUB of a queued compilation and keep them,
    replacing earlier files; record progress, warnings, or what stopped it. Returns whether the
    files were stored (False when it failed or a newer build superseded it)."""
    pk, number = compilation_id, build_number
    if not _progress(
        pk,
        number,
        build_status=Compilation.BuildStatus.RUNNING,
        build_started_at=timezone.now(),
        build_step=_("Checking the articles"),
        build_progress=2,
    ):
        return False
    compilation = Compilation.objects.get(pk=pk)
    warnings: list[str] = []
    try:
        book = prepare_book(compilation)
        warnings += book.warnings
        with tempfile.TemporaryDirectory(prefix="podium-bestof-") as tmp:
            outputs = {}
            for fmt, label, percent in STEPS:
                if not _progress(pk, number, build_step=label(), build_progress=percent):
                    return False
                target = Path(tmp) / filename(compilation, fmt)
                warnings += render(book, fmt, target)
                outputs[fmt] = target
            if not _progress(pk, number, build_step=_("Storing the files"), build_progress=95):
                return False
            return _store(pk, number, outputs, warnings)
    except BuildError as exc:
        _progress(
            pk,
            number,
            build_status=Compilation.BuildStatus.FAILED,
            build_errors=exc.messages,
            build_warnings=warnings,
            build_finished_at=timezone.now(),
            build_step="",
        )
        return False
    except Exception as exc:
        logger.exception("Building compilation %s failed", pk)
        _progress(
            pk,
            number,
            build_status=Compilation.BuildStatus.FAILED,
            build_errors=[
                _(
                    "The build stopped on an unexpected error (%(error)s). The technical team can find the details in the log."
                )
                % {"error": type(exc).__name__}
            ],
            build_warnings=warnings,
            build_finished_at=timezone.now(),
            build_step="",
        )
        return False


def filename(compilation: Compilation, fmt: str) -> str:
    from django.utils.text import slugify

    base = slugify(compilation.title)[:60] or "beste-van-podium"
    suffix = {"a4": "proef-a4.pdf", "trim": "drukker.pdf", "epub": "epub"}[fmt]
    return f"{base}-{suffix}" if fmt != "epub" else f"{base}.epub"


@transaction.atomic
def _store(pk: int, number: int, outputs: dict[str, Path], warnings: list[str]) -> bool:
    compilation = Compilation.objects.select_for_update().get(pk=pk)
    if compilation.build_number != number:
        return False
    old = [getattr(compilation, FILE_FIELDS[fmt]).name for fmt in outputs]
    for fmt, path in outputs.items():
        field = getattr(compilation, FILE_FIELDS[fmt])
        if field.name:
            field.storage.delete(field.name)
        with path.open("rb") as handle:
            field.save(path.name, File(handle), save=False)
    compilation.build_status = Compilation.BuildStatus.DONE
    compilation.build_progress = 100
    compilation.build_step = ""
    compilation.build_warnings = warnings
    compilation.build_errors = []
    compilation.build_finished_at = timezone.now()
    compilation.save()
    logger.info("Compilation %s built (replaced %s)", pk, [name for name in old if name])
    return True


@transaction.atomic
def rebuild_without_author(*, compilation_ids: Sequence[int], user: User, by: User) -> list[int]:
    """A member deleted their account: the compilations that showed them (see
    `selectors.compilations_showing`, taken before their articles moved or went) lose their
    files and build messages and are built again from the rows as they are now, where the member
    is the former author without name, photo or bio. A finalised compilation stays finalised; its
    files are rebuilt the same way (the printed copies are what they are). The files are deleted
    once this transaction commits, then the builds are queued. Only the member or an
    administrator may do this (raises PermissionDenied). Returns the ids of the compilations
    queued for a build."""
    from .tasks import build_compilation

    if by.pk != user.pk and not by.has_perm("accounts.delete_user"):
        raise PermissionDenied("Only the member or an administrator may do this.")
    queued = []
    locked = Compilation.objects.select_for_update().filter(pk__in=compilation_ids)
    if user.display_name:
        # The editors' foreword or subtitle may name them ("with contributions by ..."), and an
        # editor who leaves may be named in the colophon.
        with translation.override(settings.LANGUAGE_CODE):
            former = gettext("former author")
        texts = ["title", "subtitle", "foreword", "colophon_editors"]
        erasure.replace_in(locked, texts, [user.display_name], former)
    for compilation in locked:
        for name in FILE_FIELDS.values():
            field = getattr(compilation, name)
            if field.name:
                stored, storage = field.name, field.storage
                transaction.on_commit(lambda s=storage, n=stored: s.delete(n))  # type: ignore[misc]
            setattr(compilation, name, "")
        has_articles = compilation.entries.exists()
        compilation.build_number += 1
        compilation.build_status = (
            Compilation.BuildStatus.QUEUED if has_articles else Compilation.BuildStatus.NONE
        )
        compilation.build_progress = 0
        compilation.build_step = _("Waiting for a free worker") if has_articles else ""
        compilation.build_errors = []
        compilation.build_warnings = []
        compilation.build_started_at = None
        compilation.build_finished_at = None
        compilation.save()
        if has_articles:
            pk, number = compilation.pk, compilation.build_number
            transaction.on_commit(lambda p=pk, n=number: build_compilation.enqueue(p, n))  # type: ignore[misc]
            queued.append(pk)
        logger.info(
            "Compilation %s: files dropped and rebuild queued after an account deletion",
            compilation.pk,
        )
    return queued
