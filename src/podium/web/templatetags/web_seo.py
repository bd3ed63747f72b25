"""Tags for what search engines and social networks read: JSON-LD, share links, absolute URLs."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlencode

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString

from podium.accounts.models import User
from podium.articles import sharecards
from podium.articles.models import Article

register = template.Library()

# As in Django's json_script: these cannot close the <script> element or open a comment.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def absolute(path: str) -> str:
    """An absolute URL on this site (SITE_URL) for a path; absolute URLs pass unchanged."""
    if not path or "://" in path:
        return path or ""
    return settings.SITE_URL + path


def _person(author: User) -> dict[str, Any]:
    person: dict[str, Any] = {"@type": "Person", "name": author.display_name}
    if author.slug:
        person["url"] = absolute(author.get_absolute_url())
    if author.job_title:
        person["jobTitle"] = author.job_title
    return person


def article_json_ld_data(article: Article) -> dict[str, Any]:
    author = article.author
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": article.title,
        "description": article.lead,
        "mainEntityOfPage": absolute(article.get_absolute_url()),
        "url": absolute(article.get_absolute_url()),
        "inLanguage": "nl",
        "author": [_person(person) for person in article.authors],
        "publisher": {"@type": "Organization", "name": "Podium", "url": settings.SITE_URL + "/"},
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": max(
            article.updated_at, article.published_at or article.updated_at
        ).isoformat(),
        "wordCount": article.word_count,
        "keywords": [t.name for t in article.topics.all()],
    }
    if author.photo:
        data["image"] = absolute(author.photo_url)
    return data


@register.simple_tag
def article_json_ld(article: Article) -> SafeString:
    """<script type="application/ld+json"> for `article`, escaped so no text can end the element."""
    payload = json.dumps(article_json_ld_data(article), ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', SafeString(payload))


@register.simple_tag
def share_card_url(article: Article) -> str:
    """The URL of the article's generated share card ("" until the task has drawn it)."""
    return sharecards.share_card_url(article)


@register.inclusion_tag("web/includes/share.html")
def share_links(article: Article) -> dict[str, Any]:
    url = absolute(article.get_absolute_url())
    return {
        "url": url,
        "linkedin": "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url}),
        "x": "https://x.com/intent/post?" + urlencode({"url": url, "text": article.title}),
        "email": "mailto:?"
        + urlencode(
            # mailto: wants %20 for spaces, not "+"; and nothing left unescaped.
            {"subject": article.title, "body": f"{article.lead}\n\n{url}"},
            safe="",
            quote_via=quote,
        ),
    }
