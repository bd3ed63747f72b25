"""The suppression list: addresses that must not be added again by an import, kept as hashes.

When a subscriber's data is deleted (on their request, or with their account), nothing of the
address stays readable. What stays is an HMAC-SHA256 of the normalised address, keyed with the
site's secret key: it answers "is this the address that asked to be deleted?" when an editor
imports a list, so an old export cannot bring an unsubscribed, bounced or complaining address
back. Without the secret key the hash cannot be tested against guesses. A new sign-up through
the double opt-in is that person's fresh consent: confirming it removes the hash again.

The key includes SECRET_KEY_FALLBACKS, so rotating the secret key does not empty the list."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils.crypto import salted_hmac

from . import addresses
from .models import SuppressedAddress

KEY_SALT = "podium.newsletter.suppression"
CHUNK = 2000  # digests per query, well below every database's parameter limit


def _digests(email: str) -> list[str]:
    """The address's hash under the current secret key first, then under each fallback key."""
    value = addresses.normalise(email)
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [
        salted_hmac(KEY_SALT, value, secret=secret, algorithm="sha256").hexdigest()
        for secret in secrets
    ]


def digest(email: str) -> str:
    return _digests(email)[0]


def remember(email: str) -> None:
    """Put the address on the suppression list (idempotent)."""
    SuppressedAddress.objects.get_or_create(digest=digest(email))


def forget(email: str) -> int:
    """Take the address off the list: its owner has consented again."""
    return SuppressedAddress.objects.filter(digest__in=_digests(email)).delete()[0]


def is_suppressed(email: str) -> bool:
    return SuppressedAddress.objects.filter(digest__in=_digests(email)).exists()


def suppressed_among(emails: Iterable[str]) -> set[str]:
    """The addresses (normalised, as given) that are on the list, in one query."""
    by_digest: dict[str, str] = {}
    for email in emails:
        for value in _digests(email):
            by_digest[value] = addresses.normalise(email)
    keys = list(by_digest)
    found: set[str] = set()
    for start in range(0, len(keys), CHUNK):
        found.update(
            SuppressedAddress.objects.filter(digest__in=keys[start : start + CHUNK]).values_list(
                "digest", flat=True
            )
        )
    return {by_digest[value] for value in found}
