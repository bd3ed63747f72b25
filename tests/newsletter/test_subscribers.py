"""Subscribing with double opt-in, leaving with one click, and the profile switch."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from podium.accounts.models import User
from podium.newsletter import services, tokens
from podium.newsletter.models import Subscriber
from podium.newsletter.webhooks import suppress_on_bounce

SIGNUP = "/nieuwsbrief/"


def confirm_link() -> str:
    (message,) = mail.outbox
    return re.search(r"https?://\S+/nieuwsbrief/bevestigen/\S+/", message.body).group(0)  # type: ignore[union-attr]


def sign_up(client: Client, email: str, capture: Any, **extra: str) -> Any:
    with capture(execute=True):
        return client.post(SIGNUP, {"email": email, "source": "footer", **extra})


@pytest.mark.django_db
def test_sign_up_records_consent_and_sends_a_confirmation(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    response = sign_up(client, "  Lezer@Example.NET ", django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == reverse("newsletter:signup_done")
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "lezer@example.net"
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.consent_at and subscriber.consent_source == "footer"
    assert "unsubscribe" in subscriber.consent_text or "afmelden" in subscriber.consent_text
    assert mail.outbox[0].to == ["lezer@example.net"]


@pytest.mark.django_db
def test_confirming_takes_a_button_press_not_just_a_get(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    sign_up(client, "lezer@example.net", django_capture_on_commit_callbacks)
    path = confirm_link().split("example", 1)[1].split("/", 1)[1]
    path = "/" + path
    assert client.get(path).status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING, (
        "a mail scanner's GET confirms nothing"
    )
    response = client.post(path)
    assert response.status_code == 200
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.CONFIRMED and subscriber.confirmed_at


@pytest.mark.django_db
def test_the_confirmation_link_does_not_carry_the_address(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    """A signed token is only base64: the address would be readable in every server log."""
    sign_up(client, "lezer@example.net", django_capture_on_commit_callbacks)
    link = confirm_link()
    token = link.rstrip("/").rsplit("/", 1)[1]
    payload = token.split(":", 1)[0]
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    assert b"lezer" not in decoded.lower() and b"example" not in decoded.lower()
    assert "lezer" not in link
    assert services.confirm(token=token).status == Subscriber.Status.CONFIRMED


@pytest.mark.django_db
def test_a_confirmation_link_sent_before_the_address_was_hashed_still_works() -> None:
    subscriber = Subscriber.objects.create(
        email="lezer@example.net", consent_text="Ja", consent_at=timezone.now()
    )
    old_link_token = signing.dumps([subscriber.pk, subscriber.email], salt=tokens.CONFIRM_SALT)
    assert services.confirm(token=old_link_token).status == Subscriber.Status.CONFIRMED


@pytest.mark.django_db
def test_a_confirmation_link_for_an_old_address_is_dead() -> None:
    subscriber = Subscriber.objects.create(
        email="oud@example.net", consent_text="Ja", consent_at=timezone.now()
    )
    token = tokens.make_confirm_token(subscriber.pk, subscriber.email)
    Subscriber.objects.filter(pk=subscriber.pk).update(email="nieuw@example.net")
    with pytest.raises(tokens.BadToken):
        services.confirm(token=token)
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


@pytest.mark.django_db
def test_the_answer_is_the_same_for_known_and_unknown_addresses(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    Subscriber.objects.create(
        email="bekend@example.net",
        status="confirmed",
        consent_at="2026-01-01T00:00Z",
        confirmed_at="2026-01-01T00:00Z",
    )
    known = sign_up(client, "bekend@example.net", django_capture_on_commit_callbacks)
    unknown = sign_up(client, "nieuw@example.net", django_capture_on_commit_callbacks)
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert Subscriber.objects.get(email="bekend@example.net").status == Subscriber.Status.CONFIRMED


@pytest.mark.django_db
def test_repeated_sign_ups_do_not_flood_the_inbox(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    for variant in ["lezer@example.net", "LEZER@example.net ", " lezer@EXAMPLE.net"]:
        sign_up(client, variant, django_capture_on_commit_callbacks)
    assert Subscriber.objects.count() == 1
    assert len(mail.outbox) == 1, "one confirmation per ten minutes"


@pytest.mark.django_db
def test_sign_ups_are_rate_limited_per_connection(
    client: Client, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.NEWSLETTER_SIGNUP_LIMIT = 2
    for i in range(2):
        assert (
            sign_up(client, f"lezer{i}@example.net", django_capture_on_commit_callbacks).status_code
            == 302
        )
    response = sign_up(client, "lezer9@example.net", django_capture_on_commit_callbacks)
    assert response.status_code == 429
    assert b"lezer9@example.net" in response.content, "what was typed is kept"
    assert not Subscriber.objects.filter(email="lezer9@example.net").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Vul uw e-mailadres in"),
        ("geen-adres", "geen geldig e-mailadres"),
        ("lezer@example", "geen geldig e-mailadres"),
        ("info@bedrijf.nl", "gedeeld adres"),
    ],
)
def test_bad_addresses_get_a_clear_message(client: Client, email: str, message: str) -> None:
    response = client.post(SIGNUP, {"email": email})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Subscriber.objects.exists()


@pytest.mark.django_db
def test_tampered_and_expired_links_get_a_friendly_page(client: Client, settings: Any) -> None:
    subscriber = Subscriber.objects.create(email="lezer@example.net")
    token = tokens.make_confirm_token(subscriber.pk, subscriber.email)
    tampered = client.get(reverse("newsletter:confirm", args=[token[:-2] + "xx"]))
    assert tampered.status_code == 400 and "werkt niet" in tampered.content.decode()
    settings.NEWSLETTER_CONFIRM_MAX_AGE = -1
    expired = client.post(reverse("newsletter:confirm", args=[token]))
    assert expired.status_code == 400 and "verlopen" in expired.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING
    bad_unsubscribe = client.post(reverse("newsletter:unsubscribe", args=["nonsense"]))
    assert bad_unsubscribe.status_code == 400


@pytest.mark.django_db
def test_a_confirm_token_is_not_an_unsubscribe_token(client: Client) -> None:
    subscriber = Subscriber.objects.create(email="lezer@example.net")
    confirm_token = tokens.make_confirm_token(subscriber.pk, subscriber.email)
    assert client.post(reverse("newsletter:unsubscribe", args=[confirm_token])).status_code == 400
    with pytest.raises(signing.BadSignature):
        signing.loads(tokens.make_unsubscribe_token(subscriber.pk), salt=tokens.CONFIRM_SALT)


def confirmed(email: str = "lezer@example.net") -> Subscriber:
    return Subscriber.objects.create(
        email=email,
        status="confirmed",
        consent_at="2026-01-01T00:00Z",
        confirmed_at="2026-01-01T00:00Z",
    )


@pytest.mark.django_db
def test_unsubscribe_page_needs_a_press_and_offers_resubscribe() -> None:
    client = Client(enforce_csrf_checks=True)
    subscriber = confirmed()
    url = reverse("newsletter:unsubscribe", args=[tokens.make_unsubscribe_token(subscriber.pk)])
    assert client.get(url).status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED, (
        "a GET alone never unsubscribes"
    )
    response = client.post(url)
    assert response.status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED
    assert reverse("newsletter:resubscribe", args=[url.split("/")[-2]]) in response.content.decode()


@pytest.mark.django_db
def test_one_click_post_from_a_mail_program_unsubscribes_without_cookies() -> None:
    client = Client(enforce_csrf_checks=True)
    subscriber = confirmed()
    url = reverse("newsletter:unsubscribe", args=[tokens.make_unsubscribe_token(subscriber.pk)])
    response = client.post(
        url, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED and subscriber.left_at


@pytest.mark.django_db
def test_resubscribe_from_the_personal_link(client: Client) -> None:
    subscriber = services.unsubscribe(subscriber=confirmed())
    token = tokens.make_unsubscribe_token(subscriber.pk)
    response = client.post(reverse("newsletter:resubscribe", args=[token]))
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert (
        subscriber.status == Subscriber.Status.CONFIRMED
        and subscriber.consent_source == "resubscribe"
    )


@pytest.mark.django_db
def test_signed_in_users_subscribe_and_unsubscribe_from_their_profile(
    contributor_client: Client, contributor: User
) -> None:
    page = contributor_client.get(reverse("accounts:profile")).content.decode()
    assert reverse("newsletter:profile_subscription") in page
    contributor_client.post(reverse("newsletter:profile_subscription"), {"action": "subscribe"})
    subscriber = Subscriber.objects.get(email=contributor.email)
    assert (
        subscriber.status == Subscriber.Status.CONFIRMED and subscriber.consent_source == "profile"
    )
    assert (
        'value="unsubscribe"'
        in contributor_client.get(reverse("accounts:profile")).content.decode()
    )
    contributor_client.post(reverse("newsletter:profile_subscription"), {"action": "unsubscribe"})
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


@pytest.mark.django_db
def test_profile_switch_needs_login(client: Client) -> None:
    response = client.post(reverse("newsletter:profile_subscription"), {"action": "subscribe"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert not Subscriber.objects.exists()


@pytest.mark.django_db
def test_every_public_page_has_the_sign_up_form(client: Client) -> None:
    for url in ["/", reverse("newsletter:archive")]:
        assert 'id="footer-newsletter-email"' in client.get(url).content.decode()


@pytest.mark.django_db
def test_provider_bounces_and_complaints_suppress_the_subscriber() -> None:
    from anymail.signals import AnymailTrackingEvent

    bounced, complained, opened = (
        confirmed("a@example.net"),
        confirmed("b@example.net"),
        confirmed("c@example.net"),
    )
    for sub, kind in [(bounced, "bounced"), (complained, "complained"), (opened, "opened")]:
        event = AnymailTrackingEvent(event_type=kind, recipient=sub.email.upper())
        suppress_on_bounce(sender=None, event=event, esp_name="Test")
    statuses = dict(Subscriber.objects.values_list("email", "status"))
    assert statuses == {
        "a@example.net": "suppressed",
        "b@example.net": "suppressed",
        "c@example.net": "confirmed",
    }


@pytest.mark.django_db
def test_the_tracking_webhook_checks_its_secret_and_signature(
    client: Client, settings: Any
) -> None:
    import base64
    import hashlib
    import hmac
    import json

    settings.ANYMAIL = {"WEBHOOK_SECRET": "user:geheim", "MAILGUN_WEBHOOK_SIGNING_KEY": "key"}
    settings.PODIUM_ESP = "mailgun"
    sub = confirmed()
    url = "/nieuwsbrief/esp/mailgun/tracking/"
    auth = "Basic " + base64.b64encode(b"user:geheim").decode()
    event = {"event": "failed", "severity": "permanent", "recipient": sub.email, "timestamp": 1.0}
    forged = {"event-data": event, "signature": {"timestamp": "1", "token": "t", "signature": "00"}}
    for headers in ({}, {"HTTP_AUTHORIZATION": auth}):
        response = client.post(url, json.dumps(forged), content_type="application/json", **headers)
        assert response.status_code in (400, 401, 403)
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED
    signature = hmac.new(b"key", b"1t", hashlib.sha256).hexdigest()
    signed = {
        "event-data": event,
        "signature": {"timestamp": "1", "token": "t", "signature": signature},
    }
    response = client.post(
        url, json.dumps(signed), content_type="application/json", HTTP_AUTHORIZATION=auth
    )
    assert response.status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.SUPPRESSED


@pytest.mark.django_db
def test_only_the_configured_providers_webhook_answers(client: Client, settings: Any) -> None:
    """A forged bounce to another provider's (or an unsecured) webhook suppresses nobody."""
    sub = confirmed()
    settings.PODIUM_ESP = "mailgun"
    settings.ANYMAIL = {}
    assert (
        client.post(
            "/nieuwsbrief/esp/mailgun/tracking/", "{}", content_type="application/json"
        ).status_code
        == 404
    )
    settings.ANYMAIL = {"WEBHOOK_SECRET": "user:geheim"}
    for url in (
        "/nieuwsbrief/esp/postmark/tracking/",
        "/nieuwsbrief/esp/amazon_ses/tracking/",
        "/nieuwsbrief/esp/sendgrid/inbound/",
    ):
        assert client.post(url, "{}", content_type="application/json").status_code == 404
    assert Subscriber.objects.get(pk=sub.pk).status == Subscriber.Status.CONFIRMED
