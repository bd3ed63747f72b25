"""The profile: the byline and "Over de auteur" readers see, and the photo beside them."""

from __future__ import annotations

import io
import re
import struct
import zlib
from html import escape
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image

from podium.accounts import photos, services
from podium.accounts.models import User
from podium.articles.models import Article
from podium.topics.models import Topic
from tests.podium_helpers import ArticleBuilder

pytestmark = pytest.mark.django_db

TYPED = {
    "display_name": "Anna  de   Vries",
    "job_title": "Adviseur",
    "organisation": "Van Dijk & Partners",
    "bio": "Anna schrijft over werk en organisatie.",
    "website": "https://anna.example.org",
    "linkedin": "https://www.linkedin.com/in/anna",
}


def _png(width: int, height: int, *, mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), (200, 30, 30, 128) if mode == "RGBA" else (200, 30, 30)).save(
        out, "PNG"
    )
    return out.getvalue()


def _jpeg_with_exif(width: int, height: int) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Spionagecamera"  # Make
    exif[0x0131] = "Geheime software"  # Software
    exif[0x8825] = {1: "N", 2: (52.0, 22.0, 0.0)}  # GPS: where the photo was taken
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 200)).save(out, "JPEG", exif=exif)
    return out.getvalue()


def _png_header_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims `width` × `height` pixels, with almost no data behind it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


def _post(client: Client, photo: SimpleUploadedFile | None = None, **overrides: str) -> Any:
    data: dict[str, Any] = {**TYPED, **overrides}
    if photo is not None:
        data["photo"] = photo
    return client.post(reverse("accounts:profile"), data)


def _error_for(field: str, content: str) -> bool:
    return f'id="id_{field}_error"' in content


def _assert_typed_values_kept(content: str, **overrides: str) -> None:
    values = {**TYPED, **overrides}
    for name in ("display_name", "job_title", "organisation", "website", "linkedin"):
        assert f'value="{escape(values[name])}"' in content, name
    assert escape(values["bio"]) in content


# --- Saving ------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(anonymous_client: Client) -> None:
    response = anonymous_client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    with pytest.raises(User.DoesNotExist):
        User.objects.get(display_name=TYPED["display_name"])
    assert anonymous_client.post(reverse("accounts:profile"), TYPED).status_code == 302


def test_contributor_can_complete_the_profile(
    incomplete_contributor: User, client_for: Any, topics: list[Topic]
) -> None:
    client = client_for(incomplete_contributor)
    response = client.post(
        reverse("accounts:profile"), {**TYPED, "expertise": [topics[0].pk, topics[2].pk]}
    )
    assert response.status_code == 302
    user = User.objects.get(pk=incomplete_contributor.pk)
    assert user.display_name == "Anna de Vries"  # white space folded
    assert user.slug == "anna-de-vries"
    assert user.missing_profile_fields() == []
    assert set(user.expertise.all()) == {topics[0], topics[2]}


def test_profile_saves_only_your_own_profile(contributor: User, other_contributor: User) -> None:
    with pytest.raises(PermissionDenied):
        services.update_profile(
            user=contributor, by=other_contributor, data={"display_name": "Gekaapt"}
        )
    assert User.objects.get(pk=contributor.pk).display_name == "Anna de Vries"


def test_profile_redirects_only_to_this_site(contributor_client: Client) -> None:
    response = contributor_client.post(
        reverse("accounts:profile"), {**TYPED, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("accounts:profile")
    response = contributor_client.post(
        reverse("accounts:profile"), {**TYPED, "next": "/profiel/activiteiten/"}
    )
    assert response["Location"] == "/profiel/activiteiten/"


def test_the_same_name_gets_a_different_author_address(client_for: Any, db: None) -> None:
    from tests.podium_helpers import make_user

    first, second = make_user("een@example.org"), make_user("twee@example.org")
    client_for(first).post(reverse("accounts:profile"), TYPED)
    client_for(second).post(reverse("accounts:profile"), TYPED)
    assert User.objects.get(pk=first.pk).slug == "anna-de-vries"
    assert User.objects.get(pk=second.pk).slug == "anna-de-vries-2"


# --- The photo ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("portret.png", _png(1600, 1200), "image/png"),
        ("portret.png", _png(1200, 1600, mode="RGBA"), "image/png"),
        ("portret.jpg", _jpeg_with_exif(2000, 1000), "image/jpeg"),
    ],
    ids=["png", "transparent-png", "jpeg-with-exif"],
)
def test_photo_is_re_encoded_as_a_small_jpeg_without_exif(
    name: str,
    data: bytes,
    content_type: str,
    contributor_client: Client,
    contributor: User,
    settings: Any,
) -> None:
    response = _post(contributor_client, SimpleUploadedFile(name, data, content_type=content_type))
    assert response.status_code == 302
    user = User.objects.get(pk=contributor.pk)
    assert user.photo.name.endswith(".jpg")
    with user.photo.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert max(image.size) <= photos.PHOTO_SIZE
        assert max(image.size) == photos.PHOTO_SIZE  # scaled down, proportions kept
        assert not image.getexif()
        assert "exif" not in image.info
    with user.photo.open("rb") as stored:
        raw = stored.read()
    assert b"Spionagecamera" not in raw
    assert b"Geheime software" not in raw


