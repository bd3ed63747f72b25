"""The editors' desk: the review queue and the review page with its actions."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from podium.articles import lifecycle, services
from podium.articles.diff import diff_revisions
from podium.articles.forms import MessageForm
from podium.articles.models import Article
from podium.articles.selectors import (
    article_events,
    article_revisions,
    get_article_for_editor,
    recently_decided,
    review_queue,
)

from .access import editor_required
from .forms import EditorEditForm, PublishForm


@editor_required
@require_GET
def desk(request: HttpRequest) -> HttpResponse:
    queue = list(review_queue())
    now = timezone.now()
    for article in queue:
        article.waiting = now - article.submitted_at if article.submitted_at else None  # type: ignore[attr-defined]
    return render(
        request, "editorial/desk.html", {"queue": queue, "recent": list(recently_decided())}
    )


def _pick_revisions(request: HttpRequest, revisions: list) -> tuple[object, object]:
    """The two revisions to compare: ?a=&b= by number, else the last two submissions."""
    by_number = {r.number: r for r in revisions}
    try:
        a = by_number.get(int(request.GET.get("a", "")))
        b = by_number.get(int(request.GET.get("b", "")))
    except ValueError:
        a = b = None
    if a and b:
        return a, b
    if len(revisions) >= 2:
        return revisions[-2], revisions[-1]
    return None, None


def _review_context(request: HttpRequest, article: Article, **extra: object) -> dict[str, object]:
    revisions = article_revisions(article)
    old, new = _pick_revisions(request, revisions)
    context: dict[str, object] = {
        "article": article,
        "author": article.author,
        "topics": list(article.topics.all()),
        "revisions": revisions,
        "events": article_events(article),
        "diff_old": old,
        "diff_new": new,
        "diff": diff_revisions(old, new) if old and new else None,  # type: ignore[arg-type]
        "actions": lifecycle.allowed_actions(article, request.user),  # type: ignore[arg-type]
        "publish_form": PublishForm(),
        "changes_form": MessageForm(prefix="changes"),
        "reject_form": MessageForm(prefix="reject"),
        "takedown_form": MessageForm(prefix="takedown"),
    }
    context.update(extra)
    return context


@editor_required
@require_GET
def review(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_article_for_editor(request.user, pk)  # type: ignore[arg-type]
    return render(request, "editorial/review.html", _review_context(request, article))


def _run(request: HttpRequest, article: Article, call: Callable[[], Article], done: str) -> HttpResponse | None:
    try:
        call()
    except lifecycle.TransitionNotAllowed as exc:
        article.refresh_from_db()
        messages.error(request, _("%(error)s Someone else may have acted on it already; this is its current state.") % {"error": exc})
        return redirect("editorial:review", pk=article.pk)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return None
    messages.success(request, done)
    return redirect("editorial:review", pk=article.pk)


@editor_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_article_for_editor(request.user, pk)  # type: ignore[arg-type]
    form = PublishForm(request.POST)
    if form.is_valid():
        at = form.publish_at_value()
        response = _run(
            request,
            article,
            lambda: services.publish_article(
                article=article, by=request.user, at=at, message=form.cleaned_data["message"]  # type: ignore[arg-type]
            ),
            _("The article is published.") if at is None else _("The article will be published at the chosen time."),
        )
        if response:
            return response
    return render(request, "editorial/review.html", _review_context(request, article, publish_form=form), status=400)


def _message_action(request: HttpRequest, pk: int, prefix: str, service: Callable[..., Article], kw: str, done: str) -> HttpResponse:
    article = get_article_for_editor(request.user, pk)  # type: ignore[arg-type]
    form = MessageForm(request.POST, prefix=prefix)
    if form.is_valid():
        response = _run(
            request, article, lambda: service(article=article, by=request.user, **{kw: form.cleaned_data["message"]}), done
        )
        if response:
            return response
    return render(
        request, "editorial/review.html", _review_context(request, article, **{f"{prefix}_form": form}), status=400
    )


@editor_required
@require_POST
def request_changes(request: HttpRequest, pk: int) -> HttpResponse:
    return _message_action(
        request, pk, "changes", services.request_changes, "message", _("The author has been asked for changes.")
    )


@editor_required
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _message_action(request, pk, "reject", services.reject_article, "reason", _("The article has been rejected."))


@editor_required
@require_POST
def take_down(request: HttpRequest, pk: int) -> HttpResponse:
    return _message_action(
        request, pk, "takedown", services.take_down_article, "reason", _("The article is offline; the author has been told.")
    )


@editor_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_article_for_editor(request.user, pk)  # type: ignore[arg-type]
    if article.state not in (Article.State.SUBMITTED, Article.State.PUBLISHED):
        messages.error(request, _("Only submitted and published articles can be edited by the editors."))
        return redirect("editorial:review", pk=article.pk)
    if request.method == "POST":
        form = EditorEditForm(request.POST)
        if form.is_valid():
            try:
                services.edit_article(
                    article=article,
                    by=request.user,  # type: ignore[arg-type]
                    text=form.article_text(),
                    expected_version=form.cleaned_data.get("version") or 0,
                    note=form.cleaned_data["note"],
                )
            except services.StaleVersion:
                form.add_error(None, _("The article was changed by someone else since you opened it. Your text is still below; reload to see the current version."))
            except (ValidationError, lifecycle.TransitionNotAllowed) as exc:
                for message in getattr(exc, "messages", [str(exc)]):
                    form.add_error(None, message)
            else:
                messages.success(request, _("Your edit is saved as a new revision; the author has been told."))
                return redirect("editorial:review", pk=article.pk)
    else:
        form = EditorEditForm(
            initial={
                "title": article.title,
                "lead": article.lead,
                "body": article.body,
                "topics": list(article.topics.all()),
                "version": article.version,
            }
        )
    return render(request, "editorial/edit.html", {"form": form, "article": article, "body_limit": settings.PODIUM_BODY_MAX_CHARS})
