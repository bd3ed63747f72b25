"""`/gezondheid/` (also `/health/`): for load balancers. Checks that this process reaches the
database, the caches and the file storages (the object store in production); answers JSON, 200
when all is well and 503 otherwise, never cached."""

from __future__ import annotations

import functools
import secrets
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from podium.core import storage


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("unexpected answer")


def _check_cache(alias: str) -> None:
    cache = caches[alias]
    key, value = f"podium:health:{secrets.token_hex(4)}", secrets.token_hex(4)
    cache.set(key, value, timeout=10)
    try:
        if cache.get(key) != value:
            raise RuntimeError("value not read back")
    finally:
        cache.delete(key)


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    checks: dict[str, Callable[[], None]] = {"database": _check_database}
    for alias in settings.CACHES:
        checks[f"cache:{alias}"] = functools.partial(_check_cache, alias)
    for alias in (storage.PUBLIC, storage.PRIVATE):
        checks[f"storage:{alias}"] = functools.partial(storage.check, alias)
    results: dict[str, dict[str, object]] = {}
    for name, check in checks.items():
        started = time.perf_counter()
        try:
            check()
        except Exception as exc:
            results[name] = {"ok": False, "error": exc.__class__.__name__}
        else:
            results[name] = {"ok": True}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    healthy = all(result["ok"] for result in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "failing", "checks": results},
        status=200 if healthy else 503,
    )
