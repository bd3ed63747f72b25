"""The embedded caches' backend: see `podium.core.embeddedcache`."""

from __future__ import annotations

from typing import Any

from diskcache import DjangoCache


class EmbeddedCache(DjangoCache):
    def close(self, **kwargs: Any) -> None:
        """Keep this thread's SQLite connections open between requests (see the module)."""
