"""What goes into a compilation's files, checked and prepared once for the PDF and the EPUB.

`prepare_book` either returns a `Book` (with warnings an editor should look at, such as a photo
too small for print) or raises `BuildError` with messages that say what to fix. Nothing here
reaches the network: images must be local media files, anything else is left out and reported.
"""

from __future__ import annotations

import datetime
import hashlib
import html
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.utils import formats, translation
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from podium.accounts import roles
from podium.accounts.models import User
from podium.articles.models import Article, byline_prefetch
from podium.core import heif
from podium.core.storage import copies_folder, local_copy, public_storage
from podium.images.models import Image as Picture
from podium.images.variants import crop_box

from .models import Compilation

# The printed width of the author's photo beside "Over de auteur" (the CSS uses the same number).
PHOTO_WIDTH_MM = 28
MIN_PPI = 300
# The chapter opener (the header image) spans the text column; the body's pictures are checked
# against the same width. Its crop is the 16:9 of the site's header, around the focal point.
TEXT_WIDTH_MM = 150
OPENER_RATIO = (16, 9)
# Wider than print at 300 ppi across the column needs (1,772 px); larger only makes the PDF heavy.
OPENER_MAX_PX = 2400
# Running headers have room for one line.
HEADER_TITLE_MAX_CHARS = 70


class BuildError(Exception):
    """The compilation cannot be built as it is; `messages` say what to fix."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__(" ".join(messages))


@dataclass
class BookImage:
    path: Path
    width_px: int
    height_px: int
    media_type: str

    @property
    def uri(self) -> str:
        return self.path.as_uri()

    def ppi_at(self, width_mm: float) -> float:
        return self.width_px / (width_mm / 25.4)


@dataclass
class BookArticle:
    pk: int
    anchor: str
    title: str
    header_title: str
    lead: str
    body_html: str
    body_xhtml: str
    author_name: str
    author_line: str
    bio: str
    photo: BookImage | None
    images: list[BookImage] = field(default_factory=list)
    # The header image as chapter opener (its 16:9 crop), with its alt text and credit.
    opener: BookImage | None = None
    opener_alt: str = ""
    opener_credit: str = ""


@dataclass
class Colophon:
    """Who made the book and on what terms: from the compilation's colophon fields, with what the
    data knows filled in where an editor left a field empty."""

    editors: list[str] = field(default_factory=list)
    licence: str = ""
    printer: str = ""
    publisher: str = "Podium"
    site: str = ""
    year: int = 0


@dataclass
class Book:
    uid: str
    title: str
    subtitle: str
    foreword: list[str]
    period_label: str
    articles: list[BookArticle]
    authors: list[str]
    warnings: list[str]
    created: datetime.datetime
    colophon: Colophon = field(default_factory=Colophon)


def _media_file(src: str) -> Path | None:
    """A local copy of the public media file that `src` names (a MEDIA_URL address or a relative
    media path), read through the public storage; None for anything else."""
    base = settings.MEDIA_URL
    if urlparse(base).netloc and src.startswith(base):  # media on a CDN or bucket of their own
        path = unquote(urlparse(src[len(base) :]).path)
    else:
        parsed = urlparse(src)
        if parsed.scheme or parsed.netloc:
            return None
        path = unquote(parsed.path)
        if path.startswith(base):
            path = path[len(base) :]
    name = posixpath.normpath(path.lstrip("/"))
    if name in ("", ".") or name.startswith(".."):
        return None
    storage = public_storage()
    try:
        if not storage.exists(name):
            return None
        return local_copy(storage, name)
    except (OSError, ValueError, SuspiciousFileOperation):
        return None


def _load_image(path: Path) -> BookImage | None:
    heif.register()
    try:
        with Image.open(path) as image:
            image.verify()
        with Image.open(path) as image:
            fmt = (image.format or "").upper()
            width, height = image.size
    except (OSError, UnidentifiedImageError):
        return None
    media_type = {
        "JPEG": "image/jpeg",
        "PNG": "image/png",
        "GIF": "image/gif",
        "WEBP": "image/webp",
    }.get(fmt)
    if media_type is None or media_type == "image/webp":
        # WebP is not a core EPUB media type; profile photos are re-encoded as JPEG anyway.
        return None
    return BookImage(path, width, height, media_type)


def _opener(article: Article, warnings: list[str]) -> BookImage | None:
    """The article's header image cropped as the chapter opener (16:9 around its focal point,
    from the re-encoded original, so print gets every pixel there is), or None. An opener with
    too few pixels for print is kept with a warning, like an author's photo."""
    heif.register()
    picture: Picture | None = article.header_image
    if picture is None:
        return None
    target = (
        copies_folder()
        / "openers"
        / (
            hashlib.sha256(
                f"{picture.file}|{picture.focal_x:.4f}|{picture.focal_y:.4f}".encode()
            ).hexdigest()[:32]
            + ".jpg"
        )
    )
    try:
        if not target.exists():
            source = local_copy(public_storage(), picture.file)
            with Image.open(source) as opened:
                box = crop_box(
                    opened.width, opened.height, OPENER_RATIO, picture.focal_x, picture.focal_y
                )
                crop = opened.convert("RGB").crop(box)
            if crop.width > OPENER_MAX_PX:
                size = (OPENER_MAX_PX, round(OPENER_MAX_PX * crop.height / crop.width))
                crop = crop.resize(size, Image.Resampling.LANCZOS)
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".partial")
            crop.save(partial, format="JPEG", quality=90, optimize=True)
            partial.replace(target)
    except (OSError, ValueError, SuspiciousFileOperation):
        target = None  # type: ignore[assignment]
    opener = _load_image(target) if target is not None else None
    if opener is None:
        warnings.append(
            _("The header image of “%(title)s” could not be read; the chapter opens without it.")
            % {"title": article.title}
        )
    elif opener.ppi_at(TEXT_WIDTH_MM) < MIN_PPI:
        warnings.append(
            _(
                "The header image of “%(title)s” has %(ppi)d ppi as chapter opener (%(px)d pixels across %(mm)d mm); print needs at least %(min)d. Ask for a larger picture."
            )
            % {
                "title": article.title,
                "ppi": opener.ppi_at(TEXT_WIDTH_MM),
                "px": opener.width_px,
                "mm": TEXT_WIDTH_MM,
                "min": MIN_PPI,
            }
        )
    return opener


