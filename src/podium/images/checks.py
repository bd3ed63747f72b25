"""What the editors' assistant says about a picture's texts: alt text that is missing or weak (a
file name, a word like "afbeelding", under 10 or over 250 characters) and a missing credit."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import Image

ALT_MIN_CHARS = 10
ALT_MAX_CHARS = 250
_FILE_NAME = re.compile(
    r"^\S+\.(?:jpe?g|png|webp|heic|heif|gif|tiff?|bmp)$|^(?:img|dsc|dscn|pxl|image|photo)[-_ ]?\d+",
    re.I,
)
# Words that say "a picture is here" and nothing about what it shows.
_GENERIC = {
    "afbeelding",
    "foto",
    "plaatje",
    "beeld",
    "illustratie",
    "figuur",
    "grafiek",
    "image",
    "picture",
    "photo",
    "chart",
    "header",
    "headerafbeelding",
    "openingsbeeld",
}


# What Word (365, and the Dutch version) writes when it describes a picture itself.
_GENERATED = re.compile(
    r"[\s.,;:–-]*(?:description automatically generated|automatisch gegenereerde beschrijving)"
    r"(?: with (?:medium|low) confidence| met (?:gemiddelde|lage) betrouwbaarheid)?[\s.]*$",
    re.I,
)


def alt_text_from_word(description: str) -> tuple[str, bool]:
    """The alt text a Word picture's description gives, and whether an editor must look at it:
    nothing (flagged), a file name (dropped, flagged) or a description Word generated itself
    (kept without Word's remark, flagged)."""
    alt = " ".join((description or "").split())
    if not alt:
        return "", True
    if _FILE_NAME.search(alt):
        return "", True
    generated = _GENERATED.search(alt)
    if generated:
        return alt[: generated.start()].strip(), True
    return alt, False


@dataclass(frozen=True)
class PictureCheck:
    image: Image
    problems: tuple[str, ...]
    is_header: bool = False


def alt_text_problems(image: Image) -> list[str]:
    """The assistant's remarks on `image`, in the active language (empty: nothing to say)."""
    problems: list[str] = []
    alt = " ".join(image.alt_text.split())
    if not image.is_decorative:
        if not alt:
            problems.append(_("No alt text, and not marked as decorative."))
        elif _FILE_NAME.search(alt):
            problems.append(_("The alt text is a file name; describe what the picture shows."))
        elif alt.lower().strip(" .:") in _GENERIC:
            problems.append(
                _("The alt text only says that there is a picture; describe what it shows.")
            )
        elif len(alt) < ALT_MIN_CHARS:
            problems.append(
                _("The alt text is very short (under %(n)s characters).") % {"n": ALT_MIN_CHARS}
            )
        elif len(alt) > ALT_MAX_CHARS:
            problems.append(
                _(
                    "The alt text is very long (over %(n)s characters); put the details in the caption."
                )
                % {"n": ALT_MAX_CHARS}
            )
        if image.needs_alt_review and alt:
            problems.append(_("The alt text came from the Word file; check it."))
    if not image.credit.strip():
        problems.append(_("No credit: who made the picture?"))
    return problems
