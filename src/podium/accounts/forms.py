from __future__ import annotations

from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from podium.core.text import clean_text
from podium.topics.models import Topic

from .models import User
from .photos import process_photo
from .rules import clean_bio, clean_linkedin, clean_website


class NotificationForm(forms.Form):
    notify = forms.ChoiceField(
        label=_("E-mails about messages on your articles"),
        choices=User.Notify.choices,
        widget=forms.RadioSelect,
        help_text=_("Messages from the editors, their answers and comments on your text."),
    )
    email_language = forms.ChoiceField(
        label=_("Language of our e-mails"), choices=lambda: settings.LANGUAGES
    )


class ProfileRules(forms.BaseForm):
    """The profile's rules for every form that writes a profile (the site's profile page and the
    Django admin): one gate, so no path stores markup, a bio link or an unprocessed photo.
    `photo`, when the form has it, is an upload field; a cleaned upload is a re-encoded JPEG."""

    instance: User

    # The profile is plain text wherever it appears (byline, author box, e-mails, feeds): no markup.
    def clean_display_name(self) -> str:
        return clean_text(self.cleaned_data["display_name"])

    def clean_job_title(self) -> str:
        return clean_text(self.cleaned_data["job_title"])

    def clean_organisation(self) -> str:
        return clean_text(self.cleaned_data["organisation"])

    def clean_bio(self) -> str:
        return clean_bio(self.cleaned_data["bio"], user=self.instance)

    def clean_website(self) -> str:
        return clean_website(self.cleaned_data["website"])

    def clean_linkedin(self) -> str:
        return clean_linkedin(self.cleaned_data["linkedin"])

    def clean_photo(self) -> Any:
        upload = self.cleaned_data.get("photo")
        if upload is False:  # "clear" ticked
            return False
        if not upload or not hasattr(upload, "content_type"):
            return upload  # unchanged: the stored photo
        return process_photo(upload)


class PhotoInput(forms.ClearableFileInput):
    """The current photo itself, with "replace" and "remove", instead of Django's
    "Currently: authors/2026/8.jpg ☐ Clear" with the file's internal path."""

    template_name = "accounts/widgets/photo_input.html"

    def is_initial(self, value: object) -> bool:
        # A stored photo is a private file without a URL of its own (podium.core.storage).
        return bool(value and getattr(value, "name", None))

    def get_context(self, name: str, value: object, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        if self.is_initial(value):
            # Shown through the checking view, which lets the owner see their own photo.
            context["widget"]["photo_url"] = value.instance.photo_url  # type: ignore[attr-defined]
        return context


def photo_field() -> forms.FileField:
    """The upload field of a profile photo; ProfileRules.clean_photo re-encodes what arrives."""
    return forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_(
            "A portrait in JPEG, PNG or WebP; at most 5 MB. We crop nothing and remove location data."
        ),
        widget=PhotoInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )


class ProfileForm(ProfileRules, forms.ModelForm):
    photo = photo_field()
    expertise = forms.ModelMultipleChoiceField(
        label=_("Topics of expertise"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = User
        # photo and expertise are declared above and stored by the service, not by ModelForm.
        fields = ["display_name", "job_title", "organisation", "bio", "website", "linkedin"]
        labels = {
            "display_name": _("Name"),
            "job_title": _("Function"),
            "organisation": _("Organisation"),
            "bio": _("Over de auteur"),
            "website": _("Website"),
            "linkedin": _("LinkedIn profile"),
        }
        help_texts = {
            "display_name": _("Your name as it appears above your articles."),
            "bio": _("One or two sentences about you, shown under every article you write."),
            "website": _("Starts with https://"),
            "linkedin": _("For example https://www.linkedin.com/in/your-name"),
        }
        widgets = {"bio": forms.Textarea(attrs={"rows": 4, "maxlength": 600})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["photo"].initial = self.instance.photo or None
            self.fields["expertise"].initial = list(self.instance.expertise.all())


class SignupForm(AllauthSignupForm):
    """allauth's sign-up with a honeypot: a field people never see (hidden by the stylesheet, out of
    the tab order, ignored by assistive technology) that form-filling bots do fill in."""

    HONEYPOT = "nickname"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[self.HONEYPOT] = forms.CharField(
            label=_("Leave this field empty"),
            required=False,
            widget=forms.TextInput(
                attrs={
                    "tabindex": "-1",
                    "autocomplete": "off",
                    "aria-hidden": "true",
                    "class": "hp-field",
                }
            ),
        )

    def clean(self) -> dict[str, Any]:
        if self.data.get(self.HONEYPOT):
            raise ValidationError(
                _("We could not create this account. Please try again."), code="honeypot"
            )
        return super().clean()
