"""A subscriber's own newsletter data: sending the personal link, the export, and deleting it.

Subscribers need no account to use their rights. They ask for a link on "Mijn
nieuwsbriefgegevens"; the signed link (tokens.make_data_token) proves they can read the mailbox
and opens a page where they download or delete everything the newsletter holds about them.
Signed-in members reach the same export and deletion from their own data page (privacy app).

Deleting removes the subscriber and every delivery (and their address from the admin's log); only a keyed hash of the address stays on
the suppression list (see suppression.py), so an import cannot add the address again."""

from __future__ import annotations

import json
from typing import Any

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare

from podium.accounts.models import User
from podium.core import erasure
from podium.core.downloads import dated_name

from . import addresses, suppression, tokens
from .models import Delivery, Subscriber

# At most one link per address in this time, however many people ask for it.
LINK_RESEND_SECONDS = 5 * 60


def request_data_link(*, email: str, language: str = "") -> bool:
    """Send the personal link to `email` when it is a subscriber's address (in any state).
    The caller answers the same either way; returns whether an e-mail goes out (for tests)."""
    subscriber = Subscriber.objects.filter(email=addresses.normalise(email)).first()
    if subscriber is None:
        return False
    if not cache.add(f"newsletter:data-link:{subscriber.pk}", 1, timeout=LINK_RESEND_SECONDS):
        return False
    from .tasks import send_data_link

    language = language or translation.get_language() or ""
    transaction.on_commit(lambda: send_data_link.enqueue(subscriber.pk, language))
    return True


def subscriber_for_data_token(token: str) -> Subscriber:
    """Raises tokens.BadToken for a tampered or expired link, a deleted subscriber, or one whose
    address is no longer the one the link was sent to."""
    subscriber_id, fingerprint = tokens.read_data_token(token)
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or not constant_time_compare(
        fingerprint, tokens.address_fingerprint(subscriber.email)
    ):
        raise tokens.BadToken(expired=False)
    return subscriber


def subscriptions_of(user: User) -> list[Subscriber]:
    """The subscriptions a member has: by the account's address, and any made from the profile
    under an address the account had before."""
    return list(Subscriber.objects.filter(Q(email=addresses.normalise(user.email)) | Q(user=user)))


def export(subscriber: Subscriber) -> dict[str, Any]:
    """Everything the newsletter holds about the subscriber, as JSON-ready data."""
    deliveries = list(
        Delivery.objects.filter(subscriber=subscriber)
        .select_related("edition")
        .order_by("edition__started_at", "pk")
    )
    history: list[dict[str, Any]] = [
        {"at": subscriber.created_at, "event": "added"},
        {"at": subscriber.consent_at, "event": "consent_given"},
        {"at": subscriber.confirmation_sent_at, "event": "confirmation_email_sent"},
        {"at": subscriber.confirmed_at, "event": "confirmed"},
        {"at": subscriber.left_at, "event": f"left ({subscriber.status})"},
    ]
    history += [
        {"at": d.sent_at, "event": f"edition {d.edition_id} sent"} for d in deliveries if d.sent_at
    ]
    return {
        "subscriber": {
            "email": subscriber.email,
            "status": subscriber.status,
            "status_label": str(subscriber.get_status_display()),
            "language": subscriber.language,
            "created_at": subscriber.created_at,
            "linked_to_account": subscriber.user_id is not None,
        },
        "consent": {
            "given_at": subscriber.consent_at,
            "form": subscriber.consent_source,
            "form_label": str(subscriber.get_consent_source_display())
            if subscriber.consent_source
            else "",
            "text": subscriber.consent_text,
            "confirmation_email_sent_at": subscriber.confirmation_sent_at,
            "confirmed_at": subscriber.confirmed_at,
        },
        "leaving_and_bounces": {
            "left_at": subscriber.left_at,
            "bounce_score": subscriber.bounce_score,
            "suppressed": subscriber.status == Subscriber.Status.SUPPRESSED,
            "suppression_reason": subscriber.suppressed_reason,
            "on_suppression_list": suppression.is_suppressed(subscriber.email),
        },
        "deliveries": [
            {
                "edition": d.edition_id,
                "edition_subject": d.edition.subject,
                "edition_sending_started_at": d.edition.started_at,
                "status": d.status,
                "due_at": d.due_at,
                "attempts": d.attempts,
                "sent_at": d.sent_at,
                "last_error": d.last_error,
            }
            for d in deliveries
        ],
        "history": sorted((h for h in history if h["at"] is not None), key=lambda h: h["at"]),
    }


def download_name() -> str:
    """The file name of a newsletter data download: podium-nieuwsbrief-2026-11-29.json."""
    return dated_name("podium-nieuwsbrief", "json")


def export_json(subscriber: Subscriber) -> bytes:
    data = {"exported_at": timezone.now(), "newsletter": export(subscriber)}
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


@transaction.atomic
def erase(subscriber: Subscriber) -> None:
    """Delete the subscriber and every delivery to them (also one being sent right now: the
    worker's later update finds no row); the address goes on the suppression list as a hash."""
    locked = Subscriber.objects.select_for_update().filter(pk=subscriber.pk).first()
    if locked is None:
        return
    suppression.remember(locked.email)
    Delivery.objects.filter(subscriber=locked).delete()
    locked.delete()
    # The admin's log names a subscriber it changed by their address.
    erasure.scrub_admin_log([locked.email])


@transaction.atomic
def erase_for_user(user: User) -> int:
    """Delete every subscription of a member (their account deletion, or their own choice)."""
    found = subscriptions_of(user)
    for subscriber in found:
        erase(subscriber)
    return len(found)
