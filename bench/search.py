"""Search latency over 100,000 generated articles, on SQLite (FTS5) and PostgreSQL (tsvector).

    make bench-search          # SQLite, and PostgreSQL (BENCH_DATABASE_URL, default
                               # postgres://postgres@127.0.0.1:5432/podium_bench_search)
    BENCH_DATABASE_URL= make bench-search      # SQLite only
    python bench/search.py --only postgresql --reuse   # while working on one database: keep its
                               # seeded database after the run and measure it again next time


Each database is a throwaway one (a temporary SQLite file; a fresh PostgreSQL database of that
name, dropped afterwards). Articles are bulk-inserted with Dutch-like text (the same rows and ids
on both databases; both are built at the same time, then measured one after the other), the
index is built in bulk with `rebuild_index()`, then a mix of reader
queries (the commonest words, two and three words, compound parts, odd input) runs the way the
search page runs them: the ordering and count, then the first page of 12 with snippets, uncached
(the cold path: in production the ordering is kept under the page cache's generation). Latencies:
median and p95 per database against the targets, whether both databases gave the same first
pages, and the machine's load, written to bench/results/search.md.
"""

from __future__ import annotations

import argparse
import fcntl
import functools
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "search.md"

WORDS = [
    "organisatie",
    "organisaties",
    "samenwerking",
    "samenwerken",
    "samengewerkt",
    "leverancier",
    "leveranciers",
    "klant",
    "klanten",
    "medewerker",
    "medewerkers",
    "team",
    "teams",
    "leiderschap",
    "leider",
    "leiders",
    "verandering",
    "veranderingen",
    "strategie",
    "financiële",
    "financieel",
    "budget",
    "begroting",
    "kosten",
    "winst",
    "verlies",
    "investering",
    "investeringen",
    "zorg",
    "zorgverlener",
    "verzuim",
    "gezondheid",
    "arbeidsmarkt",
    "talent",
    "werving",
    "selectie",
    "sollicitatie",
    "onderwijs",
    "opleiding",
    "leren",
    "ontwikkeling",
    "innovatie",
    "digitalisering",
    "data",
    "privacy",
    "veiligheid",
    "risico",
    "risico's",
    "bestuur",
    "toezicht",
    "overheid",
    "gemeente",
    "beleid",
    "regelgeving",
    "wetgeving",
    "duurzaamheid",
    "energie",
    "klimaat",
    "inkoop",
    "logistiek",
    "productie",
    "kwaliteit",
    "proces",
    "processen",
    "project",
    "projecten",
    "planning",
    "cultuur",
    "vertrouwen",
    "communicatie",
    "overleg",
    "besluit",
    "besluiten",
    "advies",
    "adviseur",
    "consultant",
    "manager",
    "directie",
    "raad",
    "markt",
    "concurrentie",
    "prijs",
    "prijzen",
    "groei",
    "toekomst",
    "onderzoek",
    "resultaten",
    "rapport",
    "cijfers",
    "trend",
    "trends",
    "werkdruk",
    "thuiswerken",
    "hybride",
    "kantoor",
    "vakmanschap",
    "ervaring",
    "kennis",
    "netwerk",
    "partner",
    "partners",
    "contract",
    "contracten",
    "zorgverzekeraar",
    "zorgverzekeraars",
    "pensioenfonds",
    "arbeidsmarktbeleid",
    "klantenservice",
]
GLUE = [
    "de",
    "het",
    "een",
    "en",
    "van",
    "in",
    "op",
    "met",
    "voor",
    "dat",
    "die",
    "is",
    "zijn",
    "wordt",
    "worden",
    "niet",
    "ook",
    "maar",
    "als",
    "we",
    "wij",
    "u",
]
QUERIES = [
    "we",  # the commonest word that is not a stop word: in nearly every article
    "wij",
    "{top0}",  # the commonest content words (filled in below)
    "{top1}",
    "we {top0}",
    "wij {top1} {top2}",
    "samenwerken",
    "organisatie strategie",
    "klanten medewerkers team",
    "verzekeraar",  # a compound's part
    "pensioen fonds",
    "leverancier",
    "financiele",
    "verzuim in de zorg",
    "thuiswerken werkdruk",
    "digitalisering",
    "strategie",
    "arbeidsmarkt talent",
    "duurzaamheid energie klimaat",
    "risico",
    "medewerkers",
    "kwaliteit processen",
    "de het een",
    '"inkoop" AND (logistiek',
    "onderzoeksrapport",
    "privacy",
    "vakmanschap",
    "begroting",
    "leiderschap cultuur vertrouwen",
    "innovatie",
    "🙂 contracten",
    "x" * 10_000,
]