def _prepare_body(article: Article, warnings: list[str]) -> tuple[str, str, list[BookImage]]:
    """The article's HTML with every image either resolved to a local file or left out (and
    reported), and headings shifted below the article's own title."""
    if not article.body.strip():
        return "", "", []
    import lxml.html  # ~4 MB: loaded when a compilation is built, not by every web process

    fragment = lxml.html.fragment_fromstring(article.body, create_parent="div")
    images = []
    for img in list(fragment.iter("img")):
        src = img.get("src", "")
        path = _media_file(src)
        image = _load_image(path) if path else None
        if image is None:
            warnings.append(
                _(
                    "An image in “%(title)s” could not be found on this server (%(src)s); it was left out."
                )
                % {"title": article.title, "src": src[:120] or _("no address")}
            )
            img.drop_tree()
            continue
        img.set("src", image.uri)
        img.attrib.pop("srcset", None)
        img.set("alt", img.get("alt", ""))
        images.append(image)
    for element in fragment.iter():
        if element.tag in ("script", "style", "iframe", "object"):
            element.drop_tree()
    text = fragment.text or ""
    loose = f"<p>{html.escape(text)}</p>" if text.strip() else ""
    as_html = loose + "".join(
        lxml.html.tostring(c, encoding="unicode", method="html") for c in fragment
    )
    as_xhtml = loose + "".join(
        lxml.html.tostring(c, encoding="unicode", method="xml") for c in fragment
    )
    return as_html, as_xhtml, images


def _header_title(title: str) -> str:
    if len(title) <= HEADER_TITLE_MAX_CHARS:
        return title
    return title[: HEADER_TITLE_MAX_CHARS - 1].rsplit(" ", 1)[0].rstrip(",;:–-") + "…"


def _period_label(compilation: Compilation) -> str:
    start, end = compilation.period_start, compilation.period_end
    return (
        f"{formats.date_format(start, 'DATE_FORMAT')} – {formats.date_format(end, 'DATE_FORMAT')}"
    )


def prepare_book(compilation: Compilation) -> Book:
    """Check the compilation and gather everything its files need. Raises BuildError."""
    with translation.override("nl"):
        return _prepare_book(compilation)


