"""Uploading pictures: what is accepted is cleaned (upright, sRGB, no metadata); what is refused
gets its own Dutch error and leaves nothing behind, neither a row nor a file."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from PIL import Image as PILImage

from podium.accounts.models import User
from podium.core import heif
from podium.images import processing, services
from podium.images.models import Image

from .conftest import stored_files
from .pictures import GPS_IFD, MAKE, SVG_PLAIN, SVG_SCRIPT, bomb_png, photo, upload, zip_bytes

pytestmark = pytest.mark.django_db


def _refused(by: User, data: bytes, name: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        services.upload_image(
            by=by, upload=upload(data, name), details=services.ImageDetails(alt_text="Een foto")
        )
    assert Image.objects.count() == 0
    assert stored_files() == []
    return caught.value


BAD_FILES = [
    ("truncated", lambda: photo()[:2500], "foto.jpg", "damaged", "onvolledig of beschadigd"),
    ("decompression bomb", bomb_png, "foto.png", "too_many_pixels", "te veel pixels"),
    ("SVG", lambda: SVG_PLAIN, "tekening.svg", "svg", "SVG-tekeningen"),
    ("SVG with script", lambda: SVG_SCRIPT, "tekening.svg", "svg", "SVG-tekeningen"),
    ("SVG named .jpg", lambda: SVG_SCRIPT, "foto.jpg", "svg", "SVG-tekeningen"),
    (
        "JPEG with HTML appended",
        lambda: photo() + b"<html><body><script>alert(document.cookie)</script></body></html>",
        "foto.jpg",
        "polyglot",
        "behalve een afbeelding",
    ),
    (
        "JPEG with a ZIP appended",
        lambda: photo() + zip_bytes(),
        "foto.jpg",
        "polyglot",
        "behalve een afbeelding",
    ),
    ("PNG named .jpg", lambda: photo(fmt="PNG"), "foto.jpg", "extension", "eindigt op “.jpg”"),
    (
        "not a picture",
        lambda: b"%PDF-1.7 this is no picture",
        "foto.jpg",
        "invalid",
        "geen afbeelding",
    ),
    ("GIF", lambda: photo(fmt="GIF"), "animatie.gif", "format", "JPEG, PNG, WebP of HEIC"),
]


@pytest.mark.parametrize(
    ("label", "make", "name", "code", "dutch"), BAD_FILES, ids=[b[0] for b in BAD_FILES]
)
def test_a_bad_file_is_refused_with_its_own_dutch_error_and_nothing_is_stored(
    contributor: User, label: str, make: Callable[[], bytes], name: str, code: str, dutch: str
) -> None:
    error = _refused(contributor, make(), name)
    assert error.code == code
    assert dutch in error.messages[0]


def test_a_cut_off_picture_is_refused_even_after_weasyprint_was_imported(
    monkeypatch: pytest.MonkeyPatch, contributor: User
) -> None:
    """WeasyPrint switches on Pillow's process-wide LOAD_TRUNCATED_IMAGES when imported (a worker
    that built a compilation, or a web process that served one): uploads are checked all the same.
    The full suite found it: the truncated picture passed once a compilation test had run first."""
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)  # as `import weasyprint` does
    error = _refused(contributor, photo()[:2500], "foto.jpg")
    assert error.code == "damaged"


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    monkeypatch: pytest.MonkeyPatch, contributor: User, settings: object
) -> None:
    monkeypatch.setattr(processing, "IMAGE_MAX_BYTES", 1_048_576)
    error = _refused(contributor, photo(2000, 1500) + b"\0" * 1_200_000, "foto.jpg")
    assert error.code == "too_large"
    assert "mag hoogstens 1 MB" in error.messages[0]


def test_too_many_pixels_is_refused_before_decoding(
    monkeypatch: pytest.MonkeyPatch, contributor: User, settings: object
) -> None:
    monkeypatch.setattr(processing, "IMAGE_MAX_PIXELS", 100_000)
    error = _refused(contributor, photo(800, 600), "foto.jpg")
    assert error.code == "too_many_pixels"
    assert "800 × 600" in error.messages[0]


def test_an_accepted_photo_is_upright_and_carries_no_exif_or_gps(
    make_image: Callable[..., Image],
) -> None:
    # Orientation 6: the camera was turned; the stored picture is turned back, so 600 wide.
    image = make_image(data=photo(800, 600, exif=True, orientation=6))
    assert (image.width, image.height) == (600, 800)
    with storages["default"].open(image.file) as stored, PILImage.open(stored) as opened:
        assert opened.format == "JPEG"
        assert opened.size == (600, 800)
        exif = opened.getexif()
        assert MAKE not in exif and GPS_IFD not in exif and len(exif) == 0
        assert "icc_profile" not in opened.info and "xmp" not in opened.info


def test_a_png_graphic_stays_lossless_and_keeps_transparency(
    make_image: Callable[..., Image],
) -> None:
    image = make_image(data=photo(fmt="PNG", mode="RGBA"), name="grafiek.png")
    assert image.file.endswith(".png")
    with storages["default"].open(image.file) as stored, PILImage.open(stored) as opened:
        assert opened.mode == "RGBA"


def test_a_heic_photo_from_a_phone_is_accepted_as_jpeg(make_image: Callable[..., Image]) -> None:
    heif.register()  # (to write one here; the upload registers it itself)
    out = io.BytesIO()
    PILImage.open(io.BytesIO(photo(640, 480))).save(out, format="HEIF")
    image = make_image(data=out.getvalue(), name="IMG_0042.HEIC")
    assert image.file.endswith(".jpg")
    assert (image.width, image.height) == (640, 480)


def test_a_cmyk_jpeg_is_converted_to_rgb(make_image: Callable[..., Image]) -> None:
    out = io.BytesIO()
    PILImage.open(io.BytesIO(photo())).convert("CMYK").save(out, format="JPEG")
    image = make_image(data=out.getvalue())
    with storages["default"].open(image.file) as stored, PILImage.open(stored) as opened:
        assert opened.mode == "RGB"
