"""The editors' newsletter pages under /redactie/nieuwsbrief/."""

from __future__ import annotations

import csv
import datetime
from collections.abc import Callable, Iterator
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from podium.accounts.http import SignedInRequest
from podium.accounts.models import User
from podium.core import dates, refusals
from podium.editorial.access import editor_required
from podium.stats.selectors import Period

from . import selectors, services
from .chart import line_chart
from .forms import AddArticleForm, EditionForm, ImportForm, ScheduleForm
from .models import Edition, Subscriber
from .rendering import UNSUBSCRIBE_PLACEHOLDER, render_edition


@editor_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    history = selectors.subscriber_history(days=90)
    return render(
        request,
        "newsletter/editor/index.html",
        {
            "editions": list(selectors.desk_editions()[:50]),
            "counts": selectors.subscriber_counts(),
            "chart": line_chart(history),
            "history": history[-14:],
        },
    )


@editor_required
@require_POST
def create(request: SignedInRequest) -> HttpResponse:
    edition = services.create_edition(by=request.user)
    messages.success(
        request, _("A new edition, filled with the articles picked since the last one.")
    )
    return redirect("newsletter_desk:edition", pk=edition.pk)


def _edition_context(request: HttpRequest, edition: Edition, **extra: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "edition": edition,
        "items": services.edition_items(edition),
        "form": EditionForm(instance=edition),
        "add_form": AddArticleForm(articles=selectors.addable_articles(edition)),
        "schedule_form": ScheduleForm(initial={"send_at": edition.scheduled_at}),
    }
    if not edition.is_editable:
        context["progress"] = selectors.edition_progress(edition.pk)
        context["failures"] = list(selectors.failed_deliveries(edition))
    context.update(extra)
    return context


@editor_required
@require_GET
def edition(request: SignedInRequest, pk: int) -> HttpResponse:
    found = selectors.get_edition_for_editor(request.user, pk)
    return render(request, "newsletter/editor/edition.html", _edition_context(request, found))


def _run(
    request: HttpRequest, edition: Edition, call: Callable[[], object], done: str | None
) -> HttpResponse:
    """Run a service call on `edition` and go back to its page, which shows `done` or the
    refusal."""
    refusals.attempt(request, call, done, refused=(ValidationError,))
    return redirect("newsletter_desk:edition", pk=edition.pk)


def _sent_back(request: HttpRequest, edition: Edition, **forms: Any) -> HttpResponse:
    """The edition's page again with the form that did not validate (`forms`: by its name in
    the page), its errors shown."""
    return render(
        request,
        "newsletter/editor/edition.html",
        _edition_context(request, edition, **forms),
        status=400,
    )


@editor_required
@require_POST
def update(request: SignedInRequest, pk: int) -> HttpResponse:
    found = selectors.get_edition_for_editor(request.user, pk)
    form = EditionForm(request.POST, instance=Edition(pk=found.pk))
    if not form.is_valid():
        return _sent_back(request, found, form=form)
    return _run(
        request,
        found,
        lambda: services.update_edition(
            edition=found,
            subject=form.cleaned_data["subject"],
            intro=form.cleaned_data["intro"],
            by=request.user,
        ),
        _("Subject and introduction saved."),
    )


def _item_id(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("item", ""))
    except ValueError:
        return 0


@editor_required
@require_POST
def move(request: SignedInRequest, pk: int) -> HttpResponse:
    found = selectors.get_edition_for_editor(request.user, pk)
    up = request.POST.get("direction") == "up"
    return _run(
        request,
        found,
        lambda: services.move_item(
            edition=found, item_id=_item_id(request), up=up, by=request.user
        ),
        None,
    )


@editor_required
@require_POST
def remove(request: SignedInRequest, pk: int) -> HttpResponse:
    found = selectors.get_edition_for_editor(request.user, pk)
    return _run(
        request,
        found,
        lambda: services.remove_item(edition=found, item_id=_item_id(request), by=request.user),
        _("The article is no longer in this edition."),
    )


@editor_required
@require_POST
def add(request: SignedInRequest, pk: int) -> HttpResponse:
    found = selectors.get_edition_for_editor(request.user, pk)
    form = AddArticleForm(request.POST, articles=selectors.addable_articles(found))
    if not form.is_valid():
        return _sent_back(request, found, add_form=form)
    return _run(
        request,
        found,
        lambda: services.add_item(
            edition=found, article=form.cleaned_data["article"], by=request.user
        ),
        _("The article has been added at the end."),
    )


def _preview(edition: Edition) -> tuple[str, str]:
    if edition.html:
        html, text = edition.html, edition.text
    else:
        html, text = render_edition(edition, services.edition_items(edition))
    return html.replace(UNSUBSCRIBE_PLACEHOLDER, "#"), text.replace(UNSUBSCRIBE_PLACEHOLDER, "…")


