"""The editors' desk: the review queue and the review page with its actions."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from podium.accounts.http import SignedInRequest
from podium.accounts.models import User
from podium.accounts.services import TrustUnchanged
from podium.annotations.views import panel_context
from podium.articles import conflict, conversation, lifecycle, services, terms
from podium.articles import rules as article_rules
from podium.articles.diff import diff_revisions
from podium.articles.forms import ConversationForm, InternalNoteForm, MessageForm
from podium.articles.models import Article, Revision
from podium.articles.selectors import (
    article_revisions,
    get_article_for_editor,
    revisions_to_compare,
)
from podium.core import panels, refusals
from podium.editorial import rules as editorial_rules
from podium.images.checks import PictureCheck, alt_text_problems

from . import selectors
from . import services as curation
from .access import editor_required
from .forms import (
    DeskFilterForm,
    EditorEditForm,
    LicenceForm,
    MoveForm,
    OrderForm,
    PeriodForm,
    PlacementForm,
    PublishForm,
    TrustForm,
)
from .models import Pick, Placement
from .trust import trust_record


@editor_required
@require_GET
def desk(request: HttpRequest) -> HttpResponse:
    form = DeskFilterForm(request.GET or None)
    flt = selectors.DeskFilter()
    if form.is_bound and form.is_valid():
        topic = form.cleaned_data["topic"]
        flt = selectors.DeskFilter(
            topic=topic.pk if topic else None,
            author=form.cleaned_data["author"].strip(),
            query=form.cleaned_data["q"].strip(),
            handled_by=request.user.pk if form.cleaned_data["mine"] else None,
        )
    return render(
        request,
        "editorial/desk.html",
        {
            "form": form,
            "filter": flt,
            "queues": selectors.desk_queues(flt),
            "sla_hours": article_rules.REVIEW_SLA_HOURS,
        },
    )


def _assistant_context(article: Article, revisions: list[Revision]) -> dict[str, object] | None:
    """The assistant's report on the latest submitted or edited version (computed now if the
    background task has not stored it yet), plus the completeness check on the current state."""
    if not revisions:
        return None
    # The assistant's fingerprints are numpy's (~9 MB): loaded by the desk's review page, not
    # with every web process's URLconf.
    from . import assistant

    latest = revisions[-1]
    report = assistant.report_for(latest)
    data = dict(report.data)
    data["revision"] = latest
    data["completeness"] = assistant.completeness(
        author=article.author,
        title=latest.title,
        lead=latest.lead,
        n_topics=len(article.topics.all()),
    )
    data["band_label"] = assistant.BAND_LABELS.get(data["readability"]["band"], "")
    return data


def _review_context(
    request: SignedInRequest, article: Article, **extra: object
) -> dict[str, object]:
    revisions = article_revisions(article)
    old, new = revisions_to_compare(revisions, request.GET.get("a"), request.GET.get("b"))
    context: dict[str, object] = {
        "article": article,
        "author": article.author,
        "topics": list(article.topics.all()),
        "revisions": revisions,
        "thread": conversation.thread(article, request.user),
        "can_write_message": conversation.can_write_message(request.user, article),
        "can_write_note": conversation.can_write_internal_note(request.user, article),
        "can_claim": conversation.can_claim(request.user, article),
        "can_take_over": conversation.can_take_over(request.user, article),
        "submission_terms": terms.previous_terms(article),
        "message_form": ConversationForm(prefix="message"),
        "note_form": InternalNoteForm(prefix="note"),
        "diff_old": old,
        "diff_new": new,
        "diff": diff_revisions(old, new) if old and new else None,
        "actions": lifecycle.allowed_actions(article, request.user),
        "publish_form": PublishForm(),
        "changes_form": MessageForm(prefix="changes"),
        "reject_form": MessageForm(prefix="reject"),
        "takedown_form": MessageForm(prefix="takedown"),
        "placement_form": PlacementForm(prefix="placement"),
        "curation": selectors.article_curation(article),
        "annotations": panel_context(request, article, desk=True),
        "pick_kinds": Pick.Kind.choices,
        "assistant": _assistant_context(article, revisions),
        "pictures": [
            PictureCheck(
                image, tuple(alt_text_problems(image)), image.pk == article.header_image_id
            )
            for image in article.pictures()
        ],
    }
    context.update(extra)
    return context


@editor_required
@require_GET
def review(request: SignedInRequest, pk: int) -> HttpResponse:
    article = get_article_for_editor(request.user, pk)
    return render(request, "editorial/review.html", _review_context(request, article))


def _run(
    request: HttpRequest, article: Article, call: Callable[[], Article], done: str
) -> HttpResponse | None:
    try:
        call()
    except lifecycle.TransitionNotAllowed as exc:
        article.refresh_from_db()
        messages.error(
            request,
            _("%(error)s Someone else may have acted on it already; this is its current state.")
            % {"error": exc},
        )
        return redirect("editorial:review", pk=article.pk)
    except ValidationError as exc:
        refusals.show(request, exc)
        return None
    messages.success(request, done)
    return redirect("editorial:review", pk=article.pk)


@editor_required
@require_POST
def publish(request: SignedInRequest, pk: int) -> HttpResponse:
    editor = request.user
    article = get_article_for_editor(editor, pk)
    form = PublishForm(request.POST)
    if form.is_valid():
        at = form.publish_at_value()
        response = _run(
            request,
            article,
            lambda: services.publish_article(
                article=article,
                by=editor,
                at=at,
                message=form.cleaned_data["message"],
            ),
            _("The article is published.")
            if at is None
            else _("The article will be published at the chosen time."),
        )
        if response:
            return response
    return render(
        request,
        "editorial/review.html",
        _review_context(request, article, publish_form=form),
        status=400,
    )


def _message_action(
    request: SignedInRequest,
    pk: int,
    prefix: str,
    service: Callable[..., Article],
    kw: str,
    done: str,
) -> HttpResponse:
    article = get_article_for_editor(request.user, pk)
    form = MessageForm(request.POST, prefix=prefix)
    if form.is_valid():
        response = _run(
            request,
            article,
            lambda: service(article=article, by=request.user, **{kw: form.cleaned_data["message"]}),
            done,
        )
        if response:
            return response
    return render(
        request,
        "editorial/review.html",
        _review_context(request, article, **{f"{prefix}_form": form}),
        status=400,
    )


def _write(request: SignedInRequest, pk: int, *, internal: bool) -> HttpResponse:
    article = get_article_for_editor(request.user, pk)
    prefix = "note" if internal else "message"
    form = (InternalNoteForm if internal else ConversationForm)(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            conversation.write_message(
                article=article, by=request.user, body=form.cleaned_data["body"], internal=internal
            )
        except PermissionDenied as exc:
            refusals.show(request, exc)
            return redirect("editorial:review", pk=article.pk)
        except ValidationError as exc:
            refusals.to_form(form, exc)
        else:
            messages.success(
                request,
                _("Your internal note has been added.")
                if internal
                else _("Your message has been sent to the author."),
            )
            return redirect(f"{reverse('editorial:review', kwargs={'pk': article.pk})}#gesprek")
    return render(
        request,
        "editorial/review.html",
        _review_context(request, article, **{f"{prefix}_form": form}),
        status=400,
    )


@editor_required
@require_POST
def message(request: SignedInRequest, pk: int) -> HttpResponse:
    """A message to the author in the article's conversation."""
    return _write(request, pk, internal=False)


