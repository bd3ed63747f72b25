"""E-mail addresses as subscribers type them: normalised, validated, role addresses refused."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

# Shared mailboxes: nobody in particular consented, and they bounce or complain more often.
ROLE_LOCAL_PARTS = frozenset(
    {
        "abuse",
        "admin",
        "administrator",
        "billing",
        "contact",
        "hostmaster",
        "info",
        "mail",
        "mailer-daemon",
        "marketing",
        "no-reply",
        "noc",
        "noreply",
        "office",
        "postmaster",
        "root",
        "sales",
        "security",
        "support",
        "webmaster",
    }
)


def normalise(raw: str) -> str:
    """Lower-case and without surrounding or inner whitespace: one subscriber per mailbox."""
    return "".join((raw or "").split()).lower()


def check(raw: str) -> str:
    """The normalised address, or a ValidationError saying what is wrong with it."""
    email = normalise(raw)
    if not email:
        raise ValidationError(_("Enter your e-mail address."), code="required")
    if len(email) > 254:
        raise ValidationError(_("This e-mail address is too long."), code="too_long")
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            _(
                "“%(email)s” is not a valid e-mail address. Check it for typing errors, like a missing @ or dot."
            )
            % {"email": email},
            code="invalid",
        ) from None
    local = email.rpartition("@")[0]
    if local in ROLE_LOCAL_PARTS:
        raise ValidationError(
            _(
                "“%(email)s” is a shared address (like info@ or sales@). Please use a personal address."
            )
            % {"email": email},
            code="role_address",
        )
    return email
