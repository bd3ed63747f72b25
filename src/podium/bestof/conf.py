"""The compilation's settings, read and checked in one place."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FONTS_DIR = Path(__file__).resolve().parent / "fonts"


@dataclass(frozen=True)
class PageFormat:
    key: str
    width_mm: float
    height_mm: float
    bleed_mm: float
    crop_marks: bool


def trim_size() -> tuple[float, float]:
    value = settings.PODIUM_BESTOF_TRIM_SIZE
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*[x×]\s*(\d+(?:\.\d+)?)\s*(?:mm)?\s*", value)
    if not match:
        raise ImproperlyConfigured(
            f"PODIUM_BESTOF_TRIM_SIZE must be WIDTHxHEIGHT in millimetres, e.g. 210x280, not {value!r}."
        )
    width, height = float(match[1]), float(match[2])
    if not (50 <= width <= 1000 and 50 <= height <= 1000):
        raise ImproperlyConfigured(
            f"PODIUM_BESTOF_TRIM_SIZE {value!r} is not a plausible page size."
        )
    return width, height


def page_format(key: str) -> PageFormat:
    if key == "a4":
        return PageFormat("a4", 210, 297, 0, False)
    if key == "trim":
        width, height = trim_size()
        return PageFormat("trim", width, height, float(settings.PODIUM_BESTOF_BLEED_MM), True)
    raise ValueError(f"Unknown page format {key!r}")


def icc_profile() -> Path | None:
    """The printer's ICC output profile, or None; a configured path that is missing is an error."""
    value = settings.PODIUM_BESTOF_ICC_PROFILE
    if not value:
        return None
    path = Path(value)
    if not path.is_file():
        raise ImproperlyConfigured(
            f"PODIUM_BESTOF_ICC_PROFILE points to {value!r}, which is not a file."
        )
    return path.resolve()


def private_root() -> Path:
    return Path(settings.PODIUM_PRIVATE_ROOT)
