"""One gate for every write: the Django admin and the import store what the site's own forms
store. The XSS corpus of tests/web/test_xss.py, planted through the admin's forms and through the
import, comes out cleaned; a photo uploaded in the admin is re-encoded without its metadata; the
rows only a service may write cannot be changed in the admin at all."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from PIL import Image

from podium.accounts import roles
from podium.accounts.models import User
from podium.articles import services
from podium.articles.importing import import_text
from podium.articles.models import Article
from podium.topics.models import Topic
from tests.podium_helpers import ArticleBuilder
from tests.web.test_xss import CORPUS, IDS, assert_plain

pytestmark = pytest.mark.django_db


def _user_change_form(user: User, **extra: Any) -> dict[str, Any]:
    """Every field of the admin's user form, as the browser sends it back unchanged."""
    return {
        "email": user.email,
        "display_name": user.display_name,
        "slug": user.slug or "",
        "job_title": user.job_title,
        "organisation": user.organisation,
        "bio": user.bio,
        "website": user.website,
        "linkedin": user.linkedin,
        "is_active": "on",
        "role": user.role,
        "expertise": list(user.expertise.values_list("pk", flat=True)),
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
        **extra,
    }


def _errors(response: Any) -> Any:
    context = response.context
    return context["adminform"].form.errors if context and "adminform" in context else response


# --- The admin's user form: the profile's rules ----------------------------------------------------


@pytest.mark.parametrize("payload", CORPUS, ids=IDS)
def test_admin_stores_names_and_bio_as_plain_text(
    payload: str, admin_client: Client, contributor: User, make_article: ArticleBuilder
) -> None:
    make_article(contributor, Article.State.PUBLISHED)  # links in the bio are allowed for them
    url = reverse("admin:accounts_user_change", args=[contributor.pk])
    typed = {
        "display_name": f"Anna {payload}"[:100],
        "job_title": payload[:100],
        "organisation": payload[:100],
        "bio": f"Anna schrijft. {payload}",
    }
    response = admin_client.post(url, _user_change_form(contributor, **typed))
    assert response.status_code == 302, _errors(response)
    stored = User.objects.get(pk=contributor.pk)
    for field in typed:
        assert_plain(getattr(stored, field))
    assert stored.display_name.startswith("Anna")


