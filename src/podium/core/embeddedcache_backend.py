"""The embedded caches' backend: see `podium.core.embeddedcache`."""

from __future__ import annotations

import weakref
from typing import Any

from diskcache import DjangoCache
from django.core.signals import setting_changed
from django.dispatch import receiver

# Every embedded cache built in this process, so that their connections can be closed when the
# caches are configured anew (weakly: a cache nobody holds closes its files as it goes).
_built: weakref.WeakSet[EmbeddedCache] = weakref.WeakSet()


class EmbeddedCache(DjangoCache):
    def __init__(self, directory: str, params: dict[str, Any]) -> None:
        super().__init__(directory, params)
        _built.add(self)

    def close(self, **kwargs: Any) -> None:
        """Keep this thread's SQLite connections open between requests (see the module)."""

    def close_connections(self) -> None:
        """Close this thread's SQLite connections (diskcache's own close); the next use of the
        cache opens them again."""
        super().close()


@receiver(setting_changed)
def _close_replaced_caches(*, setting: str, **kwargs: Any) -> None:
    """CACHES changed (a test's override_settings, on the way in and out): Django forgets the
    caches it built, after a `close` that keeps the connections open, so the SQLite files of
    the replaced caches are closed here instead of staying open for as long as anything holds
    one of them. Only this thread's: a sqlite3 connection is closed by the thread that opened
    it (another thread's close with that thread)."""
    if setting == "CACHES":
        for cache in list(_built):
            cache.close_connections()
