"""Pictures for the demo content, drawn by code (no photographs to license): an abstract header
illustration per article in the magazine's colours, and bar charts as figures in the text."""

from __future__ import annotations

import hashlib
import io
import random
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from podium.images import sharecard

PALETTES = [
    ((138, 28, 43), (244, 232, 214), (34, 49, 63)),  # Podium red, paper, ink blue
    ((22, 78, 99), (237, 224, 200), (217, 119, 6)),  # petrol, sand, amber
    ((47, 72, 88), (246, 237, 226), (200, 85, 61)),  # slate, cream, terracotta
    ((29, 107, 58), (240, 236, 222), (28, 37, 65)),  # green, linen, navy
    ((88, 44, 131), (242, 233, 228), (231, 111, 81)),  # plum, blush, coral
]


def _rng(seed: str) -> random.Random:
    return random.Random(int(hashlib.sha256(seed.encode()).hexdigest()[:12], 16))


def header_png(seed: str, width: int = 2000, height: int = 1125) -> bytes:
    """An abstract, calm composition (large shapes, soft shadows, a few lines) unique per seed.
    2,000 pixels wide: enough for the printed compilation's chapter opener (300 ppi across its
    150 mm column), so the demo book builds without resolution warnings."""
    rng = _rng(seed)
    main, paper, accent = PALETTES[rng.randrange(len(PALETTES))]
    image = Image.new("RGB", (width, height), paper)
    layer = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for _ in range(5):
        r = rng.randrange(height // 4, height // 2 + 120)
        x, y = rng.randrange(-r // 2, width), rng.randrange(-r // 2, height)
        colour = rng.choice([main, accent, main])
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(*colour, rng.randrange(110, 200)))
    for _ in range(3):
        x, y = rng.randrange(width), rng.randrange(height)
        w, h = rng.randrange(180, 520), rng.randrange(120, 420)
        draw.rectangle((x, y, x + w, y + h), fill=(*paper, rng.randrange(120, 200)))
    shadow = layer.filter(ImageFilter.GaussianBlur(18))
    image.paste(
        Image.new("RGB", image.size, (0, 0, 0)), mask=shadow.getchannel("A").point(lambda v: v // 6)
    )
    image.paste(layer, mask=layer)
    lines = ImageDraw.Draw(image)
    for n in range(7):
        y = height * (n + 1) // 9 + rng.randrange(-20, 20)
        lines.line(
            (rng.randrange(width // 2), y, width, y + rng.randrange(-60, 60)), fill=accent, width=3
        )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@dataclass(frozen=True)
class Chart:
    png: bytes
    alt_text: str
    caption: str


def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(sharecard.FONTS_DIR / name), size)


def bar_chart(seed: str, label: str) -> Chart:
    """A bar chart of five years of made-up figures, with its alt text and caption."""
    rng = _rng(seed)
    years = [2022, 2023, 2024, 2025, 2026]
    value = rng.randrange(30, 60)
    values = []
    for _ in years:
        value = max(5, value + rng.randrange(-6, 14))
        values.append(value)
    main, _paper, accent = PALETTES[rng.randrange(len(PALETTES))]
    # Drawn at 1.3 times a 1400 × 800 layout: 1,820 pixels print at 300 ppi across the text column.
    k = 1.3
    width, height = round(1400 * k), round(800 * k)
    image = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    title_font = _font("source-sans-3-700-normal.ttf", round(40 * k))
    label_font = _font("source-sans-3-400-normal.ttf", round(30 * k))
    draw.text((70 * k, 50 * k), f"{label} (%)", font=title_font, fill=(27, 27, 31))
    left, right, top, bottom = 110 * k, width - 70 * k, 150 * k, height - 100 * k
    top_value = max(values) * 1.15
    for step in range(0, int(top_value) + 1, 20):
        y = bottom - (bottom - top) * step / top_value
        draw.line((left, y, right, y), fill=(220, 218, 212), width=3)
        draw.text((left - 20 * k, y), str(step), font=label_font, fill=(85, 87, 94), anchor="rm")
    slot = (right - left) / len(years)
    for n, (year, value) in enumerate(zip(years, values, strict=True)):
        x0 = left + slot * n + slot * 0.2
        x1 = left + slot * (n + 1) - slot * 0.2
        y = bottom - (bottom - top) * value / top_value
        draw.rectangle((x0, y, x1, bottom), fill=accent if year == years[-1] else main)
        draw.text(
            ((x0 + x1) / 2, y - 12 * k), str(value), font=label_font, fill=(27, 27, 31), anchor="mb"
        )
        draw.text(
            ((x0 + x1) / 2, bottom + 16 * k),
            str(year),
            font=label_font,
            fill=(85, 87, 94),
            anchor="mt",
        )
    draw.line((left, bottom, right, bottom), fill=(27, 27, 31), width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    alt = (
        f"Staafdiagram: {label.lower()} per jaar, van {values[0]} procent in {years[0]} "
        f"naar {values[-1]} procent in {years[-1]}."
    )
    caption = f"{label}, {years[0]}–{years[-1]} (illustratieve cijfers)"
    return Chart(png=out.getvalue(), alt_text=alt, caption=caption)
