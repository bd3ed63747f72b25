"""CPU and queries of cold article renders, inside Django (no server), on an existing site.

Run against a seeded site (its environment as bench/web.py sets it: PODIUM_VAR_DIR,
DJANGO_SETTINGS_MODULE=web_settings, PYTHONPATH with bench/ and src/, DATABASE_URL/REDIS_URL for
PostgreSQL and Redis): `python bench/cold_render.py [N]`. It signs a new member in and asks N
published articles at random that nothing requested before, anonymously (a page-cache miss:
rendered and stored) and then N others signed in (no fragment kept), and prints the process's
CPU time and the queries per request. `--related-on-request` computes "read more" on the
request as before issue #20, for a before/after on the same database; `--profile anonymous` or
`--profile signed` adds a cProfile of N more. Use a new `--seed` for each run: a page rendered
once is no longer cold."""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import time

import django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int, nargs="?", default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--related-on-request", action="store_true")
    parser.add_argument("--profile", choices=["anonymous", "signed"])
    args = parser.parse_args()
    django.setup()
    from _support import signed_in_reader, wsgi_get
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from podium.articles import related
    from podium.articles.models import Article
    from podium.delivery import reads

    if args.related_on_request:

        def on_request(
            article: Article, *, limit: int = 3, with_own_topics: bool = False
        ) -> list[Article]:
            along = [article] if with_own_topics else []
            ids = related.related_article_ids(article)
            return related.live_articles(ids, limit=limit, topics_along=along)

        reads.related_articles = on_request  # type: ignore[assignment]
    slugs = list(Article.objects.published().values_list("slug", flat=True))
    random.Random(args.seed).shuffle(slugs)
    session = signed_in_reader(f"cold-{args.seed}-{time.time()}@bench.example", password=None)
    app = WSGIHandler()

    def call(path: str, cookie: str = "") -> None:
        status, _headers, _body = wsgi_get(app, path, cookie)
        assert status.startswith("200"), status

    cookies = {"anonymous": "", "signed": f"sessionid={session}"}
    for slug in slugs[:5]:  # imports, templates, the frame
        for cookie in cookies.values():
            call(f"/podium/{slug}/", cookie)
    position = 5
    for kind, cookie in cookies.items():
        batch = slugs[position : position + args.n]
        position += args.n
        queries = 0
        started = time.process_time()
        for slug in batch:
            with CaptureQueriesContext(connection) as captured:
                call(f"/podium/{slug}/", cookie)
            queries += len(captured.captured_queries)
        ms = (time.process_time() - started) / args.n * 1000
        print(
            f"{connection.vendor}, cold article, {kind}: {ms:.1f} ms CPU, "
            f"{queries / args.n:.1f} queries per request"
        )
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for slug in slugs[position : position + args.n]:
            call(f"/podium/{slug}/", cookies[args.profile])
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats("podium", 50)


if __name__ == "__main__":
    main()
