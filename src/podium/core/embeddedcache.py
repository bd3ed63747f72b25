"""The embedded set-up's shared caches (no Redis): diskcache's Django backend, SQLite files of
its own under var/cache/ (never the site's database), shared by gunicorn's processes and the
background worker.

Why not Django's FileBasedCache: it lists its whole directory on every ``set`` to decide whether
to cull (12 ms at 5,000 entries, 97 ms at 40,000), and then culls a third of the entries at
random, so a page cache for 10,000 articles and their fragments never filled. diskcache keeps
its entries in SQLite (WAL: readers never wait for the writer; ``SHARDS`` files so that several
processes write at once), bounds the cache by size in bytes and evicts the entries stored
longest ago (``least-recently-stored``: a hit writes nothing), a few per ``set``, through an
index: the cost of a read or a write does not grow with the number of entries.

One thing differs from diskcache's own backend: Django closes every cache at the end of each
request (``request_finished``), which for diskcache means closing its SQLite connections and
opening them again, with their pragmas, on the next request. Connections here are kept for
the thread's life instead (gunicorn's threads live as long as their process), and closed when
the caches are configured anew (a test's ``override_settings(CACHES=…)``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

BACKEND = "podium.core.embeddedcache_backend.EmbeddedCache"
SQLITE_CACHE_PAGES = 128  # of 4 KB: 512 KB per connection at most


def config(location: Path, size_mb: int) -> dict[str, Any]:
    """The CACHES entry of an embedded cache in directory `location`, at most `size_mb` MB.
    (This module imports nothing of diskcache, so that the settings can use it.)"""
    return {
        "BACKEND": BACKEND,
        "LOCATION": str(location),
        "SHARDS": 8,  # SQLite files, so that several processes write at once
        "OPTIONS": {
            "size_limit": size_mb * 1024 * 1024,
            "eviction_policy": "least-recently-stored",  # a hit writes nothing
            # Each SQLite connection's own memory (one per shard, cache and thread: 24 in a
            # sync worker). diskcache's defaults, 8,192 pages (32 MB) of page cache and 64 MB
            # mapped, let a worker grow by hundreds of MB over a long run (the mapped pages of
            # a 1 GB page cache count in its RSS), duplicating what the OS's page cache holds
            # anyway: a hit of a 22 KB page costs the same with these (bench/results/
            # embedded-cache.md).
            "sqlite_cache_size": SQLITE_CACHE_PAGES,
            "sqlite_mmap_size": 0,
        },
    }
