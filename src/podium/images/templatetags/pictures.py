from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString, mark_safe

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


@register.inclusion_tag("images/caption.html")
def picture_caption(image: Image | None) -> dict[str, object]:
    return {"image": image}
