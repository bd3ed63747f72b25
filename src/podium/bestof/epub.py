"""The compilation as an EPUB 3, with ebooklib: a cover, the navigation, the foreword, one chapter
per article, the colophon; language nl. Checked by EPUBCheck in the test suite (no errors, no warnings)."""

from __future__ import annotations

import html
import io
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from ebooklib import epub
from PIL import Image, ImageDraw, ImageFont

from . import conf
from .book import Book, BookImage

COVER_SIZE = (1600, 2400)
# The print cover's colours: the site's accent as the paper, its paper colour for the type.
ACCENT, PAPER, TINT = "#8a1c2b", "#fdfcf9", "#f3e3e5"


def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(conf.FONTS_DIR / name), size)


def _wrap(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int
) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def cover_image(book: Book) -> bytes:
    """The cover as a JPEG, in the print cover's colours and fonts."""
    width, height = COVER_SIZE
    image = Image.new("RGB", COVER_SIZE, ACCENT)
    draw = ImageDraw.Draw(image)
    margin = 160
    brand = _font("crimson-pro-700-normal.ttf", 120)
    draw.text((margin, 200), "Podium", font=brand, fill=PAPER)
    draw.rectangle((margin, 360, margin + 420, 380), fill=PAPER)  # the site header's rule
    title_font = _font("crimson-pro-700-normal.ttf", 150)
    y = 820
    for line in _wrap(draw, book.title, title_font, width - 2 * margin)[:5]:
        draw.text((margin, y), line, font=title_font, fill=PAPER)
        y += 165
    if book.subtitle:
        sub_font = _font("crimson-pro-400-italic.ttf", 80)
        y += 50
        for line in _wrap(draw, book.subtitle, sub_font, width - 2 * margin)[:4]:
            draw.text((margin, y), line, font=sub_font, fill=TINT)
            y += 100
    period_font = _font("source-sans-3-600-normal.ttf", 52)
    draw.text((margin, height - 260), book.period_label.upper(), font=period_font, fill=TINT)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def render_epub(book: Book, target: Path) -> list[str]:
    with translation.override("nl"):
        return _render(book, target)


def _render(book: Book, target: Path) -> list[str]:
    e = epub.EpubBook()
    e.set_identifier(f"urn:uuid:{book.uid}")
    e.set_title(book.title)
    e.set_language("nl")
    for n, author in enumerate(book.authors, start=1):
        e.add_author(author, uid=f"creator-{n}")
    e.add_metadata("DC", "publisher", "Podium")
    e.add_metadata("DC", "date", book.created.strftime("%Y-%m-%d"))
    description = f"{book.subtitle} · {book.period_label}" if book.subtitle else book.period_label
    e.add_metadata("DC", "description", description)

    css = epub.EpubItem(
        uid="style",
        file_name="style/book.css",
        media_type="text/css",
        content=render_to_string("bestof/epub/book.css").encode(),
    )
    e.add_item(css)

    e.set_cover("images/cover.jpg", cover_image(book), create_page=False)
    cover = epub.EpubHtml(title=_("Cover"), file_name="cover.xhtml", lang="nl", uid="cover-page")
    cover.content = render_to_string("bestof/epub/cover.xhtml", {"book": book})
    cover.add_item(css)
    e.add_item(cover)

    spine: list = [cover, "nav"]
    toc: list = []

    def add_page(
        title: str, file_name: str, uid: str, template: str, context: dict[str, object]
    ) -> None:
        """A page in the reading order and the table of contents."""
        page = epub.EpubHtml(title=title, file_name=file_name, lang="nl", uid=uid)
        page.content = render_to_string(template, context)
        page.add_item(css)
        e.add_item(page)
        spine.append(page)
        toc.append(page)

    if book.foreword:
        add_page(
            _("Foreword"),
            "voorwoord.xhtml",
            "foreword",
            "bestof/epub/foreword.xhtml",
            {"book": book},
        )

    images: dict[str, str] = {}

    def packaged(image: BookImage | None) -> str:
        """The picture's name in the package, added the first time it is asked for ("": none)."""
        if image is None:
            return ""
        if image.uri not in images:
            ext = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif"}[image.media_type]
            name = f"images/img-{len(images) + 1}.{ext}"
            e.add_item(
                epub.EpubItem(
                    uid=f"img-{len(images) + 1}",
                    file_name=name,
                    media_type=image.media_type,
                    content=image.path.read_bytes(),
                )
            )
            images[image.uri] = name
        return images[image.uri]

    for article in book.articles:
        body = article.body_xhtml
        for image in article.images:
            body = body.replace(html.escape(image.uri, quote=True), packaged(image))
        add_page(
            article.title,
            f"{article.anchor}.xhtml",
            article.anchor,
            "bestof/epub/chapter.xhtml",
            {
                "article": article,
                "body": body,
                "photo": packaged(article.photo),
                "opener": packaged(article.opener),
            },
        )

    add_page(
        _("Colophon"), "colofon.xhtml", "colophon", "bestof/epub/colophon.xhtml", {"book": book}
    )

    e.toc = toc
    e.add_item(epub.EpubNcx())  # for older readers; EPUB 3 readers use the nav document
    e.add_item(epub.EpubNav())
    e.spine = spine
    e.guide = []
    epub.write_epub(str(target), e, {"epub3_pages": False, "play_order": {"enabled": False}})
    return []
