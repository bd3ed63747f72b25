"""Profile photos: whatever arrives is checked by Pillow, decoded with a pixel limit, re-encoded as
a fresh JPEG (which drops EXIF and any payload hidden in the file) and scaled down."""

from __future__ import annotations

import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from podium.core import heif

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000  # checked before a single pixel is decoded
PHOTO_SIZE = 800  # the stored photo's longest side, in pixels

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def process_photo(upload: UploadedFile) -> ContentFile:
    heif.register()
    max_bytes = PHOTO_MAX_BYTES
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("This photo is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": f"{upload.size / 1_048_576:.1f}", "limit": f"{max_bytes / 1_048_576:.0f}"},
            code="too_large",
        )
    data = upload.read()
    max_pixels = PHOTO_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ALLOWED_FORMATS:
                    raise ValidationError(
                        _("Upload a photo in JPEG, PNG, WebP or GIF format."), code="format"
                    )
                width, height = probe.size
                if width * height > max_pixels:
                    raise ValidationError(
                        _("This photo has too many pixels (%(w)s × %(h)s); use a smaller version.")
                        % {"w": width, "h": height},
                        code="too_many_pixels",
                    )
                probe.verify()
            with Image.open(io.BytesIO(data)) as opened:
                opened.load()
                image: Image.Image = ImageOps.exif_transpose(opened)
                if image.mode not in ("RGB", "L"):
                    background = Image.new("RGB", image.size, (255, 255, 255))
                    rgba = image.convert("RGBA")
                    background.paste(rgba, mask=rgba.getchannel("A"))
                    image = background
                else:
                    image = image.convert("RGB")
                size = PHOTO_SIZE
                image.thumbnail((size, size), Image.Resampling.LANCZOS)
                out = io.BytesIO()
                image.save(out, format="JPEG", quality=85, optimize=True, progressive=True)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _("This image is too large to process; use a smaller version."), code="bomb"
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("This file is not an image we can read. Upload a JPEG, PNG, WebP or GIF photo."),
            code="invalid",
        ) from exc
    return ContentFile(out.getvalue(), name="photo.jpg")
