"""Sample articles for the import tests, as contributors send them.

Word documents are built with python-docx (the library the import reads them with); what it has
no API for (tracked changes, hyperlinks, direct numbering) is injected as the XML Word writes.
Text samples are kept as text here and encoded by the tests, so each encoding is exact and no
editor or git setting can change the bytes.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.shared import RGBColor
from PIL import Image

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
CHANGE = 'w:author="Redactie" w:date="2025-03-01T10:00:00Z"'

TITLE = "Werk verandert sneller dan organisaties"
LEAD = "Wie vandaag talent zoekt, moet anders kijken naar werk."
BIO = "Anna de Vries is adviseur arbeidsmarkt bij Van Dijk & Partners."


def docx_bytes(document: Any) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def add_hyperlink(document: Any, paragraph: Any, url: str, text: str) -> None:
    rid = document.part.relate_to(url, RT.HYPERLINK, is_external=True)
    paragraph._p.append(
        parse_xml(f'<w:hyperlink {W} {R} r:id="{rid}"><w:r><w:t>{text}</w:t></w:r></w:hyperlink>')
    )


def add_insertion(paragraph: Any, text: str, change_id: int) -> None:
    paragraph._p.append(
        parse_xml(
            f'<w:ins {W} w:id="{change_id}" {CHANGE}><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:ins>'
        )
    )


def add_deletion(paragraph: Any, text: str, change_id: int) -> None:
    paragraph._p.append(
        parse_xml(
            f'<w:del {W} w:id="{change_id}" {CHANGE}><w:r><w:delText xml:space="preserve">{text}</w:delText></w:r></w:del>'
        )
    )


def png() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(out, "PNG")
    out.seek(0)
    return out


# --- Word samples -----------------------------------------------------------------------------------


def full_article_docx() -> bytes:
    """Sample 1: a complete article in Word: Title style, lead, Word headings on two levels, a
    short bold line as subheading, bold/italic/link, a numbered and a bulleted list, the bio and
    a newsletter line after it."""
    document = docx.Document()
    document.add_paragraph(TITLE, style="Title")
    document.add_paragraph(LEAD)
    body = document.add_paragraph("De arbeidsmarkt is ")
    body.add_run("krap").bold = True
    body.add_run(" en wordt ")
    body.add_run("krapper").italic = True
    body.add_run(". Lees ")
    add_hyperlink(document, body, "https://example.org/rapport", "het rapport")
    body.add_run(" van het CBS.")
    document.add_heading("Wat betekent dit voor uw team?", level=1)
    document.add_paragraph(
        "Teams die leren, winnen. Teams die wachten, verliezen hun beste mensen."
    )
    document.add_heading("Drie lessen uit de praktijk", level=2)
    document.add_paragraph("Begin klein.", style="List Number")
    document.add_paragraph("Meet wat werkt.", style="List Number")
    document.add_paragraph("Vier successen.", style="List Number")
    bold = document.add_paragraph()
    bold.add_run("De rol van de leidinggevende").bold = True
    document.add_paragraph("Leidinggevenden maken het verschil:")
    document.add_paragraph("ze geven ruimte;", style="List Bullet")
    document.add_paragraph("ze geven vertrouwen.", style="List Bullet")
    closing = document.add_paragraph("Wie nu investeert, ")
    closing.add_run("wint later").bold = True
    closing.add_run(".")
    document.add_paragraph(f"Over de auteur: {BIO}")
    document.add_paragraph("Schrijf je in voor onze nieuwsbrief op example.org/nieuwsbrief")
    return docx_bytes(document)


def tracked_changes_docx() -> bytes:
    """Sample 2: typed with "Show changes" on: insertions and deletions inside a sentence, a
    paragraph deleted entirely (text and mark), a deleted paragraph mark joining two paragraphs,
    text moved away, and a heading with a change in it."""
    document = docx.Document()
    document.add_paragraph(TITLE, style="Title")
    lead = document.add_paragraph("Wie vandaag ")
    add_deletion(lead, "personeel ", 1)
    add_insertion(lead, "talent ", 2)
    lead.add_run("zoekt, moet anders kijken naar werk.")
    heading = document.add_heading("Wat betekent dit voor ", level=1)
    add_deletion(heading, "u", 3)
    add_insertion(heading, "jouw team", 4)
    add_deletion(heading, "w team", 5)
    heading.add_run("?")
    gone = document.add_paragraph()
    add_deletion(gone, "Deze alinea is helemaal geschrapt.", 6)
    gone._p.get_or_add_pPr().append(parse_xml(f'<w:rPr {W}><w:del w:id="7" {CHANGE}/></w:rPr>'))
    first_half = document.add_paragraph("Teams die leren,")
    first_half._p.get_or_add_pPr().append(
        parse_xml(f'<w:rPr {W}><w:del w:id="8" {CHANGE}/></w:rPr>')
    )
    document.add_paragraph("winnen.")
    moved = document.add_paragraph("Dit blijft staan.")
    moved._p.append(
        parse_xml(
            f'<w:moveFrom {W} w:id="9" {CHANGE}><w:r><w:t xml:space="preserve"> Dit ging naar elders.</w:t></w:r></w:moveFrom>'
        )
    )
    return docx_bytes(document)


def dropped_things_docx() -> bytes:
    """Sample 3: what an article cannot hold: a table, an image, a comment, coloured text in
    another font, and hidden text; the text around them stays."""
    document = docx.Document()
    document.add_paragraph(TITLE, style="Title")
    document.add_paragraph(LEAD)
    document.add_paragraph("Voor de tabel.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Sector"
    table.cell(0, 1).text = "Vacatures"
    # A VML shape (what older Word versions draw text boxes and clip art with): not a picture.
    document.add_paragraph()._p.append(parse_xml(f"<w:r {W}><w:pict/></w:r>"))
    commented = document.add_paragraph("Hier hoort een bron bij.")
    document.add_comment(commented.runs, text="Welke bron?", author="Redactie", initials="R")
    coloured = document.add_paragraph()
    run = coloured.add_run("Rode tekst in Comic Sans.")
    run.font.color.rgb = RGBColor(0xFF, 0, 0)
    run.font.name = "Comic Sans MS"
    hidden = document.add_paragraph("Zichtbaar.")
    hidden.add_run(" Verborgen.").font.hidden = True
    return docx_bytes(document)


def photo_png(width: int = 640, height: int = 360) -> io.BytesIO:
    """A picture large enough to be a figure (two colours, so encoders have something to do)."""
    image = Image.new("RGB", (width, height), (30, 90, 160))
    image.paste((240, 200, 40), (width // 4, height // 4, width // 2, height // 2))
    out = io.BytesIO()
    image.save(out, "PNG")
    out.seek(0)
    return out


def describe_last_picture(
    document: Any, *, description: str = "", title: str = "", decorative: bool = False
) -> None:
    """Set what Word's "Alt Text" pane writes on the picture just added."""
    doc_pr = document.paragraphs[-1]._p.xpath(".//wp:docPr")[0]
    if description:
        doc_pr.set("descr", description)
    if title:
        doc_pr.set("title", title)
    if decorative:
        doc_pr.append(
            parse_xml(
                '<a:extLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
                '<a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}">'
                '<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/>'
                "</a:ext></a:extLst>"
            )
        )


