"""The variants task: every width and crop in AVIF, WebP and a fallback, the 1200×627 share crop,
no metadata in anything it writes, new file names when the focal point moves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.storage import storages
from PIL import Image as PILImage

from podium.accounts.models import User
from podium.images import services
from podium.images.models import Image
from podium.images.rendering import picture_html, share_image
from podium.images.variants import crop_box

from .conftest import stored_files
from .pictures import GPS_IFD, MAKE, photo, upload

pytestmark = pytest.mark.django_db


def test_variants_exist_after_the_task_ran(make_image: Callable[..., Image]) -> None:
    image = make_image(data=photo(1600, 1200, exif=True))
    assert image.has_variants
    full = image.variant_set("full")
    assert set(full) == {"avif", "webp", "jpeg"}
    assert [row[0] for row in full["jpeg"]] == [320, 640, 960, 1440]
    wide = image.variant_set("wide")["webp"]
    assert [(w, h) for w, h, _name in wide] == [(480, 270), (960, 540), (1440, 810)]
    assert [(w, h) for w, h, _name in image.variant_set("square")["avif"]] == [
        (320, 320),
        (640, 640),
    ]
    for by_format in image.variants["sets"].values():
        for fmt, rows in by_format.items():
            for width, height, name in rows:
                with storages["default"].open(name) as stored, PILImage.open(stored) as opened:
                    assert opened.format == {"avif": "AVIF", "webp": "WEBP", "jpeg": "JPEG"}[fmt]
                    assert opened.size == (width, height)


def test_the_share_crop_is_1200_by_627(make_image: Callable[..., Image]) -> None:
    image = make_image(data=photo(2000, 1500))
    found = share_image(image)
    assert found is not None
    _url, width, height = found
    assert (width, height) == (1200, 627)
    name = image.variant_set("share")["jpeg"][0][2]
    with storages["default"].open(name) as stored, PILImage.open(stored) as opened:
        assert opened.size == (1200, 627)


def test_a_variant_read_back_has_no_exif_or_gps(make_image: Callable[..., Image]) -> None:
    image = make_image(data=photo(1600, 1200, exif=True, orientation=1))
    for fmt in ("jpeg", "webp", "avif"):
        name = image.variant_set("wide")[fmt][-1][2]
        with storages["default"].open(name) as stored, PILImage.open(stored) as opened:
            exif = opened.getexif()
            assert MAKE not in exif and GPS_IFD not in exif, fmt
            assert not opened.info.get("exif") and not opened.info.get("xmp"), fmt


def test_a_small_picture_is_never_upscaled(make_image: Callable[..., Image]) -> None:
    image = make_image(data=photo(500, 400))
    assert [row[0] for row in image.variant_set("full")["jpeg"]] == [320]
    assert [row[0] for row in image.variant_set("wide")["jpeg"]] == [480]


def test_moving_the_focal_point_makes_new_crops_under_new_names_and_removes_the_old(
    make_image: Callable[..., Image],
    contributor: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    image = make_image(data=photo(1600, 1200))
    before = set(stored_files())
    old_names = {row[2] for row in image.variant_set("wide")["jpeg"]}
    with django_capture_on_commit_callbacks(execute=True):
        services.set_focal_point(image=image, by=contributor, x=0.9, y=0.1)
    image.refresh_from_db()
    new_names = {row[2] for row in image.variant_set("wide")["jpeg"]}
    assert not (old_names & new_names)
    after = set(stored_files())
    assert image.file.removeprefix("images/") in after
    assert not ({n.removeprefix("images/") for n in old_names} & after)
    assert len(after) == len(before)


def test_the_crop_keeps_the_focal_point_in_view() -> None:
    assert crop_box(1600, 1200, (16, 9), 0.5, 0.5) == (0, 150, 1600, 1050)
    assert crop_box(1600, 1200, (16, 9), 0.5, 0.0) == (0, 0, 1600, 900)
    assert crop_box(1600, 1200, (16, 9), 0.5, 1.0) == (0, 300, 1600, 1200)
    assert crop_box(1600, 1200, (1, 1), 0.9, 0.5) == (400, 0, 1600, 1200)
    assert crop_box(1600, 1200, (1, 1), 0.1, 0.5) == (0, 0, 1200, 1200)


def test_before_the_task_ran_the_page_shows_the_original(contributor: User) -> None:
    image = services.upload_image(
        by=contributor,
        upload=upload(photo()),
        details=services.ImageDetails(alt_text="Een grafiek met twee lijnen"),
    )
    html = str(picture_html(image, "wide"))
    assert "<picture" not in html
    assert f'src="{image.url}"' in html
    assert 'width="800" height="600"' in html
    assert 'alt="Een grafiek met twee lijnen"' in html


def test_the_picture_element_has_sources_sizes_and_dimensions(
    make_image: Callable[..., Image],
) -> None:
    image = make_image(data=photo(1600, 1200))
    html = str(picture_html(image, "card"))
    assert html.startswith('<picture class="pic pic-wide')
    assert '<source type="image/avif" srcset="' in html
    assert '<source type="image/webp" srcset="' in html
    assert " 480w, " in html and " 1440w" in html
    assert 'sizes="(min-width: 72rem) 22rem' in html
    assert 'width="1440" height="810"' in html
    assert 'loading="lazy"' in html
    assert 'loading="lazy"' not in str(picture_html(image, "wide", lazy=False))


def test_a_decorative_picture_has_an_empty_alt(make_image: Callable[..., Image]) -> None:
    image = make_image(alt_text="", is_decorative=True)
    assert 'alt=""' in str(picture_html(image, "full"))
