from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from podium.core.text import clean_text
from podium.topics.models import Topic

from .models import User
from .photos import process_photo

_BIO_LINK = re.compile(
    r"https?://|www\.|\b[\w-]+\.(?:com|nl|net|org|io|biz|info|shop|ru|xyz)\b", re.IGNORECASE
)


class ProfileForm(forms.ModelForm):
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_(
            "A portrait in JPEG, PNG or WebP; at most 5 MB. We crop nothing and remove location data."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )
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

    # The profile is plain text wherever it appears (byline, author box, e-mails, feeds): no markup.
    def clean_display_name(self) -> str:
        return clean_text(self.cleaned_data["display_name"])

    def clean_job_title(self) -> str:
        return clean_text(self.cleaned_data["job_title"])

    def clean_organisation(self) -> str:
        return clean_text(self.cleaned_data["organisation"])

    def clean_bio(self) -> str:
        bio = clean_text(self.cleaned_data["bio"])
        # Spam resistance: until an editor has published one of their articles, no links here
        # (their website has its own field, shown without a link until then too).
        user = self.instance
        is_new = (
            not (user.is_trusted or user.is_editor)
            and not user.articles.filter(published_at__isnull=False).exists()
        )
        if is_new and _BIO_LINK.search(bio):
            raise ValidationError(
                _("Leave web addresses out of this text; put your website in the field below."),
                code="link",
            )
        return bio

    def clean_website(self) -> str:
        url = self.cleaned_data["website"]
        if url and urlsplit(url).scheme not in ("http", "https"):
            raise ValidationError(_("Enter a web address that starts with http:// or https://."))
        return url

    def clean_linkedin(self) -> str:
        url = self.cleaned_data["linkedin"]
        if not url:
            return url
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if parts.scheme != "https" or not (
            host == "linkedin.com" or host.endswith(".linkedin.com")
        ):
            raise ValidationError(
                _(
                    "Enter the address of your LinkedIn profile, e.g. https://www.linkedin.com/in/your-name."
                )
            )
        return url

    def clean_photo(self) -> Any:
        upload = self.cleaned_data.get("photo")
        if upload is False:  # "clear" ticked
            return False
        if not upload or not hasattr(upload, "content_type"):
            return upload  # unchanged: the stored photo
        return process_photo(upload)


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
