"""CPU and queries of list pages with the page cache off, inside Django (no server), on an
existing site (its environment as bench/web.py sets it, plus PODIUM_PAGE_CACHE=0): the topic
page of (c′), the home page, an author's page and all articles.

`python bench/list_render.py [N] [--only topic]` renders each page 5 times to warm the process
and then N times, and prints CPU time and queries per page; `--sql` prints each query with its
time; `--explain` each query's EXPLAIN (ANALYZE, BUFFERS) (PostgreSQL). Under callgrind, use
`--callgrind` to switch instrumentation on only around the N measured renders
(valgrind --tool=callgrind --instr-atstart=no ...)."""

from __future__ import annotations

import argparse
import os
import subprocess
import time

import django


def _instrument(state: str) -> None:
    """Switch callgrind's instrumentation of this process on or off."""
    subprocess.run(["callgrind_control", "-i", state, str(os.getpid())], check=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int, nargs="?", default=20)
    parser.add_argument("--only", action="append")
    parser.add_argument("--sql", action="store_true")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--callgrind", action="store_true")
    parser.add_argument("--profile", action="store_true", help="cProfile of the N renders")
    parser.add_argument("--save", help="write each page's HTML to this prefix")
    args = parser.parse_args()
    django.setup()
    from _support import wsgi_get
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from podium.accounts.models import User
    from podium.articles.models import Article
    from podium.topics.models import Topic

    topic = Topic.objects.order_by("pk").values_list("slug", flat=True).first()
    author = (
        User.objects.filter(pk=Article.objects.published().values("author_id")[:1])
        .values_list("slug", flat=True)
        .first()
    )
    pages = {
        "topic": f"/onderwerpen/{topic}/",
        "home": "/",
        "author": f"/auteurs/{author}/",
        "articles": "/podium/",
    }
    app = WSGIHandler()

    def call(path: str) -> bytes:
        status, _headers, body = wsgi_get(app, path)
        assert status.startswith("200"), (path, status)
        return body

    for name, path in pages.items():
        if args.only and name not in args.only:
            continue
        for _ in range(5):
            body = call(path)
        if args.save:
            with open(f"{args.save}-{name}.html", "wb") as f:
                f.write(body)
        if args.callgrind:
            _instrument("on")
        with CaptureQueriesContext(connection) as captured:
            started = time.process_time()
            for _ in range(args.n):
                call(path)
            ms = (time.process_time() - started) / args.n * 1000
        if args.callgrind:
            _instrument("off")
        queries = captured.captured_queries[: len(captured.captured_queries) // args.n]
        print(
            f"{connection.vendor}, {name} {path}: {ms:.2f} ms CPU, {len(queries)} queries, "
            f"{len(body):,} bytes",
            flush=True,
        )
        if args.profile:
            import cProfile
            import pstats

            profile = cProfile.Profile()
            profile.enable()
            for _ in range(args.n):
                call(path)
            profile.disable()
            stats = pstats.Stats(profile)
            stats.sort_stats("cumulative").print_stats(70)
            stats.sort_stats("tottime").print_stats(40)
        if args.sql or args.explain:
            for q in queries:
                print(f"  {q['time']}s  {q['sql'][:3000]}")
                if args.explain and connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
                        for (line,) in cursor.fetchall():
                            print("      " + line)


if __name__ == "__main__":
    main()