def _vocabulary() -> tuple[list[str], list[float]]:
    """Glue words, the magazine's words and 20,000 Dutch-looking pseudo-words, Zipf-weighted, so
    a common word is in many articles and a rare one in few, as in real text."""
    rng = random.Random(1)
    onsets = [
        "b",
        "d",
        "f",
        "g",
        "h",
        "k",
        "l",
        "m",
        "n",
        "p",
        "r",
        "s",
        "t",
        "v",
        "w",
        "z",
        "st",
        "sch",
        "str",
        "kr",
        "pr",
        "tr",
        "gr",
        "br",
        "vl",
        "sl",
        "sp",
    ]
    vowels = ["a", "e", "i", "o", "u", "aa", "ee", "oo", "ie", "oe", "ij", "ui", "ei", "eu", "ou"]
    codas = ["", "n", "r", "l", "k", "t", "s", "ng", "nd", "rt", "ld", "cht"]
    pseudo = {
        "".join(
            rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas)
            for _ in range(rng.randint(2, 4))
        )
        for _ in range(21_000)
    }
    content = sorted(pseudo)[:20_000]
    rng.shuffle(content)
    for i, word in enumerate(WORDS):  # the magazine's words at ranks 30 … 3,000
        content.insert(30 + i * 30, word)
    vocab = GLUE + content
    weights = [60.0] * len(GLUE) + [1.0 / (1 + i / 8) for i in range(len(vocab) - len(GLUE))]
    cumulative, total = [], 0.0
    for w in weights:
        total += w
        cumulative.append(total)
    return vocab, cumulative


VOCAB, CUMULATIVE = _vocabulary()
_TOP = {f"top{i}": VOCAB[len(GLUE) + i] for i in range(3)}
QUERIES = [q.format(**_TOP) if "{" in q else q for q in QUERIES]


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choices(VOCAB, cum_weights=CUMULATIVE, k=n)).capitalize() + "."


def _sentences(rng: random.Random, count: int) -> list[str]:
    """A pool of sentences drawn from the vocabulary: articles are made of sentences picked
    from it, which is many times faster than drawing every word and keeps the words' spread."""
    return [_sentence(rng, rng.randint(12, 30)) for _ in range(count)]


def _seed(n_articles: int, base: Any) -> tuple[list[Any], float, float, int]:
    """Bulk-insert the articles (the same rows and ids on every database) and build the index:
    the topics, the seconds each took and the number of articles indexed."""
    import datetime

    from django.db import connection, transaction

    from podium.accounts.models import User
    from podium.articles import search
    from podium.articles.models import Article
    from podium.topics.models import Topic

    rng = random.Random(7)
    topics = Topic.objects.bulk_create(
        [Topic(name=f"Onderwerp {w}", slug=f"onderwerp-{i}") for i, w in enumerate(WORDS[:24])]
    )
    authors = User.objects.bulk_create(
        [
            User(
                email=f"auteur{i}@bench.example",
                display_name=f"Auteur {rng.choice(WORDS).capitalize()} {i}",
                slug=f"auteur-{i}",
            )
            for i in range(2000)
        ]
    )
    if not authors[0].pk:
        authors = list(User.objects.filter(email__endswith="@bench.example").order_by("pk"))
    started = time.perf_counter()
    batch = 5000
    through = Article.topics.through
    pool = _sentences(rng, 40_000)
    for start in range(0, n_articles, batch):
        rows = []
        for i in range(start, min(n_articles, start + batch)):
            body = "".join(
                f"<p>{rng.choice(pool)} {rng.choice(pool)}</p>" for _ in range(rng.randint(8, 14))
            )
            # Oldest first, so ids grow with the publication time as they do on a real site.
            published = base - datetime.timedelta(minutes=(n_articles - i) * 7)
            rows.append(
                Article(
                    author=authors[i % len(authors)],
                    title=_sentence(rng, rng.randint(4, 9))[:-1],
                    slug=f"bench-{i}",
                    lead=rng.choice(pool),
                    body=body,
                    state=Article.State.PUBLISHED,
                    word_count=500,
                    char_count=len(body),
                    created_at=published,
                    updated_at=published,
                    submitted_at=published,
                    published_at=published,
                )
            )
        with transaction.atomic():
            created = Article.objects.bulk_create(rows)
            if not created[0].pk:
                by_slug = dict(
                    Article.objects.filter(slug__in=[a.slug for a in rows]).values_list(
                        "slug", "pk"
                    )
                )
                for a in rows:
                    a.pk = by_slug[a.slug]
                created = rows
            through.objects.bulk_create(
                [
                    through(article_id=a.pk, topic_id=topics[(a.pk * 7 + k) % len(topics)].pk)
                    for a in created
                    for k in range(1 + a.pk % 2)
                ]
            )
    generated_s = time.perf_counter() - started
    started = time.perf_counter()
    with transaction.atomic():
        indexed = search.rebuild_index()
    index_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        # What the database's own maintenance does after a bulk load before readers come: fresh
        # planner statistics, and on PostgreSQL the visibility map autovacuum sets (without it
        # an index-only scan still reads every row it returns from the table).
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    return topics, generated_s, index_s, indexed


