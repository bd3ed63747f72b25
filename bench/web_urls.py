"""The site's URLs plus /bench/bare/<bytes>/: a view that only returns that many bytes, through the
same server and middleware as every page."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from podium.urls import urlpatterns as site_urlpatterns

_BODIES: dict[int, bytes] = {}


def bare(request: HttpRequest, size: int) -> HttpResponse:
    body = _BODIES.setdefault(size, b"a" * min(size, 1_000_000))
    return HttpResponse(body, content_type="text/html; charset=utf-8")


urlpatterns = [path("bench/bare/<int:size>/", bare), *site_urlpatterns]
