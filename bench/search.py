"""Search latency over 100,000 generated articles, on SQLite (FTS5) and PostgreSQL (tsvector).

    make bench-search                       # SQLite only
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/podium make bench-search   # and PostgreSQL

Each database is a throwaway one (a temporary SQLite file; a fresh PostgreSQL database created
next to the one DATABASE_URL names, dropped afterwards). Articles are bulk-inserted with
Dutch-like text, the index is built with `rebuild_index()`, then a mix of reader queries runs the
way the search page runs them (count + first page of results with snippets). Latencies: median
and p95 per database, written to bench/results/search.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
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
    "samenwerken",
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


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choices(VOCAB, cum_weights=CUMULATIVE, k=n)).capitalize() + "."


def worker(n_articles: int, rounds: int) -> dict[str, object]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podium.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from podium.accounts.models import User
    from podium.articles import search
    from podium.articles.models import Article
    from podium.topics.models import Topic

    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    now = timezone.now()
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
        authors = list(User.objects.filter(email__endswith="@bench.example"))
    started = time.perf_counter()
    batch = 5000
    for start in range(0, n_articles, batch):
        rows = []
        for i in range(start, min(n_articles, start + batch)):
            body = "".join(
                f"<p>{_sentence(rng, rng.randint(12, 30))} {_sentence(rng, rng.randint(12, 30))}</p>"
                for _ in range(rng.randint(8, 14))
            )
            published = now - __import__("datetime").timedelta(minutes=i * 7)
            rows.append(
                Article(
                    author=authors[i % len(authors)],
                    title=_sentence(rng, rng.randint(4, 9))[:-1],
                    slug=f"bench-{i}",
                    lead=_sentence(rng, rng.randint(15, 30)),
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
        created = Article.objects.bulk_create(rows)
        if not created[0].pk:
            created = list(Article.objects.filter(slug__in=[a.slug for a in rows]))
        through = Article.topics.through
        through.objects.bulk_create(
            [
                through(article_id=a.pk, topic_id=topics[(a.pk * 7 + k) % len(topics)].pk)
                for a in created
                for k in range(1 + a.pk % 2)
            ]
        )
    generated_s = time.perf_counter() - started
    started = time.perf_counter()
    indexed = search.rebuild_index()
    index_s = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("INSERT INTO articles_search(articles_search) VALUES ('optimize')")

    def run(query: str, filters: object) -> float:
        t0 = time.perf_counter()
        results = search.search(query, filters)  # type: ignore[arg-type]
        results.count()
        list(results[0:12])
        return (time.perf_counter() - t0) * 1000

    import datetime

    variants = [
        search.Filters(),
        search.Filters(topic_id=topics[3].pk),
        search.Filters(since=now - datetime.timedelta(days=31)),
    ]
    for q in QUERIES[:3]:
        run(q, variants[0])  # warm caches
    timings: list[float] = []
    per_query: dict[str, list[float]] = {}
    for _ in range(rounds):
        for q in QUERIES:
            for f in variants:
                ms = run(q, f)
                timings.append(ms)
                per_query.setdefault(q[:40], []).append(ms)
    timings.sort()
    return {
        "vendor": connection.vendor,
        "articles": indexed,
        "generate_s": round(generated_s, 1),
        "index_s": round(index_s, 1),
        "searches": len(timings),
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
        "max_ms": round(timings[-1], 2),
        "slowest_queries": sorted(
            ((round(statistics.median(v), 1), k) for k, v in per_query.items()), reverse=True
        )[:3],
        "hits_for_samenwerken": search.search("samenwerken").count(),
    }


def _run_worker(env: dict[str, str], n: int, rounds: int) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, __file__, "--worker", "--articles", str(n), "--rounds", str(rounds)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if out.returncode:
        sys.stderr.write(out.stdout + out.stderr)
        raise SystemExit(out.returncode)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.articles, args.rounds)))
        return
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    base.update(PODIUM_EMBEDDED="1", LOG_LEVEL="WARNING", DJANGO_SETTINGS_MODULE="podium.settings")
    results = []
    with tempfile.TemporaryDirectory(prefix="podium-bench-search-") as tmp:
        print(f"SQLite: {args.articles} articles …", flush=True)
        results.append(_run_worker({**base, "PODIUM_VAR_DIR": tmp}, args.articles, args.rounds))
        print(results[-1], flush=True)
    url = os.environ.get("DATABASE_URL")
    if url:
        import psycopg

        parts = urlsplit(url)
        name = f"podium_bench_search_{os.getpid()}"
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            print(f"PostgreSQL: {args.articles} articles …", flush=True)
            with tempfile.TemporaryDirectory(prefix="podium-bench-search-") as tmp:
                env = {
                    **base,
                    "PODIUM_VAR_DIR": tmp,
                    "DATABASE_URL": urlunsplit(parts._replace(path=f"/{name}")),
                }
                results.append(_run_worker(env, args.articles, args.rounds))
            print(results[-1], flush=True)
        finally:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _write(results, args)


def _write(results: list[dict[str, object]], args: argparse.Namespace) -> None:
    lines = [
        "# Search latency",
        "",
        f"`make bench-search` (`python bench/search.py --articles {args.articles} --rounds {args.rounds}`), "
        f"{time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs. One search = what /zoeken/ runs: "
        "count + first page of 12 with snippets; "
        f"{len(QUERIES)} queries (common and rare words, several words, stop words only, FTS syntax, "
        "10,000 characters) × 3 filter variants (none, topic, last month) × rounds.",
        "",
        "| database | articles | generate (s) | build index (s) | searches | median (ms) | p95 (ms) | max (ms) | hits for “samenwerken” |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r['vendor']} | {r['articles']:,} | {r['generate_s']} | {r['index_s']} | {r['searches']} | "
            f"{r['median_ms']} | {r['p95_ms']} | {r['max_ms']} | {r['hits_for_samenwerken']:,} |"
        )
    lines += ["", "Slowest queries (median ms):", ""]
    for r in results:
        lines.append(
            f"- {r['vendor']}: " + "; ".join(f"“{q}” {ms}" for ms, q in r["slowest_queries"])
        )  # type: ignore[union-attr]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n")
    print(f"Written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