def pictures_docx(*pictures: dict[str, Any], caption: str = "") -> bytes:
    """Sample 6: an article with pictures in the text: a photo above the title (many documents
    open with one), then after the lead one picture per entry of `pictures` (keyword arguments
    of `describe_last_picture`, plus "data": other bytes in the picture's place), the first with a Word
    caption below it when `caption` is given."""
    document = docx.Document()
    document.add_picture(photo_png())
    describe_last_picture(document, description="Een volle vergaderzaal met een spreker")
    document.add_paragraph(TITLE, style="Title")
    document.add_paragraph(LEAD)
    document.add_paragraph("Tekst voor de grafiek.")
    for number, picture in enumerate(pictures):
        values = dict(picture)
        data = values.pop("data", None)
        document.add_picture(photo_png(320, 180) if data else photo_png())
        if data:
            # python-docx only embeds what it recognises; a bad file is put in its place after.
            rid = document.paragraphs[-1]._p.xpath(".//a:blip/@r:embed")[0]
            document.part.related_parts[rid]._blob = data
        describe_last_picture(document, **values)
        if number == 0 and caption:
            document.add_paragraph(caption, style="Caption")
    document.add_paragraph("Tekst na de grafiek.")
    return docx_bytes(document)


def numbering_docx() -> bytes:
    """Sample 4: no Title style (the first heading is the title), lists made with direct
    numbering on "List Paragraph" (bullet and decimal looked up in the numbering part), heading
    levels 1 and 3 (→ h2 and h3)."""
    document = docx.Document()
    styles = document.styles.element
    bullet_num = styles.xpath('./w:style[@w:styleId="ListBullet"]/w:pPr/w:numPr/w:numId/@w:val')[0]
    number_num = styles.xpath('./w:style[@w:styleId="ListNumber"]/w:pPr/w:numPr/w:numId/@w:val')[0]
    document.add_heading("Zo houdt u talent vast", level=1)
    document.add_paragraph(LEAD)
    document.add_heading("Vijf vragen", level=1)
    for text in ("Wat wil de medewerker?", "Wat kan de organisatie?"):
        paragraph = document.add_paragraph(text, style="List Paragraph")
        paragraph._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {W}><w:ilvl w:val="0"/><w:numId w:val="{number_num}"/></w:numPr>')
        )
    document.add_heading("Een detail", level=3)
    for text in ("eerlijk loon", "goede begeleiding"):
        paragraph = document.add_paragraph(text, style="List Paragraph")
        paragraph._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {W}><w:ilvl w:val="0"/><w:numId w:val="{bullet_num}"/></w:numPr>')
        )
    document.add_paragraph("Tot slot een gewone alinea.")
    return docx_bytes(document)


