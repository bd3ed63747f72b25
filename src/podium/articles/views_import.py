"""Importeer uit Word of tekst: upload a file or paste text, and get a draft to check.

Into a new article the import goes at once. Into an existing draft it goes only after the
contributor has seen the summary and confirmed: the parsed result waits in the session between
the two steps (the file is never uploaded twice), together with the version it was based on, so a
draft saved elsewhere in the meantime is never overwritten.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from podium.accounts.http import SignedInRequest
from podium.accounts.rules import clean_bio
from podium.core import refusals

from . import lifecycle, services
from .forms_import import ImportForm
from .importing import ImportResult
from .models import Article
from .selectors import get_article_for_author

PENDING_KEY = "podium_import_pending"
SUMMARY_KEY = "podium_import_summary"


def _summary_lines(request: SignedInRequest, result: ImportResult) -> list[str]:
    lines = result.summary()
    if result.bio:
        if request.user.bio.strip():
            lines.append(
                _("Your profile already has an “Over de auteur” text; it was left as it is.")
            )
        else:
            try:
                clean_bio(result.bio, user=request.user)
            except ValidationError:
                lines.append(
                    _(
                        "The “Over de auteur” text has a web address, which a profile may hold only after a first publication; it was not copied. Write your bio on your profile page."
                    )
                )
            else:
                lines.append(_("The “Over de auteur” text is now your profile's bio."))
    return lines


def _with_pictures_stored(request: SignedInRequest, result: ImportResult) -> ImportResult:
    """The document's pictures are stored before anything else: the summary counts them, and
    between upload and confirmation only their figure markup waits in the session."""
    return services.store_imported_pictures(by=request.user, result=result)


def _remember_summary(request: HttpRequest, article: Article, lines: list[str]) -> None:
    """Shown above the editor until the draft is saved again (its version moves on)."""
    request.session[SUMMARY_KEY] = {
        "article": article.pk,
        "version": article.version,
        "lines": lines,
    }


def _imported(request: HttpRequest, article: Article, lines: list[str]) -> HttpResponse:
    _remember_summary(request, article, lines)
    messages.success(
        request, _("Your article has been imported. Check the text below before you submit it.")
    )
    return redirect("articles:edit", pk=article.pk)


@login_required
@require_http_methods(["GET", "POST"])
def import_new(request: SignedInRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        result = _with_pictures_stored(request, form.cleaned_data["result"])
        lines = _summary_lines(request, result)
        try:
            article = services.import_article(by=request.user, result=result)
        except ValidationError as exc:
            refusals.to_form(form, exc, form.cleaned_data["source"])
        else:
            return _imported(request, article, lines)
    return render(request, "articles/import.html", {"form": form, "article": None})


@login_required
@require_http_methods(["GET", "POST"])
def import_into(request: SignedInRequest, pk: int) -> HttpResponse:
    article = get_article_for_author(request.user, pk)
    if not article.is_editable_by_author:
        messages.error(
            request, _("This article cannot be changed now, so nothing can be imported into it.")
        )
        return redirect("articles:preview", pk=article.pk)
    if request.method == "POST" and ("confirm" in request.POST or "cancel" in request.POST):
        return _confirm(request, article)

    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        result = _with_pictures_stored(request, form.cleaned_data["result"])
        request.session[PENDING_KEY] = {
            "article": article.pk,
            "version": article.version,
            "result": result.to_dict(),
        }
        return render(
            request, "articles/import_confirm.html", _confirm_context(request, article, result)
        )
    return render(request, "articles/import.html", {"form": form, "article": article})


def _confirm_context(
    request: SignedInRequest, article: Article, result: ImportResult
) -> dict[str, Any]:
    return {
        "article": article,
        "result": result,
        "summary": _summary_lines(request, result),
        "keeps_title": not result.title and bool(article.title),
        "keeps_lead": not result.lead and bool(article.lead),
    }


def _confirm(request: SignedInRequest, article: Article) -> HttpResponse:
    pending: dict[str, Any] | None = request.session.pop(PENDING_KEY, None)
    if "cancel" in request.POST:
        messages.info(request, _("Nothing was imported; your draft is as it was."))
        return redirect("articles:edit", pk=article.pk)
    if not pending or pending.get("article") != article.pk:
        messages.error(
            request,
            _("There is no import waiting for this article any more. Upload the file again."),
        )
        return redirect("articles:import_into", pk=article.pk)
    result = ImportResult.from_dict(pending["result"])
    lines = _summary_lines(request, result)
    try:
        article = services.import_article(
            by=request.user,
            result=result,
            article=article,
            expected_version=pending["version"],
        )
    except services.StaleVersion:
        messages.error(
            request,
            _(
                "This draft was changed in another window after you uploaded the file, so nothing was replaced. Import it again if you still want to."
            ),
        )
        return redirect("articles:edit", pk=article.pk)
    except (lifecycle.TransitionNotAllowed, PermissionDenied) as exc:
        refusals.show(request, exc)
        return redirect("articles:edit", pk=article.pk)
    except ValidationError as exc:
        refusals.show(request, exc)
        return redirect("articles:edit", pk=article.pk)
    return _imported(request, article, lines)
