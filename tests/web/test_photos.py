"""Profile photos (issue #19): private files with random names, shown to anyone only where the
owner's public page shows them, otherwise to the owner and the editors alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from podium.accounts.models import User
from podium.articles.models import Article
from tests.podium_helpers import ArticleBuilder

pytestmark = pytest.mark.django_db
JPEG = b"\xff\xd8\xff\xe0 portrait"


@pytest.fixture
def with_photo(contributor: User) -> User:
    contributor.photo.save("anna.jpg", ContentFile(JPEG), save=True)
    return contributor


def test_the_photo_name_is_random_and_says_nothing_about_its_owner(with_photo: User) -> None:
    name = str(with_photo.photo.name)
    assert name.startswith("photos/") and name.endswith(".jpg")
    token = name.removeprefix("photos/").removesuffix(".jpg")
    assert len(token) >= 20 and token != str(with_photo.pk) and "anna" not in token
    with_photo.photo.save("anna.jpg", ContentFile(JPEG), save=True)
    assert str(with_photo.photo.name) != name  # a new upload, a new name


def test_the_photo_is_a_private_file_not_public_media(with_photo: User, settings: Any) -> None:
    assert not any(p.is_file() for p in Path(settings.MEDIA_ROOT).rglob("*"))
    assert (Path(settings.PODIUM_PRIVATE_ROOT) / str(with_photo.photo.name)).is_file()


def test_anyone_sees_the_photo_of_an_author_with_a_public_page(
    with_photo: User, make_article: ArticleBuilder
) -> None:
    make_article(with_photo, Article.State.PUBLISHED)
    author_page = Client().get(reverse("web:author", args=[with_photo.slug]))
    assert with_photo.photo_url in author_page.content.decode()
    response = Client().get(with_photo.photo_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == JPEG  # type: ignore[attr-defined]
    assert response["Cache-Control"].startswith("public")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("viewer", "status"),
    [("anonymous", 404), ("other_contributor", 404), ("owner", 200), ("editor", 200)],
)
def test_without_a_public_page_only_the_owner_and_editors_see_the_photo(
    with_photo: User,
    make_article: ArticleBuilder,
    request: pytest.FixtureRequest,
    client_for: Any,
    viewer: str,
    status: int,
) -> None:
    make_article.draft(with_photo)  # a draft makes no public page
    client = (
        Client()
        if viewer == "anonymous"
        else client_for(with_photo)
        if viewer == "owner"
        else client_for(request.getfixturevalue(viewer))
    )
    response = client.get(with_photo.photo_url)
    assert response.status_code == status
    if status == 200:
        assert response["Cache-Control"].startswith("private")


def test_a_withdrawn_last_article_hides_the_photo_again(
    with_photo: User, make_article: ArticleBuilder
) -> None:
    article = make_article(with_photo, Article.State.PUBLISHED)
    assert Client().get(with_photo.photo_url).status_code == 200
    Article.objects.filter(pk=article.pk).update(state=Article.State.OFFLINE)
    assert Client().get(with_photo.photo_url).status_code == 404


def test_an_unknown_photo_is_404(db: None) -> None:
    assert Client().get(reverse("web:photo", args=["nothing.jpg"])).status_code == 404


def test_the_profile_form_shows_the_own_photo_through_the_checking_view(
    with_photo: User, client_for: Any
) -> None:
    client = client_for(with_photo)
    page = client.get(reverse("accounts:profile"))
    assert page.status_code == 200
    assert f'src="{with_photo.photo_url}"' in page.content.decode()
    assert str(with_photo.photo.name) not in page.content.decode()  # no storage path
    assert client.get(with_photo.photo_url).status_code == 200
