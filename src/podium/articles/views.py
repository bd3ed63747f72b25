"""Activiteiten: the contributor's own articles. Views fetch through the access helpers, validate
with a form, call one service, and redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from podium.accounts.http import SignedInRequest
from podium.accounts.models import User
from podium.articles import rules as article_rules
from podium.core import panels, refusals
from podium.images.forms import UploadForm

from . import coauthors, conflict, conversation, lifecycle, services, terms
from .diff import diff_revisions
from .forms import ArticleForm, ConversationForm, ResubmitForm, TermsForm
from .models import Article
from .selectors import (
    article_events,
    article_revisions,
    dashboard_articles,
    get_article_for_author,
    get_article_for_writer,
    revisions_to_compare,
)


def _terms_context(
    article: Article | None, terms_form: TermsForm | None = None
) -> dict[str, object]:
    """What a page that submits needs for the author's statement: the current licence, the
    statement's form, and the earlier statement a resubmission would carry over."""
    licence = terms.current_licence()
    return {
        "licence": licence,
        "terms_form": terms_form or TermsForm.for_article(licence),
        "carried_terms": terms.carried_over(article),
    }


def _editor_context(
    request: SignedInRequest,
    form: ArticleForm,
    article: Article | None,
    terms_form: TermsForm | None = None,
) -> dict[str, object]:
    user = request.user
    return {
        **_terms_context(article, terms_form),
        "form": form,
        "article": article,
        "missing_profile": user.missing_profile_fields(),
        "body_limit": article_rules.BODY_MAX_CHARS,
        "events": article_events(article) if article else [],
        "thread": conversation.thread(article, user) if article else [],
        "resubmit_form": ResubmitForm(),
        "figure_form": UploadForm(prefix="figure"),
        # Beside the text: the comments and suggestions (podium.annotations, a floor above).
        "side_panels": panels.render(panels.ARTICLE_EDITOR, request, article) if article else "",
    }


def conflict_labels(form: ArticleForm) -> dict[str, str]:
    return {name: str(form.fields[name].label) for name in conflict.FIELDS}


@login_required
@require_GET
def dashboard(request: SignedInRequest) -> HttpResponse:
    articles = list(dashboard_articles(request.user))
    invitations = [
        (row, coauthors.invitation_token(row))
        for row in coauthors.open_invitations_for(request.user)
    ]
    return render(
        request,
        "articles/dashboard.html",
        {
            "articles": articles,
            "invitations": invitations,
            "missing_profile": request.user.missing_profile_fields(),
        },
    )


def _statement(terms_form: TermsForm) -> terms.Terms | None:
    """The author's statement from the form; None when they answered nothing (a resubmission
    carries the earlier one over). Raises ValidationError with the form's complaints when they
    answered in part."""
    if terms_form.is_valid():
        return terms_form.terms()
    answered = {"is_own_work", "grants_licence", "ai_use", "ai_explanation"} & {
        name for name, value in terms_form.data.items() if value
    }
    if not answered:
        return None
    raise ValidationError([e for errors in terms_form.errors.values() for e in errors])


