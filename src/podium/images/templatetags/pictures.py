from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from podium.images.models import Image
from podium.images.rendering import expand_figures, picture_html

register = template.Library()


@register.simple_tag
def picture(
    image: Image | None,
    kind: str = "full",
    lazy: bool = True,
    css_class: str = "",
    sizes: str = "",
    decorative: bool = False,
) -> SafeString | str:
    """`{% picture article.header_image "card" %}`: the responsive picture, or nothing.
    `decorative=True`: an empty alt, where the picture's alt text is printed beside it."""
    if image is None:
        return ""
    return picture_html(
        image,
        kind,
        sizes=sizes or None,
        lazy=lazy,
        css_class=css_class,
        alt="" if decorative else None,
    )


@register.filter
def with_figures(body: str, images: Iterable[Image]) -> SafeString:
    """`{{ article.body|with_figures:article.figure_images.all }}`: the (sanitised) text with its
    figures as responsive pictures. The pictures are only read when the text has figures."""
    if "data-image=" not in (body or ""):
        return mark_safe(body or "")  # noqa: S308 - article bodies are sanitised when stored
    return mark_safe(expand_figures(body, {image.pk: image for image in images}))  # noqa: S308


@register.simple_tag
def picture_caption(image: Image | None) -> SafeString:
    """`{% picture_caption article.header_image %}`: its caption and credit as `<figcaption>` (and
    a line break), or the line break alone. Built here rather than by an included template: the
    article page shows it on every render (issue #20)."""
    if image is None or not (image.caption or image.credit):
        return mark_safe("\n")
    credit = (
        format_html(' <span class="credit">{}: {}</span>', _("Picture"), image.credit)
        if image.credit
        else ""
    )
    return format_html("<figcaption>{}{}</figcaption>\n", image.caption, credit)
