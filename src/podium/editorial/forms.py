from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from podium.articles.forms import ArticleForm
from podium.stats.selectors import DESK_PERIODS
from podium.topics.models import Topic


class PublishForm(forms.Form):
    when = forms.ChoiceField(
        label=_("When"),
        choices=[("now", _("Publish now")), ("later", _("Publish at a date and time"))],
        initial="now",
        widget=forms.RadioSelect,
    )
    publish_at = forms.DateTimeField(
        label=_("Publication date and time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"],
    )
    message = forms.CharField(
        label=_("Message to the author (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("when") == "later":
            at: datetime.datetime | None = data.get("publish_at")  # type: ignore[assignment]
            if at is None:
                self.add_error("publish_at", _("Choose the date and time of publication."))
            elif at <= timezone.now():
                self.add_error("publish_at", _("Choose a moment in the future, or publish now."))
        return data

    def publish_at_value(self) -> datetime.datetime | None:
        if self.cleaned_data.get("when") != "later":
            return None
        value = self.cleaned_data["publish_at"]
        if value is None:
            raise ValidationError(_("Choose the date and time of publication."))
        return value  # type: ignore[no-any-return]


class EditorEditForm(ArticleForm):
    note = forms.CharField(
        label=_("What did you change, and why? (sent to the author)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("require_complete", True)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


_DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"]


class DeskFilterForm(forms.Form):
    q = forms.CharField(label=_("Title contains"), required=False, max_length=120)
    topic = forms.ModelChoiceField(
        label=_("Topic"), queryset=Topic.objects.all(), required=False, empty_label=_("All topics")
    )
    # A text field, not a list of every author: with thousands of contributors a drop-down would
    # be unusable and would make the desk page grow with the data.
    author = forms.CharField(
        label=_("Author (name or e-mail address)"),
        required=False,
        max_length=120,
    )
    mine = forms.BooleanField(label=_("Only the ones I handle"), required=False)


class PlacementForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Show from (optional)"),
        required=False,
        widget=_DATETIME_WIDGET,
        input_formats=_DATETIME_FORMATS,
    )
    ends_at = forms.DateTimeField(
        label=_("Show until (optional)"),
        required=False,
        widget=_DATETIME_WIDGET,
        input_formats=_DATETIME_FORMATS,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must come after the start."))
        elif ends and ends <= timezone.now():
            self.add_error(
                "ends_at", _("The end lies in the past; choose a later moment or leave it empty.")
            )
        return data


def _parse_ids(value: str) -> list[int]:
    parts = [p for p in (value or "").replace(" ", "").split(",") if p]
    if not all(p.isdigit() and len(p) < 19 for p in parts):
        raise ValidationError(
            _("The order could not be read; reload the page and try again."), code="bad_ids"
        )
    return [int(p) for p in parts]


class OrderForm(forms.Form):
    """The order the editor wants, and the order their page showed (the optimistic version)."""

    order = forms.CharField(required=False, widget=forms.HiddenInput)
    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_order(self) -> list[int]:
        return _parse_ids(self.cleaned_data.get("order", ""))

    def clean_seen(self) -> list[int]:
        return _parse_ids(self.cleaned_data.get("seen", ""))


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])
    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_seen(self) -> list[int]:
        return _parse_ids(self.cleaned_data.get("seen", ""))


class TrustForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (kept in the history)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give a reason for this change.")},
    )


class LicenceForm(forms.Form):
    text = forms.CharField(
        label=_("Licence text"),
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": 4000}),
        max_length=4000,
        error_messages={"required": _("The licence needs a text.")},
    )


def _last_days(days: int) -> str:
    return gettext("Last %(days)s days") % {"days": days}


class PeriodForm(forms.Form):
    """The period of the statistics page: a GET form, so it works without JavaScript and the
    address can be shared."""

    DEFAULT = 30

    days = forms.TypedChoiceField(
        label=_("Period"),
        choices=[(d, lazy(_last_days, str)(d)) for d in DESK_PERIODS],
        coerce=int,
        initial=DEFAULT,
        widget=forms.RadioSelect,
    )
