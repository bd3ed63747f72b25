"""Privacy rights: export everything, delete the account, nothing personal left in any table."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from django.utils.translation import gettext as _

from podium.accounts.models import User
from podium.articles.models import Article
from podium.core import storage
from podium.newsletter import services as newsletter_services
from podium.newsletter import suppression
from podium.newsletter.models import Delivery, Edition, Subscriber
from podium.privacy import services
from podium.privacy import services as privacy_services

from ..podium_helpers import PASSWORD, ArticleBuilder, make_user
from .tables import tables_mentioning

pytestmark = pytest.mark.django_db


def _personal_strings(user: User) -> list[str]:
    return [user.email, user.display_name, user.bio, user.job_title, user.organisation]


@pytest.fixture
def writer(contributor: User, make_article: ArticleBuilder, editor: User) -> User:
    contributor.photo.save("anna.jpg", ContentFile(b"\xff\xd8\xff\xe0 photo"), save=True)
    make_article(contributor, Article.State.PUBLISHED, title="Gepubliceerd stuk van Anna")
    make_article.draft(contributor, title="Concept van Anna")
    Subscriber.objects.create(email=contributor.email, user=contributor)
    return contributor


def test_export_holds_profile_articles_events_and_photo(writer: User, client_for: Any) -> None:
    response = client_for(writer).post("/profiel/mijn-gegevens/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="podium-gegevens-{today}.zip"'
    archive = zipfile.ZipFile(io.BytesIO(response.getvalue()))
    data = json.loads(archive.read("data.json"))
    assert data["profile"]["email"] == writer.email and "password" not in data["profile"]
    assert {a["title"] for a in data["articles"]} == {
        "Gepubliceerd stuk van Anna",
        "Concept van Anna",
    }
    assert all(a["revisions"] for a in data["articles"] if a["state"] != "draft")
    assert any(a["events"] for a in data["articles"])
    assert data["newsletter"][0]["subscriber"]["email"] == writer.email
    names = archive.namelist()
    assert sum(n.startswith("articles/") for n in names) == 2
    assert any(n.startswith("photo/") for n in names)
    # Kept as a private file, so any web machine can hand it out (and a presigned link can
    # point to it); only the latest export of a member is kept.
    stored = list(storage.walk(storage.private_storage(), f"exports/{writer.pk}"))
    assert len(stored) == 1 and stored[0].endswith(f"podium-gegevens-{today}.zip")
    client_for(writer).post("/profiel/mijn-gegevens/download/")
    assert len(list(storage.walk(storage.private_storage(), f"exports/{writer.pk}"))) == 1


def test_old_data_exports_are_deleted_by_retention(writer: User, client_for: Any) -> None:
    client_for(writer).post("/profiel/mijn-gegevens/download/")
    assert services.enforce_retention()["data_exports"] == 0
    with mock.patch.object(services, "EXPORT_KEEP", timedelta(seconds=-60)):
        assert services.enforce_retention()["data_exports"] == 1
    assert not list(storage.walk(storage.private_storage(), "exports"))


def test_export_is_post_only_and_for_the_signed_in(writer: User, client: Client) -> None:
    assert client.post("/profiel/mijn-gegevens/download/").status_code == 302
    assert Client().get("/profiel/mijn-gegevens/download/").status_code in (302, 405)


def test_deleting_keeps_published_articles_under_former_author_and_leaves_nothing_personal(
    writer: User, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    needles = _personal_strings(writer)
    photo = writer.photo.path
    client = client_for(writer)
    client.post("/profiel/mijn-gegevens/download/")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/profiel/mijn-gegevens/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=writer.pk).exists()
    kept = Article.objects.get(title="Gepubliceerd stuk van Anna")
    assert (
        kept.author.email == services.FORMER_AUTHOR_EMAIL
        and not kept.author.photo
        and not kept.author.slug
    )
    assert not Article.objects.filter(title="Concept van Anna").exists()
    assert tables_mentioning(needles) == []
    import os

    # The files went from the store too, once the deletion committed.
    assert not os.path.exists(photo)
    assert not list(storage.walk(storage.private_storage()))


def test_deleting_with_the_remove_policy_removes_the_articles(
    monkeypatch: pytest.MonkeyPatch, writer: User, settings: Any, client_for: Any
) -> None:
    monkeypatch.setattr(privacy_services, "DELETED_AUTHOR_ARTICLES", "remove")
    needles = _personal_strings(writer)
    client_for(writer).post("/profiel/mijn-gegevens/", {"password": PASSWORD, "confirm": "on"})
    assert not Article.objects.filter(title__contains="Anna").exists()
    assert tables_mentioning(needles) == []


def test_a_wrong_password_deletes_nothing(writer: User, client_for: Any) -> None:
    response = client_for(writer).post(
        "/profiel/mijn-gegevens/", {"password": "fout", "confirm": "on"}
    )
    assert response.status_code == 400
    assert _("That password is not right.") in response.content.decode()
    assert (
        User.objects.filter(pk=writer.pk).exists()
        and Article.objects.filter(author=writer).count() == 2
    )


def test_deletion_needs_the_confirmation_box(writer: User, client_for: Any) -> None:
    assert (
        client_for(writer).post("/profiel/mijn-gegevens/", {"password": PASSWORD}).status_code
        == 400
    )
    assert User.objects.filter(pk=writer.pk).exists()


def test_nobody_deletes_someone_elses_account(writer: User, other_contributor: User) -> None:
    with pytest.raises(PermissionError):
        services.delete_account(user=writer, by=other_contributor, password=PASSWORD)
    assert User.objects.filter(pk=writer.pk).exists()


def test_privacy_statement_says_what_is_kept_and_how_long(client: Client) -> None:
    html = client.get("/privacy/").content.decode()
    assert "14" in html and "30" in html
    assert "/privacy/" in client.get("/").content.decode()


def test_retention_deletes_old_unverified_accounts_and_unconfirmed_subscribers(db: None) -> None:
    old = timezone.now() - timedelta(days=30)
    stale = User.objects.create_user("oud@example.org", PASSWORD)
    User.objects.filter(pk=stale.pk).update(date_joined=old)
    fresh = User.objects.create_user("vers@example.org", PASSWORD)
    verified = make_user("geverifieerd@example.org")
    User.objects.filter(pk=verified.pk).update(date_joined=old)
    pending = Subscriber.objects.create(email="wacht@example.org")
    Subscriber.objects.filter(pk=pending.pk).update(created_at=old)
    counts = services.enforce_retention()
    assert counts["unverified_accounts"] >= 1 and counts["unconfirmed_subscribers"] == 1
    assert not User.objects.filter(pk=stale.pk).exists()
    assert User.objects.filter(pk__in=[fresh.pk, verified.pk]).count() == 2
    assert not Subscriber.objects.filter(pk=pending.pk).exists()


def _left(email: str, status: str, *, days_ago: int, edition: Edition) -> Subscriber:
    """A subscriber who was confirmed, received an edition, and left `days_ago` days ago."""
    left = timezone.now() - timedelta(days=days_ago)
    subscriber = Subscriber.objects.create(
        email=email,
        status=status,
        consent_at=left - timedelta(days=100),
        consent_source=Subscriber.Source.PAGE,
        consent_text="Ja, stuur mij de nieuwsbrief.",
        confirmed_at=left - timedelta(days=100),
        left_at=left,
        suppressed_reason="smtp: 550 no such user" if status == "suppressed" else "",
    )
    Delivery.objects.create(
        edition=edition,
        subscriber=subscriber,
        status=Delivery.Status.SENT,
        due_at=edition.started_at,
        sent_at=edition.started_at,
    )
    return subscriber


@pytest.fixture
def sent_edition(editor: User) -> Edition:
    started = timezone.now() - timedelta(days=200)
    return Edition.objects.create(
        subject="De week van Podium",
        created_by=editor,
        status=Edition.Status.SENT,
        started_at=started,
        finished_at=started,
    )


def test_retention_deletes_former_subscribers_and_keeps_only_a_hash(
    monkeypatch: pytest.MonkeyPatch, sent_edition: Edition, editor: User, settings: Any
) -> None:
    monkeypatch.setattr(privacy_services, "RETAIN_UNSUBSCRIBED_DAYS", 30)
    unsubscribed = _left("weg@example.org", "unsubscribed", days_ago=31, edition=sent_edition)
    bounced = _left("stuk@example.org", "suppressed", days_ago=45, edition=sent_edition)
    recent = _left("onlangs@example.org", "unsubscribed", days_ago=29, edition=sent_edition)
    reader = _subscribed(editor, "lezer@example.org")
    Delivery.objects.create(
        edition=sent_edition, subscriber=reader, due_at=timezone.now(), status="pending"
    )

    counts = services.enforce_retention()

    assert counts["former_subscribers"] == 2 and counts["former_subscriber_deliveries"] == 2
    assert set(Subscriber.objects.values_list("email", flat=True)) == {recent.email, reader.email}
    assert set(Delivery.objects.values_list("subscriber__email", flat=True)) == {
        recent.email,
        reader.email,
    }
    # Nothing readable is left of the two; an old list cannot sign them up again.
    assert tables_mentioning([unsubscribed.email, bounced.email]) == []
    assert suppression.is_suppressed(unsubscribed.email) and suppression.is_suppressed(
        bounced.email
    )
    assert not suppression.is_suppressed(recent.email)
    data = (
        "email,consent_at,consent_text\n"
        f"{unsubscribed.email},2025-01-01,Ja\n{bounced.email},2025-01-01,Ja\n"
    )
    report = newsletter_services.import_subscribers(data=data.encode(), by=editor)
    assert report.imported == 0 and len(report.skipped) == 2
    # A second run finds nothing more to do.
    assert services.enforce_retention()["former_subscribers"] == 0


def test_the_retention_of_former_subscribers_is_a_setting(
    monkeypatch: pytest.MonkeyPatch, sent_edition: Edition, settings: Any
) -> None:
    _left("weg@example.org", "unsubscribed", days_ago=8, edition=sent_edition)
    monkeypatch.setattr(privacy_services, "RETAIN_UNSUBSCRIBED_DAYS", 10)
    assert services.enforce_retention()["former_subscribers"] == 0
    monkeypatch.setattr(privacy_services, "RETAIN_UNSUBSCRIBED_DAYS", 7)
    assert services.enforce_retention()["former_subscribers"] == 1
    assert not Subscriber.objects.exists()


def test_the_statement_gives_the_retention_of_former_subscribers(
    monkeypatch: pytest.MonkeyPatch, client: Client, settings: Any
) -> None:
    monkeypatch.setattr(privacy_services, "RETAIN_UNSUBSCRIBED_DAYS", 45)
    dutch = client.get("/privacy/").content.decode()
    assert (
        "na uw afmelding, of nadat we stoppen met sturen door bounces of een klacht, nog 45 dagen"
        in dutch
    )
    assert "door u of na de termijn hierboven" in dutch
    english = client.get("/en/privacy/").content.decode()
    assert (
        "after you unsubscribe, or after we stop sending because of bounces or a complaint, 45 more days"
        in english
    )
    monkeypatch.setattr(privacy_services, "RETAIN_UNSUBSCRIBED_DAYS", 1)
    assert "nog 1 dag (" in client.get("/privacy/").content.decode()


# --- Newsletter data of members ------------------------------------------------------------------


def _subscribed(user: User, email: str | None = None) -> Subscriber:
    now = timezone.now()
    return Subscriber.objects.create(
        email=(email or user.email).lower(),
        user=user,
        status=Subscriber.Status.CONFIRMED,
        consent_at=now,
        consent_source=Subscriber.Source.PROFILE,
        consent_text="Ja",
        confirmed_at=now,
    )


def test_my_data_shows_the_newsletter_section_only_to_subscribers(
    contributor: User, client_for: Any
) -> None:
    client = client_for(contributor)
    assert "Uw nieuwsbriefgegevens" not in client.get("/profiel/mijn-gegevens/").content.decode()
    _subscribed(contributor)
    page = client.get("/profiel/mijn-gegevens/").content.decode()
    assert "Uw nieuwsbriefgegevens" in page and contributor.email in page
    assert 'action="/profiel/mijn-gegevens/nieuwsbrief/download/"' in page
    assert 'action="/profiel/mijn-gegevens/nieuwsbrief/verwijderen/"' in page


def test_members_download_their_newsletter_data(contributor: User, client_for: Any) -> None:
    _subscribed(contributor)
    response = client_for(contributor).post("/profiel/mijn-gegevens/nieuwsbrief/download/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    (subscription,) = json.loads(response.content)["newsletter"]
    assert subscription["subscriber"]["email"] == contributor.email
    assert subscription["consent"]["form"] == "profile"


def test_members_delete_their_newsletter_data_and_keep_their_account(
    contributor: User, other_contributor: User, client_for: Any
) -> None:
    _subscribed(contributor)
    theirs = _subscribed(other_contributor)
    url = "/profiel/mijn-gegevens/nieuwsbrief/verwijderen/"
    refused = client_for(contributor).post(url, {})
    assert refused.status_code == 400 and Subscriber.objects.count() == 2
    response = client_for(contributor).post(url, {"confirm": "on"})
    assert response.status_code == 302
    assert list(Subscriber.objects.all()) == [theirs], "only one's own subscription"
    assert User.objects.filter(pk=contributor.pk).exists()
    assert suppression.is_suppressed(contributor.email)


def test_the_newsletter_actions_need_a_signed_in_member(contributor: User, client: Client) -> None:
    _subscribed(contributor)
    for url in (
        "/profiel/mijn-gegevens/nieuwsbrief/download/",
        "/profiel/mijn-gegevens/nieuwsbrief/verwijderen/",
    ):
        response = client.post(url, {"confirm": "on"})
        assert response.status_code == 302 and "/login" in response["Location"]
    assert Subscriber.objects.count() == 1


def test_deleting_the_account_removes_subscriptions_under_an_old_address_too(
    writer: User, client_for: Any
) -> None:
    """Subscribed from the profile, then changed the account's address: both go."""
    old = _subscribed(writer, "oud-adres@example.org")
    data = json.loads(
        zipfile.ZipFile(
            io.BytesIO(client_for(writer).post("/profiel/mijn-gegevens/download/").getvalue())
        ).read("data.json")
    )
    assert {s["subscriber"]["email"] for s in data["newsletter"]} == {writer.email, old.email}
    needles = [*_personal_strings(writer), old.email]
    client_for(writer).post("/profiel/mijn-gegevens/", {"password": PASSWORD, "confirm": "on"})
    assert not Subscriber.objects.exists()
    assert tables_mentioning(needles) == []
    assert suppression.is_suppressed(writer.email) and suppression.is_suppressed(old.email)


