"""Responsive variants of a picture, made once by a background task and then served as files.

- ``full``: the whole picture at up to four widths (figures in the text: a chart is never cut);
- ``wide``: a 16:9 crop around the focal point (the header image on the article page and cards);
- ``square``: a 1:1 crop around the focal point;
- ``share``: the 1200×627 crop social networks show (the share card starts from it).

Each comes in AVIF and WebP plus a fallback every browser reads (JPEG, or PNG for a lossless
original), except ``share`` (JPEG only: what LinkedIn and others accept). Widths larger than the
original are skipped, never upscaled. File names carry a key of the original and the focal point,
so a changed picture gets new URLs and the old files can be cached for a year.

Speed: a JPEG is decoded at a reduced scale straight from its DCT data (``Image.draft``) when
that is still larger than the largest variant, every width is scaled from the next larger one,
and AVIF uses a fast encoder speed; `make bench-images` measures a 12-megapixel photograph.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass

from PIL import Image

from podium.core import heif

FULL_WIDTHS = (320, 640, 960, 1440)
WIDE_WIDTHS = (480, 960, 1440)
SQUARE_WIDTHS = (320, 640)
SHARE_SIZE = (1200, 627)
KINDS = {"full": None, "wide": (16, 9), "square": (1, 1), "share": SHARE_SIZE}

AVIF_OPTIONS = {"quality": 60, "speed": 8}
WEBP_OPTIONS = {"quality": 80, "method": 4}
JPEG_OPTIONS = {"quality": 82, "optimize": True, "progressive": True}
PNG_OPTIONS = {"compress_level": 6}
EXTENSIONS = {"avif": "avif", "webp": "webp", "jpeg": "jpg", "png": "png"}
MIME_TYPES = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}


@dataclass(frozen=True)
class Variant:
    kind: str
    format: str  # avif, webp, jpeg, png
    width: int
    height: int
    content: bytes

    def name(self, folder: str) -> str:
        return f"{folder}/{self.kind}-{self.width}.{EXTENSIONS[self.format]}"


def variant_key(original_name: str, focal_x: float, focal_y: float) -> str:
    """Short key of what the variants depend on: the original and the focal point."""
    raw = f"{original_name}|{focal_x:.3f}|{focal_y:.3f}".encode()
    return hashlib.sha256(raw).hexdigest()[:10]


def crop_box(
    width: int, height: int, ratio: tuple[int, int], focal_x: float, focal_y: float
) -> tuple[int, int, int, int]:
    """The largest box of `ratio` inside width×height, centred on the focal point as far as the
    edges allow."""
    rw, rh = ratio
    if width * rh > height * rw:  # wider than the ratio: full height, cut the sides
        box_h = height
        box_w = max(1, round(height * rw / rh))
    else:
        box_w = width
        box_h = max(1, round(width * rh / rw))
    left = min(max(round(focal_x * width - box_w / 2), 0), width - box_w)
    top = min(max(round(focal_y * height - box_h / 2), 0), height - box_h)
    return left, top, left + box_w, top + box_h


def _widths(available: int, wanted: tuple[int, ...]) -> list[int]:
    """The wanted widths the source can fill, largest first; at least the source's own width."""
    fitting = [w for w in wanted if w <= available]
    return sorted(fitting or [available], reverse=True)


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "avif":
        image.save(out, format="AVIF", **AVIF_OPTIONS)
    elif fmt == "webp":
        image.save(out, format="WEBP", **WEBP_OPTIONS)
    elif fmt == "png":
        image.save(out, format="PNG", **PNG_OPTIONS)
    else:
        if image.mode != "RGB":
            image = _flatten(image)
        image.save(out, format="JPEG", **JPEG_OPTIONS)
    return out.getvalue()


def _flatten(image: Image.Image) -> Image.Image:
    if image.mode == "RGBA":
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def _scaled_series(
    source: Image.Image, widths: list[int], ratio: tuple[int, int] | None
) -> Iterator[Image.Image]:
    """`source` at each width (largest first), each scaled from the previous one."""
    current = source
    for width in widths:
        if ratio is None:
            height = max(1, round(source.height * width / source.width))
        else:
            height = max(1, round(width * ratio[1] / ratio[0]))
        if current.size != (width, height):
            current = current.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=2.0)
        yield current


def make_variants(
    data: bytes, *, focal_x: float, focal_y: float, lossless: bool
) -> Iterator[Variant]:
    """Every variant of the picture in `data` (an original as `processing` stored it)."""
    heif.register()
    fallback = "png" if lossless else "jpeg"
    with Image.open(io.BytesIO(data)) as opened:
        largest = max(max(FULL_WIDTHS), max(WIDE_WIDTHS), SHARE_SIZE[0])
        if opened.format == "JPEG":
            # Decode at 1/2, 1/4 … of the size while that still covers the largest variant.
            opened.draft("RGB", (largest, round(largest * opened.height / opened.width)))
        opened.load()
        source = opened.copy() if opened.mode in ("RGB", "RGBA") else opened.convert("RGB")
    formats = ("avif", "webp", fallback)
    for image in _scaled_series(source, _widths(source.width, FULL_WIDTHS), None):
        for fmt in formats:
            yield Variant("full", fmt, image.width, image.height, _encode(image, fmt))
    for kind, wanted in (("wide", WIDE_WIDTHS), ("square", SQUARE_WIDTHS)):
        ratio = KINDS[kind]
        assert ratio is not None
        cropped = source.crop(crop_box(source.width, source.height, ratio, focal_x, focal_y))
        for image in _scaled_series(cropped, _widths(cropped.width, wanted), ratio):
            for fmt in formats:
                yield Variant(kind, fmt, image.width, image.height, _encode(image, fmt))
    share = source.crop(crop_box(source.width, source.height, SHARE_SIZE, focal_x, focal_y))
    share = share.resize(SHARE_SIZE, Image.Resampling.LANCZOS, reducing_gap=2.0)
    yield Variant("share", "jpeg", SHARE_SIZE[0], SHARE_SIZE[1], _encode(share, "jpeg"))
