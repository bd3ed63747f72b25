"""The forms beside the text. They validate what was typed; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import BODY_MAX, QUOTE_MAX, Thread


class _Passage(forms.Form):
    quote = forms.CharField(
        label=_("Passage"),
        max_length=QUOTE_MAX,
        help_text=_("Select it in the text, or copy it here exactly."),
        widget=forms.Textarea(attrs={"rows": 2, "data-annotate-quote": ""}),
    )
    # The text just before and after a selection: which occurrence is meant, when it occurs twice.
    before = forms.CharField(
        required=False, max_length=400, widget=forms.HiddenInput(attrs={"data-annotate-prefix": ""})
    )
    after = forms.CharField(
        required=False, max_length=400, widget=forms.HiddenInput(attrs={"data-annotate-suffix": ""})
    )


class CommentForm(_Passage):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "data-annotate-body": ""}),
    )


class SuggestionForm(_Passage):
    change = forms.ChoiceField(
        label=_("Suggestion"),
        choices=Thread.Change.choices,
        initial=Thread.Change.REPLACE,
        widget=forms.RadioSelect,
    )
    replacement = forms.CharField(
        label=_("New text"),
        required=False,
        max_length=QUOTE_MAX,
        help_text=_("Leave empty to delete the passage."),
        widget=forms.Textarea(attrs={"rows": 2, "data-annotate-body": ""}),
    )
    body = forms.CharField(
        label=_("Explanation (optional)"),
        required=False,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
