"""Target (h)'s yardstick: a few-line Django project that answers every request with the same
bytes as Podium's article page (read once from TINY_BODY_FILE), served by gunicorn with 2 sync
workers: what a newcomer's minimal Django site costs on this machine.

    TINY_BODY_FILE=page.html gunicorn tiny_site:application --workers 2 --bind 127.0.0.1:8001
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import re_path

settings.configure(
    DEBUG=False,
    SECRET_KEY="tiny-" + "x" * 50,
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
)
BODY = open(os.environ["TINY_BODY_FILE"], "rb").read()  # noqa: SIM115


def page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


urlpatterns = [re_path(r"", page)]
application = get_wsgi_application()