@editor_required
@require_POST
def note(request: SignedInRequest, pk: int) -> HttpResponse:
    """An internal note: the editors see it in the conversation, the author never does."""
    return _write(request, pk, internal=True)


def _handling(
    request: SignedInRequest, pk: int, service: Callable[..., Article], done: str
) -> HttpResponse:
    article = get_article_for_editor(request.user, pk)
    refusals.attempt(
        request,
        lambda: service(article=article, by=request.user),
        done,
        refused=(conversation.AlreadyClaimed, PermissionDenied, ValidationError),
    )
    return redirect("editorial:review", pk=article.pk)


@editor_required
@require_POST
def claim(request: SignedInRequest, pk: int) -> HttpResponse:
    """Take on a submission: the desk shows who handles it."""
    return _handling(request, pk, conversation.claim, _("You handle this submission now."))


@editor_required
@require_POST
def take_over(request: SignedInRequest, pk: int) -> HttpResponse:
    """Take a submission over from the editor who handles it (recorded; they hear of it)."""
    return _handling(request, pk, conversation.take_over, _("You have taken over this submission."))


@editor_required
@require_POST
def request_changes(request: SignedInRequest, pk: int) -> HttpResponse:
    return _message_action(
        request,
        pk,
        "changes",
        services.request_changes,
        "message",
        _("The author has been asked for changes."),
    )


