"""Pictures as HTML: `<picture>` with AVIF and WebP sources and a fallback `<img>` with `srcset`,
`sizes`, width and height (the browser reserves the space: no layout shift), and the figure
markup that article text stores (`figure_markup`) and that pages expand (`expand_figures`).

Until the variants task has run, the re-encoded original is shown: never a broken picture."""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape

from django.core.files.storage import storages
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from podium.core.storage import public_url

from .models import Image
from .variants import MIME_TYPES

# The column of the article text, and the header image and cards, as CSS lays them out.
SIZES = {
    "full": "(min-width: 45rem) 42rem, calc(100vw - 2.5rem)",
    "wide": "(min-width: 45rem) 42rem, calc(100vw - 2.5rem)",
    "card": "(min-width: 72rem) 22rem, (min-width: 40rem) 50vw, calc(100vw - 2.5rem)",
    "square": "10rem",
}
_FIGURE = re.compile(r"<figure>(.*?)</figure>", re.S)
_IMAGE_ID = re.compile(r'<img[^>]*\bdata-image="(\d+)"[^>]*>')
_FIGCAPTION = re.compile(r"<figcaption>(.*?)</figcaption>", re.S)


def _escaped(value: object) -> str:
    """`value` as `format_html` puts it in: escaped, unless it is safe already (a template's
    string literal is)."""
    html = getattr(value, "__html__", None)
    return str(html()) if html is not None else escape(str(value))


def _srcset(rows: list[list[object]]) -> str:
    """The variants as a `srcset` (not escaped)."""
    return ", ".join(f"{public_url(str(name))} {width}w" for width, _height, name in rows)


def picture_html(
    image: Image,
    kind: str = "full",
    *,
    sizes: str | None = None,
    lazy: bool = True,
    css_class: str = "",
    alt: str | None = None,
) -> SafeString:
    """The picture as `<picture>`, or the original as `<img>` while there are no variants.
    `alt=""` where the picture's description stands next to it (a thumbnail in a list).

    Every value is escaped as `format_html` would (`html.escape`, which Django's `escape` is),
    without its per-value machinery: a list page shows a dozen of these, each with a few dozen
    URLs (remembered per name: `public_url`)."""
    variant_kind = "wide" if kind == "card" else kind
    loading = ' loading="lazy" decoding="async"' if lazy else ' fetchpriority="high"'
    by_format = image.variant_set(variant_kind)
    alt = image.alt if alt is None else alt
    crop_class = escape(f"pic pic-{variant_kind} {css_class}".strip())
    if not by_format:
        return mark_safe(  # noqa: S308 - every value escaped
            f'<img class="{crop_class}" src="{escape(image.url)}" alt="{_escaped(alt)}" '
            f'width="{escape(str(image.width))}" height="{escape(str(image.height))}"{loading}>'
        )
    fallback_format = "png" if "png" in by_format else "jpeg"
    fallback = by_format[fallback_format]
    largest = fallback[-1]
    sizes = _escaped(sizes or SIZES.get(kind, SIZES["full"]))
    sources = "".join(
        f'<source type="{escape(MIME_TYPES[fmt])}" srcset="{escape(_srcset(by_format[fmt]))}" '
        f'sizes="{sizes}">'
        for fmt in ("avif", "webp")
        if by_format.get(fmt)
    )
    # The fallback's src is a middle width: what a browser without srcset (rare) gets.
    middle = fallback[min(1, len(fallback) - 1)]
    return mark_safe(  # noqa: S308 - every value escaped
        f'<picture class="{crop_class}">{sources}<img src="{escape(public_url(str(middle[2])))}" '
        f'srcset="{escape(_srcset(fallback))}" sizes="{sizes}" alt="{_escaped(alt)}" '
        f'width="{escape(str(largest[0]))}" height="{escape(str(largest[1]))}"{loading}></picture>'
    )


def share_image(image: Image) -> tuple[str, int, int] | None:
    """(url, width, height) of the picture's 1200×627 crop, once the variants exist."""
    rows = image.variant_set("share").get("jpeg")
    if not rows:
        return None
    width, height, name = rows[-1]
    return public_url(str(name)), int(width), int(height)


def figure_markup(image: Image, caption: str | None = None) -> str:
    """The figure as article text stores it (what the editor inserts and the sanitiser keeps)."""
    text = image.caption if caption is None else caption
    figcaption = f"<figcaption>{escape(text)}</figcaption>" if text else ""
    return (
        f'<figure><img src="{escape(image.url)}" alt="{escape(image.alt)}" '
        f'data-image="{image.pk}">{figcaption}</figure>'
    )


def figure_image_ids(body: str) -> list[int]:
    """The ids of the pictures the text shows, in order."""
    return [int(found) for found in _IMAGE_ID.findall(body or "")]


def expand_figures(body: str, images: Mapping[int, Image], *, lazy: bool = True) -> str:
    """The stored text with each figure shown as a responsive picture, with its credit. A figure
    whose picture is gone is left out rather than shown broken."""

    def expand(match: re.Match[str]) -> str:
        inner = match.group(1)
        found = _IMAGE_ID.search(inner)
        image = images.get(int(found.group(1))) if found else None
        if image is None:
            return ""
        caption_match = _FIGCAPTION.search(inner)
        caption = caption_match.group(1).strip() if caption_match else ""
        credit = image.credit_line
        parts = [caption] if strip_tags(caption).strip() else []
        if credit:
            parts.append(
                str(format_html('<span class="credit">{}: {}</span>', _("Picture"), credit))
            )
        figcaption = f"<figcaption>{' '.join(parts)}</figcaption>" if parts else ""
        return (
            f'<figure class="figure">{picture_html(image, "full", lazy=lazy)}{figcaption}</figure>'
        )

    return _FIGURE.sub(expand, body or "")


def picture_url_prefix() -> str:
    """Where Podium's pictures are served from: the only source article text may show."""
    return storages["default"].url("images/").split("?", 1)[0]


def remove_figures(body: str, *, keep: set[int]) -> str:
    """`body` without the figures whose picture is not in `keep`."""

    def filter_figure(match: re.Match[str]) -> str:
        found = _IMAGE_ID.search(match.group(1))
        return match.group(0) if found and int(found.group(1)) in keep else ""

    return _FIGURE.sub(filter_figure, body or "")
