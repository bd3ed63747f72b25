"""Writes on subscribers: subscribing (anonymously or as a member), confirming, leaving, coming
back, and the suppressions a mail provider reports."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy

from podium.accounts.models import User

from .. import addresses, suppression, tokens
from ..models import Subscriber

CONSENT_TEXT = gettext_lazy(
    "Yes, send me Podium's newsletter by e-mail with the editors' picks, about once a week. "
    "I can unsubscribe with one click in every edition."
)
RESUBSCRIBE_TEXT = gettext_lazy("Subscribe me again to Podium's newsletter.")
CONFIRMATION_RESEND_AFTER = datetime.timedelta(minutes=10)


@transaction.atomic
def subscribe(
    *, email: str, source: str, consent_text: str, language: str = ""
) -> Subscriber | None:
    """Record a sign-up and send the confirmation e-mail (double opt-in).

    The caller shows the same answer whatever happens here, so nobody learns whether an address
    is known. A confirmed address stays as it is; a pending one gets the e-mail again at most
    once every ten minutes. Raises ValidationError for an address that is not acceptable."""
    email = addresses.check(email)
    now = timezone.now()
    subscriber = _get_or_create_locked(email)
    if subscriber.status == Subscriber.Status.CONFIRMED:
        return subscriber
    if (
        subscriber.status == Subscriber.Status.PENDING
        and subscriber.confirmation_sent_at
        and now - subscriber.confirmation_sent_at < CONFIRMATION_RESEND_AFTER
    ):
        return subscriber
    subscriber.status = Subscriber.Status.PENDING
    subscriber.consent_at = now
    subscriber.consent_source = source
    subscriber.consent_text = consent_text
    subscriber.confirmation_sent_at = now
    subscriber.language = language or translation.get_language() or settings.LANGUAGE_CODE
    subscriber.save()
    from ..tasks import send_confirmation

    transaction.on_commit(lambda: send_confirmation.enqueue(subscriber.pk))
    return subscriber


def _get_or_create_locked(email: str) -> Subscriber:
    found = Subscriber.objects.select_for_update().filter(email=email).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Subscriber.objects.create(email=email)
    except IntegrityError:
        return Subscriber.objects.select_for_update().get(email=email)


@transaction.atomic
def confirm(*, token: str) -> Subscriber:
    """Confirm the address the token was made for. Raises tokens.BadToken for a tampered or
    expired link, or for one made for an address that has changed since."""
    subscriber_id, fingerprint = tokens.read_confirm_token(token)
    subscriber = Subscriber.objects.select_for_update().filter(pk=subscriber_id).first()
    if subscriber is None or not constant_time_compare(
        tokens.address_fingerprint(subscriber.email), fingerprint
    ):
        raise tokens.BadToken(expired=False)
    if subscriber.status in (Subscriber.Status.PENDING, Subscriber.Status.UNSUBSCRIBED):
        now = timezone.now()
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.confirmed_at = now
        subscriber.left_at = None
        subscriber.bounce_score = 0
        subscriber.suppressed_reason = ""
        subscriber.save()
        suppression.forget(subscriber.email)  # a fresh, confirmed consent
    return subscriber


def subscriber_for_unsubscribe_token(token: str) -> Subscriber:
    """Raises tokens.BadToken for a tampered or expired link or a deleted subscriber."""
    subscriber = Subscriber.objects.filter(pk=tokens.read_unsubscribe_token(token)).first()
    if subscriber is None:
        raise tokens.BadToken(expired=False)
    return subscriber


@transaction.atomic
def unsubscribe(*, subscriber: Subscriber) -> Subscriber:
    """Stop all editions to the subscriber at once, including those being sent now."""
    locked = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if locked.status in (Subscriber.Status.CONFIRMED, Subscriber.Status.PENDING):
        locked.status = Subscriber.Status.UNSUBSCRIBED
        locked.left_at = timezone.now()
        locked.save(update_fields=["status", "left_at"])
    return locked


@transaction.atomic
def resubscribe(*, subscriber: Subscriber, consent_text: str) -> Subscriber:
    """Undo an unsubscribe from the personal link (which proves the address)."""
    locked = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if locked.status != Subscriber.Status.UNSUBSCRIBED:
        return locked
    now = timezone.now()
    locked.status = Subscriber.Status.CONFIRMED
    locked.consent_at = now
    locked.consent_source = Subscriber.Source.RESUBSCRIBE
    locked.consent_text = consent_text
    locked.confirmed_at = now
    locked.left_at = None
    locked.save()
    return locked


def subscription_of(user: User) -> Subscriber | None:
    return Subscriber.objects.filter(email=addresses.normalise(user.email)).first()


@transaction.atomic
def subscribe_user(*, by: User, consent_text: str) -> Subscriber:
    """A signed-in user subscribes from the profile: the account's address is verified already
    (allauth's mandatory verification), so no confirmation e-mail is needed."""
    if not by.is_authenticated:
        raise PermissionDenied
    email = addresses.normalise(by.email)
    subscriber = _get_or_create_locked(email)
    if subscriber.status != Subscriber.Status.CONFIRMED:
        now = timezone.now()
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.user = by
        subscriber.consent_at = now
        subscriber.consent_source = Subscriber.Source.PROFILE
        subscriber.consent_text = consent_text
        subscriber.confirmed_at = now
        subscriber.left_at = None
        subscriber.bounce_score = 0
        subscriber.suppressed_reason = ""
        subscriber.language = translation.get_language() or settings.LANGUAGE_CODE
        subscriber.save()
        suppression.forget(email)
    return subscriber


@transaction.atomic
def unsubscribe_user(*, by: User) -> Subscriber | None:
    subscriber = subscription_of(by)
    if subscriber is None:
        return None
    return unsubscribe(subscriber=subscriber)


@transaction.atomic
def suppress(*, email: str, reason: str) -> int:
    """A provider reported a bounce or a complaint: no more editions to this address. For an
    address whose data has been deleted since, only its hash goes on the suppression list."""
    email = addresses.normalise(email)
    changed = Subscriber.objects.filter(
        email=email, status__in=[Subscriber.Status.CONFIRMED, Subscriber.Status.PENDING]
    ).update(
        status=Subscriber.Status.SUPPRESSED, left_at=timezone.now(), suppressed_reason=reason[:200]
    )
    if not changed and not Subscriber.objects.filter(email=email).exists():
        suppression.remember(email)
    return changed
