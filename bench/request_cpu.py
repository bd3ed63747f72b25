"""CPU per request inside Django, without a server: `make bench-request-cpu`.

Seeds a throwaway Podium (SQLite and the file cache; or BENCH_DATABASE_URL / BENCH_REDIS_URL for
PostgreSQL and Redis, whose databases must already exist and are used as they are), then calls
the WSGI handler directly and measures the process's CPU time per request for: a signed-in
reader's article (session cookie and CSRF cookie, the page rendered for them), an anonymous
article (the page cache's fast path) and the bare view of bench/web_urls.py. It also lists the
queries of one signed-in article. Results: bench/results/request-cpu.md.

This is where a change to a signed-in page shows before `make bench-web` takes its minutes;
the ratios that count are measured there, through gunicorn."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "request-cpu.md"
NOTES = "## Notes"


def child(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from _support import signed_in_reader, wsgi_get
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from podium.articles.models import Article

    if args.kind:  # one of several runs on the same database: a member of its own
        session_key = signed_in_reader(
            f"cpu-{args.kind}-{args.requests}@bench.example", password=None
        )
    else:
        session_key = signed_in_reader("cpu@bench.example")
    slug = Article.objects.published().values_list("slug", flat=True).first()
    app = WSGIHandler()

    def call(path: str, cookie: str = "") -> tuple[str, list[tuple[str, str]], bytes]:
        return wsgi_get(app, path, cookie)

    article = f"/podium/{slug}/"
    cookie = f"sessionid={session_key}"
    status, headers, body = call(article, cookie)
    assert status.startswith("200"), status
    for name, value in headers:
        if name == "Set-Cookie" and value.startswith("csrftoken="):
            cookie += "; csrftoken=" + value.split(";")[0].split("=", 1)[1]
    if args.kind:
        # One kind of request, for `--instructions`: 50 warm-up calls, then `--requests` more;
        # the parent counts this process's instructions under callgrind.
        path = {"signed": article, "anonymous": article, "bare": f"/bench/bare/{len(body)}/"}
        kind_cookie = cookie if args.kind == "signed" else ""
        for _ in range(50 + args.requests):
            call(path[args.kind], kind_cookie)
        return
    with CaptureQueriesContext(connection) as queries:
        call(article, cookie)
    # A copy now: Django empties the query log when the next request starts.
    captured = list(queries.captured_queries)

    def cpu_ms(path: str, cookie: str = "") -> float:
        for _ in range(50):
            call(path, cookie)
        started = time.process_time()
        for _ in range(args.requests):
            call(path, cookie)
        return (time.process_time() - started) / args.requests * 1000

    rows = [
        ("article, signed in", cpu_ms(article, cookie)),
        ("article, anonymous (page cache)", cpu_ms(article)),
        ("bare view, same bytes", cpu_ms(f"/bench/bare/{len(body)}/")),
    ]
    lines = [
        "# CPU per request inside Django",
        "",
        f"`make bench-request-cpu` (`python bench/request_cpu.py --articles {args.articles} "
        f"--requests {args.requests}`), {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{connection.vendor}, page cache in {'Redis' if os.environ.get('REDIS_URL') else 'files'}; "
        "the WSGI handler called directly (no server), process CPU time per request after 50 "
        "warm-up calls.",
        "",
        "| request | CPU (ms) |",
        "| --- | ---: |",
        *(f"| {label} | {ms:.2f} |" for label, ms in rows),
        "",
        f"Queries of one signed-in article ({len(captured)}):",
        "",
        *(f"- `{q['sql'][:90]}…`" for q in captured),
        "",
    ]
    print("\n".join(lines))
    # The notes (history, explanations) written by people stay below the new figures.
    notes = ""
    if RESULTS.exists() and f"\n{NOTES}\n" in RESULTS.read_text():
        notes = f"{NOTES}\n" + RESULTS.read_text().split(f"\n{NOTES}\n", 1)[1]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + ("\n" + notes if notes else ""))


KINDS = {
    "signed": "article, signed in",
    "anonymous": "article, anonymous (page cache)",
    "bare": "bare view, same bytes",
}


def collected(kind: str, requests: int, env: dict[str, str], workdir: str) -> int:
    """Instructions callgrind counts for one child run of `kind` with `requests` measured calls."""
    out = Path(workdir) / f"callgrind.{kind}.{requests}"
    result = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={out}",
            sys.executable,
            __file__,
            "--child",
            "--kind",
            kind,
            "--requests",
            str(requests),
        ],
        env={**env, "PYTHONHASHSEED": "0"},  # the same dict layouts in every run
        check=True,
        capture_output=True,
        text=True,
    )
    for line in result.stderr.splitlines():
        if "Collected :" in line:
            return int(line.rsplit(":", 1)[1].strip())
    raise RuntimeError(f"callgrind printed no total:\n{result.stderr[-2000:]}")


def instructions(args: argparse.Namespace, env: dict[str, str]) -> None:
    """Instructions per request of each kind: (run with N requests − run with none) ÷ N, the
    start-up, seeding lookups and warm-up calls cancelling out. Counts do not depend on what
    else the machine runs, so figures from a busy machine compare with a quiet one's."""
    n = args.instructions
    rows = []
    with tempfile.TemporaryDirectory(prefix="podium-bench-callgrind-") as workdir:
        for kind, label in KINDS.items():
            # A page from the cache costs a tenth of a rendered one: more of them, so that the
            # difference stands well clear of the runs' own variation (tokens, timestamps).
            count = n if kind == "signed" else 20 * n
            per_request = (
                collected(kind, count, env, workdir) - collected(kind, 0, env, workdir)
            ) / count
            rows.append((label, per_request))
            print(f"{label}: {per_request / 1e6:.2f} M instructions", flush=True)
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    lines = [
        f"### Instructions per request, {commit}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        f"`python bench/request_cpu.py --articles {args.articles} --instructions {n}` "
        "(valgrind's callgrind; per request = (run with N requests − run without) ÷ N; N "
        f"= {n} signed-in articles, {20 * n} of the others).",
        "",
        "| request | instructions (millions) |",
        "| --- | ---: |",
        *(f"| {label} | {count / 1e6:.2f} |" for label, count in rows),
        "",
    ]
    print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument(
        "--instructions",
        type=int,
        default=0,
        metavar="N",
        help="count instructions (valgrind's callgrind) instead of CPU time: per request, from "
        "two runs of each kind that differ by N requests; load-independent, slow",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--kind", choices=KINDS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    with tempfile.TemporaryDirectory(prefix="podium-bench-cpu-") as var:
        env = {
            **os.environ,
            "PODIUM_VAR_DIR": var,
            "SECRET_KEY": "bench-" + "x" * 50,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SETTINGS_MODULE": "web_settings",
            "PYTHONPATH": os.pathsep.join(
                [str(ROOT / "bench"), str(ROOT / "src")]
            ),  # this checkout
            "LOG_LEVEL": "WARNING",
            "DEBUG": "0",
        }
        env.pop("DATABASE_URL", None)
        if os.environ.get("BENCH_DATABASE_URL"):
            env["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
        if os.environ.get("BENCH_REDIS_URL"):
            env["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
            env["PODIUM_PAGE_CACHE_PREFIX"] = f"bench-cpu-{os.getpid()}"
        for command in (
            ["migrate", "--noinput", "-v0"],
            ["collectstatic", "--noinput", "-v0"],
            ["seed", "--articles", str(args.articles), "--authors", "200", "--subscribers", "0"],
        ):
            subprocess.run(
                [sys.executable, "-m", "podium", *command],
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        if args.instructions:
            instructions(args, env)
            return
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                "--articles",
                str(args.articles),
                "--requests",
                str(args.requests),
            ],
            env=env,
            check=True,
        )


if __name__ == "__main__":
    main()
