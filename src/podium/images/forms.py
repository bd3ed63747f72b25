"""Forms for pictures: they validate what the contributor typed; the services store it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from . import processing
from .models import ALT_TEXT_MAX_CHARS, Image
from .services import ImageDetails

LICENCE_DETAIL_REQUIRED = {
    Image.Licence.PERMISSION: _("Whose permission do you have? Name the maker or the owner."),
    Image.Licence.STOCK: _("Name the stock agency (and the picture's number if it has one)."),
    Image.Licence.FREE: _("Name the licence, for example CC BY 4.0."),
}


class ImageDetailsForm(forms.Form):
    alt_text = forms.CharField(
        label=_("Alt text"),
        max_length=ALT_TEXT_MAX_CHARS,
        required=False,
        help_text=_(
            "What the picture shows, for readers who cannot see it (one or two sentences; not the file name)."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    is_decorative = forms.BooleanField(
        label=_("This picture is decorative: it adds nothing a reader must know"),
        required=False,
    )
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)
    credit = forms.CharField(
        label=_("Credit / source"),
        max_length=200,
        required=False,
        help_text=_("Who made the picture, for example “Foto: Anne de Vries”."),
    )
    licence = forms.ChoiceField(
        label=_("Licence"), choices=Image.Licence.choices, initial=Image.Licence.OWN
    )
    licence_detail = forms.CharField(
        label=_("Licence details"),
        max_length=200,
        required=False,
        help_text=_("Whose permission, which stock agency, or which free licence."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("is_decorative") and not (data.get("alt_text") or "").strip():
            self.add_error(
                "alt_text",
                _("Describe what the picture shows, or mark it as decorative."),
            )
        licence = data.get("licence")
        if licence in LICENCE_DETAIL_REQUIRED and not (data.get("licence_detail") or "").strip():
            self.add_error("licence_detail", LICENCE_DETAIL_REQUIRED[licence])
        return data

    def details(self) -> ImageDetails:
        data = self.cleaned_data
        return ImageDetails(
            alt_text=data.get("alt_text", ""),
            is_decorative=bool(data.get("is_decorative")),
            caption=data.get("caption", ""),
            credit=data.get("credit", ""),
            licence=data.get("licence") or Image.Licence.OWN,
            licence_detail=data.get("licence_detail", ""),
        )

    @classmethod
    def initial_for(cls, image: Image) -> dict[str, Any]:
        return {
            "alt_text": image.alt_text,
            "is_decorative": image.is_decorative,
            "caption": image.caption,
            "credit": image.credit,
            "licence": image.licence,
            "licence_detail": image.licence_detail,
        }


class UploadForm(ImageDetailsForm):
    """A new picture with its details; the file is checked by `processing` in the service."""

    file = forms.FileField(
        label=_("Picture"),
        widget=forms.ClearableFileInput(attrs={"accept": processing.ACCEPT}),
    )
    field_order = ["file"]

    def clean_file(self) -> processing.CleanPicture:
        """The picture checked and re-encoded (see `processing`): a refusal is this field's error,
        shown together with any other field's."""
        return processing.clean_picture(self.cleaned_data["file"])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "JPEG, PNG, WebP or HEIC (from a phone), at most %(limit)s MB."
        ) % {"limit": processing.IMAGE_MAX_BYTES // 1_048_576}


class FocalPointForm(forms.Form):
    """The focal point as percentages from the left and the top (the picture editor sets them by
    a click in the picture; without JavaScript they are typed)."""

    focal_x = forms.FloatField(label=_("From the left (%)"), min_value=0, max_value=100)
    focal_y = forms.FloatField(label=_("From the top (%)"), min_value=0, max_value=100)

    @classmethod
    def initial_for(cls, image: Image) -> dict[str, float]:
        return {"focal_x": round(image.focal_x * 100, 1), "focal_y": round(image.focal_y * 100, 1)}
