from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from podium.articles.models import Article

from . import addresses
from .models import Edition, Subscriber


class SignupForm(forms.Form):
    email = forms.CharField(
        label=_("Your e-mail address"),
        max_length=320,
        error_messages={"required": _("Enter your e-mail address.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )
    source = forms.ChoiceField(
        choices=[(Subscriber.Source.FOOTER, ""), (Subscriber.Source.PAGE, "")],
        required=False,
        widget=forms.HiddenInput,
    )

    def clean_email(self) -> str:
        return addresses.check(self.cleaned_data["email"])

    def clean_source(self) -> str:
        return self.cleaned_data.get("source") or Subscriber.Source.PAGE


class DataRequestForm(forms.Form):
    """ "Mijn nieuwsbriefgegevens": the address to send the personal link to."""

    email = forms.CharField(
        label=_("Your e-mail address"),
        max_length=320,
        error_messages={"required": _("Enter your e-mail address.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Its own ids: it shares the newsletter page with the sign-up form.
        kwargs.setdefault("auto_id", "data_%s")
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        # Shared addresses (info@…) cannot subscribe, so they are not refused here either: the
        # answer must not depend on what the newsletter holds.
        email = addresses.normalise(self.cleaned_data["email"])
        try:
            addresses.check(email)
        except forms.ValidationError as exc:
            if exc.code != "role_address":
                raise
        return email


class EraseSubscriberForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I understand that my newsletter data is deleted and that I receive no more editions."
        ),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class EditionForm(forms.ModelForm):
    class Meta:
        model = Edition
        fields = ["subject", "intro"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "subject": _("The subject line in the inbox: short and concrete."),
            "intro": _(
                "A few sentences above the articles. Plain text; blank lines make paragraphs."
            ),
        }


class AddArticleForm(forms.Form):
    article = forms.ModelChoiceField(
        label=_("Add a published article"),
        queryset=Article.objects.none(),
        empty_label=_("Choose an article…"),
        error_messages={
            "invalid_choice": _("That article is not published, or already in this edition.")
        },
    )

    def __init__(self, *args: object, articles: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if articles is not None:
            field: forms.ModelChoiceField = self.fields["article"]  # type: ignore[assignment]
            field.queryset = articles  # type: ignore[assignment]


class ScheduleForm(forms.Form):
    send_at = forms.DateTimeField(
        label=_("Send at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"],
        error_messages={"required": _("Choose the date and time to send the edition.")},
    )

    def clean_send_at(self) -> datetime.datetime:
        value: datetime.datetime = self.cleaned_data["send_at"]
        if value <= timezone.now():
            raise forms.ValidationError(_("Choose a moment in the future, or send now."))
        return value


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: email, consent_at, consent_text (required), and optionally status, consent_source "
            "and confirmed_at, as in the export. Rows without a recorded consent are skipped."
        ),
    )

    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 5 MB. Split it into smaller files.")
            )
        return upload
