"""The editors' newsletter pages: who may use them, the composer, import/export, progress."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from podium.accounts.models import User
from podium.articles.models import Article
from podium.editorial.services import pick_article
from podium.newsletter import services
from podium.newsletter.models import Delivery, Edition, Subscriber

from ..podium_helpers import bulk_publish
from .conftest import add_subscribers


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous_client", 302),
        ("contributor_client", 403),
        ("other_client", 403),
        ("editor_client", 200),
        ("admin_client", 200),
    ],
)
def test_only_editors_reach_the_newsletter_desk(request: Any, persona: str, expected: int) -> None:
    client: Client = request.getfixturevalue(persona)
    assert client.get(reverse("newsletter_desk:index")).status_code == expected
    assert client.get(reverse("newsletter_desk:export")).status_code == expected


@pytest.mark.django_db
def test_contributors_cannot_create_or_send_editions(
    contributor_client: Client, ready_edition: Edition
) -> None:
    assert contributor_client.post(reverse("newsletter_desk:create")).status_code == 403
    assert (
        contributor_client.post(
            reverse("newsletter_desk:send_now", args=[ready_edition.pk])
        ).status_code
        == 403
    )
    ready_edition.refresh_from_db()
    assert ready_edition.status == Edition.Status.DRAFT


@pytest.mark.django_db
def test_services_refuse_non_editors(contributor: User, ready_edition: Edition) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.create_edition(by=contributor)
    with pytest.raises(PermissionDenied):
        services.start_sending(edition=ready_edition, by=contributor)


@pytest.mark.django_db
def test_a_new_edition_starts_with_the_picks_since_the_last_sent_one(
    editor_client: Client, editor: User, picked: list[Article], contributor: User, topics: Any
) -> None:
    first = services.create_edition(by=editor)
    assert [i.article_id for i in first.items.order_by("position")] == [a.pk for a in picked]
    services.update_edition(edition=first, subject="Eerste", intro="", by=editor)
    services.start_sending(edition=first, by=editor)
    (later,) = bulk_publish(contributor, topics, 1, prefix="later")
    pick_article(article=later, kind="newsletter", by=editor)
    response = editor_client.post(reverse("newsletter_desk:create"))
    second = Edition.objects.exclude(pk=first.pk).get()
    assert response["Location"] == reverse("newsletter_desk:edition", args=[second.pk])
    assert [i.article_id for i in second.items.all()] == [later.pk]


@pytest.mark.django_db
def test_the_editor_reorders_removes_and_adds(
    editor_client: Client,
    ready_edition: Edition,
    picked: list[Article],
    contributor: User,
    topics: Any,
) -> None:
    items = list(ready_edition.items.order_by("position"))

    def url(name: str) -> str:
        return reverse(f"newsletter_desk:{name}", args=[ready_edition.pk])

    editor_client.post(url("move"), {"item": items[2].pk, "direction": "up"})

    def order() -> list[int]:
        return list(ready_edition.items.order_by("position").values_list("article_id", flat=True))

    assert order() == [picked[0].pk, picked[2].pk, picked[1].pk]
    editor_client.post(url("remove"), {"item": items[0].pk})
    assert order() == [picked[2].pk, picked[1].pk]
    (extra,) = bulk_publish(contributor, topics, 1, prefix="extra")
    editor_client.post(url("add"), {"article": extra.pk})
    assert order() == [picked[2].pk, picked[1].pk, extra.pk]
    response = editor_client.post(url("add"), {"article": extra.pk})
    assert response.status_code == 400 and "al in deze editie" in response.content.decode()
    response = editor_client.post(url("update"), {"subject": "Nieuw onderwerp", "intro": "Hallo"})
    ready_edition.refresh_from_db()
    assert ready_edition.subject == "Nieuw onderwerp"


@pytest.mark.django_db
def test_the_composer_page_previews_and_test_send(
    editor_client: Client, editor: User, ready_edition: Edition
) -> None:
    page = editor_client.get(reverse("newsletter_desk:edition", args=[ready_edition.pk]))
    assert page.status_code == 200 and "De week van Podium" in page.content.decode()
    html = editor_client.get(reverse("newsletter_desk:preview_html", args=[ready_edition.pk]))
    assert html.status_code == 200 and "<table" in html.content.decode()
    text = editor_client.get(reverse("newsletter_desk:preview_text", args=[ready_edition.pk]))
    assert (
        text["Content-Type"].startswith("text/plain")
        and "De week van Podium" in text.content.decode()
    )
    editor_client.post(reverse("newsletter_desk:test_send", args=[ready_edition.pk]))
    assert [m.to for m in mail.outbox] == [[editor.email]]


@pytest.mark.django_db
def test_send_now_and_the_progress(
    editor_client: Client, ready_edition: Edition, django_capture_on_commit_callbacks: Any
) -> None:
    add_subscribers(6)
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            reverse("newsletter_desk:send_now", args=[ready_edition.pk]), {"confirmed": "1"}
        )
    progress = editor_client.get(
        reverse("newsletter_desk:progress", args=[ready_edition.pk])
    ).json()
    assert progress == {
        "total": 6,
        "sent": 6,
        "failed": 0,
        "skipped": 0,
        "pending": 0,
        "done": 6,
        "percent": 100,
        "status": "sent",
    }
    page = editor_client.get(
        reverse("newsletter_desk:edition", args=[ready_edition.pk])
    ).content.decode()
    assert "<progress" in page and 'value="6"' in page
    archive = editor_client.get(reverse("newsletter:archive")).content.decode()
    assert ready_edition.get_absolute_url() in archive
    assert editor_client.get(ready_edition.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_send_now_asks_first_with_the_subject_and_the_number_of_recipients(
    editor_client: Client, ready_edition: Edition
) -> None:
    add_subscribers(6)
    url = reverse("newsletter_desk:send_now", args=[ready_edition.pk])
    asked = editor_client.post(url)
    page = asked.content.decode()
    assert asked.status_code == 200
    assert ready_edition.subject in page
    assert "6 bevestigde abonnees" in page
    assert "Ja, nu versturen naar 6 abonnees" in page
    assert 'name="confirmed" value="1"' in page
    ready_edition.refresh_from_db()
    assert ready_edition.status == Edition.Status.DRAFT
    assert not Delivery.objects.exists()
    editor_client.post(url, {"confirmed": "1"})
    ready_edition.refresh_from_db()
    assert ready_edition.status != Edition.Status.DRAFT
    assert Delivery.objects.count() == 6


@pytest.mark.django_db
def test_send_at_asks_first_with_the_time_subject_and_recipients(
    editor_client: Client, ready_edition: Edition
) -> None:
    add_subscribers(2)
    url = reverse("newsletter_desk:schedule", args=[ready_edition.pk])
    asked = editor_client.post(url, {"send_at": "2099-01-01T09:00"})
    page = asked.content.decode()
    assert asked.status_code == 200
    assert ready_edition.subject in page and "2 bevestigde abonnees" in page
    assert "1 januari 2099, 09:00" in page
    assert 'name="send_at" value="2099-01-01T09:00"' in page
    ready_edition.refresh_from_db()
    assert ready_edition.status == Edition.Status.DRAFT
    editor_client.post(url, {"send_at": "2099-01-01T09:00", "confirmed": "1"})
    ready_edition.refresh_from_db()
    assert ready_edition.status == Edition.Status.SCHEDULED


@pytest.mark.django_db
def test_an_incomplete_edition_is_not_sent(editor_client: Client, editor: User) -> None:
    edition = services.create_edition(by=editor)
    response = editor_client.post(
        reverse("newsletter_desk:send_now", args=[edition.pk]), follow=True
    )
    assert "Schrijf eerst een onderwerp" in response.content.decode()
    assert not Delivery.objects.exists()


@pytest.mark.django_db
def test_send_at_schedules_and_can_be_cancelled(
    editor_client: Client, ready_edition: Edition
) -> None:
    url = reverse("newsletter_desk:schedule", args=[ready_edition.pk])
    past = editor_client.post(url, {"send_at": "2001-01-01T09:00"})
    assert past.status_code == 400 and "in de toekomst" in past.content.decode()
    editor_client.post(url, {"send_at": "2099-01-01T09:00", "confirmed": "1"})
    ready_edition.refresh_from_db()
    assert ready_edition.status == Edition.Status.SCHEDULED and ready_edition.scheduled_at
    editor_client.post(reverse("newsletter_desk:unschedule", args=[ready_edition.pk]))
    ready_edition.refresh_from_db()
    assert ready_edition.status == Edition.Status.DRAFT


@pytest.mark.django_db
def test_unsent_editions_are_not_in_the_public_archive(
    client: Client, ready_edition: Edition
) -> None:
    assert client.get(ready_edition.get_absolute_url()).status_code == 404
    assert (
        client.get(reverse("newsletter_desk:edition", args=[ready_edition.pk])).status_code == 302
    )


@pytest.mark.django_db
def test_export_then_import_round_trip(editor_client: Client, editor: User) -> None:
    add_subscribers(3)
    add_subscribers(1, prefix="wacht", status=Subscriber.Status.PENDING)
    response = editor_client.get(reverse("newsletter_desk:export"))
    body = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 4 and rows[0]["consent_text"] == "Ja"
    Subscriber.objects.all().delete()
    upload = SimpleUploadedFile("abonnees.csv", body.encode("utf-8"), content_type="text/csv")
    page = editor_client.post(reverse("newsletter_desk:import"), {"file": upload})
    assert page.status_code == 200
    assert Subscriber.objects.confirmed().count() == 3
    assert "wacht0@example.net" in page.content.decode(), "the pending row is reported as skipped"


@pytest.mark.django_db
def test_import_keeps_only_rows_with_consent_and_says_why(editor: User) -> None:
    add_subscribers(1, prefix="bestaand")
    data = (
        b"email;consent_at;consent_text\n"
        b"nieuw@example.net;2025-03-01T10:00:00+01:00;Ja, stuur mij de nieuwsbrief\n"
        b" NIEUW@example.net ;2025-03-01;Ja\n"
        b"geen-toestemming@example.net;;\n"
        b"kapot-adres;2025-03-01;Ja\n"
        b"info@bedrijf.nl;2025-03-01;Ja\n"
        b"bestaand0@example.net;2025-03-01;Ja\n"
    )
    report = services.import_subscribers(data=data, by=editor)
    assert report.imported == 1
    reasons = {row: reason for row, _email, reason in report.skipped}
    assert set(reasons) == {3, 4, 5, 6, 7}
    assert "rij 2" in reasons[3]
    assert "toestemming" in reasons[4]
    assert "geen geldig" in reasons[5]
    assert "gedeeld adres" in reasons[6]
    assert "al in de lijst" in reasons[7]
    new = Subscriber.objects.get(email="nieuw@example.net")
    assert new.status == Subscriber.Status.CONFIRMED and new.consent_text.startswith("Ja")


@pytest.mark.django_db
def test_import_refuses_a_file_without_an_email_column(editor_client: Client) -> None:
    upload = SimpleUploadedFile(
        "x.csv", b"naam,adres\nAnna,a@example.net\n", content_type="text/csv"
    )
    response = editor_client.post(reverse("newsletter_desk:import"), {"file": upload})
    assert response.status_code == 400 and "kolom" in response.content.decode()


@pytest.mark.django_db
def test_the_desk_shows_the_subscriber_chart(editor_client: Client) -> None:
    add_subscribers(4)
    page = editor_client.get(reverse("newsletter_desk:index")).content.decode()
    assert "<svg" in page and "<polyline" in page and "4 bevestigd" in page


@pytest.mark.django_db
@pytest.mark.parametrize("n", [5, 50])
def test_list_pages_have_a_fixed_number_of_queries(
    n: int, editor_client: Client, editor: User, client: Client, django_assert_num_queries: Any
) -> None:
    add_subscribers(n)
    for i in range(n):
        edition = Edition.objects.create(created_by=editor, subject=f"Editie {i}")
        if i % 2:
            Edition.objects.filter(pk=edition.pk).update(
                status="sent", started_at=edition.created_at, finished_at=edition.created_at
            )
    editor_client.get(reverse("newsletter_desk:index"))  # warm the session
    with django_assert_num_queries(QUERIES["desk"]):
        editor_client.get(reverse("newsletter_desk:index"))
    with django_assert_num_queries(QUERIES["archive"]):
        client.get(reverse("newsletter:archive"))


QUERIES = {"desk": 7, "archive": 2}  # the desk: signed in, the session from the cache (cached_db)
