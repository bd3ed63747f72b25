from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ArticleReport


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this article?"),
        choices=ArticleReport.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a reason.")},
    )
    message = forms.CharField(
        label=_("Explanation (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Which passage, and why? The editors read every report."),
    )