def no_title_docx() -> bytes:
    """Sample 5: the document starts with a long first paragraph; there is no title to find."""
    document = docx.Document()
    document.add_paragraph(
        "Steeds meer organisaties merken dat de arbeidsmarkt sneller verandert dan hun eigen "
        "werving, en dat vraagt om een andere blik."
    )
    document.add_paragraph("De tweede alinea.")
    return docx_bytes(document)


def small_docx(title: str = TITLE, body: str = "De tekst van het stuk.", *, bio: str = "") -> bytes:
    document = docx.Document()
    document.add_paragraph(title, style="Title")
    document.add_paragraph(LEAD)
    document.add_heading("Wat betekent dit voor uw team?", level=1)
    document.add_paragraph(body)
    if bio:
        document.add_paragraph(f"Over de auteur: {bio}")
    return docx_bytes(document)


# --- Broken packages --------------------------------------------------------------------------------


def corrupt_docx() -> bytes:
    """A .docx cut off halfway (a failed download)."""
    data = small_docx()
    return data[: len(data) // 2]


def damaged_member_docx() -> bytes:
    """A complete zip whose document.xml bytes were damaged (CRC no longer matches)."""
    data = bytearray(small_docx())
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 10
    for offset in range(start, start + 20):
        data[offset] ^= 0xFF
    return bytes(data)


def encrypted_docx() -> bytes:
    """What Word writes for a password-protected .docx: an OLE compound file holding the
    streams EncryptionInfo and EncryptedPackage (header and directory, the parts we look at)."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[0x18:0x1A] = (0x3E).to_bytes(2, "little")
    header[0x1A:0x1C] = (3).to_bytes(2, "little")
    header[0x1C:0x1E] = (0xFFFE).to_bytes(2, "little")
    header[0x1E:0x20] = (9).to_bytes(2, "little")
    directory = bytearray(512)
    for index, name in enumerate(("Root Entry", "EncryptionInfo", "EncryptedPackage")):
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        directory[index * 128 : index * 128 + len(encoded)] = encoded
        directory[index * 128 + 64 : index * 128 + 66] = len(encoded).to_bytes(2, "little")
    return bytes(header) + bytes(directory) + b"\x00" * 1024


def old_doc() -> bytes:
    """An old binary Word document (.doc): also OLE, but without encryption streams."""
    data = bytearray(encrypted_docx())
    data = data.replace(
        "EncryptionInfo".encode("utf-16-le"), "WordDocument\x00\x00".encode("utf-16-le")
    )
    return bytes(data)


def zip_bomb_docx(size: int = 30 * 1024 * 1024) -> bytes:
    """A .docx-looking zip whose document.xml inflates to `size` bytes of nothing."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", b" " * size)
    return out.getvalue()


# --- Text samples ------------------------------------------------------------------------------------

