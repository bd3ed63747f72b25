"""A refusal is logged as one line: a 403 is an everyday answer, not a fault with a traceback."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from django.test import Client

from podium.core.logs import OneLineRefusals


@pytest.fixture
def console() -> Iterator[io.StringIO]:
    """What the configured console handler (settings.LOGGING) writes."""
    (handler,) = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, OneLineRefusals) for f in h.filters)
    ]
    assert isinstance(handler, logging.StreamHandler)
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


@pytest.mark.django_db
def test_a_permission_denied_is_one_line(contributor_client: Client, console: io.StringIO) -> None:
    assert contributor_client.get("/redactie/").status_code == 403
    logged = console.getvalue()
    assert "Forbidden" in logged and "/redactie/" in logged
    assert "Traceback" not in logged
    assert len(logged.strip().splitlines()) == 1, logged


@pytest.mark.django_db
def test_a_csrf_failure_is_one_line(contributor: object, console: io.StringIO) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post("/nieuwsbrief/mijn-gegevens/", {"email": "a@example.net"}).status_code == 403
    logged = console.getvalue()
    assert "CSRF" in logged and "Traceback" not in logged
    assert len(logged.strip().splitlines()) == 1, logged


def test_other_errors_keep_their_traceback(console: io.StringIO) -> None:
    try:
        raise RuntimeError("kapot")
    except RuntimeError:
        logging.getLogger("django.request").error(
            "Internal Server Error: %s", "/x/", exc_info=True, extra={"status_code": 500}
        )
    assert "Traceback" in console.getvalue()
