"""The edition's e-mail: rendered once per edition, personalised per subscriber by substitution.

Templates run once (`render_edition`); for each subscriber `build_message` only replaces the
placeholder for the unsubscribe link and sets the fixed Message-ID and the RFC 8058 headers."""

from __future__ import annotations

from collections.abc import Sequence
from email.utils import parseaddr
from urllib.parse import urlsplit

import css_inline
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from . import conf, tokens
from .models import Edition, EditionItem

# Survives HTML escaping, CSS inlining and text wrapping; never appears in real content.
UNSUBSCRIBE_PLACEHOLDER = "PODIUMUNSUBSCRIBEURL0000"

_inliner = css_inline.CSSInliner(load_remote_stylesheets=False, keep_at_rules=True)


def item_snapshot(item: EditionItem) -> dict[str, str]:
    """What the e-mail shows of an item: the frozen copy once sending started, else the article."""
    if item.title or item.article is None:
        return {"title": item.title, "lead": item.lead, "author": item.author_name, "url": item.url}
    article = item.article
    return {
        "title": article.title,
        "lead": article.lead,
        "author": article.author.display_name or "",
        "url": settings.SITE_URL + article.get_absolute_url(),
    }


def render_edition(edition: Edition, items: Sequence[EditionItem]) -> tuple[str, str]:
    """(html, text) of the edition with the unsubscribe placeholder in both."""
    context = {
        "edition": edition,
        "items": [item_snapshot(item) for item in items],
        "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
        "archive_url": settings.SITE_URL + reverse("newsletter:archive"),
        "SITE_URL": settings.SITE_URL,
    }
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("newsletter/email/edition.html", context)
        text = render_to_string("newsletter/email/edition.txt", context)
    return _inliner.inline(html), text


def unsubscribe_url(subscriber_id: int) -> str:
    token = tokens.make_unsubscribe_token(subscriber_id)
    return settings.SITE_URL + reverse("newsletter:unsubscribe", kwargs={"token": token})


def message_domain() -> str:
    address = parseaddr(conf.from_email())[1]
    return address.rpartition("@")[2] or urlsplit(settings.SITE_URL).hostname or "localhost"


def message_id(edition_id: int, subscriber_id: int) -> str:
    """Fixed per (edition, subscriber): a retry or a repeat carries the same Message-ID."""
    return f"<edition-{edition_id}.subscriber-{subscriber_id}@{message_domain()}>"


def build_message(
    *,
    edition_id: int,
    subject: str,
    html: str,
    text: str,
    subscriber_id: int,
    email: str,
    connection: object | None = None,
) -> EmailMultiAlternatives:
    link = unsubscribe_url(subscriber_id)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text.replace(UNSUBSCRIBE_PLACEHOLDER, link),
        from_email=conf.from_email(),
        to=[email],
        headers={
            "Message-ID": message_id(edition_id, subscriber_id),
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"Podium <newsletter.{message_domain()}>",
            "Precedence": "bulk",
        },
        connection=connection,  # type: ignore[arg-type]
    )
    message.attach_alternative(html.replace(UNSUBSCRIBE_PLACEHOLDER, link), "text/html")
    return message
