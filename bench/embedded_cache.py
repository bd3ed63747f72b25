"""The embedded page cache's cost per read and per write, at a given number of entries, without a
server: `python bench/embedded_cache.py --backend disk --entries 40000`.

`file` is Django's FileBasedCache as the embedded set-up had it (filled by copying one stored
entry under other names: the directory it lists on every write has that many files), `disk` is
podium.core.embeddedcache (diskcache; filled by setting every entry). Entries are page-cache
entries of a 22 KB page. Prints the median time of a write of a new key and of a read of a
present one.

For instruction counts (load-independent), fill once with ``--keep DIR``, then run
``--reuse DIR --gets N`` under ``valgrind --tool=callgrind`` with N=0 and N=200 and divide the
difference by 200."""

from __future__ import annotations

import argparse
import os
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FILE_BACKEND = "django.core.cache.backends.filebased.FileBasedCache"
WORDS = [
    "de",
    "het",
    "een",
    "artikel",
    "lezers",
    "redactie",
    "podium",
    "samenwerken",
    "zorg",
    "pensioen",
    "tijdschrift",
]


def page(rng: random.Random) -> tuple[Any, ...]:
    words = []
    size = 0
    while size < 22_000:
        word = rng.choice(WORDS) + (
            f"<p class=x{rng.randrange(100)}>" if rng.random() < 0.05 else ""
        )
        words.append(word)
        size += len(word) + 1
    content = " ".join(words).encode()
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Vary", "Cookie")]
    return ("0123456789abcdef", time.time() + 3600, content, headers, '"etag"')


def make_cache(backend: str, location: Path, entries: int) -> Any:
    from django.utils.module_loading import import_string

    from podium.core import embeddedcache

    config: dict[str, Any]
    if backend == "file":
        # MAX_ENTRIES as the embedded set-up had it, or more (to see the listing alone).
        options = {"MAX_ENTRIES": max(5000, entries + 1000)}
        config = {"BACKEND": FILE_BACKEND, "LOCATION": str(location), "OPTIONS": options}
    else:
        config = embeddedcache.config(location, 1024)
    params = {key: value for key, value in config.items() if key not in ("BACKEND", "LOCATION")}
    return import_string(config["BACKEND"])(config["LOCATION"], params)


def fill(cache: Any, backend: str, location: Path, entries: int, rng: random.Random) -> None:
    if backend == "file":
        cache.set("first", page(rng), timeout=3600)
        [stored] = list(location.glob("*.djcache"))
        data = stored.read_bytes()
        for _ in range(entries - 1):
            (location / f"{secrets.token_hex(16)}.djcache").write_bytes(data)
    else:
        for number in range(entries):
            cache.set(f"page-{number}", page(rng), timeout=3600)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["file", "disk"], required=True)
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--writes", type=int, default=100)
    parser.add_argument("--reads", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="fill this directory and keep it")
    parser.add_argument("--reuse", type=Path, help="a directory filled with --keep")
    parser.add_argument("--gets", type=int, help="with --reuse: only this many reads")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podium.settings_test")
    import django

    django.setup()
    rng = random.Random(1)
    location = args.reuse or args.keep or Path(tempfile.mkdtemp(prefix="podium-cache-bench-"))
    cache = make_cache(args.backend, location, args.entries)
    key = "first" if args.backend == "file" else "page-0"
    if args.reuse and args.gets is not None:
        for _ in range(args.gets):
            assert cache.get(key) is not None
        return
    try:
        if not args.reuse:
            fill(cache, args.backend, location, args.entries, rng)
        entry = page(rng)
        writes = []
        for number in range(args.writes):
            start = time.perf_counter()
            cache.set(f"new-{number}", entry, timeout=3600)
            writes.append(time.perf_counter() - start)
        cache.set(key, entry, timeout=3600)  # a write may have culled it (file)
        reads = []
        for _ in range(args.reads):
            start = time.perf_counter()
            assert cache.get(key) is not None
            reads.append(time.perf_counter() - start)
        print(
            f"{args.backend} at {args.entries:,} entries: write {statistics.median(writes) * 1e3:.2f} ms, "
            f"read {statistics.median(reads) * 1e6:.0f} µs (medians of {args.writes} and {args.reads})"
        )
    finally:
        if not args.keep and not args.reuse:
            shutil.rmtree(location, ignore_errors=True)


if __name__ == "__main__":
    main()
