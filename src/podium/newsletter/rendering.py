"""The edition's e-mail: rendered once per edition, personalised per subscriber by substitution.

Templates run once (`render_edition`); for each subscriber `build_message` only replaces the
placeholder for the unsubscribe link and sets the fixed Message-ID and the RFC 8058 headers."""

from __future__ import annotations

import quopri
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from email.header import Header
from email.utils import formataddr, formatdate, parseaddr
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.storage import storages
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from podium.images.models import Image

from . import conf, tokens
from .models import Edition, EditionItem

# Survives HTML escaping, CSS inlining and text wrapping; never appears in real content.
UNSUBSCRIBE_PLACEHOLDER = "PODIUMUNSUBSCRIBEURL0000"


@cache
def _inliner() -> Any:
    """css_inline, built on the first edition rendered: not imported with every web process."""
    import css_inline

    return css_inline.CSSInliner(load_remote_stylesheets=False, keep_at_rules=True)


# The e-mail's column is 600 pixels with 24 on either side: a picture is shown 552 wide, from a
# file at least 1.5 times that (sharp on most high-density screens, still light to download).
EMAIL_PICTURE_WIDTH = 552
_EMAIL_PICTURE_SOURCE_MIN = EMAIL_PICTURE_WIDTH * 3 // 2


def _absolute(url: str) -> str:
    """Mail clients have no page to resolve a path against: media URLs get the site's address."""
    return url if urlsplit(url).scheme else settings.SITE_URL + url


def email_picture(image: Image | None) -> dict[str, str]:
    """An article's header image as an e-mail shows it: one JPEG (every client reads it; no
    <picture> or srcset in e-mail) at an absolute URL, with width, height and alt text. The 16:9
    crop around the focal point when the variants exist, else the re-encoded original."""
    if image is None:
        return {"image_url": "", "image_width": "", "image_height": "", "image_alt": ""}
    rows = image.variant_set("wide").get("jpeg") or []
    row = next(
        (r for r in rows if int(r[0]) >= _EMAIL_PICTURE_SOURCE_MIN), rows[-1] if rows else None
    )
    if row is not None:
        url, width, height = storages["default"].url(str(row[2])), int(row[0]), int(row[1])
    else:
        url, width, height = image.url, image.width, image.height
    return {
        "image_url": _absolute(url),
        "image_width": str(EMAIL_PICTURE_WIDTH),
        "image_height": str(max(1, round(EMAIL_PICTURE_WIDTH * height / width))),
        "image_alt": image.alt,
    }


def item_snapshot(item: EditionItem) -> dict[str, str]:
    """What the e-mail shows of an item: the frozen copy once sending started, else the article."""
    if item.title or item.article is None:
        return {
            "title": item.title,
            "lead": item.lead,
            "author": item.author_name,
            "url": item.url,
            "image_url": item.image_url,
            "image_width": str(item.image_width or ""),
            "image_height": str(item.image_height or ""),
            "image_alt": item.image_alt,
        }
    article = item.article
    # The edition is Dutch, and so are its links, whatever language the editor reads the desk in.
    with translation.override(settings.LANGUAGE_CODE):
        url = settings.SITE_URL + article.get_absolute_url()
        author = article.byline_text  # "Anna de Vries en Bram Jansen"
    return {
        "title": article.title,
        "lead": article.lead,
        "author": author,
        "url": url,
        **email_picture(article.header_image),
    }


