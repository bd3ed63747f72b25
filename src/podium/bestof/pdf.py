"""The compilation as a PDF, with WeasyPrint: HTML from a template, CSS Paged Media for the book.

WeasyPrint needs Pango from the system (Debian: libpango-1.0-0, libpangoft2-1.0-0,
libharfbuzz-subset0). It is imported here only, when a PDF is built: when the libraries are
missing, `render_pdf` raises BuildError with that message and the rest of the site is untouched.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from podium.core import storage

from . import conf
from .book import PHOTO_WIDTH_MM, Book, BuildError

# A printer folds sheets of four pages: the printer's PDF is padded to a multiple of four with
# at most three blank pages before the back cover (the book's HTML carries three; the surplus is
# dropped after layout, so the book is laid out once).
SHEET_PAGES = 4
PAD_PAGES = SHEET_PAGES - 1
# The page's top and bottom margins in book.css.
VERTICAL_MARGINS_MM = 24 + 28
SYSTEM_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
# WeasyPrint reports every layout step at INFO; a build's own progress is on the compilation.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _weasyprint() -> Any:
    try:
        import weasyprint
    except (OSError, ImportError) as exc:  # Pango (or the package itself) is missing
        raise BuildError(
            [
                _(
                    "PDFs cannot be built on this server: the system libraries WeasyPrint needs are missing (%(error)s). Install the Debian packages %(packages)s and try again."
                )
                % {"error": str(exc)[:200], "packages": SYSTEM_PACKAGES}
            ]
        ) from exc
    return weasyprint


class _WarningCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record.getMessage())


def _icc_components(icc: Path) -> str:
    """The colour components of an ICC profile, from its header's colour-space field."""
    with icc.open("rb") as handle:
        space = handle.read(20)[16:20]
    return {b"CMYK": "c, m, y, k", b"RGB ": "r, g, b", b"GRAY": "k"}.get(space, "c, m, y, k")


def book_html(book: Book, fmt: str) -> tuple[str, str]:
    """The HTML and the CSS of the book in page format `fmt` ("a4" or "trim")."""
    page = conf.page_format(fmt)
    icc = conf.icc_profile() if fmt == "trim" else None
    context = {
        "book": book,
        "page": page,
        "fonts_uri": conf.FONTS_DIR.as_uri(),
        "icc_uri": icc.as_uri() if icc else "",
        "icc_components": _icc_components(icc) if icc else "",
        "photo_width_mm": PHOTO_WIDTH_MM,
        "content_height_mm": page.height_mm - VERTICAL_MARGINS_MM,
        "pad_pages": range(PAD_PAGES if fmt == "trim" else 0),
    }
    with translation.override("nl"):
        html = render_to_string("bestof/print/book.html", context)
        css = render_to_string("bestof/print/book.css", context)
    return html, css


def _padded_to_sheets(document: Any) -> Any:
    """The laid-out book with as many of its PAD_PAGES blank pages (just before the back cover,
    the last page) as bring its page count to a multiple of SHEET_PAGES. Dropping pages there
    changes no page number, link or outline entry of what comes before."""
    pages = document.pages
    content = len(pages) - PAD_PAGES - 1
    keep = -(content + 1) % SHEET_PAGES
    return document.copy(pages[: content + keep] + pages[-1:])


def render_pdf(book: Book, fmt: str, target: Path) -> list[str]:
    """Write the book as a PDF to `target`; returns warnings. Raises BuildError."""
    weasyprint = _weasyprint()
    from .fetcher import LocalFetcher

    icc = conf.icc_profile() if fmt == "trim" else None
    html, css = book_html(book, fmt)
    # Fonts, article images (public media) and authors' photos (private files), as local paths
    # or as local copies of objects in the store (podium.core.storage.local_copy).
    roots = [
        conf.FONTS_DIR,
        Path(settings.MEDIA_ROOT),
        *storage.local_folders(storage.public_storage(), ""),
        *storage.local_folders(storage.private_storage(), "photos"),
    ] + ([icc.parent] if icc else [])
    fetcher = LocalFetcher(roots)
    collector = _WarningCollector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        document = weasyprint.HTML(
            string=html, base_url=conf.FONTS_DIR.as_uri() + "/", url_fetcher=fetcher
        )
        # @font-face rules apply only through a FontConfiguration shared by the CSS and the render;
        from weasyprint.text.fonts import FontConfiguration

        font_config = FontConfiguration()
        color_profiles: dict[str, Any] = {}  # the same goes for @color-profile (the ICC profile)
        stylesheet = weasyprint.CSS(
            string=css, url_fetcher=fetcher, font_config=font_config, color_profiles=color_profiles
        )
        options: dict[str, Any] = {
            "stylesheets": [stylesheet],
            "font_config": font_config,
            "color_profiles": color_profiles,
        }
        variant = {"pdf_variant": "pdf/x-4"} if icc else {}
        rendered = document.render(**options, **variant)
        if fmt == "trim":
            rendered = _padded_to_sheets(rendered)
        rendered.write_pdf(target, **variant)
    finally:
        logger.removeHandler(collector)
    warnings = []
    if fetcher.refused:
        # Everything the book refers to was resolved beforehand, so this is a bug to report, not
        # something an editor can fix; the file is still complete without these.
        warnings.append(
            _("The PDF renderer was refused %(count)d address(es) outside Podium's files: %(urls)s")
            % {
                "count": len(fetcher.refused),
                "urls": ", ".join(u[:80] for u in fetcher.refused[:3]),
            }
        )
    missing_glyphs = [r for r in collector.records if ".notdef" in r]
    if missing_glyphs:
        warnings.append(
            _(
                "Some characters are not in the book's fonts and may print as empty boxes: %(detail)s"
            )
            % {"detail": "; ".join(m[-40:] for m in missing_glyphs[:3])}
        )
    return warnings