@editor_required
@require_GET
def preview_html(request: SignedInRequest, pk: int) -> HttpResponse:
    found = selectors.get_edition_for_editor(request.user, pk)
    response = HttpResponse(_preview(found)[0], content_type="text/html; charset=utf-8")
    # The e-mail's own styles are inline; keep the preview from running or loading anything.
    response["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src * data:"
    )
    return response


@editor_required
@require_GET
def preview_text(request: SignedInRequest, pk: int) -> HttpResponse:
    found = selectors.get_edition_for_editor(request.user, pk)
    return HttpResponse(_preview(found)[1], content_type="text/plain; charset=utf-8")


@editor_required
@require_POST
def test_send(request: SignedInRequest, pk: int) -> HttpResponse:
    found = selectors.get_edition_for_editor(request.user, pk)
    return _run(
        request,
        found,
        lambda: services.send_test(edition=found, by=request.user),
        _("A test has been sent to %(email)s.") % {"email": request.user.email},
    )


def _confirm_sending(
    request: SignedInRequest, edition: Edition, *, send_at: datetime.datetime | None = None
) -> HttpResponse | None:
    """The confirmation step before an edition goes to everyone ("send now" and "send at"): a page
    naming the subject and the number of recipients, whose button posts the same form again with
    `confirmed`. None when this request is that confirmation. Works without JavaScript."""
    if request.POST.get("confirmed") == "1":
        return None
    problems = services.sending_problems(edition)
    if problems:
        for message in problems:
            messages.error(request, message)
        return redirect("newsletter_desk:edition", pk=edition.pk)
    return render(
        request,
        "newsletter/editor/confirm_send.html",
        {
            "edition": edition,
            "recipients": selectors.recipient_count(),
            "send_at": send_at,
            "send_at_value": request.POST.get("send_at", ""),
        },
    )


@editor_required
@require_POST
def send_now(request: SignedInRequest, pk: int) -> HttpResponse:
    found = selectors.get_edition_for_editor(request.user, pk)
    asked = _confirm_sending(request, found)
    if asked is not None:
        return asked
    return _run(
        request,
        found,
        lambda: services.start_sending(edition=found, by=request.user),
        _("Sending has started."),
    )


@editor_required
@require_POST
def schedule(request: SignedInRequest, pk: int) -> HttpResponse:
    found = selectors.get_edition_for_editor(request.user, pk)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        return _sent_back(request, found, schedule_form=form)
    at = form.cleaned_data["send_at"]
    asked = _confirm_sending(request, found, send_at=at)
    if asked is not None:
        return asked
    return _run(
        request,
        found,
        lambda: services.schedule_edition(edition=found, at=at, by=request.user),
        _("The edition will be sent on %(when)s.") % {"when": dates.long_datetime(at)},
    )


@editor_required
@require_POST
def unschedule(request: SignedInRequest, pk: int) -> HttpResponse:
    found = selectors.get_edition_for_editor(request.user, pk)
    return _run(
        request,
        found,
        lambda: services.unschedule_edition(edition=found, by=request.user),
        _("The edition is a draft again and will not be sent."),
    )


@editor_required
@require_GET
def progress(request: SignedInRequest, pk: int) -> JsonResponse:
    found = selectors.get_edition_for_editor(request.user, pk)
    return JsonResponse(selectors.edition_progress(found.pk).as_dict())


class _Echo:
    def write(self, value: str) -> str:
        return value


@editor_required  # type: ignore[arg-type]
@require_GET
def export(request: HttpRequest) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    rows = services.export_rows(Subscriber.objects.order_by("pk").iterator(chunk_size=2000))

    def stream() -> Iterator[str]:
        yield "\ufeff"  # so that spreadsheet programs read the file as UTF-8
        for row in rows:
            yield writer.writerow(row)

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="podium-subscribers-{stamp}.csv"'
    return response


@editor_required
@require_http_methods(["GET", "POST"])
def import_view(request: SignedInRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                report = services.import_subscribers(
                    data=form.cleaned_data["file"].read(), by=request.user
                )
            except ValidationError as exc:
                refusals.to_form(form, exc, "file")
                status = 400
        else:
            status = 400
    return render(
        request, "newsletter/editor/import.html", {"form": form, "report": report}, status=status
    )


def statistics_panel(request: HttpRequest, period: Period) -> str:
    """The newsletter's part of the editors' statistics page (panels.DESK_STATISTICS)."""
    # The selector's guard refuses anyone but an editor, an anonymous visitor included.
    by = cast(User, request.user)
    figures = selectors.desk_figures(by=by, start=period.start)
    return render_to_string(
        "newsletter/editor/_statistics.html",
        {"list_figures": figures, "period": period},
        request=request,
    )