@editor_required
@require_POST
def reject(request: SignedInRequest, pk: int) -> HttpResponse:
    return _message_action(
        request,
        pk,
        "reject",
        services.reject_article,
        "reason",
        _("The article has been rejected."),
    )


@editor_required
@require_POST
def take_down(request: SignedInRequest, pk: int) -> HttpResponse:
    # The form says whether the editor saw an unchecked publication: if another editor checks it
    # in the meantime, this take-down is refused instead of overruling that check unseen.
    check_pending = request.POST.get("check_pending") == "1"
    return _message_action(
        request,
        pk,
        "takedown",
        partial(curation.take_down, check_pending=check_pending),
        "reason",
        _("The article is offline; the author has been told."),
    )


@editor_required
@require_http_methods(["GET", "POST"])
def edit(request: SignedInRequest, pk: int) -> HttpResponse:
    article = get_article_for_editor(request.user, pk)
    if article.state not in (Article.State.SUBMITTED, Article.State.PUBLISHED):
        messages.error(
            request, _("Only submitted and published articles can be edited by the editors.")
        )
        return redirect("editorial:review", pk=article.pk)
    if request.method == "POST":
        form = EditorEditForm(conflict.merged_data(request.POST, article))
        if form.is_valid():
            try:
                services.edit_article(
                    article=article,
                    by=request.user,
                    text=form.article_text(),
                    expected_version=form.cleaned_data.get("version") or 0,
                    note=form.cleaned_data["note"],
                )
            except services.StaleVersion as exc:
                # Both versions side by side, merged per field (articles.conflict).
                return conflict.render_conflict(
                    request,
                    article=exc.article,
                    mine=form.cleaned_data,
                    labels={name: str(form.fields[name].label) for name in conflict.FIELDS},
                    action=request.path,
                    extra={"note": form.cleaned_data["note"]},
                )
            except (ValidationError, lifecycle.TransitionNotAllowed) as exc:
                refusals.to_form(form, exc)
            else:
                messages.success(
                    request, _("Your edit is saved as a new revision; the author has been told.")
                )
                return redirect("editorial:review", pk=article.pk)
    else:
        form = EditorEditForm.for_article(article)
    return render(
        request,
        "editorial/edit.html",
        {"form": form, "article": article, "body_limit": article_rules.BODY_MAX_CHARS},
    )


# --- Curation: the home page, picks, the check after publication -------------------------------


def _curation_action(
    request: HttpRequest, article: Article, call: Callable[[], object], done: str
) -> HttpResponse:
    refusals.attempt(request, call, done, refused=(ValidationError, PermissionDenied))
    return redirect("editorial:review", pk=article.pk)


@editor_required
@require_POST
def place(request: SignedInRequest, pk: int) -> HttpResponse:
    article = get_article_for_editor(request.user, pk)
    form = PlacementForm(request.POST, prefix="placement")
    if not form.is_valid():
        return render(
            request,
            "editorial/review.html",
            _review_context(request, article, placement_form=form),
            status=400,
        )
    return _curation_action(
        request,
        article,
        lambda: curation.place_on_home(
            article=article,
            by=request.user,
            starts_at=form.cleaned_data["starts_at"],
            ends_at=form.cleaned_data["ends_at"],
        ),
        _("The article is placed on the home page; the author has been told."),
    )


