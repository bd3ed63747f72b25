"""Signed tokens for the links in e-mails: each purpose has its own salt and lifetime."""

from __future__ import annotations

from django.core import signing

from . import conf

CONFIRM_SALT = "podium.newsletter.confirm"
UNSUBSCRIBE_SALT = "podium.newsletter.unsubscribe"


class BadToken(Exception):
    def __init__(self, *, expired: bool) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def make_confirm_token(subscriber_id: int, email: str) -> str:
    # The address is part of the token: a confirmation link for an old address stays dead.
    return signing.dumps([subscriber_id, email], salt=CONFIRM_SALT)


def read_confirm_token(token: str) -> tuple[int, str]:
    value = _load(token, CONFIRM_SALT, conf.confirm_max_age())
    if not isinstance(value, list) or len(value) != 2:
        raise BadToken(expired=False)
    try:
        return int(value[0]), str(value[1])
    except (TypeError, ValueError):
        raise BadToken(expired=False) from None


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
