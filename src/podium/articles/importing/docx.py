"""Word documents (.docx).

The package is checked before python-docx opens it: a password-protected document is an OLE
compound file, not a zip; a zip bomb is refused on the sizes its directory declares (zipfile never
inflates a member beyond its declared size, so a lying directory ends in a CRC error, not in
memory exhaustion).

The text is read from the XML, not from python-docx's `paragraph.text`/`runs`, because those do
not give the text as it reads with all tracked changes accepted: runs inside <w:ins> are skipped
by `paragraph.runs`. Here inserted and moved-in text counts, deleted and moved-away text does not,
and a deleted paragraph mark joins a paragraph to the next, as Word does on "Accept all".
Headings come from the styles (Title, Heading N, or any style with an outline level), lists from
the numbering definitions, links from the relationships; fonts, colours, tables, comments and
footnotes are dropped with a note. Embedded pictures come along with Word's alt text (the
picture's description, else its title, and Word's "decorative" mark) and the "Caption" paragraph
below them; what is not a picture (charts, shapes, text boxes, linked files) is dropped with a
note. The pictures' bytes are not checked here: `articles.services.store_imported_pictures`
sends them through the same checks as an upload.
"""

from __future__ import annotations

import io
import logging
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import docx
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from docx.document import Document as DocxDocument

from .result import ImportedPicture, ImportRejected
from .structure import Block, Span, last_mark, looks_like_subheading

logger = logging.getLogger(__name__)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC_NS = "http://schemas.openxmlformats.org/drawingml/2006/picture"
DECORATIVE_NS = "http://schemas.microsoft.com/office/drawing/2017/decorative"

MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_RATIO = 100  # uncompressed : compressed, per member
MAX_ENTRIES = 1000
MAX_PICTURES = 30  # more than an article shows; the rest is dropped with the "removed" note
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_HYPERLINK_FIELD = re.compile(r'HYPERLINK\s+"([^"]+)"')
_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.I)
# Run properties that only change the look; their presence earns the "formatting dropped" note.
_LOOKS = {
    "rFonts",
    "color",
    "sz",
    "highlight",
    "shd",
    "u",
    "caps",
    "smallCaps",
    "strike",
    "spacing",
    "vertAlign",
}


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def _local(tag: Any) -> str:
    return tag.split("}", 1)[1] if isinstance(tag, str) and "}" in tag else ""


def _on(element: Any | None) -> bool | None:
    """The value of an on/off property such as <w:b/> or <w:b w:val="0"/>; None when absent."""
    if element is None:
        return None
    value = element.get(w("val"))
    return value not in ("0", "false", "off")


# --- The package ------------------------------------------------------------------------------------


