"""Share cards: the 1200×627 picture LinkedIn, Facebook, X and messengers show for a link.

In Podium's style: the header image cropped at its focal point with a dark band carrying the
title, or, without a header image, a typographic card on paper with the accent rule; the
author's photo (round), name and organisation at the bottom. Drawn with the fonts the printed
compilation uses (Crimson Pro, Source Sans 3; SIL OFL), so nothing is fetched. The caller stores
the bytes under a name that changes with the card's content (`card_key`), so a changed card gets
a new URL and the networks fetch it again.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps

from podium.core import heif

from .variants import SHARE_SIZE

# Share cards are drawn with the compilation's vendored fonts (SIL OFL): nothing is fetched.
FONTS_DIR = Path(__file__).resolve().parents[1] / "bestof" / "fonts"

PAPER = (253, 252, 249)
INK = (27, 27, 31)
ACCENT = (138, 28, 43)
MUTED = (85, 87, 94)
WHITE = (255, 255, 255)
MARGIN = 64


@dataclass(frozen=True)
class CardText:
    title: str
    author: str
    organisation: str = ""


def card_key(text: CardText, *, photo: str = "", picture: str = "") -> str:
    """A short key of everything the card shows: the same inputs give the same name and URL."""
    raw = "|".join([text.title, text.author, text.organisation, photo, picture, "v1"])
    return hashlib.sha256(raw.encode()).hexdigest()[:12]


@cache
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS_DIR / name), size)


def _wrap(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int
) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if draw.textlength(trial, font=font) <= width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def _title_lines(
    draw: ImageDraw.ImageDraw, title: str, width: int, max_lines: int
) -> tuple[list[str], ImageFont.FreeTypeFont]:
    """The largest size (of a few) at which the title fits; else the smallest, cut with "…"."""
    for size in (72, 64, 56, 50):
        font = _font("crimson-pro-600-normal.ttf", size)
        lines = _wrap(draw, title, font, width)
        if len(lines) <= max_lines:
            return lines, font
    lines = lines[:max_lines]
    lines[-1] = lines[-1].rstrip(" ,.;:") + "…"
    return lines, font


def _round_photo(photo: bytes, size: int) -> Image.Image | None:
    try:
        with Image.open(io.BytesIO(photo)) as opened:
            square = ImageOps.fit(opened.convert("RGB"), (size, size), Image.Resampling.LANCZOS)
    except (OSError, ValueError):
        return None
    mask = Image.new("L", (size * 4, size * 4), 0)
    ImageDraw.Draw(mask).ellipse((0, 0, size * 4 - 1, size * 4 - 1), fill=255)
    square.putalpha(mask.resize((size, size), Image.Resampling.LANCZOS))
    return square


def render_card(
    text: CardText, *, picture: bytes | None = None, photo: bytes | None = None
) -> bytes:
    """The card as JPEG bytes. `picture` is the 1200×627 crop of the header image (or None for
    the typographic card); `photo` the author's portrait (or None)."""
    heif.register()
    width, height = SHARE_SIZE
    if picture is not None:
        with Image.open(io.BytesIO(picture)) as opened:
            card = ImageOps.fit(opened.convert("RGB"), SHARE_SIZE, Image.Resampling.LANCZOS)
        # A dark band from the middle down, so white type reads on any picture.
        shade = (
            Image.linear_gradient("L").resize((width, height)).point(lambda v: min(230, v * 1.4))
        )
        card.paste(Image.new("RGB", SHARE_SIZE, (12, 12, 16)), mask=shade)
        ink, muted = WHITE, (225, 225, 230)
    else:
        card = Image.new("RGB", SHARE_SIZE, PAPER)
        ink, muted = INK, MUTED
    draw = ImageDraw.Draw(card)
    if picture is None:
        draw.rectangle((0, 0, width, 12), fill=ACCENT)
        draw.text((MARGIN, 48), "Podium", font=_font("crimson-pro-700-normal.ttf", 44), fill=ACCENT)
    photo_size = 88
    byline_top = height - MARGIN - photo_size
    lines, font = _title_lines(draw, text.title, width - 2 * MARGIN, 3)
    line_height = int(font.size * 1.12)
    top = byline_top - 36 - line_height * len(lines)
    for number, line in enumerate(lines):
        draw.text((MARGIN, top + number * line_height), line, font=font, fill=ink)
    x = MARGIN
    round_photo = _round_photo(photo, photo_size) if photo else None
    if round_photo is not None:
        card.paste(round_photo, (x, byline_top), round_photo)
        x += photo_size + 24
    name_font = _font("source-sans-3-600-normal.ttf", 34)
    org_font = _font("source-sans-3-400-normal.ttf", 28)
    if text.organisation:
        draw.text((x, byline_top + 6), text.author, font=name_font, fill=ink)
        draw.text((x, byline_top + 48), text.organisation, font=org_font, fill=muted)
    else:
        draw.text((x, byline_top + 24), text.author, font=name_font, fill=ink)
    out = io.BytesIO()
    card.save(out, format="JPEG", quality=88, optimize=True, progressive=True)
    return out.getvalue()
