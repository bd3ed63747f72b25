"""Files the site hands out as downloads (data exports): one way to name them."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header


def dated_name(stem: str, extension: str) -> str:
    """ "podium-gegevens-2026-11-29.zip": the stem, today's local date and the extension."""
    return f"{stem}-{timezone.localdate():%Y-%m-%d}.{extension}"


def download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    """`data` as an attachment named `filename` (quoted or RFC 5987-encoded as needed)."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