def test_a_small_photo_is_not_enlarged(contributor_client: Client, contributor: User) -> None:
    _post(
        contributor_client, SimpleUploadedFile("klein.png", _png(120, 90), content_type="image/png")
    )
    with (
        User.objects.get(pk=contributor.pk).photo.open("rb") as stored,
        Image.open(stored) as image,
    ):
        assert image.size == (120, 90)


def test_photo_can_be_removed(contributor_client: Client, contributor: User) -> None:
    _post(contributor_client, SimpleUploadedFile("p.png", _png(200, 200), content_type="image/png"))
    assert User.objects.get(pk=contributor.pk).photo
    response = contributor_client.post(reverse("accounts:profile"), {**TYPED, "photo-clear": "on"})
    assert response.status_code == 302
    assert not User.objects.get(pk=contributor.pk).photo


def test_the_photo_field_shows_the_photo_with_replace_and_remove(
    contributor_client: Client, contributor: User
) -> None:
    _post(contributor_client, SimpleUploadedFile("p.png", _png(200, 200), content_type="image/png"))
    user = User.objects.get(pk=contributor.pk)
    photo = user.photo
    page = contributor_client.get(reverse("accounts:profile")).content.decode()
    field = page.split('class="photo-input"', 1)[1].split("</div>\n</div>", 1)[0]
    # A private file, shown through the checking view (web.views.photo).
    assert f'<img src="{user.photo_url}" alt="Uw huidige foto"' in field
    assert "Kies een nieuw bestand om deze foto te vervangen" in field
    assert 'type="file" name="photo"' in field
    assert 'name="photo-clear"' in field and "Foto verwijderen" in field
    visible = re.sub(r"<[^>]+>", " ", field)
    assert photo.name not in visible  # no internal path ("authors/2026/8.jpg")
    assert "Huidige" not in visible and "Wissen" not in visible


def test_without_a_photo_only_the_upload_is_shown(contributor_client: Client) -> None:
    page = contributor_client.get(reverse("accounts:profile")).content.decode()
    field = page.split('class="photo-input"', 1)[1].split("</div>", 1)[0]
    assert 'type="file" name="photo"' in field
    assert "<img" not in field and "photo-clear" not in field


def test_saving_without_a_new_photo_keeps_the_old_one(
    contributor_client: Client, contributor: User
) -> None:
    _post(contributor_client, SimpleUploadedFile("p.png", _png(200, 200), content_type="image/png"))
    name = User.objects.get(pk=contributor.pk).photo.name
    _post(contributor_client, bio="Een nieuwe bio.")
    user = User.objects.get(pk=contributor.pk)
    assert (user.photo.name, user.bio) == (name, "Een nieuwe bio.")


def _assert_photo_refused(response: Any, contributor: User, message: str) -> None:
    assert response.status_code == 200
    content = response.content.decode()
    assert _error_for("photo", content)
    with translation.override("nl"):
        # Dutch once the translations land; the test then checks the Dutch wording.
        assert escape(gettext(message)).split("%")[0] in content
    _assert_typed_values_kept(content, display_name=TYPED["display_name"])
    user = User.objects.get(pk=contributor.pk)
    assert not user.photo
    assert user.display_name == "Anna de Vries"  # nothing else was saved either
    assert user.bio != TYPED["bio"]


def test_a_text_file_renamed_to_jpg_is_refused_with_a_clear_error(
    contributor_client: Client, contributor: User
) -> None:
    upload = SimpleUploadedFile(
        "foto.jpg", b"Dit is geen foto maar tekst.\n" * 20, content_type="image/jpeg"
    )
    _assert_photo_refused(
        _post(contributor_client, upload),
        contributor,
        "This file is not an image we can read. Upload a JPEG, PNG, WebP or GIF photo.",
    )


def test_a_photo_in_another_format_is_refused(
    contributor_client: Client, contributor: User
) -> None:
    out = io.BytesIO()
    Image.new("RGB", (50, 50)).save(out, "BMP")
    upload = SimpleUploadedFile("foto.bmp", out.getvalue(), content_type="image/bmp")
    _assert_photo_refused(
        _post(contributor_client, upload),
        contributor,
        "Upload a photo in JPEG, PNG, WebP or GIF format.",
    )


