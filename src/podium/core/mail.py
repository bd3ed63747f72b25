"""One way to send e-mail: a subject, a text body and an HTML body, each from a template."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def render_email(template_base: str, context: Mapping[str, Any]) -> tuple[str, str, str]:
    """Render `<base>_subject.txt`, `<base>.txt` and `<base>.html` with the same context."""
    ctx = {"SITE_URL": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"{template_base}_subject.txt", ctx).split())
    text = render_to_string(f"{template_base}.txt", ctx)
    html = render_to_string(f"{template_base}.html", ctx)
    return subject, text, html


def send_templated_email(
    template_base: str,
    *,
    to: Iterable[str],
    context: Mapping[str, Any],
    language: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> int:
    recipients = [address for address in to if address]
    if not recipients:
        return 0
    with translation.override(language or settings.LANGUAGE_CODE):
        subject, text, html = render_email(template_base, context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        headers=dict(headers or {}),
    )
    message.attach_alternative(html, "text/html")
    return message.send()
