"""The import form: a file or pasted text in, a parsed ImportResult (or a specific error on the
field it came from) out. Parsing is validation here: nothing is stored."""

from __future__ import annotations

from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .importing import (
    EXTENSIONS,
    ImportRejected,
    ImportResult,
    import_file,
    import_text,
    max_bytes,
    too_large_error,
)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Word document or text file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
        error_messages={"empty": gettext_lazy("The file is empty.")},
    )
    text = forms.CharField(
        label=gettext_lazy("Or paste the text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=gettext_lazy(
            "The first line becomes the title, the first paragraph the lead. End with "
            "“Over de auteur: …” to fill in your profile's bio."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(".docx, .txt or .md, at most %(limit)s.") % {
            "limit": filesizeformat(max_bytes())
        }

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload and upload.size > max_bytes():
            raise forms.ValidationError(too_large_error(upload.size).message, code="too_large")
        return upload

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if self.errors:
            return cleaned
        upload = cleaned.get("file")
        pasted = cleaned.get("text") or ""
        if upload and pasted.strip():
            self.add_error(
                "text",
                _("Choose a file or paste text, not both. Empty this field to import the file."),
            )
            return cleaned
        if not upload and not pasted.strip():
            self.add_error("file", _("Choose a file, or paste your text below."))
            return cleaned
        field = "file" if upload else "text"
        try:
            result: ImportResult = (
                import_file(upload.name, upload.read()) if upload else import_text(pasted)
            )
        except ImportRejected as exc:
            self.add_error(field, exc.message)
            return cleaned
        cleaned["result"] = result
        cleaned["source"] = field
        return cleaned
