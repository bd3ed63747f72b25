"""`{% teaser article %}`: an article's card in the lists (home, topics, authors, all articles,
"read more").

Written in Python rather than as an included template: a list page shows a dozen cards or more,
and the template (an include per card, the byline's include, the picture tag, a plural
translation, the topics loop) cost about 0.9 ms of CPU per card, most of a list page's render
with the page cache off (issue #20). This builds the same HTML, with the same translations,
escaping and dates, in a fraction of that. tests/web/test_cards.py compares it with the
markup the template rendered."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext, ngettext

from podium.articles.models import Article
from podium.images.rendering import picture_html

register = template.Library()


def byline_html(article: Article, *, linked: bool = True) -> SafeString:
    """The names of the byline as `includes/byline.html` writes them (with its closing newline):
    "A, B and C", each linked to their author page when `linked` and they have one."""
    authors = article.authors
    parts: list[str] = []
    last = len(authors) - 1
    for number, person in enumerate(authors):
        if number:
            parts.append(f" {conditional_escape(gettext('and'))} " if number == last else ", ")
        if linked and person.slug:
            parts.append(
                format_html(
                    '<a href="{}" rel="author">{}</a>',
                    person.get_absolute_url(),
                    person.display_name,
                )
            )
        else:
            parts.append(conditional_escape(person.display_name or person.email))
    return mark_safe("".join(parts) + "\n")  # noqa: S308 - every part escaped above


def topics_html(article: Article) -> SafeString:
    topics = article.card_topics
    if not topics:
        return mark_safe("")
    items = "".join(
        format_html('<li><a href="{}">{}</a></li>', topic.get_absolute_url(), topic.label)
        for topic in topics
    )
    return format_html(
        '<ul class="topic-tags" aria-label="{}">{}</ul>',
        gettext("Topics"),
        mark_safe(items),  # noqa: S308
    )


@register.simple_tag
def teaser(article: Article, big: bool = False, level: int | None = None) -> SafeString:
    """The card: header picture (the lead card's large and loaded at once), title, lead,
    byline, date, reading time and topics. `level`: the heading level of the title (2)."""
    url = article.get_absolute_url()
    picture: SafeString | str = ""
    if article.header_image:
        picture = format_html(
            '<a href="{}" class="teaser-picture" tabindex="-1" aria-hidden="true">{}</a>',
            url,
            picture_html(article.header_image, "wide", lazy=False)
            if big
            else picture_html(article.header_image, "card"),
        )
    heading = level or 2
    minutes = article.reading_minutes
    # As a template shows a moment: in the current time zone.
    published = localtime(article.published_at) if article.published_at else None
    # As {% blocktranslate %}: the number is the only value, the message is not escaped.
    reading = ngettext("%(minutes)s min read", "%(minutes)s min read", minutes) % {
        "minutes": minutes
    }
    return format_html(
        '<article class="teaser{}">\n  {}\n'
        '  <h{} class="teaser-title"><a href="{}">{}</a></h{}>\n'
        '  <p class="teaser-lead-text">{}</p>\n'
        '  <p class="meta">\n    {}\n'
        '    · <time datetime="{}">{}</time>\n'
        "    · {}\n"
        "  </p>\n"
        "  {}\n"
        "</article>\n",
        " teaser-lead" if big else "",
        picture,
        heading,
        url,
        article.title,
        heading,
        article.lead,
        byline_html(article),
        date_filter(published, "c"),
        date_filter(published, "DATE_FORMAT"),
        mark_safe(reading),  # noqa: S308
        topics_html(article),
    )
