"""Bring your article along: a Word document (.docx), a text file (.txt, .md) or pasted text
becomes a structured article (title, lead, body with subheadings and lists, the author's bio),
with a summary of what was recognised and removed so the contributor can check it.

Pure functions: nothing here touches the database. `services.import_article` stores the result.

    import_file(name, data) -> ImportResult      raises ImportRejected
    import_text(text) -> ImportResult            raises ImportRejected
"""

from __future__ import annotations

from pathlib import PurePath

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from podium.articles import rules as article_rules

from . import text
from .result import ImportedList, ImportedPicture, ImportRejected, ImportResult
from .structure import build_result

__all__ = [
    "EXTENSIONS",
    "ImportRejected",
    "ImportResult",
    "ImportedList",
    "ImportedPicture",
    "import_file",
    "import_text",
    "max_bytes",
]

EXTENSIONS = (".docx", ".txt", ".md")
_MARKDOWN = (".md", ".markdown")
_TEXT = (".txt", ".text")
_OTHER_FORMATS = {
    ".doc": gettext_noop(
        "This is an old Word document (.doc). Open it in Word, save it as .docx and import that."
    ),
    ".odt": gettext_noop(
        "This is an OpenDocument file (LibreOffice). Save it as .docx and import that."
    ),
    ".rtf": gettext_noop(
        "This is an RTF file. Save it as .docx or as plain text (.txt) and import that."
    ),
    ".pdf": gettext_noop(
        "PDF files cannot be imported. Open the PDF, copy the text and paste it instead."
    ),
    ".pages": gettext_noop(
        "Pages documents cannot be imported. Export it as Word (.docx) and import that."
    ),
}


def max_bytes() -> int:
    return int(article_rules.IMPORT_MAX_BYTES)


def too_large_error(size: int) -> ImportRejected:
    return ImportRejected(
        _(
            "The file is %(size)s; at most %(limit)s can be imported. Save the article on its own, without images, and try again."
        )
        % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes())},
        code="too_large",
    )


def import_file(name: str, data: bytes, *, limit: int | None = None) -> ImportResult:
    """Parse an uploaded file by its extension (and, where the content says otherwise, by its
    content). Raises ImportRejected with a specific message for anything it cannot import."""
    limit = max_bytes() if limit is None else limit
    if len(data) > limit:
        raise too_large_error(len(data))
    extension = PurePath(name or "").suffix.lower()
    if extension in _OTHER_FORMATS:
        raise ImportRejected(_(_OTHER_FORMATS[extension]), code="unsupported")
    if extension not in (".docx", *_MARKDOWN, *_TEXT):
        raise ImportRejected(
            _(
                "Podium can import Word documents (.docx) and text files (.txt, .md); this file is neither."
            ),
            code="unsupported",
        )
    if not data:
        raise ImportRejected(_("The file is empty."), code="empty")
    if extension == ".docx" or text.is_zip(data):
        # A .docx saved under a text name is still a .docx. python-docx (with lxml) is imported
        # on the first import, not with the site: every web process would carry it.
        from . import docx

        blocks, notes, pictures = docx.parse(data)
        if all(block.kind == "figure" for block in blocks):
            raise ImportRejected(_("This document contains no text to import."), code="empty")
        return build_result(blocks, notes=notes, title_from_paragraph=True, pictures=pictures)
    content, _encoding = text.decode(data)
    blocks, notes = text.parse(content, markdown=extension in _MARKDOWN)
    return build_result(blocks, notes=notes)


def import_text(pasted: str) -> ImportResult:
    """Parse pasted plain text."""
    if not pasted or not pasted.strip():
        raise ImportRejected(
            _("There is no text to import: paste your article first."), code="empty"
        )
    if len(pasted.encode("utf-8")) > max_bytes():
        raise too_large_error(len(pasted.encode("utf-8")))
    blocks, notes = text.parse(pasted)
    return build_result(blocks, notes=notes)