def _pick_action(
    request: SignedInRequest,
    pk: int,
    kind: str,
    call: Callable[..., object],
    done: str,
) -> HttpResponse:
    """Picking and undoing a pick: the same checks (an unknown kind is a 404), the service `call`
    with (article, kind, by), and `done` with the stage's name as %(stage)s."""
    article = get_article_for_editor(request.user, pk)
    if kind not in Pick.Kind.values:
        raise Http404
    return _curation_action(
        request,
        article,
        lambda: call(article=article, kind=kind, by=request.user),
        done % {"stage": Pick.Kind(kind).label},
    )


@editor_required
@require_POST
def pick(request: SignedInRequest, pk: int, kind: str) -> HttpResponse:
    return _pick_action(
        request,
        pk,
        kind,
        curation.pick_article,
        _("Picked for %(stage)s; the author has been told."),
    )


@editor_required
@require_POST
def unpick(request: SignedInRequest, pk: int, kind: str) -> HttpResponse:
    return _pick_action(
        request, pk, kind, curation.unpick_article, _("The pick for %(stage)s is undone.")
    )


@editor_required
@require_POST
def mark_seen(request: SignedInRequest, pk: int) -> HttpResponse:
    article = get_article_for_editor(request.user, pk)
    try:
        curation.mark_publication_seen(article=article, by=request.user)
    except ValidationError as exc:
        refusals.show(request, exc)
    else:
        messages.success(
            request, _("Marked as seen: “%(title)s” stays online.") % {"title": article}
        )
    if request.POST.get("next") == "desk":
        return redirect("editorial:desk")
    return redirect("editorial:review", pk=article.pk)


# --- The home page's featured area ------------------------------------------------------------


@editor_required
@require_GET
def home_page(request: HttpRequest) -> HttpResponse:
    placements = selectors.all_placements()
    order = ",".join(str(row.placement.pk) for row in placements)
    return render(
        request,
        "editorial/home_page.html",
        {
            "placements": placements,
            "order": order,
            "slots": editorial_rules.HOME_SLOTS,
            "sortable": {"order_field": "id_order"},
        },
    )


def _stale(request: HttpRequest, exc: curation.StaleOrder) -> HttpResponse:
    refusals.show(request, exc)
    return redirect("editorial:home_page")


@editor_required
@require_POST
def reorder(request: SignedInRequest) -> HttpResponse:
    form = OrderForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return redirect("editorial:home_page")
    return _change_order(
        request,
        lambda: curation.reorder_placements(
            order=form.cleaned_data["order"],
            seen=form.cleaned_data["seen"],
            by=request.user,
        ),
    )


@editor_required
@require_POST
def move(request: SignedInRequest, placement_id: int) -> HttpResponse:
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The order could not be read; reload the page and try again."))
        return redirect("editorial:home_page")
    return _change_order(
        request,
        lambda: curation.move_placement(
            placement_id=placement_id,
            direction=form.cleaned_data["direction"],
            seen=form.cleaned_data["seen"],
            by=request.user,
        ),
    )


def _change_order(request: HttpRequest, change: Callable[[], object]) -> HttpResponse:
    """Run a reorder of the home page: a stale order shows the current one, a refusal its message."""
    try:
        change()
    except curation.StaleOrder as exc:
        return _stale(request, exc)
    except ValidationError as exc:
        refusals.show(request, exc)
    else:
        messages.success(request, _("The new order is on the home page."))
    return redirect("editorial:home_page")


@editor_required
@require_POST
def unplace(request: SignedInRequest, placement_id: int) -> HttpResponse:
    placement = get_object_or_404(Placement, pk=placement_id)
    curation.remove_placement(placement=placement, by=request.user)
    messages.success(
        request, _("“%(title)s” is no longer on the home page.") % {"title": placement.article}
    )
    return redirect("editorial:home_page")