def _save_and_maybe_submit(
    request: SignedInRequest,
    form: ArticleForm,
    article: Article | None,
    terms_form: TermsForm | None = None,
) -> HttpResponse | None:
    """Save the text; on "submit", submit it too (with the author's statement from `terms_form`).
    Returns a redirect, or None to re-render."""
    try:
        with transaction.atomic():
            article = services.save_draft(
                by=request.user,
                article=article,
                text=form.article_text(),
                expected_version=form.cleaned_data.get("version"),
            )
            if "submit" in request.POST:
                note = ResubmitForm(request.POST)
                article = services.submit_article(
                    article=article,
                    by=request.user,
                    note=note.cleaned_data["note"] if note.is_valid() else "",
                    terms=_statement(terms_form or TermsForm(request.POST)),
                )
    except services.StaleVersion as exc:
        # Changed in another window or by the editors: show both versions and let the author merge.
        return conflict.render_conflict(
            request,
            article=exc.article,
            mine=form.cleaned_data,
            labels=conflict_labels(form),
            action=request.path,
        )
    except ValidationError as exc:
        refusals.to_form(form, exc)
        return None
    if article.state == Article.State.PUBLISHED:
        messages.success(
            request, _("Your article is published. The editors will review it afterwards.")
        )
    elif article.state == Article.State.SUBMITTED:
        messages.success(
            request, _("Your article has been submitted. The editors will let you know.")
        )
    else:
        messages.success(request, _("Your draft has been saved."))
    if "preview" in request.POST and article.is_editable_by_author:
        # "Preview" is there from the first keystroke: it saves what was typed, then shows it.
        return redirect("articles:preview", pk=article.pk)
    return (
        redirect("articles:edit", pk=article.pk)
        if article.is_editable_by_author
        else redirect("articles:dashboard")
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request: SignedInRequest) -> HttpResponse:
    terms_form = None
    if request.method == "POST":
        form = ArticleForm(request.POST, require_complete="submit" in request.POST)
        terms_form = TermsForm(request.POST) if "submit" in request.POST else None
        if form.is_valid():
            response = _save_and_maybe_submit(request, form, None, terms_form)
            if response is not None:
                return response
    else:
        form = ArticleForm()
    return render(request, "articles/editor.html", _editor_context(request, form, None, terms_form))


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: SignedInRequest, pk: int) -> HttpResponse:
    article = get_article_for_writer(request.user, pk)
    if not article.is_editable_by_author:
        return redirect("articles:preview", pk=article.pk)
    terms_form = None
    if request.method == "POST":
        data = conflict.merged_data(request.POST, article)
        form = ArticleForm(data, require_complete="submit" in data, require_version=True)
        terms_form = TermsForm(request.POST) if "submit" in request.POST else None
        if form.is_valid():
            response = _save_and_maybe_submit(request, form, article, terms_form)
            if response is not None:
                return response
    else:
        form = ArticleForm.for_article(article)
    return render(
        request, "articles/editor.html", _editor_context(request, form, article, terms_form)
    )


def _autosave_response(article: Article) -> JsonResponse:
    saved_at = timezone.localtime(article.updated_at)
    return JsonResponse(
        {
            "id": article.pk,
            "version": article.version,
            "saved_at": saved_at.isoformat(),
            "saved_at_display": formats.time_format(saved_at, "H:i"),
            "edit_url": reverse("articles:edit", kwargs={"pk": article.pk}),
            "autosave_url": reverse("articles:autosave", kwargs={"pk": article.pk}),
            "chars": article.char_count,
            "words": article.word_count,
        }
    )


@login_required
@require_POST
def autosave(request: SignedInRequest, pk: int | None = None) -> JsonResponse:
    """Save a draft while the author types. Never overwrites a newer version (409 instead)."""
    article = get_article_for_writer(request.user, pk) if pk is not None else None
    form = ArticleForm(request.POST, enforce_limit=False, require_version=article is not None)
    if not form.is_valid():
        general = form.non_field_errors()
        return JsonResponse(
            {
                "error": general[0] if general else _("Not saved: check the fields marked in red."),
                "fields": form.errors.get_json_data(),
            },
            status=400,
        )
    text = form.article_text()
    try:
        article = services.save_draft(
            by=request.user,
            article=article,
            text=text,
            expected_version=form.cleaned_data.get("version"),
        )
    except services.StaleVersion as exc:
        return JsonResponse(
            {
                "error": _(
                    "A newer version was saved elsewhere. Your text is kept in this browser."
                ),
                "version": exc.article.version,
            },
            status=409,
        )
    except lifecycle.TransitionNotAllowed as exc:
        return JsonResponse({"error": " ".join(refusals.reasons(exc))}, status=409)
    except ValidationError as exc:
        return JsonResponse({"error": " ".join(refusals.reasons(exc))}, status=400)
    return _autosave_response(article)


@login_required
@require_GET
def preview(request: SignedInRequest, pk: int) -> HttpResponse:
    article = get_article_for_writer(request.user, pk)
    return render(
        request,
        "web/article.html",
        {
            "article": article,
            "author": article.author,
            "topics": list(article.topics.all()),
            "is_preview": True,
            "actions": lifecycle.allowed_actions(article, request.user),
            **_terms_context(article),
            # The comments and suggestions, readable (and answerable) while it is submitted too.
            "side_panels": panels.render(panels.ARTICLE_EDITOR, request, article),
        },
    )


def _author_action(request: SignedInRequest, pk: int, service: object, done: str) -> HttpResponse:
    article = get_article_for_author(request.user, pk)
    try:
        service(article=article, by=request.user)  # type: ignore[operator]
    except (lifecycle.TransitionNotAllowed, PermissionDenied) as exc:
        refusals.show(request, exc)
    except ValidationError as exc:
        refusals.show(request, exc)
        return redirect("articles:edit", pk=article.pk)
    else:
        messages.success(request, done)
    return redirect("articles:dashboard")


