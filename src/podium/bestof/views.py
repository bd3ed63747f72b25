"""The editors' pages for compilations (/redactie/beste-van/). Every view is for editors only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from podium.accounts.http import SignedInRequest
from podium.core import refusals
from podium.core.storage import private_download
from podium.editorial.access import editor_or_404, editor_required

from . import selectors, services
from .book import BuildError, prepare_book
from .forms import ArticlesForm, CompilationForm
from .models import Compilation


@editor_required
@require_GET
def compilation_list(request: HttpRequest) -> HttpResponse:
    return render(request, "bestof/list.html", {"compilations": list(selectors.compilations())})


@editor_required
@require_http_methods(["GET", "POST"])
def create(request: SignedInRequest) -> HttpResponse:
    form = CompilationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            compilation = services.create_compilation(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            refusals.show(request, exc)
        else:
            picked = compilation.entries.count()
            messages.success(
                request,
                ngettext(
                    "The compilation is created with the %(count)s article the editors picked for "
                    "this period. Check the choice of articles.",
                    "The compilation is created with the %(count)s articles the editors picked for "
                    "this period. Check the choice of articles.",
                    picked,
                )
                % {"count": picked}
                if picked
                else _("The compilation is created. Now choose its articles."),
            )
            return redirect("bestof:articles", pk=compilation.pk)
    return render(request, "bestof/form.html", {"form": form}, status=400 if form.errors else 200)


@editor_required
@require_GET
def detail(request: SignedInRequest, pk: int) -> HttpResponse:
    compilation = selectors.get_compilation_for_editor(request.user, pk)
    return render(
        request,
        "bestof/detail.html",
        {
            "compilation": compilation,
            "entries": selectors.compilation_entries(compilation),
            "status": _status(compilation),
        },
    )


@editor_required
@require_http_methods(["GET", "POST"])
def edit(request: SignedInRequest, pk: int) -> HttpResponse:
    compilation = selectors.get_compilation_for_editor(request.user, pk)
    form = CompilationForm(request.POST or None, instance=compilation)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_compilation(
                compilation=compilation,
                by=request.user,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            refusals.show(request, exc)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect(compilation)
    return render(
        request,
        "bestof/form.html",
        {"form": form, "compilation": compilation},
        status=400 if form.errors else 200,
    )


@editor_required
@require_http_methods(["GET", "POST"])
def articles(request: SignedInRequest, pk: int) -> HttpResponse:
    compilation = selectors.get_compilation_for_editor(request.user, pk)
    candidates = selectors.candidates(compilation)
    form = ArticlesForm(request.POST or None, candidate_ids=[c.article.pk for c in candidates])
    if request.method == "POST" and form.is_valid():
        try:
            services.set_articles(
                compilation=compilation,
                article_ids=form.ordered_ids(),
                by=request.user,
            )
        except ValidationError as exc:
            refusals.show(request, exc)
        else:
            messages.success(request, _("The choice of articles is saved."))
            return redirect(compilation)
    posted = set(request.POST.getlist("articles")) if request.method == "POST" else None
    rows = [
        {
            "candidate": c,
            "checked": (str(c.article.pk) in posted) if posted is not None else c.is_chosen,
            "position": request.POST.get(f"position-{c.article.pk}", "")
            if posted is not None
            else (c.position or ""),
            "error": form.errors.get(f"position-{c.article.pk}") if form.is_bound else None,
        }
        for c in candidates
    ]
    return render(
        request,
        "bestof/articles.html",
        {"compilation": compilation, "rows": rows, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@editor_required
@require_GET
def preview(request: SignedInRequest, pk: int) -> HttpResponse:
    compilation = selectors.get_compilation_for_editor(request.user, pk)
    try:
        book = prepare_book(compilation)
    except BuildError as exc:
        return render(
            request, "bestof/preview.html", {"compilation": compilation, "problems": exc.messages}
        )
    return render(request, "bestof/preview.html", {"compilation": compilation, "book": book})


@editor_required
@require_POST
def build(request: SignedInRequest, pk: int) -> HttpResponse:
    compilation = selectors.get_compilation_for_editor(request.user, pk)
    refusals.attempt(
        request,
        lambda: services.request_build(compilation=compilation, by=request.user),
        _("The build has started; this page shows its progress."),
        refused=(ValidationError,),
    )
    return redirect(compilation)


@editor_required
@require_POST
def finalise(request: SignedInRequest, pk: int) -> HttpResponse:
    compilation = selectors.get_compilation_for_editor(request.user, pk)
    refusals.attempt(
        request,
        lambda: services.finalise_compilation(compilation=compilation, by=request.user),
        _("The compilation is finalised; its authors are being told."),
        refused=(ValidationError,),
    )
    return redirect(compilation)


def _status(compilation: Compilation) -> dict[str, object]:
    return {
        "status": compilation.build_status,
        "label": compilation.get_build_status_display(),
        "progress": compilation.build_progress,
        "step": compilation.build_step,
        "is_building": compilation.is_building,
        "errors": compilation.build_errors,
        "warnings": compilation.build_warnings,
    }


@editor_required
@require_GET
def status(request: SignedInRequest, pk: int) -> JsonResponse:
    compilation = selectors.get_compilation_for_editor(request.user, pk)
    data = _status(compilation)
    data["url"] = reverse("bestof:detail", kwargs={"pk": compilation.pk})
    return JsonResponse(data)


@editor_or_404  # a private file: no sign-in page for those who may not have it
@require_GET
def download(request: SignedInRequest, pk: int, fmt: str) -> HttpResponse:
    compilation = selectors.get_compilation_for_editor(request.user, pk)
    field_name = services.FILE_FIELDS.get(fmt)
    if field_name is None:
        raise Http404
    field = getattr(compilation, field_name)
    if not field or not field.storage.exists(field.name):
        raise Http404
    content_type = "application/epub+zip" if fmt == "epub" else "application/pdf"
    return private_download(
        field.storage,
        field.name,
        filename=field.name.rsplit("/", 1)[-1],
        content_type=content_type,
    )
