"""Response headers Django does not set itself."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class PermissionsPolicyMiddleware:
    """Switch off the browser features Podium never uses, so an injected script cannot use them
    either. Passkeys (WebAuthn) stay available to Podium's own pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.value = ", ".join(
            f"{feature}=({' '.join(allow)})"
            for feature, allow in settings.PODIUM_PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.value:
            response.headers.setdefault("Permissions-Policy", self.value)
        return response


class StrictUTF8Middleware:
    """Refuse a request whose path, query string or form body is not valid UTF-8 with a 400 and
    the friendly error page. Django would otherwise decode it with replacement characters and,
    for example, save a draft titled "��"."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._valid(request):
            from django.core.exceptions import BadRequest
            from django.views.defaults import bad_request

            return bad_request(request, BadRequest("invalid UTF-8"))
        return self.get_response(request)

    @staticmethod
    def _decodes(raw: bytes) -> bool:
        from urllib.parse import unquote_to_bytes

        try:
            for part in raw.replace(b"+", b" ").split(b"&"):
                unquote_to_bytes(part).decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True

    def _valid(self, request: HttpRequest) -> bool:
        from django.core.exceptions import RequestDataTooBig

        path = request.META.get("PATH_INFO", "")
        if "\ufffd" in path:  # WSGI decodes the path as latin-1 and Django re-decodes it strictly
            return False
        if not self._decodes(request.META.get("QUERY_STRING", "").encode("latin-1", "replace")):
            return False
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            try:
                body = request.body
            except RequestDataTooBig:
                return True  # Django answers that one itself (400)
            return self._decodes(body)
        return True