@login_required
@require_POST
def submit(request: SignedInRequest, pk: int) -> HttpResponse:
    """Submit from the preview, with the statement its form asks for (a resubmission that leaves
    it empty carries the earlier one over); refused, it goes back to the editor page."""

    def submit_with_statement(*, article: Article, by: User) -> Article:
        return services.submit_article(
            article=article, by=by, terms=_statement(TermsForm(request.POST))
        )

    return _author_action(request, pk, submit_with_statement, _("Your article has been submitted."))


@login_required
@require_POST
def withdraw_submission(request: SignedInRequest, pk: int) -> HttpResponse:
    return _author_action(
        request,
        pk,
        services.withdraw_submission,
        _("Your submission has been withdrawn; it is a draft again."),
    )


@login_required
@require_POST
def withdraw(request: SignedInRequest, pk: int) -> HttpResponse:
    return _author_action(
        request,
        pk,
        services.withdraw_article,
        _("Your article is offline. Nothing has been deleted."),
    )


@login_required
@require_POST
def reopen(request: SignedInRequest, pk: int) -> HttpResponse:
    return _author_action(request, pk, services.reopen_article, _("Your article is a draft again."))


def _conversation_page(
    request: SignedInRequest, article: Article, form: ConversationForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "articles/conversation.html",
        {
            "article": article,
            "thread": conversation.thread(article, request.user),
            "form": form,
            "can_write": conversation.can_write_message(request.user, article),
            "resubmit_form": ResubmitForm(),
            **_terms_context(article),
            "actions": lifecycle.allowed_actions(article, request.user),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def conversation_page(request: SignedInRequest, pk: int) -> HttpResponse:
    """The writers' conversation with the editors about one article (the author's and the
    co-authors'), and their answer."""
    article = get_article_for_writer(request.user, pk)
    if request.method == "GET":
        return _conversation_page(request, article, ConversationForm())
    form = ConversationForm(request.POST)
    if form.is_valid():
        try:
            conversation.write_message(
                article=article, by=request.user, body=form.cleaned_data["body"]
            )
        except PermissionDenied as exc:
            refusals.show(request, exc)
            return redirect("articles:conversation", pk=article.pk)
        except ValidationError as exc:
            refusals.to_form(form, exc)
        else:
            messages.success(request, _("Your message has been sent to the editors."))
            return redirect(
                f"{reverse('articles:conversation', kwargs={'pk': article.pk})}#gesprek"
            )
    return _conversation_page(request, article, form, status=400)


@login_required
@require_POST
def resubmit(request: SignedInRequest, pk: int) -> HttpResponse:
    """Submit again, with a note for the editors (from the conversation page)."""
    article = get_article_for_author(request.user, pk)
    form = ResubmitForm(request.POST)
    if not form.is_valid():
        refusals.show(request, ValidationError(list(form.errors.get("note", []))))
        return redirect("articles:conversation", pk=article.pk)
    try:
        conversation.resubmit(
            article=article,
            by=request.user,
            note=form.cleaned_data["note"],
            terms=_statement(TermsForm(request.POST)),
        )
    except (lifecycle.TransitionNotAllowed, PermissionDenied) as exc:
        refusals.show(request, exc)
        return redirect("articles:conversation", pk=article.pk)
    except ValidationError as exc:
        refusals.show(request, exc)
        return redirect("articles:edit", pk=article.pk)
    messages.success(request, _("Your article has been submitted again, with your note."))
    return redirect("articles:conversation", pk=article.pk)


@login_required
@require_GET
def versions(request: SignedInRequest, pk: int) -> HttpResponse:
    """The author's own versions (every submission and every edit by the editors) and the
    differences, word by word, between any two."""
    article = get_article_for_author(request.user, pk)
    revisions = article_revisions(article)
    old, new = revisions_to_compare(revisions, request.GET.get("a"), request.GET.get("b"))
    return render(
        request,
        "articles/versions.html",
        {
            "article": article,
            "revisions": revisions,
            "diff_old": old,
            "diff_new": new,
            "diff": diff_revisions(old, new) if old and new else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: SignedInRequest, pk: int) -> HttpResponse:
    """Delete a draft that was never submitted: GET asks for confirmation, POST deletes."""
    article = get_article_for_author(request.user, pk)
    if request.method == "GET":
        return render(
            request,
            "articles/delete.html",
            {"article": article, "can_delete": services.is_deletable_draft(article)},
        )
    try:
        services.delete_draft(article=article, by=request.user)
    except (PermissionDenied, ValidationError) as exc:
        refusals.show(request, exc)
    else:
        messages.success(request, _("Your draft has been deleted."))
    return redirect("articles:dashboard")
