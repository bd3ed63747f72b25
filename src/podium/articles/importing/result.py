"""What an import produces, and the one error it raises."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# How much of a removed piece of text the summary quotes.
_QUOTE_CHARS = 100


class ImportRejected(Exception):
    """The file or text cannot be imported. `message` says why, specifically and in the user's
    language; nothing has been parsed into anything."""

    def __init__(self, message: str, *, code: str) -> None:
        self.message = message
        self.code = code
        super().__init__(message)


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
        """JSON-ready, for keeping the result in the session between upload and confirmation."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportResult:
        values = dict(data)
        values["lists"] = [ImportedList(**item) for item in values.get("lists", [])]
        return cls(**values)


def _quote(text: str) -> str:
    return text if len(text) <= _QUOTE_CHARS else text[: _QUOTE_CHARS - 1].rstrip() + "…"
