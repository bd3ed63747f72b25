"""An article's header image opens its chapter in *Het beste van Podium*: the site's 16:9 crop
around the focal point, from the full original, with its alt text and credit; a picture with too
few pixels for print gets the same kind of warning as a small author's photo."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from PIL import Image as PILImage

from podium.accounts.models import User
from podium.bestof import services
from podium.bestof.book import MIN_PPI, TEXT_WIDTH_MM, prepare_book
from podium.bestof.models import Compilation
from podium.bestof.pdf import book_html
from podium.images import services as image_services
from podium.images.models import Image
from tests.images.pictures import photo, upload
from tests.podium_helpers import tags_in
from tests.web.test_xss import CORPUS, IDS

pytestmark = pytest.mark.django_db

ALT = "Een volle vergaderzaal met een spreker op het podium"


def _give_header_image(
    compilation: Compilation, editor: User, width: int, height: int, **details: Any
) -> Image:
    article = compilation.entries.order_by("position").first().article  # type: ignore[union-attr]
    image = image_services.upload_image(
        by=editor,
        upload=upload(photo(width, height)),
        details=image_services.ImageDetails(alt_text=ALT, credit="Fotograaf Jan Smit", **details),
    )
    # The focal point at the right edge: the crop must follow it.
    Image.objects.filter(pk=image.pk).update(focal_x=1.0, focal_y=0.5)
    article.header_image = image
    article.save(update_fields=["header_image"])
    return image


def test_the_header_image_opens_the_chapter_cropped_at_its_focal_point(
    make_compilation: Any, editor: User
) -> None:
    compilation = make_compilation(n=2)
    _give_header_image(compilation, editor, 3200, 2400)

    book = prepare_book(compilation)

    first, second = book.articles
    assert second.opener is None
    assert first.opener is not None
    assert (first.opener_alt, first.opener_credit) == (ALT, "Fotograaf Jan Smit")
    # 16:9 from the full 3200 × 2400 original: 3200 × 1800, within the print cap of 2400 wide.
    assert (first.opener.width_px, first.opener.height_px) == (2400, 1350)
    assert first.opener.ppi_at(TEXT_WIDTH_MM) >= MIN_PPI
    assert not any("header image" in w or "openingsbeeld" in w for w in book.warnings)


def test_a_small_header_image_gets_the_print_resolution_warning(
    make_compilation: Any, editor: User
) -> None:
    compilation = make_compilation(n=1)
    _give_header_image(compilation, editor, 1200, 800)

    book = prepare_book(compilation)

    assert book.articles[0].opener is not None  # kept: the editor decides
    [warning] = [w for w in book.warnings if "ppi" in w]
    assert book.articles[0].title in warning and "1200" in warning


def test_a_header_image_whose_file_is_gone_is_left_out_with_a_warning(
    make_compilation: Any, editor: User
) -> None:
    compilation = make_compilation(n=1)
    image = _give_header_image(compilation, editor, 2000, 1200)
    Image.objects.filter(pk=image.pk).update(file="images/2026/weg/original.jpg")

    book = prepare_book(compilation)

    assert book.articles[0].opener is None
    assert any(book.articles[0].title in w and "ppi" not in w for w in book.warnings)


@pytest.mark.slow
def test_the_pdf_and_the_epub_carry_the_opener(
    make_compilation: Any, editor: User, tmp_path: Path
) -> None:
    compilation = make_compilation(n=1, words=200)
    _give_header_image(compilation, editor, 2400, 1600)
    book = prepare_book(compilation)
    opener = book.articles[0].opener
    assert opener is not None

    with translation.override("nl"):
        services.render(book, "a4", tmp_path / "boek.pdf")
        services.render(book, "epub", tmp_path / "boek.epub")

    listing = subprocess.run(
        ["pdfimages", "-list", str(tmp_path / "boek.pdf")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    sizes = {tuple(line.split()[3:5]) for line in listing.splitlines()[2:]}
    assert (str(opener.width_px), str(opener.height_px)) in sizes
    with zipfile.ZipFile(tmp_path / "boek.epub") as epub:
        chapter = next(
            epub.read(n).decode() for n in epub.namelist() if n.endswith("artikel-1.xhtml")
        )
        assert f'alt="{ALT}"' in chapter and "Beeld: Fotograaf Jan Smit" in chapter
        packaged = set()
        for name in (n for n in epub.namelist() if "images/img-" in n):
            with epub.open(name) as stored, PILImage.open(stored) as picture:
                packaged.add(picture.size)
        assert (opener.width_px, opener.height_px) in packaged


@pytest.mark.parametrize("payload", CORPUS, ids=IDS)
def test_the_xss_corpus_through_the_openers_alt_text_and_credit_adds_nothing_to_the_book(
    payload: str, make_compilation: Any, editor: User
) -> None:
    compilation = make_compilation(n=1, words=100)
    image = _give_header_image(compilation, editor, 1600, 900)
    plain_book = prepare_book(compilation)
    Image.objects.filter(pk=image.pk).update(alt_text=payload, credit=payload)

    book = prepare_book(compilation)

    article = book.articles[0]
    assert (article.opener_alt, article.opener_credit) == (payload.strip(), payload.strip())
    for render in (
        lambda b: book_html(b, "a4")[0],
        lambda b: render_to_string(
            "bestof/epub/chapter.xhtml",
            {"article": b.articles[0], "body": "", "photo": "", "opener": "images/img-1.jpg"},
        ),
    ):
        # The book has its own <style> and images: the payload may add no element to them.
        assert _tags(render(book)) == _tags(render(plain_book))


def _tags(html: str) -> list[str]:
    return [tag for tag, _attrs, _data in tags_in(html)]
