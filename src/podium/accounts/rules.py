"""The profile's rules, for every path that writes a profile: the profile form, the Django admin's
user form (both through `forms.ProfileRules`) and the import's "Over de auteur" text."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from podium.core.text import clean_text

from .models import User

_BIO_LINK = re.compile(
    r"https?://|www\.|\b[\w-]+\.(?:com|nl|net|org|io|biz|info|shop|ru|xyz)\b", re.IGNORECASE
)


def clean_bio(raw: str, *, user: User) -> str:
    """The "Over de auteur" text as it may be stored for `user`: plain text, and no web addresses
    until an editor has published one of their articles (spam resistance; their website has its
    own field, shown without a link until then too). Raises ValidationError (code "link")."""
    bio = clean_text(raw)
    is_new = not (user.is_trusted or user.is_editor) and not (
        user.pk and user.articles.filter(published_at__isnull=False).exists()
    )
    if is_new and _BIO_LINK.search(bio):
        raise ValidationError(
            _("Leave web addresses out of this text; put your website in the field below."),
            code="link",
        )
    return bio


def clean_website(url: str) -> str:
    if url and urlsplit(url).scheme not in ("http", "https"):
        raise ValidationError(_("Enter a web address that starts with http:// or https://."))
    return url


def clean_linkedin(url: str) -> str:
    if not url:
        return url
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not (host == "linkedin.com" or host.endswith(".linkedin.com")):
        raise ValidationError(
            _(
                "Enter the address of your LinkedIn profile, e.g. https://www.linkedin.com/in/your-name."
            )
        )
    return url
