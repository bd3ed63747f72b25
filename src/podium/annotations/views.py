"""The actions beside the text, on two sides: the author's (under Activiteiten, the article
editor's panel) and the editors' (on the desk, behind its second factor; the review page shows the
panel). Both post here and go back to the page they came from (`next`). A refused or invalid form
goes back too, with the reasons among the messages and what was typed kept for the panel
(`_keep`), so nothing typed is lost without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from podium.accounts.http import SignedInRequest
from podium.articles.models import Article
from podium.articles.selectors import get_article_for_editor, get_article_for_writer
from podium.core import refusals

from . import rules, services
from .forms import CommentForm, ReplyForm, SuggestionForm
from .models import Thread
from .selectors import Threads, get_thread, threads_beside

KEPT = "annotations-form"  # the session key of a form sent back


def _article(request: SignedInRequest, pk: int, desk: bool) -> Article:
    return (get_article_for_editor if desk else get_article_for_writer)(request.user, pk)


def _back(request: HttpRequest, article: Article, fragment: str = "") -> HttpResponse:
    target = request.POST.get("next", "")
    if not (
        target.startswith("/")
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    ):
        target = reverse("articles:edit", kwargs={"pk": article.pk})
    return redirect(target.split("#")[0] + (f"#{fragment}" if fragment else ""))


def _keep(request: HttpRequest, form_name: str, form: Form, refusal: Exception | None) -> None:
    """Remember what was typed and why the service refused it, for the panel's next rendering
    (the form's own errors come back when it is validated again there)."""
    data = {key: request.POST.get(key, "") for key in map(form.add_prefix, form.fields)}
    reasons: dict[str, list[str]] = {}
    if isinstance(refusal, ValidationError) and hasattr(refusal, "error_dict"):
        reasons = {
            name: [str(m) for error in errors for m in error.messages]
            for name, errors in refusal.error_dict.items()
        }
    elif refusal is not None:
        reasons = {"__all__": refusals.reasons(refusal)}
    request.session[KEPT] = {"form": form_name, "data": data, "reasons": reasons}
    messages.error(request, _("Not sent: see the form beside the text."))


def _start_thread(
    request: SignedInRequest, article: Article, form: Form, write: Callable[..., Thread], done: str
) -> HttpResponse:
    """Validate `form` (a passage and what to say about it) and start a thread with `write`."""
    name = form.prefix or ""
    if not form.is_valid():
        _keep(request, name, form, None)
        return _back(request, article, f"new-{name}")
    data = dict(form.cleaned_data)
    hints = {"prefix_hint": data.pop("before"), "suffix_hint": data.pop("after")}
    try:
        thread = write(article=article, by=request.user, **data, **hints)
    except ValidationError as exc:
        _keep(request, name, form, exc)
    except (PermissionDenied, rules.NotNow) as exc:
        refusals.show(request, exc)
    else:
        messages.success(request, done)
        return _back(request, article, f"thread-{thread.pk}")
    return _back(request, article, f"new-{name}")


@login_required
@require_POST
def comment(request: SignedInRequest, pk: int, desk: bool = False) -> HttpResponse:
    article = _article(request, pk, desk)
    form = CommentForm(request.POST, prefix="comment")
    return _start_thread(
        request, article, form, services.comment_on, _("Your comment has been placed.")
    )


@login_required
@require_POST
def suggest(request: SignedInRequest, pk: int, desk: bool = True) -> HttpResponse:
    article = _article(request, pk, desk)
    form = SuggestionForm(request.POST, prefix="suggestion")
    return _start_thread(
        request, article, form, services.suggest, _("Your suggestion has been placed.")
    )


@login_required
@require_POST
def reply(request: SignedInRequest, pk: int, desk: bool = False) -> HttpResponse:
    thread = get_thread(request.user, pk, desk=desk)
    form = ReplyForm(request.POST, prefix=f"reply-{thread.pk}")
    if form.is_valid():
        try:
            services.reply(thread=thread, by=request.user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            _keep(request, f"reply-{thread.pk}", form, exc)
        except (PermissionDenied, rules.NotNow) as exc:
            refusals.show(request, exc)
        else:
            messages.success(request, _("Your reply has been placed."))
    else:
        _keep(request, f"reply-{thread.pk}", form, None)
    return _back(request, thread.article, f"thread-{thread.pk}")


def _thread_action(
    request: SignedInRequest, pk: int, desk: bool, service: Callable[..., Thread], done: str
) -> HttpResponse:
    thread = get_thread(request.user, pk, desk=desk)
    refusals.attempt(
        request,
        lambda: service(thread=thread, by=request.user),
        done,
        refused=(PermissionDenied, rules.NotNow, services.PassageGone, ValidationError),
    )
    return _back(request, thread.article, f"thread-{thread.pk}")


@login_required
@require_POST
def resolve(request: SignedInRequest, pk: int, desk: bool = False) -> HttpResponse:
    return _thread_action(request, pk, desk, services.resolve, _("The thread is resolved."))


@login_required
@require_POST
def reopen(request: SignedInRequest, pk: int, desk: bool = False) -> HttpResponse:
    return _thread_action(request, pk, desk, services.reopen, _("The thread is open again."))


@login_required
@require_POST
def accept(request: SignedInRequest, pk: int) -> HttpResponse:
    return _thread_action(
        request,
        pk,
        False,
        services.accept,
        _("Suggestion accepted: the text has been changed and kept as a new version."),
    )


@login_required
@require_POST
def reject(request: SignedInRequest, pk: int) -> HttpResponse:
    return _thread_action(
        request, pk, False, services.reject, _("Suggestion rejected: the text stays as it was.")
    )


# --- The panel ---------------------------------------------------------------------------------


FORMS: dict[str, type[Form]] = {"comment": CommentForm, "suggestion": SuggestionForm}


def _forms(request: HttpRequest) -> dict[str, Any]:
    """The panel's forms, the one sent back (see `_keep`) filled again with its errors."""
    kept = request.session.pop(KEPT, None) if hasattr(request, "session") else None
    found: dict[str, Any] = {
        "comment_form": CommentForm(prefix="comment"),
        "suggestion_form": SuggestionForm(prefix="suggestion"),
        "kept": "",
        "kept_reply": None,
        "kept_reply_thread": None,
    }
    if not kept:
        return found
    name = kept["form"]
    form = FORMS.get(name, ReplyForm)(kept["data"], prefix=name)
    form.is_valid()
    for field, reasons in kept["reasons"].items():
        for reason in reasons:
            form.add_error(field if field in form.fields else None, reason)
    found["kept"] = name
    if name in FORMS:
        found[f"{name}_form"] = form
    else:
        found["kept_reply"] = form
        found["kept_reply_thread"] = int(name.removeprefix("reply-"))
    return found


def panel_context(request: SignedInRequest, article: Article, *, desk: bool) -> dict[str, Any]:
    """Everything `annotations/panel.html` needs, for a page showing `article`'s text."""
    threads = threads_beside(article, request.user)
    return {
        "threads": threads,
        "desk": desk,
        "next": request.get_full_path(),
        # For annotations.js (announced in the panel's live region).
        "i18n": {
            "picked": _("Passage chosen: “%s”. Choose Comment or Suggestion."),
            "taken": _("Passage “%s” taken into the form."),
            "nothing": _("Select a passage in the text first."),
        },
        **_forms(request),
    }


def editor_panel(request: HttpRequest, article: Article) -> str:
    """The panel beside the author's article editor (registered in `core.panels`): shown once the
    article has threads or is open to them."""
    user = request.user
    if not rules.is_participant(article, user):  # type: ignore[arg-type]
        return ""
    context = panel_context(request, article, desk=False)  # type: ignore[arg-type]
    threads: Threads = context["threads"]
    if threads.is_empty and not threads.can_comment:
        return ""
    return render_to_string("annotations/panel.html", {"panel": context}, request=request)
