"""Placeholder portraits for demo authors: initials on a coloured circle, drawn with Pillow."""

from __future__ import annotations

import io
import unicodedata

from PIL import Image, ImageColor, ImageDraw, ImageFont

BACKGROUND = (244, 241, 234)


def initials(name: str) -> str:
    """'Fatima El Amrani' -> 'FA'; one word gives one letter. Accents are dropped ('Álvarez' ->
    'A'): Pillow's built-in font has no accented capitals."""
    words = [w for w in name.split() if w[:1].isalpha()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    decomposed = unicodedata.normalize("NFKD", letters.upper())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=size)
    except (OSError, TypeError, ImportError):  # no FreeType: the small bitmap font still works
        return ImageFont.load_default()


def portrait_png(name: str, colour: str, size: int = 480) -> bytes:
    """A square PNG: a circle in `colour` on a warm light background, the initials in white."""
    image = Image.new("RGB", (size, size), BACKGROUND)
    draw = ImageDraw.Draw(image)
    margin = size // 12
    draw.ellipse((margin, margin, size - margin, size - margin), fill=ImageColor.getrgb(colour))
    draw.text(
        (size / 2, size / 2),
        initials(name),
        font=_font(int(size * 0.34)),
        fill=(255, 255, 255),
        anchor="mm",
    )
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