def check_package(data: bytes) -> None:
    """Refuse what python-docx should never be handed, each with its own message."""
    if data.startswith(OLE_MAGIC):
        if _ENCRYPTION_INFO in data:
            raise ImportRejected(
                _(
                    "This document is protected with a password. Remove the password in Word (File › Info › Protect Document) and import it again."
                ),
                code="encrypted",
            )
        raise ImportRejected(
            _(
                "This is an old Word document (.doc). Open it in Word, save it as .docx and import that."
            ),
            code="old_word",
        )
    if not data.startswith(b"PK"):
        raise ImportRejected(
            _(
                "This file is not a Word document, even though its name ends in .docx. Save it as .docx in Word and try again."
            ),
            code="not_docx",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _corrupt() from None
    with archive:
        infos = archive.infolist()
        unpacked = sum(info.file_size for info in infos)
        if (
            len(infos) > MAX_ENTRIES
            or unpacked > MAX_UNPACKED_BYTES
            or any(_inflates_suspiciously(info) for info in infos)
        ):
            raise ImportRejected(
                _(
                    "This document unpacks to far more than an article can hold (it may be damaged or built to overload servers). Copy the text into a new document and import that."
                ),
                code="zip_bomb",
            )
        if any(info.flag_bits & 0x1 for info in infos):
            raise ImportRejected(
                _(
                    "This document is protected with a password. Remove the password in Word and import it again."
                ),
                code="encrypted",
            )
        names = set(archive.namelist())
        if "word/document.xml" not in names:
            if "content.xml" in names:
                raise ImportRejected(
                    _(
                        "This is an OpenDocument file (LibreOffice, .odt), not a Word document. Save it as .docx and import that."
                    ),
                    code="not_docx",
                )
            raise ImportRejected(
                _(
                    "This file is a zip archive but not a Word document. Save your article as .docx and import that."
                ),
                code="not_docx",
            )
        try:
            bad = archive.testzip()
        except (
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            OSError,
            ValueError,
            NotImplementedError,
            RuntimeError,
        ):
            raise _corrupt() from None
        if bad is not None:
            raise _corrupt()


def _inflates_suspiciously(info: zipfile.ZipInfo) -> bool:
    if info.file_size < 1024 * 1024:
        return False
    return info.compress_size == 0 or info.file_size / info.compress_size > MAX_RATIO


def _corrupt() -> ImportRejected:
    return ImportRejected(
        _(
            "This Word document is damaged and cannot be read. Open it in Word, save it again as .docx and import that."
        ),
        code="corrupt",
    )


def open_document(data: bytes) -> DocxDocument:
    check_package(data)
    try:
        return docx.Document(io.BytesIO(data))
    except Exception:
        # python-docx and lxml raise a dozen kinds of errors on broken packages; for the user
        # they all mean the same.
        logger.info("Unreadable .docx", exc_info=True)
        raise _corrupt() from None


# --- The text -------------------------------------------------------------------------------------


@dataclass
class _Style:
    name: str
    based_on: str | None
    outline_level: int | None
    num_id: str | None
    ilvl: str
    bold: bool | None


@dataclass
class _Paragraph:
    spans: list[Span]
    style: str  # lower-case style name
    heading_level: int | None
    is_title: bool
    list_kind: str | None  # "bullet", "number" or None
    all_bold: bool
    pictures: list[int] = field(default_factory=list)  # indexes into _Reader.pictures


@dataclass
class _Counts:
    tables: int = 0
    images: int = 0
    comments: int = 0
    footnotes: int = 0
    changes: int = 0
    looks: bool = False
    fields: list[str] = field(default_factory=list)


class _Reader:
    def __init__(self, document: DocxDocument) -> None:
        self.document = document
        self.part = document.part
        self.counts = _Counts()
        self.pictures: list[ImportedPicture] = []
        self.styles = self._read_styles()
        self.numbering = self._read_numbering()
        self.default_style = next(
            (sid for sid, style in self.styles.items() if style.name == "normal"), None
        )

    # Styles and numbering.

    def _read_styles(self) -> dict[str, _Style]:
        styles: dict[str, _Style] = {}
        root = self.document.styles.element
        for element in root.iterchildren(w("style")):
            style_id = element.get(w("styleId")) or ""
            name_el = element.find(w("name"))
            based_el = element.find(w("basedOn"))
            ppr = element.find(w("pPr"))
            rpr = element.find(w("rPr"))
            outline = ppr.find(w("outlineLvl")) if ppr is not None else None
            num_pr = ppr.find(w("numPr")) if ppr is not None else None
            num_id = ilvl = None
            if num_pr is not None:
                num_id_el, ilvl_el = num_pr.find(w("numId")), num_pr.find(w("ilvl"))
                num_id = num_id_el.get(w("val")) if num_id_el is not None else None
                ilvl = ilvl_el.get(w("val")) if ilvl_el is not None else None
            styles[style_id] = _Style(
                name=(name_el.get(w("val")) if name_el is not None else style_id).lower(),
                based_on=based_el.get(w("val")) if based_el is not None else None,
                outline_level=int(outline.get(w("val"), "9")) if outline is not None else None,
                num_id=num_id,
                ilvl=ilvl or "0",
                bold=_on(rpr.find(w("b"))) if rpr is not None else None,
            )
        return styles

    def _style_chain(self, style_id: str | None) -> Iterator[_Style]:
        seen = set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            style = self.styles[style_id]
            yield style
            style_id = style.based_on

    def _read_numbering(self) -> dict[tuple[str, str], str]:
        """(numId, level) → number format ("bullet", "decimal", …)."""
        try:
            root = self.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return {}
        abstract: dict[str, dict[str, str]] = {}
        for element in root.iterchildren(w("abstractNum")):
            levels = {}
            for lvl in element.iterchildren(w("lvl")):
                fmt = lvl.find(w("numFmt"))
                levels[lvl.get(w("ilvl"), "0")] = (
                    fmt.get(w("val"), "decimal") if fmt is not None else "decimal"
                )
            abstract[element.get(w("abstractNumId"), "")] = levels
        formats: dict[tuple[str, str], str] = {}
        for num in root.iterchildren(w("num")):
            num_id = num.get(w("numId"), "")
            abstract_el = num.find(w("abstractNumId"))
            levels = dict(
                abstract.get(abstract_el.get(w("val"), "") if abstract_el is not None else "", {})
            )
            for override in num.iterchildren(w("lvlOverride")):
                fmt = override.find(f"{w('lvl')}/{w('numFmt')}")
                if fmt is not None:
                    levels[override.get(w("ilvl"), "0")] = fmt.get(w("val"), "decimal")
            for level, fmt_value in levels.items():
                formats[(num_id, level)] = fmt_value
        return formats

    # The body.

    def paragraphs(self) -> Iterator[_Paragraph]:
        carry: list[Span] = []
        carry_pictures: list[int] = []
        for p in self._body_paragraphs(self.document.element.body):
            first_picture = len(self.pictures)
            spans = carry + self._spans(p, bold=False, italic=False, href=None)
            pictures = carry_pictures + list(range(first_picture, len(self.pictures)))
            ppr = p.find(w("pPr"))
            mark = ppr.find(w("rPr")) if ppr is not None else None
            if mark is not None and mark.find(w("del")) is not None:
                # The paragraph mark was deleted: accepted, this paragraph runs on into the next.
                self.counts.changes += 1
                carry, carry_pictures = [*spans, Span(" ")], pictures
                continue
            carry, carry_pictures = [], []
            yield self._paragraph(p, spans, pictures)
        if carry or carry_pictures:
            yield self._paragraph(None, carry, carry_pictures)

    def _body_paragraphs(self, container: Any) -> Iterator[Any]:
        for child in container.iterchildren():
            name = _local(child.tag)
            if name == "p":
                yield child
            elif name == "tbl":
                self.counts.tables += 1
            elif name == "sdt":
                content = child.find(w("sdtContent"))
                if content is not None:
                    yield from self._body_paragraphs(content)
            elif name in ("customXml", "ins", "moveTo"):
                yield from self._body_paragraphs(child)
            elif name in ("del", "moveFrom"):
                self.counts.changes += 1

    def _paragraph(self, p: Any | None, spans: list[Span], pictures: list[int]) -> _Paragraph:
        ppr = p.find(w("pPr")) if p is not None else None
        style_id = None
        num_id = ilvl = None
        outline = None
        if ppr is not None:
            style_el = ppr.find(w("pStyle"))
            style_id = style_el.get(w("val")) if style_el is not None else None
            num_pr = ppr.find(w("numPr"))
            if num_pr is not None:
                num_id_el, ilvl_el = num_pr.find(w("numId")), num_pr.find(w("ilvl"))
                num_id = num_id_el.get(w("val")) if num_id_el is not None else None
                ilvl = ilvl_el.get(w("val")) if ilvl_el is not None else None
            outline_el = ppr.find(w("outlineLvl"))
            outline = int(outline_el.get(w("val"), "9")) if outline_el is not None else None
        chain = list(self._style_chain(style_id or self.default_style))
        style_name = chain[0].name if chain else "normal"

        heading_level = None
        is_title = False
        for style in chain:
            if style.name == "title":
                is_title = True
                break
            match = _HEADING_STYLE.match(style.name)
            if match:
                heading_level = int(match.group(1))
                break
            if style.outline_level is not None and style.outline_level < 9:
                heading_level = style.outline_level + 1
                break
        if outline is not None and outline < 9 and not is_title:
            heading_level = outline + 1

        list_kind = None
        if num_id is None:
            for style in chain:
                if style.num_id is not None:
                    num_id, ilvl = style.num_id, ilvl or style.ilvl
                    break
        if num_id not in (None, "0"):
            fmt = self.numbering.get((num_id, ilvl or "0"))  # type: ignore[arg-type]
            if fmt is None:
                fmt = "decimal" if "number" in style_name else "bullet"
            if fmt != "none":
                list_kind = "bullet" if fmt == "bullet" else "number"
        elif style_name.startswith("list bullet"):
            list_kind = "bullet"
        elif style_name.startswith("list number"):
            list_kind = "number"

        style_bold = next((style.bold for style in chain if style.bold is not None), False)
        visible = [span for span in spans if span.text.strip()]
        all_bold = bool(visible) and all(span.bold or style_bold for span in visible)
        return _Paragraph(
            spans=spans,
            style=style_name,
            heading_level=heading_level,
            is_title=is_title,
            list_kind=list_kind,
            all_bold=all_bold,
            pictures=pictures,
        )

    # Runs.

    def _spans(self, container: Any, *, bold: bool, italic: bool, href: str | None) -> list[Span]:
        spans: list[Span] = []
        field_instr: list[str] | None = None
        field_href: str | None = None
        for child in container.iterchildren():
            name = _local(child.tag)
            if name == "r":
                for kind, value in self._run(child):
                    if kind == "begin":
                        field_instr, field_href = [], None
                    elif kind == "instr" and field_instr is not None:
                        field_instr.append(value)
                    elif kind == "separate" and field_instr is not None:
                        match = _HYPERLINK_FIELD.search("".join(field_instr))
                        field_href = match.group(1) if match else None
                        field_instr = None
                    elif kind == "end":
                        field_instr, field_href = None, None
                    elif kind == "text" and field_instr is None:
                        run_bold, run_italic = self._run_marks(child, bold, italic)
                        spans.append(Span(value, run_bold, run_italic, field_href or href))
            elif name in ("ins", "moveTo"):
                self.counts.changes += 1
                spans += self._spans(child, bold=bold, italic=italic, href=href)
            elif name in ("del", "moveFrom"):
                self.counts.changes += 1
            elif name == "hyperlink":
                spans += self._spans(
                    child, bold=bold, italic=italic, href=self._link(child) or href
                )
            elif name == "fldSimple":
                match = _HYPERLINK_FIELD.search(child.get(w("instr"), ""))
                spans += self._spans(
                    child, bold=bold, italic=italic, href=match.group(1) if match else href
                )
            elif name in ("smartTag", "customXml", "dir", "bdo"):
                spans += self._spans(child, bold=bold, italic=italic, href=href)
            elif name == "sdt":
                content = child.find(w("sdtContent"))
                if content is not None:
                    spans += self._spans(content, bold=bold, italic=italic, href=href)
            elif child.tag == f"{{{MC_NS}}}AlternateContent":
                self._take_drawing(child)
        return spans

    def _link(self, hyperlink: Any) -> str | None:
        rid = hyperlink.get(f"{{{R_NS}}}id")
        if not rid:
            return None  # an anchor inside the document
        rel = self.part.rels.get(rid)
        if rel is None or not rel.is_external:
            return None
        return str(rel.target_ref)

    def _run_marks(self, run: Any, bold: bool, italic: bool) -> tuple[bool, bool]:
        rpr = run.find(w("rPr"))
        if rpr is None:
            return bold, italic
        style_el = rpr.find(w("rStyle"))
        style = self.styles.get(style_el.get(w("val"), "")) if style_el is not None else None
        style_name = style.name if style else ""
        run_bold = _on(rpr.find(w("b")))
        run_italic = _on(rpr.find(w("i")))
        if run_bold is None:
            run_bold = bold or style_name in ("strong",) or bool(style and style.bold)
        if run_italic is None:
            run_italic = italic or style_name in ("emphasis",)
        return run_bold, run_italic

    def _run(self, run: Any) -> Iterator[tuple[str, str]]:
        rpr = run.find(w("rPr"))
        if rpr is not None:
            if _on(rpr.find(w("vanish"))) or _on(rpr.find(w("webHidden"))):
                return  # hidden text
            if any(_local(child.tag) in _LOOKS for child in rpr):
                self.counts.looks = True
        for child in run.iterchildren():
            name = _local(child.tag)
            if name == "t":
                yield "text", child.text or ""
            elif name in ("tab", "ptab"):
                yield "text", " "
            elif name == "br":
                yield "text", " " if child.get(w("type")) in ("page", "column") else "\n"
            elif name == "cr":
                yield "text", "\n"
            elif name == "noBreakHyphen":
                yield "text", "-"
            elif name == "fldChar":
                yield child.get(w("fldCharType"), ""), ""
            elif name == "instrText":
                yield "instr", child.text or ""
            elif name == "drawing" or child.tag == f"{{{MC_NS}}}AlternateContent":
                self._take_drawing(child)
            elif name in ("pict", "object"):
                self.counts.images += 1
            elif name == "commentReference":
                self.counts.comments += 1
            elif name in ("footnoteReference", "endnoteReference"):
                self.counts.footnotes += 1
            # delText (only in deleted runs), softHyphen, sym, lastRenderedPageBreak: nothing.

    # Pictures.

    def _take_drawing(self, element: Any) -> None:
        """Keep the picture a <w:drawing> (or Word's AlternateContent wrapper around one) shows;
        count anything else as removed."""
        if _local(element.tag) != "drawing":
            # AlternateContent: the first drawing is the one Word shows (the Choice); the
            # Fallback repeats it for older readers.
            element = next(element.iter(w("drawing")), None)
        picture = self._picture(element) if element is not None else None
        if picture is None or len(self.pictures) >= MAX_PICTURES:
            self.counts.images += 1
        else:
            self.pictures.append(picture)

    def _picture(self, drawing: Any) -> ImportedPicture | None:
        """The embedded picture of a drawing, or None for a chart, a shape, a group or a linked
        file (nothing Podium can show as a figure)."""
        frame = next(drawing.iter(f"{{{WP_NS}}}inline", f"{{{WP_NS}}}anchor"), None)
        if frame is None:
            return None
        graphic = frame.find(f"{{{A_NS}}}graphic/{{{A_NS}}}graphicData/{{{PIC_NS}}}pic")
        blip = next(graphic.iter(f"{{{A_NS}}}blip"), None) if graphic is not None else None
        rid = blip.get(f"{{{R_NS}}}embed") if blip is not None else None
        part = self.part.related_parts.get(rid) if rid else None
        data = getattr(part, "blob", None) if part is not None else None
        if part is None or not data:
            return None
        doc_pr = frame.find(f"{{{WP_NS}}}docPr")
        attributes = doc_pr if doc_pr is not None else frame
        decorative = doc_pr is not None and any(
            mark.get("val") in ("1", "true")
            for mark in doc_pr.iter(f"{{{DECORATIVE_NS}}}decorative")
        )
        return ImportedPicture(
            data=bytes(data),
            name=posixpath.basename(str(part.partname)),
            description=attributes.get("descr", ""),
            title=attributes.get("title", ""),
            is_decorative=decorative,
        )


# --- Paragraphs to blocks -------------------------------------------------------------------------


def parse(data: bytes) -> tuple[list[Block], list[str], list[ImportedPicture]]:
    document = open_document(data)
    reader = _Reader(document)
    blocks: list[Block] = []
    for paragraph in reader.paragraphs():
        text = " ".join("".join(span.text for span in paragraph.spans).split())
        last = blocks[-1] if blocks else None
        if (
            text
            and paragraph.style == "caption"
            and not paragraph.pictures
            and last is not None
            and last.picture is not None
            and not reader.pictures[last.picture].caption
        ):
            # Word's Insert Caption: "Figuur 1: …" right below the picture.
            reader.pictures[last.picture].caption = text
            continue
        if text:
            _add_text_block(blocks, paragraph, text)
        blocks.extend(Block("figure", picture=index) for index in paragraph.pictures)
    return blocks, _notes(reader.counts, document), reader.pictures


def _add_text_block(blocks: list[Block], paragraph: _Paragraph, text: str) -> None:
    if paragraph.list_kind:
        ordered = paragraph.list_kind == "number"
        last = blocks[-1] if blocks else None
        if last is not None and last.kind == "list" and last.ordered == ordered:
            last.items.append(paragraph.spans)
        else:
            blocks.append(Block("list", items=[paragraph.spans], ordered=ordered))
    elif paragraph.is_title:
        blocks.append(Block("title", paragraph.spans))
    elif paragraph.heading_level is not None:
        blocks.append(Block("heading", paragraph.spans, level=paragraph.heading_level))
    elif paragraph.all_bold and looks_like_subheading(text) and last_mark(text) != ":":
        blocks.append(Block("heading", paragraph.spans))
    else:
        blocks.append(Block("paragraph", paragraph.spans))


def _notes(counts: _Counts, document: DocxDocument) -> list[str]:
    notes = []
    if counts.changes:
        notes.append(
            _("Tracked changes were accepted: the text is as it reads with all changes accepted.")
        )
    if counts.tables:
        notes.append(
            ngettext(
                "%(count)d table was removed: tables do not fit an article. Write what matters as text or a list.",
                "%(count)d tables were removed: tables do not fit an article. Write what matters as text or a list.",
                counts.tables,
            )
            % {"count": counts.tables}
        )
    if counts.images:
        notes.append(
            ngettext(
                "%(count)d drawing (a chart, a shape or a text box) was removed: only pictures come along.",
                "%(count)d drawings (charts, shapes or text boxes) were removed: only pictures come along.",
                counts.images,
            )
            % {"count": counts.images}
        )
    if counts.comments:
        notes.append(
            ngettext(
                "%(count)d comment was removed.",
                "%(count)d comments were removed.",
                counts.comments,
            )
            % {"count": counts.comments}
        )
    if counts.footnotes:
        notes.append(
            ngettext(
                "%(count)d footnote was removed.",
                "%(count)d footnotes were removed.",
                counts.footnotes,
            )
            % {"count": counts.footnotes}
        )
    if counts.looks:
        notes.append(_("Fonts, colours and sizes were dropped: Podium sets the type itself."))
    return notes