def test_admin_keeps_the_bio_link_rule_for_a_new_contributor(
    admin_client: Client, incomplete_contributor: User
) -> None:
    url = reverse("admin:accounts_user_change", args=[incomplete_contributor.pk])
    before = model_to_dict(User.objects.get(pk=incomplete_contributor.pk))
    data = _user_change_form(
        incomplete_contributor, display_name="Dirk", bio="Koop nu op www.goedkoop.example"
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "bio" in response.context["adminform"].form.errors
    assert model_to_dict(User.objects.get(pk=incomplete_contributor.pk)) == before


def test_admin_refuses_a_javascript_website(admin_client: Client, contributor: User) -> None:
    url = reverse("admin:accounts_user_change", args=[contributor.pk])
    response = admin_client.post(
        url, _user_change_form(contributor, website="javascript:alert(1)//x.nl")
    )
    assert response.status_code == 200
    assert User.objects.get(pk=contributor.pk).website == ""


def _jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Spionagecamera"
    exif[0x8825] = {1: "N", 2: (52.0, 22.0, 0.0)}
    out = io.BytesIO()
    Image.new("RGB", (1600, 1200), (10, 120, 200)).save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_admin_photo_is_reencoded_without_location(admin_client: Client, contributor: User) -> None:
    url = reverse("admin:accounts_user_change", args=[contributor.pk])
    upload = SimpleUploadedFile("vakantie.jpg", _jpeg_with_gps(), content_type="image/jpeg")
    response = admin_client.post(url, _user_change_form(contributor, photo=upload))
    assert response.status_code == 302, _errors(response)
    stored = User.objects.get(pk=contributor.pk)
    assert stored.photo
    with stored.photo.open("rb") as handle, Image.open(handle) as image:
        assert image.format == "JPEG"
        assert not image.getexif()  # no camera, no GPS
        assert max(image.size) < 1600  # scaled down like the site's uploads
    assert b"Spionagecamera" not in stored.photo.open("rb").read()


def test_admin_refuses_a_file_that_is_not_an_image(admin_client: Client, contributor: User) -> None:
    url = reverse("admin:accounts_user_change", args=[contributor.pk])
    upload = SimpleUploadedFile("x.jpg", b"<svg onload=alert(1)>", content_type="image/jpeg")
    response = admin_client.post(url, _user_change_form(contributor, photo=upload))
    assert response.status_code == 200
    assert "photo" in response.context["adminform"].form.errors
    assert not User.objects.get(pk=contributor.pk).photo


def test_admin_role_change_still_saves(admin_client: Client, contributor: User) -> None:
    url = reverse("admin:accounts_user_change", args=[contributor.pk])
    response = admin_client.post(url, _user_change_form(contributor, role=roles.EDITORS))
    assert response.status_code == 302, _errors(response)
    assert User.objects.get(pk=contributor.pk).is_editor


# --- Rows only a service may write -------------------------------------------------------------------


@pytest.mark.parametrize("payload", CORPUS[:12], ids=IDS[:12])
def test_admin_cannot_write_an_article_body(
    payload: str, admin_client: Client, contributor: User, make_article: ArticleBuilder
) -> None:
    article = make_article(contributor, Article.State.SUBMITTED)
    before = model_to_dict(Article.objects.get(pk=article.pk))
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = admin_client.post(
        url,
        {
            "title": payload[:120],
            "lead": payload,
            "body": payload,
            "state": Article.State.PUBLISHED,
            "author": contributor.pk,
            "topics": [],
        },
    )
    assert response.status_code == 403
    assert model_to_dict(Article.objects.get(pk=article.pk)) == before


@pytest.mark.parametrize(
    "model",
    [
        "articles_article",
        "bestof_compilation",
        "editorial_placement",
        "editorial_pick",
        "moderation_articlereport",
        "moderation_spamflag",
        "newsletter_subscriber",
        "newsletter_edition",
        "newsletter_delivery",
        "accounts_trustchange",
    ],
)
def test_admin_cannot_add_rows_that_services_write(admin_client: Client, model: str) -> None:
    assert admin_client.get(reverse(f"admin:{model}_add")).status_code == 403


def test_admin_topic_is_plain_text(admin_client: Client, topics: list[Topic]) -> None:
    response = admin_client.post(
        reverse("admin:topics_topic_change", args=[topics[0].pk]),
        {"name": "Werk<script>alert(1)</script>", "slug": "werk", "description": CORPUS[4]},
    )
    assert response.status_code == 302, _errors(response)
    topic = Topic.objects.get(pk=topics[0].pk)
    assert_plain(topic.name)
    assert_plain(topic.description)


# --- The import: the bio goes through the profile's rules ------------------------------------------


@pytest.mark.parametrize("payload", CORPUS, ids=IDS)
def test_imported_bio_is_plain_text(payload: str, incomplete_contributor: User) -> None:
    result = import_text(
        f"Titel\n\nDe lead.\n\nDe tekst.\n\nOver de auteur: Dirk is bestuurder. {payload}"
    )
    services.import_article(by=incomplete_contributor, result=result)
    stored = User.objects.get(pk=incomplete_contributor.pk)
    assert_plain(stored.bio)


@pytest.mark.parametrize("payload", CORPUS, ids=IDS)
def test_imported_bio_through_the_import_page_is_plain_text(
    payload: str, incomplete_contributor: User, client_for: Any
) -> None:
    text = f"Titel\n\nDe lead.\n\nDe tekst.\n\nOver de auteur: Dirk is bestuurder. {payload}"
    response = client_for(incomplete_contributor).post(
        reverse("articles:import_new"), {"text": text}
    )
    assert response.status_code == 302
    assert_plain(User.objects.get(pk=incomplete_contributor.pk).bio)


def test_imported_bio_with_a_link_is_left_out_for_a_new_contributor(
    incomplete_contributor: User, client_for: Any
) -> None:
    text = (
        "Titel\n\nDe lead.\n\nDe tekst.\n\nOver de auteur: Dirk verkoopt op https://spam.example."
    )
    response = client_for(incomplete_contributor).post(
        reverse("articles:import_new"), {"text": text}, follow=True
    )
    assert response.status_code == 200
    assert User.objects.get(pk=incomplete_contributor.pk).bio == ""
    assert "bevat een webadres" in response.content.decode()  # the summary says why, in Dutch
    assert Article.objects.filter(author=incomplete_contributor).count() == 1  # the text is kept


def test_imported_bio_with_a_link_is_kept_for_a_published_contributor(
    incomplete_contributor: User, make_article: ArticleBuilder
) -> None:
    User.objects.filter(pk=incomplete_contributor.pk).update(is_trusted=True)
    user = User.objects.get(pk=incomplete_contributor.pk)
    result = import_text(
        "Titel\n\nDe lead.\n\nDe tekst.\n\nOver de auteur: Zie https://dirk.example."
    )
    services.import_article(by=user, result=result)
    assert User.objects.get(pk=user.pk).bio == "Zie https://dirk.example."
