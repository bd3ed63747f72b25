"""From an uploaded file to a clean picture: what arrives is sniffed, checked against the size and
pixel limits, decoded by Pillow, turned upright (EXIF orientation), converted to sRGB and encoded
afresh. Only pixels survive: EXIF, GPS, XMP, comments and anything appended to the file are gone.

Every refusal is a `ValidationError` with its own code and a message that tells the contributor
what to do, so the form can show it next to the field and nothing is stored.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import formats
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

from podium.core import heif

# The upload limit, and the decompression-bomb limit checked before a single pixel is decoded.
IMAGE_MAX_BYTES = 10 * 1024 * 1024
IMAGE_MAX_PIXELS = 50_000_000

# What Pillow calls each accepted format, and the file name endings that may carry it.
EXTENSIONS: dict[str, frozenset[str]] = {
    "JPEG": frozenset({".jpg", ".jpeg", ".jfif"}),
    "PNG": frozenset({".png"}),
    "WEBP": frozenset({".webp"}),
    "HEIF": frozenset({".heic", ".heif"}),
}
ACCEPT = ",".join(
    [
        "image/jpeg",
        "image/png",
        "image/webp",
        "image/heic",
        "image/heif",
        *sorted(ext for exts in EXTENSIONS.values() for ext in exts),
    ]
)
# Markup hidden in (or appended to) an image makes it a polyglot: a browser or a careless server
# could treat the file as a page. Re-encoding would drop it, but such a file is refused outright.
_MARKUP = re.compile(rb"<(?:script|html|body|iframe|svg|object|embed)[\s>/]|<\?php|<!doctype", re.I)
_SVG_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:svg|!doctype svg)", re.I | re.S
)

JPEG_QUALITY = 88


@dataclass(frozen=True)
class CleanPicture:
    """A re-encoded picture: the bytes to store and what they are."""

    content: bytes
    format: str  # "JPEG" or "PNG"
    width: int
    height: int

    @property
    def extension(self) -> str:
        return ".png" if self.format == "PNG" else ".jpg"


def _megabytes(n: int) -> str:
    """ "10" or "11,3" (the active language's decimal sign)."""
    value = n / 1_048_576
    return formats.number_format(value, 0 if value == int(value) else 1)


def _refuse_size(size: int) -> None:
    limit = IMAGE_MAX_BYTES
    if size > limit:
        raise ValidationError(
            _(
                "This file is %(size)s MB; a picture may be at most %(limit)s MB. Save it smaller (for example at 3000 pixels wide) and try again."
            )
            % {"size": _megabytes(size), "limit": _megabytes(limit)},
            code="too_large",
        )


def _refuse_disguises(data: bytes, name: str) -> None:
    if _SVG_START.match(data[:4096]) or name.lower().endswith((".svg", ".svgz")):
        raise ValidationError(
            _(
                "SVG drawings cannot be uploaded (they can contain scripts). Export the drawing as PNG and upload that."
            ),
            code="svg",
        )
    if _MARKUP.search(data) or zipfile.is_zipfile(io.BytesIO(data)):
        raise ValidationError(
            _(
                "This file contains something besides a picture (a web page or an archive). Open the picture in an image program, save it again as JPEG or PNG and upload that."
            ),
            code="polyglot",
        )


def _to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Pixels in sRGB without an embedded profile, so every browser shows the same colours."""
    if icc_profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            target = ImageCms.createProfile("sRGB")
            mode = "RGBA" if "A" in image.getbands() else "RGB"
            if image.mode not in ("RGB", "RGBA", "CMYK", "L", "LA"):
                image = image.convert(mode)
            converted = ImageCms.profileToProfile(image, source, target, outputMode=mode)
            if converted is not None:
                return converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: keep the pixels as they are rather than refuse the picture
    has_alpha = "A" in image.getbands() or (image.mode == "P" and "transparency" in image.info)
    return image.convert("RGBA" if has_alpha else "RGB")


def clean_picture(upload: UploadedFile) -> CleanPicture:
    """Check, decode and re-encode `upload`. Raises ValidationError (nothing is stored then)."""
    if upload.size is not None:
        _refuse_size(upload.size)
    data = upload.read(IMAGE_MAX_BYTES + 1)
    _refuse_size(len(data))
    return clean_picture_bytes(data, name=upload.name or "")


def clean_picture_bytes(data: bytes, *, name: str) -> CleanPicture:
    """`clean_picture` for bytes that are already in memory (the Word import's pictures)."""
    heif.register()
    _refuse_size(len(data))
    _refuse_disguises(data, name)
    # WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES when it is imported (the
    # compilation's PDFs), after which a cut-off upload would decode with grey padding instead of
    # being refused. Podium hands WeasyPrint only pictures that passed this check, so it never
    # needs the setting: switch it off again before every decode.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    max_pixels = IMAGE_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                source_format = probe.format or ""
                width, height = probe.size
        if source_format not in EXTENSIONS:
            raise ValidationError(
                _("Upload a picture in JPEG, PNG, WebP or HEIC format."), code="format"
            )
        extension = PurePath(name).suffix.lower()
        if extension and extension not in EXTENSIONS[source_format]:
            raise ValidationError(
                _(
                    "The file name ends in “%(extension)s” but the file is a %(format)s picture. Rename it to “.%(suggested)s” or save it again in the right format."
                )
                % {
                    "extension": extension,
                    "format": "HEIC" if source_format == "HEIF" else source_format,
                    "suggested": sorted(EXTENSIONS[source_format])[0].lstrip(".")
                    if source_format != "JPEG"
                    else "jpg",
                },
                code="extension",
            )
        if width * height > max_pixels:
            raise ValidationError(
                _(
                    "This picture has too many pixels (%(width)s × %(height)s); the limit is %(limit)s megapixels. Save a smaller version and try again."
                )
                % {"width": width, "height": height, "limit": max_pixels // 1_000_000},
                code="too_many_pixels",
            )
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as opened:
                opened.load()
                icc_profile = opened.info.get("icc_profile")
                upright = ImageOps.exif_transpose(opened)
                image = _to_srgb(upright, icc_profile)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _("This picture has too many pixels to process. Save a smaller version and try again."),
            code="too_many_pixels",
        ) from exc
    except UnidentifiedImageError as exc:
        raise ValidationError(
            _("This file is not a picture we can read. Upload a JPEG, PNG, WebP or HEIC picture."),
            code="invalid",
        ) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ValidationError(
            _(
                "This picture is incomplete or damaged (perhaps the upload or the copy was cut off). Open it in an image program, save it again and upload that."
            ),
            code="damaged",
        ) from exc
    # Graphics (PNG, or anything transparent) stay lossless; photographs become JPEG.
    keep_lossless = source_format == "PNG" or image.mode == "RGBA"
    out = io.BytesIO()
    if keep_lossless:
        image.save(out, format="PNG", compress_level=6)
    else:
        image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return CleanPicture(
        content=out.getvalue(),
        format="PNG" if keep_lossless else "JPEG",
        width=image.width,
        height=image.height,
    )
