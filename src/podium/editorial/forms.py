from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from podium.articles.forms import ArticleForm


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
        label=_("Message to the author (optional)"), required=False, max_length=4000,
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
