from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from podium.topics.models import Topic

PERIODS = {"week": 7, "maand": 31, "jaar": 366}


class SearchForm(forms.Form):
    """The reader's query is never refused: the search reduces it to plain words itself."""

    q = forms.CharField(label=_("Search for"), required=False, strip=True)
    onderwerp = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All topics"),
        error_messages={
            "invalid_choice": _("That topic does not exist (any more); showing all topics.")
        },
    )
    periode = forms.ChoiceField(
        label=_("Published"),
        required=False,
        choices=[
            ("", _("Any time")),
            ("week", _("In the past week")),
            ("maand", _("In the past month")),
            ("jaar", _("In the past year")),
        ],
        error_messages={
            "invalid_choice": _("Choose one of the periods in the list; showing any time.")
        },
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["q"].widget = forms.TextInput(attrs={"type": "search", "autocomplete": "off"})

    def value(self, name: str) -> object:
        """The cleaned value of a field, or None when the reader sent something invalid for it."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) or None

    def since(self) -> datetime.datetime | None:
        period = self.value("periode")
        if not period:
            return None
        # From the start of the hour: the same filter all hour long, so its results can be kept.
        start = timezone.now().replace(minute=0, second=0, microsecond=0)
        return start - datetime.timedelta(days=PERIODS[str(period)])
