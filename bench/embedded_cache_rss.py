"""RSS of one process reading every entry of an embedded page cache of N 22 KB entries, with
diskcache's SQLite defaults or podium.core.embeddedcache's (bench/results/embedded-cache.md).

    python bench/embedded_cache_rss.py 6000 new DIR      # fills DIR (first run only)
    python bench/embedded_cache_rss.py 6000 default DIR  # then: RSS before and after reading
    python bench/embedded_cache_rss.py 6000 new DIR
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

import diskcache
import diskcache.core

from podium.core import embeddedcache


def rss() -> str:
    status = {
        line.split(":")[0]: int(line.split()[1])
        for line in Path("/proc/self/status").read_text().splitlines()
        if line.startswith(("VmRSS", "RssAnon", "RssFile"))
    }
    return (
        f"{status['VmRSS'] / 1024:.0f} MB (anon {status['RssAnon'] / 1024:.0f},"
        f" file {status['RssFile'] / 1024:.0f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("entries", type=int)
    parser.add_argument("settings", choices=["default", "new"])
    parser.add_argument("directory", type=Path)
    args = parser.parse_args()
    config = embeddedcache.config(args.directory, 1024)
    options: dict[str, Any] = dict(config["OPTIONS"])
    if args.settings == "default":
        for key in ("sqlite_cache_size", "sqlite_mmap_size"):
            options[key] = diskcache.core.DEFAULT_SETTINGS[key]
    cache = diskcache.FanoutCache(str(args.directory), config["SHARDS"], 0.010, **options)
    filled = args.directory / "filled"
    if not filled.exists():
        # What the page cache stores per page: (token, expires_at, body, headers, ETag).
        entry: tuple[str, float, bytes, list[str], str] = (
            "token",
            1e12,
            os.urandom(22_000),
            [],
            '"etag"',
        )
        for number in range(args.entries):
            cache.set(f"k{number}", entry)
        filled.touch()
        return
    print(args.settings, "before:", rss())
    for _ in range(2):
        for number in range(args.entries):
            cache.get(f"k{number}")
    print(args.settings, f"after reading {args.entries} entries twice:", rss())


if __name__ == "__main__":
    main()
