"""`{% teaser article %}`: an article's card in the lists (home, topics, authors, all articles,
"read more").

Written in Python rather than as an included template: a list page shows a dozen cards or more,
and the template (an include per card, the byline's include, the picture tag, a plural
translation, the topics loop) cost about 0.9 ms of CPU per card, most of a list page's render
with the page cache off (issue #20). This builds the same HTML, with the same translations,
escaping and dates, in a fraction of that. tests/web/test_cards.py compares it with the
markup the template rendered."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape as escape_html

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext, ngettext

from podium.articles.models import Article
from podium.images.rendering import picture_html
from podium.topics.models import Topic

register = template.Library()


def _escaped(value: object) -> str:
    """`conditional_escape`, without its lazy-value wrappers: a card escapes a dozen values, and
    format_html's escaping went through three layers per value (issue #20). The same HTML:
    Django's escape is `html.escape`, and what is already safe is taken as it is."""
    if isinstance(value, Promise):
        value = str(value)
    html = getattr(value, "__html__", None)
    return html() if html is not None else escape_html(str(value))


def byline_html(article: Article, *, linked: bool = True) -> SafeString:
    """The names of the byline as `includes/byline.html` writes them (with its closing newline):
    "A, B and C", each linked to their author page when `linked` and they have one."""
    authors = article.authors
    parts: list[str] = []
    last = len(authors) - 1
    for number, person in enumerate(authors):
        if number:
            parts.append(f" {_escaped(gettext('and'))} " if number == last else ", ")
        if linked and person.slug:
            parts.append(
                f'<a href="{_escaped(person.get_absolute_url())}" rel="author">'
                f"{_escaped(person.display_name)}</a>"
            )
        else:
            parts.append(_escaped(person.display_name or person.email))
    return mark_safe("".join(parts) + "\n")  # noqa: S308 - every part escaped above


def topics_html(article: Article) -> SafeString:
    return topic_tags(article.card_topics)


@register.simple_tag
def topic_tags(topics: Iterable[Topic]) -> SafeString:
    """`{% topic_tags topics %}`: the topics as linked tags (a card's, the article page's), or
    nothing when there are none."""
    if not topics:
        return mark_safe("")
    items = "".join(
        f'<li><a href="{_escaped(topic.get_absolute_url())}">{_escaped(topic.label)}</a></li>'
        for topic in topics
    )
    return mark_safe(  # noqa: S308 - every value escaped
        f'<ul class="topic-tags" aria-label="{_escaped(gettext("Topics"))}">{items}</ul>'
    )


@register.simple_tag
def teaser(article: Article, big: bool = False, level: int | None = None) -> SafeString:
    """The card: header picture (the lead card's large and loaded at once), title, lead,
    byline, date, reading time and topics. `level`: the heading level of the title (2)."""
    url = _escaped(article.get_absolute_url())
    picture = ""
    if article.header_image:
        image = (
            picture_html(article.header_image, "wide", lazy=False)
            if big
            else picture_html(article.header_image, "card")
        )
        picture = (
            f'<a href="{url}" class="teaser-picture" tabindex="-1" aria-hidden="true">'
            f"{_escaped(image)}</a>"
        )
    heading = _escaped(level or 2)
    minutes = article.reading_minutes
    # As a template shows a moment: in the current time zone. Its ISO form is what the date
    # filter's "c" gives (DateFormat.c is isoformat), without the filter's format machinery.
    published = localtime(article.published_at) if article.published_at else None
    # As {% blocktranslate %}: the number is the only value, the message is not escaped.
    reading = ngettext("%(minutes)s min read", "%(minutes)s min read", minutes) % {
        "minutes": minutes
    }
    return mark_safe(  # noqa: S308 - every value escaped
        f'<article class="teaser{" teaser-lead" if big else ""}">\n  {picture}\n'
        f'  <h{heading} class="teaser-title"><a href="{url}">{_escaped(article.title)}</a>'
        f"</h{heading}>\n"
        f'  <p class="teaser-lead-text">{_escaped(article.lead)}</p>\n'
        f'  <p class="meta">\n    {byline_html(article)}\n'
        f'    · <time datetime="{published.isoformat() if published else ""}">'
        f"{_escaped(date_filter(published, 'DATE_FORMAT'))}</time>\n"
        f"    · {reading}\n"
        "  </p>\n"
        f"  {topics_html(article)}\n"
        "</article>\n"
    )


@register.simple_tag
def byline(article: Article, linked: bool = True) -> SafeString:
    """`{% byline article %}`: the article page's byline, as `includes/byline.html` with
    `authors=article.authors` writes it (`linked=False`: names without links, the preview)."""
    return byline_html(article, linked=linked)


@register.simple_tag
def author_boxes(article: Article, preview: bool = False) -> SafeString:
    """`{% author_boxes article preview=is_preview %}`: "About the author" for each name of the
    byline, as `includes/author_box.html` wrote them (numbered from 1), built here rather than
    by an include per author on every render of the article (issue #20). In a preview the
    names are not linked."""
    about = _escaped(gettext("About the author"))
    boxes = []
    for number, author in enumerate(article.authors, start=1):
        photo = (
            f'<img src="{_escaped(author.photo_url)}" alt="" width="96" height="96" '
            'class="author-photo">'
            if author.photo
            else ""
        )
        name = _escaped(author.display_name)
        if author.slug and not preview:
            name = f'<a href="{_escaped(author.get_absolute_url())}">{name}</a>'
        byline = f'<span class="byline">, {_escaped(author.byline)}</span>' if author.byline else ""
        bio = f"<p>{_escaped(author.bio)}</p>" if author.bio else ""
        boxes.append(
            f'<aside class="author-box" aria-labelledby="author-box-title{number}">\n'
            f"  {photo}\n"
            "  <div>\n"
            f'    <h2 id="author-box-title{number}">{about}</h2>\n'
            f'    <p class="author-name">{name}{byline}</p>\n'
            f"    {bio}\n"
            "  </div>\n"
            "</aside>\n"
        )
    return mark_safe("".join(boxes))  # noqa: S308 - every value escaped