def test_the_statement_explains_the_newsletter_rights_and_what_stays(client: Client) -> None:
    html = client.get("/privacy/").content.decode()
    assert 'href="/nieuwsbrief/mijn-gegevens/"' in html
    assert "vingerafdruk" in html and "niet opnieuw aanmelden" in html


def test_retention_deletes_expired_sessions_only(contributor: User) -> None:
    from podium.accounts.models import Session

    active, lapsed = Client(), Client()
    active.force_login(contributor)
    lapsed.force_login(contributor)
    Session.objects.filter(session_key=lapsed.cookies["sessionid"].value).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )
    assert services.enforce_retention()["expired_sessions"] == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [
        active.cookies["sessionid"].value
    ]


def test_the_deletion_says_the_name_leaves_the_copies_too(
    contributor: User, client_for: Any, client: Client
) -> None:
    sentence = "Ook uit alles wat van uw artikelen is gemaakt verdwijnt uw naam"
    assert sentence in client_for(contributor).get("/profiel/mijn-gegevens/").content.decode()
    assert sentence in client.get("/privacy/").content.decode()


def test_the_former_author_is_named_in_the_sites_language(writer: User, client_for: Any) -> None:
    client = client_for(writer)
    client.cookies["django_language"] = "en"
    client.post("/profiel/mijn-gegevens/", {"password": PASSWORD, "confirm": "on"})
    kept = Article.objects.get(title="Gepubliceerd stuk van Anna")
    assert kept.author.display_name == "voormalig auteur"


# --- Administrators delete an account through the admin ------------------------------------------


def test_an_administrator_deletes_an_author_in_the_admin_with_the_same_erasure(
    writer: User, admin_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    from podium.articles import search

    needles = _personal_strings(writer)
    photo = writer.photo.path
    url = f"/beheer/accounts/user/{writer.pk}/delete/"
    page = admin_client.get(url)
    assert page.status_code == 200 and "Gepubliceerd stuk van Anna" not in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=writer.pk).exists()
    kept = Article.objects.get(title="Gepubliceerd stuk van Anna")
    assert kept.author.email == services.FORMER_AUTHOR_EMAIL
    assert not Article.objects.filter(title="Concept van Anna").exists()
    assert [h.article for h in search.search("Vries")[:5]] == []
    assert tables_mentioning(needles) == []
    import os

    assert not os.path.exists(photo)


def test_only_administrators_erase_someone_elses_account(writer: User, editor: User) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.erase_account(user=writer, by=editor)
    assert User.objects.filter(pk=writer.pk).exists()


def test_the_former_author_account_cannot_be_erased(admin_user: User) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.erase_account(user=services.former_author(), by=admin_user)