def test_a_too_large_file_is_refused_with_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, contributor_client: Client, contributor: User, settings: Any
) -> None:
    monkeypatch.setattr(photos, "PHOTO_MAX_BYTES", 2 * 1024 * 1024)
    upload = SimpleUploadedFile(
        "groot.png", _png(10, 10) + b"\x00" * (3 * 1024 * 1024), content_type="image/png"
    )
    response = _post(contributor_client, upload)
    _assert_photo_refused(
        response, contributor, "This photo is %(size)s MB; the limit is %(limit)s MB."
    )
    assert "3.0" in response.content.decode()


def test_a_photo_with_too_many_pixels_is_refused(
    contributor_client: Client, contributor: User
) -> None:
    upload = SimpleUploadedFile(
        "reus.png", _png_header_claiming(8000, 8000), content_type="image/png"
    )
    _assert_photo_refused(
        _post(contributor_client, upload),
        contributor,
        "This photo has too many pixels (%(w)s × %(h)s); use a smaller version.",
    )


def test_a_decompression_bomb_is_refused(contributor_client: Client, contributor: User) -> None:
    upload = SimpleUploadedFile(
        "bom.png", _png_header_claiming(60000, 60000), content_type="image/png"
    )
    response = _post(contributor_client, upload)
    assert response.status_code == 200
    content = response.content.decode()
    assert _error_for("photo", content)
    with translation.override("nl"):
        expected = {
            gettext("This image is too large to process; use a smaller version."),
            gettext("This photo has too many pixels (%(w)s × %(h)s); use a smaller version.").split(
                "("
            )[0],
        }
    assert any(escape(message) in content for message in expected)
    _assert_typed_values_kept(content)
    assert not User.objects.get(pk=contributor.pk).photo


# --- Links ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "website",
    [
        "ftp://anna.example.org",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<b>x</b>",
        "niet een adres",
    ],
)
def test_website_must_be_http_or_https(
    website: str, contributor_client: Client, contributor: User
) -> None:
    response = _post(contributor_client, website=website)
    assert response.status_code == 200
    content = response.content.decode()
    assert _error_for("website", content)
    _assert_typed_values_kept(content, website=website)
    assert User.objects.get(pk=contributor.pk).website == ""


def test_website_error_is_worded_for_the_reader(contributor_client: Client) -> None:
    content = _post(contributor_client, website="ftp://anna.example.org").content.decode()
    with translation.override("nl"):
        assert (
            escape(gettext("Enter a web address that starts with http:// or https://.")) in content
        )


@pytest.mark.parametrize(
    "linkedin",
    [
        "http://www.linkedin.com/in/anna",
        "https://evil.example/linkedin.com/in/anna",
        "https://linkedin.com.evil.example/in/anna",
        "https://notlinkedin.com/in/anna",
        "javascript:alert(1)",
    ],
)
def test_linkedin_must_be_a_linkedin_https_address(
    linkedin: str, contributor_client: Client, contributor: User
) -> None:
    response = _post(contributor_client, linkedin=linkedin)
    assert response.status_code == 200
    content = response.content.decode()
    assert _error_for("linkedin", content)
    _assert_typed_values_kept(content, linkedin=linkedin)
    assert User.objects.get(pk=contributor.pk).linkedin == ""


@pytest.mark.parametrize(
    "linkedin",
    [
        "https://www.linkedin.com/in/anna",
        "https://linkedin.com/in/anna",
        "https://nl.linkedin.com/in/anna",
    ],
)
def test_linkedin_addresses_are_accepted(
    linkedin: str, contributor_client: Client, contributor: User
) -> None:
    assert _post(contributor_client, linkedin=linkedin).status_code == 302
    assert User.objects.get(pk=contributor.pk).linkedin == linkedin


def test_author_page_links_carry_nofollow_ugc(
    contributor_client: Client,
    anonymous_client: Client,
    make_article: ArticleBuilder,
    contributor: User,
) -> None:
    _post(contributor_client)
    make_article(contributor, Article.State.PUBLISHED)
    content = anonymous_client.get(reverse("web:author", args=["anna-de-vries"])).content.decode()
    for url in (TYPED["website"], TYPED["linkedin"]):
        link = content[content.index(f'href="{url}"') - 3 :].split(">", 1)[0]
        rel = link.split('rel="', 1)[1].split('"', 1)[0].split()
        assert {"nofollow", "ugc"} <= set(rel)


def test_a_required_bio_is_not_enforced_on_save_but_on_submit(
    contributor_client: Client, contributor: User
) -> None:
    assert _post(contributor_client, bio="").status_code == 302
    assert User.objects.get(pk=contributor.pk).missing_profile_fields() == ["bio"]