def worker(n_articles: int, rounds: int, base_ts: float, reuse: bool) -> dict[str, object]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podium.settings")
    import datetime

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from podium.articles import search
    from podium.articles.models import Article
    from podium.topics.models import Topic

    load_before = os.getloadavg()
    call_command("migrate", verbosity=0)
    # The same publication times on both databases, so a period filter selects the same rows.
    base = datetime.datetime.fromtimestamp(base_ts, tz=datetime.UTC)
    if reuse and Article.objects.count() == n_articles:
        # Seeded by an earlier run (--reuse): measure it as it is. Its newest article was
        # published 7 minutes before that run's base.
        newest = Article.objects.order_by("-published_at").values_list("published_at", flat=True)[0]
        assert newest is not None  # (every article it seeds is published)
        base = newest + datetime.timedelta(minutes=7)
        topics = list(Topic.objects.order_by("pk"))
        generated_s = index_s = 0.0
        indexed = n_articles
    else:
        topics, generated_s, index_s, indexed = _seed(n_articles, base)
    from podium.delivery import pagecache

    cpu: list[float] = []

    def run(
        query: str, filters: search.Filters, generation: pagecache.Generation | None = None
    ) -> tuple[float, list[int]]:
        t0, c0 = time.perf_counter(), time.process_time()
        # Without a generation nothing is kept; with one, as the delivery layer keeps it.
        keep = functools.partial(pagecache.kept_under, generation)
        results = search.search(query, filters, keep=keep)
        results.count()
        page = results[0:12]
        cpu.append((time.process_time() - c0) * 1000)
        return (time.perf_counter() - t0) * 1000, [hit.article.pk for hit in page]

    variants = [
        ("none", search.Filters()),
        ("topic", search.Filters(topic_id=topics[3].pk)),
        ("month", search.Filters(since=base - datetime.timedelta(days=31))),
    ]
    # The databases are built at the same time but measured one after the other (BENCH_LOCK),
    # and only once every database is built: a search timed while the other database is still
    # generating or indexing shares the two cores with that work (BENCH_READY: one file per
    # database that is ready; BENCH_WORKERS: how many there are).
    ready = os.environ.get("BENCH_READY")
    if ready:
        Path(ready, connection.vendor).touch()
        deadline = time.monotonic() + 900  # the other worker failed: measure anyway
        while len(list(Path(ready).iterdir())) < int(os.environ.get("BENCH_WORKERS", "1")):
            if time.monotonic() > deadline:
                break
            time.sleep(0.5)
    lock = open(os.environ.get("BENCH_LOCK", os.devnull), "a")  # noqa: SIM115
    fcntl.flock(lock, fcntl.LOCK_EX)
    for q in QUERIES[:3]:
        run(q, variants[0][1])  # warm the process (imports, statement caches)
    load_queries = os.getloadavg()
    timings: list[float] = []
    per_query: dict[str, list[float]] = {}
    pages: dict[str, list[int]] = {}
    for _ in range(rounds):
        for q in QUERIES:
            for name, f in variants:
                ms, page = run(q, f)
                timings.append(ms)
                per_query.setdefault(q[:40], []).append(ms)
                pages[f"{q[:40]} / {name}"] = page
    timings.sort()
    cold_cpu = sorted(cpu)
    # Warm: the same mix with the page cache's generation, as the search page runs it: the
    # ordering and the page's snippets kept, the page's articles read afresh.
    generation = pagecache.current_generation(None, 0)
    for q in QUERIES:
        for _, f in variants:
            run(q, f, generation)
    warm: list[float] = []
    for _ in range(rounds):
        for q in QUERIES:
            for _, f in variants:
                warm.append(run(q, f, generation)[0])
    warm.sort()
    common = search.search(QUERIES[0])
    lock.close()
    return {
        "vendor": connection.vendor,
        "articles": indexed,
        "generate_s": round(generated_s, 1),
        "index_s": round(index_s, 1),
        "searches": len(timings),
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
        "max_ms": round(timings[-1], 2),
        "cpu_median_ms": round(statistics.median(cold_cpu), 2),
        "cpu_p95_ms": round(cold_cpu[int(len(cold_cpu) * 0.95) - 1], 2),
        "warm_median_ms": round(statistics.median(warm), 2),
        "warm_p95_ms": round(warm[int(len(warm) * 0.95) - 1], 2),
        "slowest_queries": sorted(
            ((round(statistics.median(v), 1), k) for k, v in per_query.items()), reverse=True
        )[:3],
        "common_count": common.count(),
        "common_more": common.has_more,
        "pages": pages,
        "load": [round(x, 2) for x in (*load_before, *load_queries, *os.getloadavg())],
    }


