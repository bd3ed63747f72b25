"""Privacy rights: export everything, delete the account, nothing personal left in any table."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import models
from django.test import Client
from django.utils import timezone
from django.utils.translation import gettext as _

from podium.accounts.models import User
from podium.articles.models import Article
from podium.newsletter.models import Subscriber
from podium.privacy import services

from ..podium_helpers import PASSWORD, ArticleBuilder, make_user

pytestmark = pytest.mark.django_db


def _personal_strings(user: User) -> list[str]:
    return [user.email, user.display_name, user.bio, user.job_title, user.organisation]


def _tables_mentioning(needles: list[str]) -> list[str]:
    """Every text column of every table, searched for each needle."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        text_fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(
                f, (models.CharField, models.TextField, models.EmailField, models.JSONField)
            )
        ]
        for field in text_fields:
            for needle in needles:
                if not needle:
                    continue
                lookup = f"{field.name}__icontains"
                try:
                    hit = model._default_manager.filter(**{lookup: needle}).exists()
                except Exception:  # a JSON column on a backend without icontains
                    hit = any(
                        needle.lower() in str(v).lower()
                        for v in model._default_manager.values_list(field.name, flat=True)
                    )
                if hit:
                    found.append(f"{model._meta.label}.{field.name} ~ {needle!r}")
    return found


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
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("data.json"))
    assert data["profile"]["email"] == writer.email and "password" not in data["profile"]
    assert {a["title"] for a in data["articles"]} == {
        "Gepubliceerd stuk van Anna",
        "Concept van Anna",
    }
    assert all(a["revisions"] for a in data["articles"] if a["state"] != "draft")
    assert any(a["events"] for a in data["articles"])
    assert data["newsletter"][0]["email"] == writer.email
    names = archive.namelist()
    assert sum(n.startswith("articles/") for n in names) == 2
    assert any(n.startswith("photo/") for n in names)


def test_export_is_post_only_and_for_the_signed_in(writer: User, client: Client) -> None:
    assert client.post("/profiel/mijn-gegevens/download/").status_code == 302
    assert Client().get("/profiel/mijn-gegevens/download/").status_code in (302, 405)


def test_deleting_keeps_published_articles_under_former_author_and_leaves_nothing_personal(
    writer: User, client_for: Any
) -> None:
    needles = _personal_strings(writer)
    photo = writer.photo.path
    response = client_for(writer).post(
        "/profiel/mijn-gegevens/", {"password": PASSWORD, "confirm": "on"}
    )
    assert response.status_code == 302
    assert not User.objects.filter(pk=writer.pk).exists()
    kept = Article.objects.get(title="Gepubliceerd stuk van Anna")
    assert (
        kept.author.email == services.FORMER_AUTHOR_EMAIL
        and not kept.author.photo
        and not kept.author.slug
    )
    assert not Article.objects.filter(title="Concept van Anna").exists()
    assert _tables_mentioning(needles) == []
    import os

    assert not os.path.exists(photo)


def test_deleting_with_the_remove_policy_removes_the_articles(
    writer: User, settings: Any, client_for: Any
) -> None:
    settings.PODIUM_DELETED_AUTHOR_ARTICLES = "remove"
    needles = _personal_strings(writer)
    client_for(writer).post("/profiel/mijn-gegevens/", {"password": PASSWORD, "confirm": "on"})
    assert not Article.objects.filter(title__contains="Anna").exists()
    assert _tables_mentioning(needles) == []


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
