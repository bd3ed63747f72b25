"""The embedded set-up's shared caches (podium.core.embeddedcache: diskcache's SQLite files):
bounded by size, evicting the entries stored longest ago, never listing a directory to write,
keeping their connections between requests, shared between processes."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import diskcache.core
import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.test import override_settings
from django.utils.module_loading import import_string

from podium.core import embeddedcache

PAGE = b"<p>" + b"x" * 22_000  # about the size of an article page


def make(location: Path, size_mb: int) -> BaseCache:
    config = embeddedcache.config(location, size_mb)
    params = {key: value for key, value in config.items() if key not in ("BACKEND", "LOCATION")}
    cache: BaseCache = import_string(config["BACKEND"])(config["LOCATION"], params)
    return cache


def test_the_embedded_set_up_uses_it_for_every_cache() -> None:
    """Without REDIS_URL every shared cache is an embedded one, each in its own directory under
    var/cache/ (never the site's database), the page cache's size PODIUM_PAGE_CACHE_DISK_MB."""
    code = (
        "import json; from podium import settings; "
        "print(json.dumps([settings.CACHES, settings.PODIUM_PAGE_CACHE_DISK_MB]))"
    )
    env = {
        **os.environ,
        "REDIS_URL": "",
        "PODIUM_PAGE_CACHE_DISK_MB": "300",
        "PODIUM_EMBEDDED": "1",
    }
    found, size_mb = json.loads(
        subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        ).stdout
    )
    assert set(found) == {"default", "pages", "sessions"}
    for alias, config in found.items():
        assert config["BACKEND"] == embeddedcache.BACKEND
        assert Path(config["LOCATION"]).parts[-2:] == ("cache", alias)
    assert size_mb >= 1024  # pages and fragments of 10,000 articles, about twice over
    assert found["pages"]["OPTIONS"]["size_limit"] == size_mb * 1024 * 1024
    assert found["pages"]["OPTIONS"]["eviction_policy"] == "least-recently-stored"


def test_its_sqlite_connections_keep_little_memory(tmp_path: Path) -> None:
    """Worker RSS (< 150 MB): each connection's page cache is small and nothing is mapped, on
    every shard and on a connection opened later by another thread (diskcache reads the
    settings back from the file), instead of diskcache's 32 MB and 64 MB."""
    import threading

    cache = make(tmp_path / "c", 64)
    cache.set("page", PAGE)
    assert cache.get("page") == PAGE
    found: list[tuple[int, int]] = []

    def pragmas() -> None:
        for shard in cache._cache._shards:  # type: ignore[attr-defined]
            found.append(
                (
                    shard._sql("PRAGMA cache_size").fetchone()[0],
                    shard._sql("PRAGMA mmap_size").fetchone()[0],
                )
            )

    pragmas()
    other = threading.Thread(target=pragmas)
    other.start()
    other.join()
    assert found == [(embeddedcache.SQLITE_CACHE_PAGES, 0)] * 16
    assert embeddedcache.SQLITE_CACHE_PAGES * 4096 <= 1024 * 1024


def test_it_stays_within_its_size_and_keeps_the_latest_entries(tmp_path: Path) -> None:
    cache = make(tmp_path / "c", 2)  # 2 MB: room for about 90 pages of 22 KB
    for number in range(300):
        cache.set(f"page-{number}", PAGE, timeout=600)
    # The databases (not SQLite's write-ahead logs beside them, up to 4 MB a shard until they
    # are folded back in) stay within the bound.
    volume = sum(f.stat().st_size for f in (tmp_path / "c").rglob("cache.db"))
    assert volume <= 2 * 1024 * 1024
    assert cache.get("page-299") == PAGE  # the latest stay
    assert cache.get("page-0") is None  # the earliest made room
    kept = sum(cache.get(f"page-{number}") is not None for number in range(300))
    assert 40 <= kept < 150


def test_a_write_never_lists_a_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What made FileBasedCache's writes grow with its size: every `set` listed the directory."""
    cache = make(tmp_path / "c", 64)
    cache.set("warm", PAGE)  # directories and tables exist

    def listing(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a cache write listed a directory")

    for name in ("listdir", "scandir", "walk"):
        monkeypatch.setattr(os, name, listing)
    monkeypatch.setattr(Path, "iterdir", listing)
    monkeypatch.setattr(Path, "glob", listing)
    for number in range(50):
        cache.set(f"page-{number}", PAGE, timeout=600)
        assert cache.get(f"page-{number}") == PAGE
    cache.delete("page-1")
    assert cache.add("counter", 1)
    assert cache.incr("counter") == 2


def test_connections_are_kept_between_requests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Django closes every cache after each request; the embedded ones keep their SQLite
    connections (opening one costs a connect and its pragmas on every request otherwise)."""
    cache = make(tmp_path / "c", 64)
    cache.set("page", PAGE)
    assert cache.get("page") == PAGE
    connects: list[Any] = []
    real_connect = diskcache.core.sqlite3.connect

    def counted(*args: Any, **kwargs: Any) -> Any:
        connects.append(args)
        return real_connect(*args, **kwargs)

    monkeypatch.setattr(diskcache.core.sqlite3, "connect", counted)
    for _ in range(3):
        cache.close()  # what request_finished does (django.core.cache.close_caches)
        assert cache.get("page") == PAGE
    assert connects == []


def test_another_process_reads_and_evicts_the_same_entries(tmp_path: Path) -> None:
    cache = make(tmp_path / "c", 64)
    cache.set("here", PAGE, timeout=600)
    code = f"""
import os, sys
sys.path.insert(0, {str(Path(__file__).resolve().parents[2] / "src")!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podium.settings_test")
import django
django.setup()
from tests.core.test_embeddedcache import make
from pathlib import Path
cache = make(Path({str(tmp_path / "c")!r}), 64)
assert cache.get("here") is not None
cache.set("there", b"from the other process", timeout=600)
cache.delete("here")
"""
    subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        check=True,
        timeout=60,
    )
    assert cache.get("there") == b"from the other process"
    assert cache.get("here") is None


def test_an_entry_expires(tmp_path: Path) -> None:
    cache = make(tmp_path / "c", 64)
    cache.set("short", PAGE, timeout=1)
    assert cache.get("short") == PAGE
    time.sleep(1.1)
    assert cache.get("short") is None


def _open_files(under: Path) -> list[str]:
    """The files under `under` this process holds open."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):  # (the listing's own descriptor, closed by now)
            target = os.readlink(f"/proc/self/fd/{fd}")
            if target.startswith(str(under)):
                found.append(target)
    return found


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_changing_the_caches_closes_the_files_of_the_caches_replaced(tmp_path: Path) -> None:
    """A test's override_settings(CACHES=…) replaces the caches; the embedded ones it replaces
    close their SQLite files then (their `close` after each request keeps them open), also
    while something still holds them, which opens them again only when it uses them."""
    with override_settings(CACHES={**settings.CACHES, "extra": embeddedcache.config(tmp_path, 8)}):
        replaced = caches["extra"]
        replaced.set("page", PAGE)
        assert _open_files(tmp_path)
    assert _open_files(tmp_path) == []
    assert replaced.get("page") == PAGE
