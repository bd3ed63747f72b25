from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Compilation


class CompilationForm(forms.ModelForm):
    class Meta:
        model = Compilation
        fields = [
            "title",
            "subtitle",
            "period_start",
            "period_end",
            "foreword",
            "colophon_editors",
            "licence",
            "printer",
        ]
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "period_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "foreword": forms.Textarea(attrs={"rows": 8}),
            "colophon_editors": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "title": _("On the cover and in the running headers, e.g. “Het beste van Podium”."),
            "subtitle": _("Optional, e.g. “De sterkste bijdragen van het voorjaar”."),
            "foreword": _("Plain text; a blank line starts a new paragraph."),
            "colophon_editors": _(
                "The editors named in the colophon, one per line. Leave empty to name everyone with the editor role."
            ),
            "licence": _(
                "Leave empty for “© the authors”: contributors keep the copyright of their articles."
            ),
            "printer": _(
                "The printing company, e.g. “Drukkerij De Bij, Utrecht”. Until it is filled in, the build reminds you."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("period_start", "period_end"):
            field: Any = self.fields[name]
            field.input_formats = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
            self.fields[name].error_messages["invalid"] = _(
                "Enter a date such as 2026-03-31 or 31-03-2026."
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: datetime.date | None = data.get("period_start")
        end: datetime.date | None = data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period must end on or after the day it starts."))
        return data


class ArticlesForm(forms.Form):
    """The editor's choice from the candidates: ticked articles, ordered by the position numbers
    typed beside them (rows without a number keep the order of the list)."""

    def __init__(self, *args: Any, candidate_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidate_ids = candidate_ids
        self.fields["articles"] = forms.TypedMultipleChoiceField(
            choices=[(pk, pk) for pk in candidate_ids],
            coerce=int,
            required=False,
            error_messages={
                "invalid_choice": _(
                    "One of the chosen articles is no longer a candidate. Reload the page and choose again."
                )
            },
        )
        for pk in candidate_ids:
            self.fields[f"position-{pk}"] = forms.IntegerField(
                min_value=1,
                max_value=999,
                required=False,
                error_messages={
                    "invalid": _("Positions are whole numbers, 1 for the first article.")
                },
            )

    def ordered_ids(self) -> list[int]:
        chosen = self.cleaned_data.get("articles") or []
        list_order = {pk: n for n, pk in enumerate(self.candidate_ids)}

        def key(pk: int) -> tuple[int, int]:
            position = self.cleaned_data.get(f"position-{pk}")
            return (position if position is not None else 1000, list_order[pk])

        return sorted(chosen, key=key)