@editor_required
@require_http_methods(["GET", "POST"])
def placement_times(request: SignedInRequest, placement_id: int) -> HttpResponse:
    placement = get_object_or_404(Placement.objects.select_related("article"), pk=placement_id)
    if request.method == "POST":
        form = PlacementForm(request.POST, prefix="placement")
        if form.is_valid():
            try:
                curation.change_placement_times(
                    placement=placement,
                    by=request.user,
                    starts_at=form.cleaned_data["starts_at"],
                    ends_at=form.cleaned_data["ends_at"],
                )
            except ValidationError as exc:
                refusals.to_form(form, exc)
            else:
                messages.success(request, _("The times of the placement are saved."))
                return redirect("editorial:home_page")
    else:
        form = PlacementForm(
            prefix="placement",
            initial={"starts_at": placement.starts_at, "ends_at": placement.ends_at},
        )
    return render(request, "editorial/placement_times.html", {"form": form, "placement": placement})


# --- Trust ------------------------------------------------------------------------------------


@editor_required
@require_http_methods(["GET", "POST"])
def licence(request: SignedInRequest) -> HttpResponse:
    """The licence authors grant with a submission: its current text, a new version, history."""
    current = terms.current_licence()
    form = LicenceForm(request.POST or None, initial={"text": current.text})
    if request.method == "POST" and form.is_valid():
        try:
            new = terms.set_licence(text=form.cleaned_data["text"], by=request.user)
        except (PermissionDenied, ValidationError) as exc:
            refusals.to_form(form, exc, "text")
        else:
            messages.success(
                request,
                _("Version %(version)s of the licence applies from now on.")
                % {"version": new.version},
            )
            return redirect("editorial:licence")
    return render(
        request,
        "editorial/licence.html",
        {"form": form, "history": terms.licence_history()},
        status=400 if form.errors else 200,
    )


@editor_required
@require_GET
def contributors(request: HttpRequest) -> HttpResponse:
    return render(
        request, "editorial/contributors.html", {"trusted": selectors.trusted_contributors()}
    )


@editor_required
@require_http_methods(["GET", "POST"])
def contributor_trust(request: SignedInRequest, pk: int) -> HttpResponse:
    contributor = get_object_or_404(User, pk=pk, is_active=True)
    form = TrustForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        grant = request.POST.get("trust") == "grant"
        service = curation.grant_trust if grant else curation.revoke_trust
        try:
            service(user=contributor, by=request.user, reason=form.cleaned_data["reason"])
        except TrustUnchanged as exc:
            refusals.show(request, exc)
        except (ValidationError, PermissionDenied) as exc:
            refusals.to_form(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is now a trusted contributor.") % {"name": contributor}
                if grant
                else _("%(name)s is no longer a trusted contributor.") % {"name": contributor},
            )
            return redirect("editorial:contributor", pk=contributor.pk)
    return render(
        request,
        "editorial/contributor.html",
        {
            "contributor": contributor,
            "form": form,
            "overview": selectors.author_overview(contributor),
            "history": selectors.trust_history(contributor),
            "record": trust_record(contributor),
            "rule": {
                "published": editorial_rules.TRUST_MIN_PUBLISHED,
                "window": editorial_rules.TRUST_RECENT_WINDOW,
                "days": editorial_rules.TRUST_MIN_ACCOUNT_DAYS,
            },
        },
        status=400 if form.errors else 200,
    )


@editor_required
@require_GET
def statistics(request: SignedInRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    days = form.cleaned_data["days"] if form.is_bound and form.is_valid() else PeriodForm.DEFAULT
    if not form.is_bound or form.errors:
        form = PeriodForm(initial={"days": days})
    figures = selectors.desk_statistics(by=request.user, days=days)
    return render(
        request,
        "editorial/statistics.html",
        {
            "form": form,
            "figures": figures,
            # The apps above the desk add their figures for the period (the newsletter's).
            "more": panels.render(panels.DESK_STATISTICS, request, figures.period),
        },
    )
