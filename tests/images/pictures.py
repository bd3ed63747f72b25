"""Picture files for the tests, made on the spot (no binary fixtures in the repository)."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

# EXIF tags: 0x0112 orientation, 0x010F make, 0x8825 the GPS block.
ORIENTATION, MAKE, GPS_IFD = 0x0112, 0x010F, 0x8825


def photo(
    width: int = 800,
    height: int = 600,
    *,
    fmt: str = "JPEG",
    exif: bool = False,
    orientation: int | None = None,
    mode: str = "RGB",
) -> bytes:
    """A small picture with shapes (so encoders have something to do), optionally with EXIF,
    GPS and an orientation tag."""
    image = Image.new(mode, (width, height), (30, 90, 160) if mode == "RGB" else (30, 90, 160, 128))
    draw = ImageDraw.Draw(image)
    draw.ellipse((width // 4, height // 4, width // 2, height // 2), fill=(240, 200, 40))
    draw.rectangle((width // 2, height // 2, width - 10, height - 10), fill=(200, 40, 60))
    out = io.BytesIO()
    options: dict[str, object] = {}
    if exif or orientation:
        tags = Image.Exif()
        if exif:
            tags[MAKE] = "Podium Test Camera"
            tags[GPS_IFD] = {1: "N", 2: (52.0, 22.0, 0.0), 3: "E", 4: (4.0, 53.0, 0.0)}
        if orientation:
            tags[ORIENTATION] = orientation
        options["exif"] = tags.tobytes()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def upload(
    data: bytes, name: str = "foto.jpg", content_type: str = "image/jpeg"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.html", "<script>alert(1)</script>")
    return out.getvalue()


def bomb_png() -> bytes:
    """A PNG that claims 20,000 × 20,000 pixels (400 megapixels) in a few kilobytes."""
    image = Image.new("1", (20_000, 20_000))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


SVG_PLAIN = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
SVG_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.cookie)</script></svg>'