def render_edition(edition: Edition, items: Sequence[EditionItem]) -> tuple[str, str]:
    """(html, text) of the edition with the unsubscribe placeholder in both."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "edition": edition,
            "items": [item_snapshot(item) for item in items],
            "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
            "archive_url": settings.SITE_URL + reverse("newsletter:archive"),
            "my_data_url": settings.SITE_URL + reverse("newsletter:my_data_request"),
            "SITE_URL": settings.SITE_URL,
        }
        html = render_to_string("newsletter/email/edition.html", context)
        text = render_to_string("newsletter/email/edition.txt", context)
    return _inliner().inline(html), text


def unsubscribe_url(subscriber_id: int) -> str:
    # reverse() once with a stand-in token; only the token differs per subscriber. The address is
    # the Dutch one, as the edition is Dutch.
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("newsletter:unsubscribe", kwargs={"token": "TOKEN"})
    pattern = settings.SITE_URL + path
    return pattern.replace("TOKEN", tokens.make_unsubscribe_token(subscriber_id))


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
    )
    message.attach_alternative(html.replace(UNSUBSCRIBE_PLACEHOLDER, link), "text/html")
    return message


def _qp(text: str) -> bytes:
    return quopri.encodestring(text.replace("\r\n", "\n").encode("utf-8")).replace(b"\n", b"\r\n")


def _qp_url(url: str) -> bytes:
    """A URL as quoted-printable: "=" escaped, soft line breaks every 70 characters."""
    encoded = url.replace("=", "=3D")
    chunks = [encoded[i : i + 70] for i in range(0, len(encoded), 70)]
    return "=\r\n".join(chunks).encode("ascii")


def _header(value: str) -> str:
    if value.isascii():
        return value
    return Header(value, "utf-8").encode()


def _address(value: str) -> str:
    name, address = parseaddr(value)
    return formataddr((name, address), charset="utf-8") if name else address


@dataclass
class Prepared:
    """The edition's message as bytes, built once; `raw_for` only fills in the recipient.

    The placeholder is cut out of the text and HTML bodies before they are encoded, so the
    personal link never lands in the middle of an encoded line."""

    edition_id: int
    from_email: str
    head: bytes
    text_parts: list[bytes]
    html_parts: list[bytes]
    boundary: bytes
    url_pattern: str
    domain: str

    def raw_for(self, *, subscriber_id: int, email: str) -> bytes:
        link = self.url_pattern.replace("TOKEN", tokens.make_unsubscribe_token(subscriber_id))
        qp_link = b"=\r\n" + _qp_url(link) + b"=\r\n"
        b = self.boundary
        mid = f"<edition-{self.edition_id}.subscriber-{subscriber_id}@{self.domain}>"
        return b"".join(
            [
                f"To: {email}\r\nMessage-ID: {mid}\r\n"
                f"List-Unsubscribe: <{link}>\r\nDate: {formatdate()}\r\n".encode(),
                self.head,
                b"--" + b + b'\r\nContent-Type: text/plain; charset="utf-8"\r\n'
                b"Content-Transfer-Encoding: quoted-printable\r\n\r\n",
                qp_link.join(self.text_parts),
                b"\r\n--" + b + b'\r\nContent-Type: text/html; charset="utf-8"\r\n'
                b"Content-Transfer-Encoding: quoted-printable\r\n\r\n",
                qp_link.join(self.html_parts),
                b"\r\n--" + b + b"--\r\n",
            ]
        )


def prepare(*, edition_id: int, subject: str, html: str, text: str) -> Prepared:
    boundary = f"podium-{uuid.uuid4().hex}".encode()
    from_email = conf.from_email()
    head = (
        f"From: {_address(from_email)}\r\n"
        f"Subject: {_header(subject)}\r\n"
        "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
        f"List-Id: Podium <newsletter.{message_domain()}>\r\n"
        "Precedence: bulk\r\n"
        "MIME-Version: 1.0\r\n"
        f'Content-Type: multipart/alternative; boundary="{boundary.decode()}"\r\n\r\n'
    ).encode()
    return Prepared(
        edition_id=edition_id,
        from_email=parseaddr(from_email)[1],
        head=head,
        text_parts=[_qp(part) for part in text.split(UNSUBSCRIBE_PLACEHOLDER)],
        html_parts=[_qp(part) for part in html.split(UNSUBSCRIBE_PLACEHOLDER)],
        boundary=boundary,
        url_pattern=settings.SITE_URL
        + reverse("newsletter:unsubscribe", kwargs={"token": "TOKEN"}),
        domain=message_domain(),
    )
