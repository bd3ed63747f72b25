"""What an import produces, and the one error it raises."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from podium.core.text import shorten

# How much of a removed piece of text the summary quotes.
_QUOTE_CHARS = 100


class ImportRejected(Exception):
    """The file or text cannot be imported. `message` says why, specifically and in the user's
    language; nothing has been parsed into anything."""

    def __init__(self, message: str, *, code: str) -> None:
        self.message = message
        self.code = code
        super().__init__(message)


# Where a picture stood in the text, until `articles.services.store_imported_pictures` has stored
# it and put Podium's figure markup in its place. An HTML comment, because the sanitiser removes
# every comment: whatever a document contains, a mark in an import's body is always one of these.
_PICTURE_MARK = "<!--podium-picture:{}-->"
PICTURE_MARKS = re.compile(r"<!--podium-picture:(\d+)-->")


def picture_mark(index: int) -> str:
    return _PICTURE_MARK.format(index)


@dataclass
class ImportedPicture:
    """A picture embedded in a Word document, as the document has it: the bytes are not checked
    yet (they go through the same checks as an upload when they are stored)."""

    data: bytes
    name: str  # the part's file name in the package ("image1.png")
    description: str = ""  # Word's alt text (docPr descr)
    title: str = ""  # docPr title, which older Word versions filled instead
    is_decorative: bool = False  # Word 365's "Mark as decorative"
    caption: str = ""  # a "Caption" paragraph right below the picture


@dataclass
class ImportedList:
    ordered: bool
    items: list[str]


@dataclass
class ImportResult:
    """A parsed article: plain-text title and lead, sanitised body HTML, and what was recognised
    or dropped on the way, so the contributor can check it."""

    title: str = ""
    lead: str = ""
    body_html: str = ""
    bio: str = ""
    subheadings: list[str] = field(default_factory=list)
    lists: list[ImportedList] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    title_missing: bool = False
    # Until stored, the pictures whose marks stand in body_html; afterwards empty, with the counts.
    pictures: list[ImportedPicture] = field(default_factory=list)
    picture_count: int = 0
    pictures_to_describe: int = 0

    def summary(self) -> list[str]:
        """One line per thing recognised or dropped, in the active language."""
        lines = []
        if self.title:
            lines.append(_("Title: “%(title)s”") % {"title": self.title})
        else:
            lines.append(_("No title recognised: fill it in yourself."))
        if self.lead:
            lines.append(_("Lead: “%(lead)s”") % {"lead": _quote(self.lead)})
        else:
            lines.append(
                _("No lead recognised: write one or two sentences that pull the reader in.")
            )
        lines.append(
            ngettext("%(count)d subheading", "%(count)d subheadings", len(self.subheadings))
            % {"count": len(self.subheadings)}
        )
        lines.append(
            ngettext("%(count)d list", "%(count)d lists", len(self.lists))
            % {"count": len(self.lists)}
        )
        if self.picture_count:
            lines.append(
                ngettext(
                    "%(count)d picture imported",
                    "%(count)d pictures imported",
                    self.picture_count,
                )
                % {"count": self.picture_count}
            )
        if self.pictures_to_describe:
            lines.append(
                ngettext(
                    "%(count)d picture has no description in Word: describe what it shows (alt text) or mark it as decorative before you submit.",
                    "%(count)d pictures have no description in Word: describe what they show (alt text) or mark them as decorative before you submit.",
                    self.pictures_to_describe,
                )
                % {"count": self.pictures_to_describe}
            )
        if self.bio:
            lines.append(_("“Over de auteur” text found."))
        else:
            lines.append(_("No “Over de auteur” text found."))
        if self.removed:
            lines.append(
                ngettext(
                    "%(count)d piece of text removed:",
                    "%(count)d pieces of text removed:",
                    len(self.removed),
                )
                % {"count": len(self.removed)}
            )
            lines.extend(_("Removed: “%(text)s”") % {"text": _quote(text)} for text in self.removed)
        else:
            lines.append(_("No text removed."))
        lines.extend(self.notes)
        return lines

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, for keeping the result in the session between upload and confirmation. The
        pictures must have been stored first: their bytes do not belong in a session."""
        if self.pictures:
            raise ValueError("Store the pictures first (services.store_imported_pictures).")
        data = asdict(self)
        del data["pictures"]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportResult:
        values = dict(data)
        values["lists"] = [ImportedList(**item) for item in values.get("lists", [])]
        return cls(**values)


def _quote(text: str) -> str:
    return shorten(text, _QUOTE_CHARS)
