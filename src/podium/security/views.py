"""The CSP report endpoint and the safe way uploaded media are served in the embedded set-up."""

from __future__ import annotations

import json
import mimetypes
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.static import serve

from podium.core.clientip import client_ip
from podium.core.storage import PUBLIC_CACHE_CONTROL

from .models import CSPViolation

REPORT_MAX_BYTES = 16 * 1024
REPORTS_PER_MINUTE = 60  # per client address; browsers repeat the same violation often

# Only these are shown in the browser; anything else uploaded is a download, never a page.
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif", "image/avif"})
MEDIA_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'"


def _reports(payload: Any) -> list[dict[str, Any]]:
    """Both formats: the older `{"csp-report": {...}}` and the Reporting API's list of reports."""
    if isinstance(payload, dict) and isinstance(payload.get("csp-report"), dict):
        return [payload["csp-report"]]
    if isinstance(payload, list):
        return [
            item["body"]
            for item in payload
            if isinstance(item, dict) and isinstance(item.get("body"), dict)
        ]
    return []


def _text(report: dict[str, Any], *keys: str, limit: int) -> str:
    for key in keys:
        value = report.get(key)
        if value:
            return str(value)[:limit]
    return ""


@csrf_exempt
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """Record what the browser reported. Always 204 for well-formed reports (browsers ignore the
    answer), 400 for garbage; per-address rate limited so a script cannot fill the table."""
    if int(request.META.get("CONTENT_LENGTH") or 0) > REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    key = f"csp-report:{client_ip(request)}"
    cache.add(key, 0, 60)
    try:
        seen = cache.incr(key)
    except ValueError:
        seen = 1
    if seen > REPORTS_PER_MINUTE:
        return HttpResponse(status=429)
    try:
        payload = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return HttpResponse(status=400)
    reports = _reports(payload)
    if not reports:
        return HttpResponse(status=400)
    CSPViolation.objects.bulk_create(
        CSPViolation(
            document_uri=_text(r, "document-uri", "documentURL", limit=500),
            directive=_text(
                r, "effective-directive", "violated-directive", "effectiveDirective", limit=100
            ),
            blocked_uri=_text(r, "blocked-uri", "blockedURL", limit=500),
            source=_text(r, "source-file", "sourceFile", limit=500),
            sample=_text(r, "script-sample", "sample", limit=200),
        )
        for r in reports[:10]
    )
    return HttpResponse(status=204)


def serve_media(request: HttpRequest, path: str) -> HttpResponse | StreamingHttpResponse:
    """django.views.static.serve with a type the browser cannot mistake for a page: images inline
    with their real type, everything else as a download; never sniffed, never scripted."""
    response = serve(request, path, document_root=str(settings.MEDIA_ROOT))
    guessed, _encoding = mimetypes.guess_type(path)
    if guessed in INLINE_TYPES:
        response["Content-Type"] = guessed
    else:
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_CSP
    # Public media names carry their content's hash (podium.core.storage): a new version is a
    # new name, so the old one may be kept for a year.
    response["Cache-Control"] = PUBLIC_CACHE_CONTROL
    return response