def _start_worker(
    env: dict[str, str], n: int, rounds: int, base_ts: float, reuse: bool = False
) -> subprocess.Popen[str]:
    # Output to files, not pipes: two workers run at once and one may wait for the other's lock.
    log = Path(env["PODIUM_VAR_DIR"]) / "worker"
    return subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--worker",
            "--articles",
            str(n),
            "--rounds",
            str(rounds),
            "--base",
            str(base_ts),
            *(["--reuse"] if reuse else []),
        ],
        env=env,
        stdout=open(f"{log}.out", "w"),
        stderr=open(f"{log}.err", "w"),
        text=True,
        cwd=ROOT,
    )


def _finish_worker(worker: subprocess.Popen[str], var_dir: Path) -> dict[str, object]:
    worker.wait()
    stdout = (var_dir / "worker.out").read_text()
    if worker.returncode:
        sys.stderr.write(stdout + (var_dir / "worker.err").read_text())
        raise SystemExit(worker.returncode)
    return json.loads(stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--only",
        choices=["sqlite", "postgresql"],
        help="measure one database (the results file is not written)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="PostgreSQL: keep the database after the run, and measure it as it is when an "
        "earlier run left it seeded with --articles articles (no reseeding)",
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--base", type=float, default=0.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.articles, args.rounds, args.base, args.reuse)))
        return
    started = time.perf_counter()
    base_ts = float(int(time.time()) - 60)
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    base.update(
        PODIUM_EMBEDDED="1",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="podium.settings",
        PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""),
    )
    results = []
    url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/podium_bench_search"
    )
    admin = name = ""
    with tempfile.TemporaryDirectory(prefix="podium-bench-search-") as tmp:
        base["BENCH_LOCK"] = str(Path(tmp) / "measure.lock")
        base["BENCH_READY"] = str(Path(tmp) / "ready")
        (Path(tmp) / "ready").mkdir()
        base["BENCH_WORKERS"] = str(
            1 if args.only else 1 + bool(os.environ.get("BENCH_DATABASE_URL", "unset"))
        )
        workers: list[tuple[subprocess.Popen[str], str]] = []
        if args.only != "postgresql":
            (Path(tmp) / "sqlite").mkdir()
            print(f"SQLite: {args.articles} articles …", flush=True)
            env = {**base, "PODIUM_VAR_DIR": str(Path(tmp) / "sqlite")}
            workers.append((_start_worker(env, args.articles, args.rounds, base_ts), "sqlite"))
        try:
            if url and args.only != "sqlite":
                import psycopg

                parts = urlsplit(url)
                name = parts.path.lstrip("/")
                if not (name.startswith("podium_") and "bench" in name):
                    raise SystemExit(
                        f"{name}: a throwaway database's name starts with podium_ and says bench"
                    )
                admin = urlunsplit(parts._replace(path="/postgres"))
                with psycopg.connect(admin, autocommit=True) as conn:
                    exists = conn.execute(
                        "SELECT 1 FROM pg_database WHERE datname = %s", [name]
                    ).fetchone()
                    if not (args.reuse and exists):
                        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                        conn.execute(f'CREATE DATABASE "{name}"')
                (Path(tmp) / "pg").mkdir()
                print(f"PostgreSQL: {args.articles} articles …", flush=True)
                env = {**base, "PODIUM_VAR_DIR": str(Path(tmp) / "pg"), "DATABASE_URL": url}
                workers.append(
                    (_start_worker(env, args.articles, args.rounds, base_ts, args.reuse), "pg")
                )
            for process, var_dir in workers:
                results.append(_finish_worker(process, Path(tmp) / var_dir))
                print({k: v for k, v in results[-1].items() if k != "pages"}, flush=True)
        finally:
            for process, _ in workers:
                if process.poll() is None:
                    process.kill()
            if admin and not args.reuse:
                import psycopg

                with psycopg.connect(admin, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if args.only:
        print("One database measured (--only): bench/results/search.md is left as it was.")
        return
    _write(results, args, time.perf_counter() - started)


P95_TARGET_MS = 50
MEDIAN_TARGET_MS = 10


def _write(results: list[dict[str, Any]], args: argparse.Namespace, total_s: float) -> None:
    def met(ok: bool) -> str:
        return "met" if ok else "NOT met"

    lines = [
        "# Search latency",
        "",
        f"`make bench-search` (`python bench/search.py --articles {args.articles} --rounds {args.rounds}`), "
        f"{time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, whole run {total_s / 60:.1f} min "
        "(target: under 10). One search = what /zoeken/ runs, uncached: the bounded search "
        "(newest 1,001 matches, the newest 200 ranked) and the first page of 12 with snippets; "
        f"{len(QUERIES)} queries (the commonest words, two and three words, compound parts, rare "
        "words, stop words only, FTS syntax, 10,000 characters) × 3 filter variants (none, "
        "topic, last month) × rounds. Median, p95 and max: wall time of the uncached search; CPU: "
        "the benchmark process's CPU time for it (all of it on SQLite, which runs in the process; "
        "on PostgreSQL the server's share is not in it); cached: the same mix under one page "
        "cache generation (the ordering and snippets kept, the page's articles read afresh).",
        "",
        "| database | articles | generate (s) | build index (s) | searches | median (ms) | p95 (ms) | max (ms) | "
        "CPU median / p95 (ms) | cached: median / p95 (ms) | "
        f"hits for “{QUERIES[0]}” | load (1/5/15 min) before · during queries · after |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        load = r["load"]
        hits = f"{r['common_count']:,}" + ("+ (more)" if r["common_more"] else "")
        lines.append(
            f"| {r['vendor']} | {r['articles']:,} | {r['generate_s']} | {r['index_s']} | {r['searches']} | "
            f"{r['median_ms']} | {r['p95_ms']} | {r['max_ms']} | "
            f"{r['cpu_median_ms']} / {r['cpu_p95_ms']} | {r['warm_median_ms']} / {r['warm_p95_ms']} | {hits} | "
            f"{load[0]}/{load[1]}/{load[2]} · {load[3]}/{load[4]}/{load[5]} · {load[6]}/{load[7]}/{load[8]} |"
        )
    lines += ["", "Targets:", ""]
    for r in results:
        lines.append(
            f"- {r['vendor']}: median ≤ {MEDIAN_TARGET_MS} ms: {met(r['median_ms'] <= MEDIAN_TARGET_MS)} "
            f"({r['median_ms']}); p95 ≤ {P95_TARGET_MS} ms: {met(r['p95_ms'] <= P95_TARGET_MS)} ({r['p95_ms']})"
        )
    lines.append(f"- whole run under 10 minutes: {met(total_s < 600)} ({total_s / 60:.1f} min)")
    if len(results) == 2:
        a, b = results[0]["pages"], results[1]["pages"]
        differ = sorted(k for k in a if a[k] != b.get(k))
        lines.append(
            "- same first pages on both databases: "
            + ("met (every query and filter)" if not differ else f"NOT met: {', '.join(differ)}")
        )
    lines += ["", "Slowest queries (median ms):", ""]
    for r in results:
        lines.append(
            f"- {r['vendor']}: " + "; ".join(f"“{q}” {ms}" for ms, q in r["slowest_queries"])
        )
    notes = ""
    if RESULTS.exists() and "\n## Notes\n" in RESULTS.read_text():
        notes = RESULTS.read_text().split("\n## Notes\n", 1)[1]
    lines += ["", "## Notes", notes.rstrip() or "", ""]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines))
    print(f"Written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
