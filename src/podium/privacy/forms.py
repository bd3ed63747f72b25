from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to confirm"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password to confirm.")},
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand that my account and personal data are deleted and cannot be restored."
        ),
        error_messages={"required": _("Tick the box to confirm.")},
    )
