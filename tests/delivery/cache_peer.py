"""Another process with the same page cache: `python -m tests.delivery.cache_peer`, one JSON command a
line on stdin, one JSON answer a line on stdout.

It stands in for a second gunicorn worker or a second machine, and has no database: the shared
cache alone must do the work. `{"cache": CONFIG, "command": "bump"}` starts a new generation as a
change there would; `{"cache": CONFIG, "command": "serve", "path": PATH}` answers an anonymous
request through the page cache middleware (the fast path, with this process's memory of pages,
first), saying where the answer came from ("hit": the cache; "rendered": this process) with a
digest of the body."""

from __future__ import annotations

import hashlib
import json
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podium.settings_test")
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse
    from django.test import RequestFactory, override_settings

    from podium.core import freshness
    from podium.delivery import pagecache

    freshness._sources.clear()  # no database here; the generation stays as it is
    for line in sys.stdin:
        order = json.loads(line)
        with override_settings(
            CACHES={
                "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
                "pages": order["cache"],
            },
            PODIUM_PAGE_CACHE=True,
            ALLOWED_HOSTS=["*"],
        ):
            if order["command"] == "bump":
                answer = {"token": pagecache.bump().token}
            else:
                request = RequestFactory().get(order["path"])
                request.user = AnonymousUser()
                request.LANGUAGE_CODE = "nl"  # type: ignore[attr-defined]
                # As in the site's stack: the fast path (with this process's memory of pages)
                # in front of the full page cache middleware.
                middleware = pagecache.PageCacheFastPathMiddleware(
                    pagecache.PageCacheMiddleware(lambda r: HttpResponse(b"rendered by the peer"))
                )
                response = middleware(request)
                answer = {
                    "source": "hit" if response.get("X-Page-Cache") == "hit" else "rendered",
                    "sha": hashlib.sha256(response.content).hexdigest(),
                }
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
