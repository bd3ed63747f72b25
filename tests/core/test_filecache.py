"""The embedded set-up's file cache: culling keeps the listed keys and does not list the directory
on every write."""

from __future__ import annotations

import os
from pathlib import Path
from unittest import mock

from podium.core.filecache import FileCache


def _cache(tmp_path: Path, **options: object) -> FileCache:
    return FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 10, **options}})


def test_culling_never_removes_a_kept_key(tmp_path: Path) -> None:
    cache = _cache(tmp_path, KEEP=["generation"], CULL_CHECK_EVERY=1, CULL_FREQUENCY=1)
    cache.set("generation", "abc", timeout=None)
    for n in range(40):
        cache.set(f"page-{n}", n)
    assert cache.get("generation") == "abc"
    assert len(list(tmp_path.glob("*.djcache"))) <= 11


def test_the_directory_is_counted_on_a_sample_of_the_writes(tmp_path: Path) -> None:
    cache = _cache(tmp_path, CULL_CHECK_EVERY=50)
    with mock.patch("podium.core.filecache.os.scandir", wraps=os.scandir) as listing:
        for n in range(500):
            cache.set(f"page-{n}", n)
    assert 0 < listing.call_count < 40  # about one in 50 (Django's own: every write)
