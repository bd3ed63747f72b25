"""Signed tokens for the links in e-mails: each purpose has its own salt and lifetime."""

from __future__ import annotations

from django.core import signing
from django.utils.crypto import salted_hmac

from . import conf

CONFIRM_SALT = "podium.newsletter.confirm"
UNSUBSCRIBE_SALT = "podium.newsletter.unsubscribe"
DATA_SALT = "podium.newsletter.data"


class BadToken(Exception):
    def __init__(self, *, expired: bool) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def make_confirm_token(subscriber_id: int, email: str) -> str:
    """The confirmation link's token. It names the address by a keyed hash instead of carrying it
    (a signed token is only base64: the address would be readable in every server log the link
    passes), and a link made for an old address stays dead."""
    return signing.dumps([subscriber_id, address_fingerprint(email)], salt=CONFIRM_SALT)


def read_confirm_token(token: str) -> tuple[int, str]:
    """(subscriber id, address fingerprint); compare the fingerprint with the subscriber's.
    Links sent before the address was hashed carry the address itself: they keep working until
    they expire, read as the fingerprint of that address."""
    subscriber_id, named = _read_pair(token, CONFIRM_SALT, conf.confirm_max_age())
    return subscriber_id, address_fingerprint(named) if "@" in named else named


def _read_pair(token: str, salt: str, max_age: int) -> tuple[int, str]:
    value = _load(token, salt, max_age)
    if not isinstance(value, list) or len(value) != 2:
        raise BadToken(expired=False)
    try:
        return int(value[0]), str(value[1])
    except (TypeError, ValueError):
        raise BadToken(expired=False) from None


def address_fingerprint(email: str) -> str:
    """A keyed hash of the address: a token can name the address without carrying it, so the
    address never lands in a URL (or a web server's log)."""
    return salted_hmac(DATA_SALT, email, algorithm="sha256").hexdigest()[:32]


def make_data_token(subscriber_id: int, email: str) -> str:
    """The link to a subscriber's own data: short-lived, and dead once the address changes or
    the subscriber is deleted."""
    return signing.dumps([subscriber_id, address_fingerprint(email)], salt=DATA_SALT)


def read_data_token(token: str) -> tuple[int, str]:
    """(subscriber id, address fingerprint); compare the fingerprint with the subscriber's."""
    return _read_pair(token, DATA_SALT, conf.data_link_max_age())


def make_unsubscribe_token(subscriber_id: int) -> str:
    return signing.dumps(subscriber_id, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> int:
    value = _load(token, UNSUBSCRIBE_SALT, conf.unsubscribe_max_age())
    if not isinstance(value, int):
        raise BadToken(expired=False)
    return value


def _load(token: str, salt: str, max_age: int) -> object:
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise BadToken(expired=True) from None
    except signing.BadSignature:
        raise BadToken(expired=False) from None
