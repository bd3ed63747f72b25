"""A subscriber's own data without an account: the personal link, the export, and deletion."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from podium.accounts.models import User
from podium.newsletter import services, subscriber_data, suppression, tokens
from podium.newsletter.models import Delivery, Edition, Subscriber, SuppressedAddress
from podium.newsletter.rendering import render_edition
from podium.newsletter.webhooks import suppress_on_bounce

from ..privacy.tables import tables_mentioning

pytestmark = pytest.mark.django_db

REQUEST = "/nieuwsbrief/mijn-gegevens/"
EMAIL = "lezer@example.net"


def subscriber_with_history(editor: User, email: str = EMAIL) -> Subscriber:
    """A confirmed subscriber who received one edition, had one bounce, and another pending."""
    now = timezone.now()
    subscriber = Subscriber.objects.create(
        email=email,
        status=Subscriber.Status.CONFIRMED,
        consent_at=now - timedelta(days=30),
        consent_source=Subscriber.Source.PAGE,
        consent_text="Ja, stuur mij de nieuwsbrief.",
        confirmation_sent_at=now - timedelta(days=30),
        confirmed_at=now - timedelta(days=29),
        bounce_score=1,
    )
    sent = Edition.objects.create(
        subject="De week van Podium",
        created_by=editor,
        status=Edition.Status.SENT,
        started_at=now - timedelta(days=7),
        finished_at=now - timedelta(days=7),
    )
    sending = Edition.objects.create(
        subject="Nog een week", created_by=editor, status=Edition.Status.SENDING, started_at=now
    )
    Delivery.objects.create(
        edition=sent,
        subscriber=subscriber,
        status=Delivery.Status.SENT,
        due_at=sent.started_at,
        sent_at=sent.started_at,
        attempts=2,
        last_error="451 probeer later",
    )
    Delivery.objects.create(edition=sending, subscriber=subscriber, due_at=now)
    return subscriber


def ask_for_link(client: Client, email: str, capture: Any) -> Any:
    with capture(execute=True):
        return client.post(REQUEST, {"email": email})


def link_from_mail() -> str:
    (message,) = mail.outbox
    found = re.search(r"https?://[^/\s]+(/nieuwsbrief/mijn-gegevens/[^/\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


def data_url(subscriber: Subscriber) -> str:
    return reverse(
        "newsletter:my_data", args=[tokens.make_data_token(subscriber.pk, subscriber.email)]
    )


# --- Asking for the link ---------------------------------------------------------------------------


def test_the_form_is_on_the_newsletter_page_and_linked_from_everywhere_it_should_be(
    client: Client, editor: User
) -> None:
    page = client.get("/nieuwsbrief/").content.decode()
    assert "Mijn nieuwsbriefgegevens" in page and f'action="{REQUEST}"' in page
    assert 'id="data_email"' in page and 'id="id_email"' in page, "two forms, distinct ids"
    assert "Mijn nieuwsbriefgegevens" in client.get(REQUEST).content.decode()
    subscriber = subscriber_with_history(editor)
    unsubscribe = reverse(
        "newsletter:unsubscribe", args=[tokens.make_unsubscribe_token(subscriber.pk)]
    )
    assert REQUEST in client.get(unsubscribe).content.decode()
    assert REQUEST in client.post(unsubscribe).content.decode()
    html, text = render_edition(Edition.objects.get(subject="De week van Podium"), [])
    assert f"{REQUEST}" in html and f"{REQUEST}" in text
    assert REQUEST in client.get("/privacy/").content.decode()


def test_a_known_address_gets_a_personal_link_by_email(
    client: Client, editor: User, django_capture_on_commit_callbacks: Any
) -> None:
    subscriber_with_history(editor)
    response = ask_for_link(client, " Lezer@Example.NET ", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == reverse("newsletter:my_data_sent")
    (message,) = mail.outbox
    assert message.to == [EMAIL]
    assert "nieuwsbriefgegevens" in message.subject.lower()
    assert EMAIL not in link_from_mail(), "the address is not in the link"
    assert client.get(link_from_mail()).status_code == 200


def test_the_answer_is_the_same_whether_or_not_the_address_is_known(
    client: Client, editor: User, django_capture_on_commit_callbacks: Any
) -> None:
    subscriber_with_history(editor)
    known = ask_for_link(client, EMAIL, django_capture_on_commit_callbacks)
    unknown = ask_for_link(client, "onbekend@example.net", django_capture_on_commit_callbacks)
    role = ask_for_link(client, "info@example.net", django_capture_on_commit_callbacks)
    assert {(r.status_code, r["Location"]) for r in (known, unknown, role)} == {
        (302, reverse("newsletter:my_data_sent"))
    }
    assert [m.to for m in mail.outbox] == [[EMAIL]], "only a subscriber's address gets mail"
    assert not Subscriber.objects.filter(email="onbekend@example.net").exists()


def test_the_sent_page_does_not_say_whether_the_address_is_known(client: Client) -> None:
    page = client.get(reverse("newsletter:my_data_sent")).content.decode()
    assert "Als de nieuwsbrief gegevens over dit adres heeft" in page


def test_a_bad_address_gets_a_clear_message(client: Client) -> None:
    response = client.post(REQUEST, {"email": "geen-adres"})
    assert response.status_code == 400 and "geen geldig e-mailadres" in response.content.decode()
    assert client.post(REQUEST, {}).status_code == 400


def test_requests_are_rate_limited_like_sign_ups(
    client: Client, editor: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.NEWSLETTER_SIGNUP_LIMIT = 2
    subscriber_with_history(editor)
    for i in range(2):
        response = ask_for_link(client, f"x{i}@example.net", django_capture_on_commit_callbacks)
        assert response.status_code == 302
    refused = ask_for_link(client, EMAIL, django_capture_on_commit_callbacks)
    assert refused.status_code == 429 and EMAIL in refused.content.decode()
    assert mail.outbox == []
    # The sign-up form keeps its own count.
    assert client.post("/nieuwsbrief/", {"email": "nieuw@example.net"}).status_code == 302


def test_one_address_gets_at_most_one_link_every_few_minutes(
    client: Client, editor: User, django_capture_on_commit_callbacks: Any
) -> None:
    subscriber_with_history(editor)
    for _ in range(3):
        ask_for_link(client, EMAIL, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1


def test_the_task_stores_no_address(editor: User) -> None:
    subscriber = subscriber_with_history(editor)
    from podium.newsletter.tasks import send_data_link

    result = send_data_link.enqueue(subscriber.pk, "nl")
    assert EMAIL not in json.dumps([result.args, result.kwargs])


# --- The page behind the link ----------------------------------------------------------------------


def test_the_page_shows_both_actions_as_posts_and_a_get_changes_nothing(editor: User) -> None:
    subscriber = subscriber_with_history(editor)
    client = Client(enforce_csrf_checks=True)
    url = data_url(subscriber)
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert EMAIL in page
    assert f'action="{url}download/"' in page and f'action="{url}verwijderen/"' in page
    assert page.count('method="post"') >= 2
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    for action in ("download/", "verwijderen/"):
        assert client.get(url + action).status_code == 405
        assert client.post(url + action, {"confirm": "on"}).status_code == 403, "CSRF"
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()
    assert Delivery.objects.filter(subscriber=subscriber).count() == 2


def test_the_download_holds_everything_the_newsletter_knows(client: Client, editor: User) -> None:
    subscriber = subscriber_with_history(editor)
    response = client.post(data_url(subscriber) + "download/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="podium-nieuwsbrief-{today}.json"'
    )
    data = json.loads(response.content)["newsletter"]
    assert data["subscriber"]["email"] == EMAIL and data["subscriber"]["status"] == "confirmed"
    assert data["consent"]["text"] == "Ja, stuur mij de nieuwsbrief."
    assert data["consent"]["form"] == "page" and data["consent"]["given_at"]
    assert data["consent"]["confirmed_at"]
    assert data["leaving_and_bounces"]["bounce_score"] == 1
    deliveries = {d["edition_subject"]: d for d in data["deliveries"]}
    assert set(deliveries) == {"De week van Podium", "Nog een week"}
    sent = deliveries["De week van Podium"]
    assert sent["status"] == "sent" and sent["sent_at"] and sent["attempts"] == 2
    assert sent["last_error"] == "451 probeer later"
    events = [h["event"] for h in data["history"]]
    assert {"added", "consent_given", "confirmation_email_sent", "confirmed"} <= set(events)
    assert f"edition {sent['edition']} sent" in events
    assert [h["at"] for h in data["history"]] == sorted(h["at"] for h in data["history"])
    # Every column of the subscriber row is in the export, under one name or another.
    flat = json.dumps(data)
    for field in Subscriber._meta.concrete_fields:
        value = getattr(subscriber, field.attname)
        if isinstance(value, str) and value:
            assert value in flat, field.name


def test_deleting_needs_the_box_ticked(client: Client, editor: User) -> None:
    subscriber = subscriber_with_history(editor)
    response = client.post(data_url(subscriber) + "verwijderen/", {})
    assert response.status_code == 400 and "Vink het vakje aan" in response.content.decode()
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()


def test_deleting_leaves_nothing_about_the_address_in_any_table(
    client: Client, editor: User
) -> None:
    subscriber = subscriber_with_history(editor)
    Subscriber.objects.filter(pk=subscriber.pk).update(suppressed_reason=f"bounce voor {EMAIL}")
    url = data_url(subscriber)
    response = client.post(url + "verwijderen/", {"confirm": "on"})
    assert response.status_code == 200
    assert "verwijderd" in response.content.decode()
    assert not Subscriber.objects.filter(pk=subscriber.pk).exists()
    assert not Delivery.objects.filter(subscriber_id=subscriber.pk).exists()
    assert tables_mentioning([EMAIL, "lezer@", "451 probeer later"]) == []
    assert Edition.objects.count() == 2, "the editions themselves stay"
    # What stays is the keyed hash, and it is not the address in any readable form.
    (kept,) = SuppressedAddress.objects.all()
    assert kept.digest == suppression.digest(EMAIL) and EMAIL not in kept.digest
    # The link is dead now, and says so kindly.
    after = client.get(url)
    assert after.status_code == 400 and "werkt niet" in after.content.decode()


def test_a_deleted_address_is_not_imported_again_but_may_sign_up_again(
    client: Client, editor: User, django_capture_on_commit_callbacks: Any
) -> None:
    subscriber_data.erase(subscriber_with_history(editor))
    csv = f"email,consent_at,consent_text\n{EMAIL.upper()},2026-01-01,Ja\nander@example.net,2026-01-01,Ja\n"
    report = services.import_subscribers(data=csv.encode(), by=editor)
    assert report.imported == 1
    assert [row[1] for row in report.skipped] == [EMAIL.upper()]
    assert "verwijderen" in report.skipped[0][2] or "delete" in report.skipped[0][2]
    # A new sign-up is the person's own, fresh consent: confirming it lifts the suppression.
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/nieuwsbrief/", {"email": EMAIL})
    token = re.search(r"/bevestigen/([^/\s]+)/", mail.outbox[-1].body).group(1)  # type: ignore[union-attr]
    services.confirm(token=token)
    assert not suppression.is_suppressed(EMAIL)


def test_a_bounce_for_a_deleted_address_keeps_it_suppressed(editor: User) -> None:
    from anymail.signals import AnymailTrackingEvent

    suppress_on_bounce(
        sender=None,
        event=AnymailTrackingEvent(event_type="complained", recipient="Weg@Example.net"),
        esp_name="Test",
    )
    assert suppression.is_suppressed("weg@example.net")
    assert not Subscriber.objects.exists()


def test_the_suppression_list_survives_a_secret_key_rotation(settings: Any) -> None:
    suppression.remember(EMAIL)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "een-nieuwe-geheime-sleutel-" + "x" * 40
    assert suppression.is_suppressed(EMAIL)
    assert suppression.suppressed_among([EMAIL, "ander@example.net"]) == {EMAIL}
    assert suppression.forget(EMAIL) == 1 and not suppression.is_suppressed(EMAIL)


# --- Bad links -------------------------------------------------------------------------------------


def test_a_tampered_link_gets_the_friendly_page(client: Client, editor: User) -> None:
    url = data_url(subscriber_with_history(editor))
    tampered = url[:-4] + "xx" + url[-2:]
    for path in (tampered, tampered + "download/", tampered + "verwijderen/"):
        response = client.get(path) if path == tampered else client.post(path, {"confirm": "on"})
        assert response.status_code == 400
        page = response.content.decode()
        assert "werkt niet" in page and f'action="{REQUEST}"' in page
    assert Subscriber.objects.count() == 1


def test_an_expired_link_gets_the_friendly_page(
    client: Client, editor: User, settings: Any
) -> None:
    url = data_url(subscriber_with_history(editor))
    settings.NEWSLETTER_DATA_LINK_MAX_AGE = -1
    for response in (client.get(url), client.post(url + "verwijderen/", {"confirm": "on"})):
        assert response.status_code == 400 and "verlopen" in response.content.decode()
    assert Subscriber.objects.count() == 1


def test_other_links_do_not_open_the_data(client: Client, editor: User) -> None:
    subscriber = subscriber_with_history(editor)
    for token in (
        tokens.make_confirm_token(subscriber.pk, subscriber.email),
        tokens.make_unsubscribe_token(subscriber.pk),
    ):
        assert client.get(reverse("newsletter:my_data", args=[token])).status_code == 400
    with pytest.raises(signing.BadSignature):
        signing.loads(
            tokens.make_data_token(subscriber.pk, subscriber.email), salt=tokens.CONFIRM_SALT
        )


def test_a_link_for_an_old_address_stays_dead(client: Client, editor: User) -> None:
    subscriber = subscriber_with_history(editor)
    url = data_url(subscriber)
    Subscriber.objects.filter(pk=subscriber.pk).update(email="nieuw@example.net")
    assert client.get(url).status_code == 400


# --- Managing the subscription from the site (the footer link) --------------------------------------


def test_every_page_footer_links_to_managing_the_subscription(client: Client) -> None:
    for path in ("/", "/onderwerpen/", REQUEST):
        page = client.get(path).content.decode()
        footer = page.split('class="site-footer"', 1)[1]
        assert f'<a href="{REQUEST}">Al geabonneerd? Beheer uw abonnement</a>' in footer, path


def test_the_personal_link_unsubscribes_and_subscribes_again(
    client: Client, editor: User, django_capture_on_commit_callbacks: Any
) -> None:
    subscriber = subscriber_with_history(editor)
    ask_for_link(client, EMAIL, django_capture_on_commit_callbacks)
    page_url = link_from_mail()
    page = client.get(page_url).content.decode()
    assert "De nieuwsbrief gaat naar dit adres." in page and ">Afmelden<" in page
    action = page_url + "abonnement/"
    response = client.post(action, {"action": "unsubscribe"}, follow=True)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert "U bent afgemeld" in response.content.decode()
    client.post(action, {"action": "resubscribe"})
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


def test_the_subscription_cannot_be_changed_without_a_valid_link(
    client: Client, editor: User
) -> None:
    subscriber = subscriber_with_history(editor)
    response = client.post(REQUEST + "niet-geldig/abonnement/", {"action": "unsubscribe"})
    assert response.status_code in (400, 404)
    assert client.get(data_url(subscriber) + "abonnement/").status_code == 405
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