def _prepare_book(compilation: Compilation) -> Book:
    entries = list(
        compilation.entries.select_related("article__author", "article__header_image")
        .prefetch_related(byline_prefetch("article__"))
        .order_by("position", "pk")
    )
    if not entries:
        raise BuildError(
            [
                _(
                    "This compilation has no articles yet. Choose at least one article, then build again."
                )
            ]
        )
    errors = []
    for entry in entries:
        article = entry.article
        if not article.is_live:
            errors.append(
                _(
                    "“%(title)s” is no longer published (%(state)s). Remove it from the compilation or publish it again, then build again."
                )
                % {
                    "title": article.title or _("(untitled)"),
                    "state": article.get_state_display().lower(),
                }
            )
    if errors:
        raise BuildError(errors)

    warnings: list[str] = []
    articles = []
    authors: list[str] = []
    for n, entry in enumerate(entries, start=1):
        article = entry.article
        author = article.author
        name = _printed_name(author)
        # Everyone in the byline is one of the book's authors; the article's "Over de auteur"
        # (photo, function, bio) is its author's.
        for person in article.authors:
            person_name = _printed_name(person)
            if person_name not in authors:
                authors.append(person_name)
        photo = None
        if author.photo:
            try:
                # Through the storage: the photo may be in an object store, not on this disk.
                photo_path: Path | None = local_copy(author.photo.storage, str(author.photo.name))
            except (OSError, ValueError):
                photo_path = None
            photo = _load_image(photo_path) if photo_path and photo_path.is_file() else None
            if photo is None:
                warnings.append(
                    _("The photo of %(name)s could not be read; “%(title)s” is printed without it.")
                    % {"name": name, "title": article.title}
                )
            elif photo.ppi_at(PHOTO_WIDTH_MM) < MIN_PPI:
                warnings.append(
                    _(
                        "The photo of %(name)s has %(ppi)d ppi at its printed size (%(mm)d mm wide); print needs at least %(min)d. Ask for a larger photo."
                    )
                    % {
                        "name": name,
                        "ppi": photo.ppi_at(PHOTO_WIDTH_MM),
                        "mm": PHOTO_WIDTH_MM,
                        "min": MIN_PPI,
                    }
                )
        opener = _opener(article, warnings)
        body_html, body_xhtml, images = _prepare_body(article, warnings)
        for image in images:
            # Body images are printed at most the text width.
            if image.ppi_at(TEXT_WIDTH_MM) < MIN_PPI:
                warnings.append(
                    _(
                        "An image in “%(title)s” is %(px)d pixels wide: below %(min)d ppi if printed across the text width."
                    )
                    % {"title": article.title, "px": image.width_px, "min": MIN_PPI}
                )
        line = ", ".join(part for part in (author.job_title, author.organisation) if part)
        articles.append(
            BookArticle(
                pk=article.pk,
                anchor=f"artikel-{n}",
                title=article.title,
                header_title=_header_title(article.title),
                lead=article.lead,
                body_html=body_html,
                body_xhtml=body_xhtml,
                author_name=article.byline_text or name,
                author_line=line,
                bio=author.bio,
                photo=photo,
                images=images,
                opener=opener,
                opener_alt=article.header_image.alt if opener and article.header_image else "",
                opener_credit=(
                    article.header_image.credit_line if opener and article.header_image else ""
                ),
            )
        )
    foreword = [
        p.strip() for p in compilation.foreword.replace("\r\n", "\n").split("\n\n") if p.strip()
    ]
    colophon = _colophon(compilation)
    if not colophon.printer:
        warnings.append(
            _(
                "The colophon names no printer yet. Fill in the printer under “Edit title, foreword and colophon” before the files go to print."
            )
        )
    return Book(
        uid=str(compilation.uid),
        title=compilation.title,
        subtitle=compilation.subtitle,
        foreword=foreword,
        period_label=_period_label(compilation),
        articles=articles,
        authors=authors,
        warnings=warnings,
        created=compilation.finalised_at or compilation.updated_at,
        colophon=colophon,
    )


def _printed_name(person: User) -> str:
    """The name the book prints for `person`: their name, else their address's part before the @."""
    return person.display_name or person.email.split("@")[0]


def _colophon(compilation: Compilation) -> Colophon:
    editors = [line.strip() for line in compilation.colophon_editors.splitlines() if line.strip()]
    if not editors:
        editors = [
            _printed_name(u)
            for u in User.objects.filter(role=roles.EDITORS, is_active=True).order_by(
                "display_name", "pk"
            )
        ]
    year = compilation.period_end.year
    licence = compilation.licence or _(
        "© %(year)d the authors. The authors keep the copyright of their articles; nothing in this book may be reproduced without their permission."
    ) % {"year": year}
    return Colophon(
        editors=editors,
        licence=licence,
        printer=compilation.printer,
        site=urlparse(settings.SITE_URL).netloc or settings.SITE_URL,
        year=year,
    )