# Sample 6: a hard-wrapped e-mail text (72 columns), blank lines between paragraphs, every rule.
WRAPPED_TXT = """\
Werk verandert sneller dan organisaties

Wie vandaag talent zoekt, moet anders kijken naar werk. De tijd dat een
vacature vanzelf vol liep, is voorbij: zelfs in de zorg en het onderwijs
blijven plekken maanden open.

Organisaties die dat "een tijdelijk probleem" noemen, vergissen zich. Het
gaat om een verschuiving die 's avonds aan de keukentafel begint, bij
mensen die hun werk anders willen inrichten.

Wat betekent dit voor uw team?

Teams die leren, winnen. Drie dingen helpen daarbij:

1) Begin klein en kies een team dat
   wil experimenteren.
2) Meet wat werkt.
3) Vier successen.

De rol van de leidinggevende

Leidinggevenden maken het verschil. Zij kunnen:

- ruimte geven;
- vertrouwen geven;
- zelf het goede voorbeeld geven.

Wie nu investeert, wint later.

Over de auteur: Anna de Vries is adviseur arbeidsmarkt bij Van Dijk &
Partners.

Plaats ook een artikel op Podium? Meld je aan via podium.example.org.
© 2025 Vakblad Voorbeeld. Alle rechten voorbehouden.
"""

# Sample 7: the article format of DESIGN.md without blank lines (typed in a mail client), and
# "•", "*" and "1." markers.
UNBROKEN_TXT = """\
Zeven jaar thuiswerken: een balans
Thuiswerken is blijvend, maar de manier waarop we het organiseren niet.
Wat ging er goed?
Mensen werken geconcentreerder. Ze reizen minder en houden tijd over.
• minder files
• meer focus
Wat ging er mis?
Teams verloren het contact. Nieuwe collega’s vonden hun weg niet.
* inwerken op afstand
* informeel overleg
1. Spreek vaste kantoordagen af.
2. Investeer in inwerken.
Over de schrijver: Bram Jansen is controller bij een zorginstelling.
"""

# Sample 8 and 9: accents and typographic apostrophes, for the single-byte encodings.
ACCENTS_TXT = """\
Ideeën voor een coöperatieve zorg

Een reünie van zorgprofessionals leverde één conclusie op: de cliënt moet centraal.

Daarom pleit ik voor een café-achtige ontmoetingsplek. Dat is geen naïef idee.

Over de auteur: Chloë Müller is verpleegkundige.
"""

# The same in Windows-1252, with its own characters: ’ “ ” – (bytes 0x92, 0x93, 0x94, 0x96).
CP1252_TXT = """\
Ideeën voor een coöperatieve zorg

De cliënt’s wensen – niet de regels – staan voorop. “Zorg is mensenwerk”, zei een collega.

Een reünie leverde één conclusie op: zorg is geen café-product, en dat is geen naïef idee.

Over de auteur: Chloë Müller is verpleegkundige.
"""

# Sample 10: Markdown.
ARTICLE_MD = """\
# Werk verandert sneller dan organisaties

Wie vandaag talent zoekt, moet anders kijken naar werk.

De arbeidsmarkt is **krap** en wordt *krapper*. Lees [het rapport][cbs] of
[de samenvatting](https://example.org/samenvatting).

## Wat betekent dit voor uw team?

Teams die leren, winnen.
- ruimte geven
- vertrouwen geven

### Een detail

![grafiek](grafiek.png)

1. Begin klein.
2. Meet wat werkt.

> Talent blijft waar het kan groeien.

---

Over de auteur: Anna de Vries is adviseur arbeidsmarkt.

[cbs]: https://example.org/cbs
"""

# Sample 11: no title: the text starts with a hard-wrapped paragraph.
NO_TITLE_TXT = """\
Steeds meer organisaties merken dat de arbeidsmarkt sneller verandert dan
hun eigen werving. Dat vraagt om een andere blik op werk en op mensen, en
om leidinggevenden die durven te kiezen.

Daarom drie voorstellen.
"""

TOO_LONG_TITLE_TXT = (
    "Dit is geen titel maar een hele lange eerste zin die maar doorgaat over de arbeidsmarkt, de "
    "zorg, het onderwijs en alles wat daar tussen zit, zonder ooit op te houden\n\n"
    "De tweede alinea.\n"
)

# Sample 12: typography: straight quotes, non-breaking and double spaces, soft hyphens and
# zero-width characters as they come out of web pages and PDFs.
TYPOGRAPHY_TXT = (
    'Wat "goed genoeg" betekent\n\n'
    "Hij zei: 'Dit is het moment.' Het was\u00a0al laat, zo'n  tien uur 's avonds.\n\n"
    "Een organi\u00adsatie\u200b met  dubbele\u00a0 spaties en \u200bzero\u200dwidth tekens.\n\n"
    "Een 12\" scherm en een losse ' blijven recht.\n"
)
