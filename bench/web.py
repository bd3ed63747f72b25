"""Readers at scale: the production server against 100,000 articles, driven by wrk.

    make bench-web                                  # throwaway SQLite + the embedded cache (diskcache)
    BENCH_REDIS_URL=redis://127.0.0.1:6379/14 make bench-web     # the page cache in Redis
    make bench-web-postgres     # throwaway PostgreSQL databases + Redis, as in production
                                # (BENCH_DATABASE_URL=postgres://…/name, BENCH_REDIS_URL=…)

Seeds `--articles` (100,000) into a throwaway database and 1,000 into a second one (every
article with one of 16 header images, so cards render their <picture> with variants), starts
gunicorn (2 workers, the production settings, the same flags as `podium serve`) on each and
nginx with deploy/nginx.conf in front of the big one, then runs wrk in interleaved rounds
against:

  (a) a random article of the 100,000, anonymous (a new random one each round)
  (b) the home page                 (b1k) the home page of the 1,000-article site
  (c) a topic page
  (d) the article for a signed-in contributor (no page cache: their page is rendered every time,
      around the article's public part, which is a fragment kept under the page generation)
  (e) a bare Django view returning as many bytes, through the same server and middleware
  (f) the article through nginx (micro-cache)
  (g) nginx serving a static file of the same size

and the cold path:

  (a′) anonymous articles, each request a random one of 10,000 (a process's memory cannot hold
       them: this measures the shared page cache)
  (d′) a signed-in reader on a random article of 10,000 (no fragment reuse)
  (b′) the home page with the page cache switched off (PODIUM_PAGE_CACHE=0), at 100,000 and at
       1,000 articles; (c′) a topic page with it off (the list page's count), a latency
       target: measured with one connection per worker, so its median holds no queueing that
       the benchmark itself makes (every other target uses --connections)
  (h)  the server `make run` starts (`podium serve`, its default workers and the background
       worker, all on this machine) against a few-line Django project serving the same bytes
       from gunicorn with 2 sync workers (bench/tiny_site.py), side by side, wrk -t2 -c32

`--only h` runs (h) alone, quickly (a site of `--articles` 1,000 by default, no nginx, no other
targets), prints its rounds and ratio and writes no results file:

    python bench/web.py --only h --rounds 4 --seconds 5

`--only a` runs the page cache's targets (a) and (a′) with (e) in each round, on one site of
`--articles` (a′ then picks from all of them up to 10,000), the same way (no results file):

    BENCH_DATABASE_URL=… BENCH_REDIS_URL=… python bench/web.py --only a --articles 10000 --warm 150

`--only d` runs (d′) with (e) in each round, on one site of `--articles` (10,000-30,000 is
enough: each round asks for its own share of them, so nothing of its articles is kept when it
starts), and prints (d′)/(e) per round and its median, the goal 0.10 (no results file):

    python bench/web.py --only d --articles 20000 --rounds 3 --seconds 8
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/podium_mine BENCH_REDIS_URL=redis://127.0.0.1:6379/12 \
        python bench/web.py --only d --articles 20000

A full run prints req/s, p50 and p99 per target with the ratios to (e) and (g), the workers' resident
memory afterwards, and writes bench/results/web.md (web-postgres.md with PostgreSQL), keeping
the file's "## Notes" section. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _support import Database, free_port, wait_for

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "web.md"
RESULTS_POSTGRES = ROOT / "bench" / "results" / "web-postgres.md"
NOTES = "## Notes"
HEADER_IMAGES = 16
PY = sys.executable
# Targets judged by their latency, not their throughput: measured with one wrk connection per
# worker (see main()).
LATENCY_TARGETS = ("c′",)
# A target of the rounds: its label, its URL in round r, the cookie sent, and then what wrk is
# given after the cookie (a file of paths, each a string or made for round r).
PerRound = str | Callable[[int], str]
Target = tuple[str, Callable[[int], str], str, *tuple[PerRound, ...]]


class Site:
    """A throwaway Podium: its own var/ directory (SQLite, the caches' files, static files), or
    its own PostgreSQL database when `database_url` names one (created here, dropped at the end)."""

    def __init__(self, name: str, workdir: Path, redis_url: str, database_url: str = "") -> None:
        self.dir = workdir / name
        self.dir.mkdir()
        self.port = free_port()
        self.env = {
            **os.environ,
            "PODIUM_VAR_DIR": str(self.dir),
            "SECRET_KEY": "bench-" + "x" * 50,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SETTINGS_MODULE": "web_settings",
            "PYTHONPATH": os.pathsep.join(
                p for p in [str(ROOT / "bench"), os.environ.get("PYTHONPATH", "")] if p
            ),
            "LOG_LEVEL": "WARNING",
            "DEBUG": "0",
        }
        self.env.pop("DATABASE_URL", None)
        self.database: Database | None = None
        if database_url:
            self.database = Database(f"{database_url}_{name}")
            self.env["DATABASE_URL"] = self.database.url
        if redis_url:
            self.env["REDIS_URL"] = redis_url
            self.env["PODIUM_PAGE_CACHE_PREFIX"] = f"bench-{name}-{os.getpid()}"
        self.server: subprocess.Popen[bytes] | None = None
        self.cold_port = free_port()
        self.cold_server: subprocess.Popen[bytes] | None = None

    def podium(self, *args: str) -> str:
        done = subprocess.run(
            [PY, "-m", "podium", *args], env=self.env, capture_output=True, text=True, check=False
        )
        if done.returncode:
            raise SystemExit(f"podium {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def _gunicorn(
        self, port: int, workers: int, env: dict[str, str], log: str
    ) -> subprocess.Popen[bytes]:
        server = subprocess.Popen(
            [
                PY,
                "-m",
                "gunicorn",
                "podium.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--timeout",
                "30",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(self.dir / log, "wb"),  # noqa: SIM115
        )
        wait_for(f"http://127.0.0.1:{port}/gezondheid/")
        return server

    def start(self, workers: int) -> None:
        self.server = self._gunicorn(self.port, workers, self.env, "gunicorn.log")
        # The same site with the page cache switched off: the cold path of (b′) and (c′).
        cold = {**self.env, "PODIUM_PAGE_CACHE": "0"}
        self.cold_server = self._gunicorn(self.cold_port, workers, cold, "gunicorn-cold.log")

    def worker_rss_mb(self) -> list[float]:
        assert self.server is not None
        children = (
            Path(f"/proc/{self.server.pid}/task/{self.server.pid}/children").read_text().split()
        )
        sizes = []
        for pid in children:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sizes

    def stop(self) -> None:
        for server in (self.server, self.cold_server):
            if server and server.poll() is None:
                server.send_signal(signal.SIGTERM)
                try:
                    server.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    server.kill()


def fetch(url: str, cookie: str = "") -> bytes:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    with urllib.request.urlopen(request, timeout=300) as response:  # noqa: S310
        return response.read()


def csrf_cookie(url: str, cookie: str) -> str:
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
    with urllib.request.urlopen(request, timeout=300) as response:  # noqa: S310
        for header in response.headers.get_all("Set-Cookie") or []:
            if header.startswith("csrftoken="):
                return header.split(";", 1)[0].split("=", 1)[1]
    raise SystemExit("the signed-in article page set no CSRF cookie")


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def wrk(
    url: str, seconds: int, connections: int, cookie: str = "", paths: str = "", mode: str = ""
) -> dict[str, float]:
    """wrk against `url`; with `paths` (a file of paths, one a line), each request asks for a
    random one of them on `url`'s server."""
    command = [
        "wrk",
        f"-t{min(2, connections)}",  # wrk needs a connection per thread
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "--latency",
        url,
    ]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    if paths:
        command[1:1] = ["-s", str(ROOT / "bench" / "random_paths.lua")]
        command += ["--", paths, *([mode] if mode else [])]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    errors = 0
    for pattern in (
        r"Non-2xx or 3xx responses: (\d+)",
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
    ):
        match = re.search(pattern, out)
        if match:
            errors += sum(int(g) for g in match.groups())
    if not re.search(r"\s50%\s+(\S+)", out):  # no request finished at all
        return {
            "rps": 0.0,
            "p50": float("nan"),
            "p99": float("nan"),
            "errors": max(errors, 1),
            "requests": 0,
        }
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50": _ms(re.search(r"\s50%\s+(\S+)", out).group(1)),  # type: ignore[union-attr]
        "p99": _ms(re.search(r"\s99%\s+(\S+)", out).group(1)),  # type: ignore[union-attr]
        "errors": errors,
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),  # type: ignore[union-attr]
    }


def tree_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by process `pid` and its descendants still alive:
    divided by the requests served, a per-request cost that the machine's load disturbs less than
    req/s (other engineers share the cores)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return total


def start_side_by_side(
    workdir: Path, site: Site, sample: bytes, article_path: str
) -> tuple[list[subprocess.Popen[bytes]], dict[str, tuple[str, str, int]]]:
    """(h): the few-line project serving the article's bytes, and `podium serve` as `make run`
    starts it (its default workers and the background worker) on `site`'s data. Returns the
    processes and, per target, (label, url, pid)."""
    (workdir / "page.html").write_bytes(sample)
    tiny_port, serve_port = free_port(), free_port()
    tiny = subprocess.Popen(
        [
            PY,
            "-m",
            "gunicorn",
            "tiny_site:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{tiny_port}",
        ],
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join(
                p for p in [str(ROOT / "bench"), os.environ.get("PYTHONPATH", "")] if p
            ),
            "TINY_BODY_FILE": str(workdir / "page.html"),
        },
        stdout=subprocess.DEVNULL,
        stderr=open(workdir / "tiny.log", "wb"),  # noqa: SIM115
    )
    served = start_serve(workdir, site, serve_port)
    wait_for(f"http://127.0.0.1:{tiny_port}/")
    return [tiny, served], {
        "h-tiny": (
            "few-line Django project, gunicorn 2 sync workers",
            f"http://127.0.0.1:{tiny_port}{article_path}",
            tiny.pid,
        ),
        "h-serve": (
            "`podium serve` as `make run` starts it",
            f"http://127.0.0.1:{serve_port}{article_path}",
            served.pid,
        ),
    }


def start_serve(workdir: Path, site: Site, port: int) -> subprocess.Popen[bytes]:
    served = subprocess.Popen(
        [PY, "-m", "podium", "serve", "--port", str(port)],
        env={
            **{k: v for k, v in site.env.items() if k != "DJANGO_SETTINGS_MODULE"},
            "SITE_URL": "",
        },
        stdout=subprocess.DEVNULL,
        stderr=open(workdir / "serve.log", "wb"),  # noqa: SIM115
    )
    wait_for(f"http://127.0.0.1:{port}/gezondheid/")
    return served


def run_side_by_side(
    side_by_side: dict[str, tuple[str, str, int]],
    runs: dict[str, list[dict[str, float]]],
    round_no: int,
    seconds: int,
) -> None:
    """One round of (h): both servers in turn, the order reversed every other round (so neither
    always runs right after the other targets), wrk -t2 -c32 each."""
    order = list(side_by_side.items())
    if round_no % 2:
        order.reverse()
    for key, (label, url, pid) in order:
        fetch(url)
        before = tree_cpu_seconds(pid)
        result = wrk(url, seconds, 32)
        result["cpu_us"] = (tree_cpu_seconds(pid) - before) / max(1, result["requests"]) * 1e6
        runs[key].append(result)
        print(
            f"round {round_no + 1} {key:>7} {label:<48} {result['rps']:>7.0f} req/s  "
            f"p50 {result['p50']:.2f} ms  server CPU {result['cpu_us']:.0f} µs/request  "
            f"errors {result['errors']}  load {os.getloadavg()[0]:.1f}",
            flush=True,
        )


def prepare_site(
    site: Site, args: argparse.Namespace, *, checkpoint: bool = False
) -> dict[str, Any]:
    """The small site of an `--only` run: its database created, migrated, its static files
    collected, seeded with `--articles` (authors and subscribers capped to fit) and 4 header
    images; with `checkpoint`, PostgreSQL's dirty pages written out after the seed. Returns
    SETUP's output (the session and the slugs to ask for)."""
    if site.database:
        site.database.create()
    site.podium("migrate", "--noinput", "-v0")
    site.podium("collectstatic", "--noinput", "-v0")
    site.podium(
        "seed",
        "--articles",
        str(args.articles),
        "--authors",
        str(min(args.authors, max(1, args.articles // 10))),
        "--subscribers",
        str(min(args.subscribers, args.articles)),
        "--header-images",
        "4",
    )
    if checkpoint and site.database:
        settle(site.database)
    return json.loads(site.podium("shell", "-c", SETUP).strip().splitlines()[-1])


def settle(database: Database) -> None:
    """A freshly seeded PostgreSQL database as production's would be some minutes after the
    bulk inserts: vacuumed and analysed (autovacuum does it there; this machine's server runs
    with autovacuum off, so without it every count reads the table instead of the index alone,
    as bench/search.py found too), and its dirty pages written out: otherwise the first
    checkpoint (5 minutes later) floods the disk in the middle of the rounds, and nginx's
    blocking cache-file writes stall behind it (p99 of (f) in the seconds)."""
    database.execute("VACUUM (ANALYZE)")
    database.execute("CHECKPOINT")


def only_h(args: argparse.Namespace) -> None:
    """(h) alone: seed a small site, start the two servers, run the rounds, print the ratio."""
    redis_url = os.environ.get("BENCH_REDIS_URL", "")
    database_url = os.environ.get("BENCH_DATABASE_URL", "")
    workdir = Path(tempfile.mkdtemp(prefix="podium-bench-h-"))
    site = Site("h", workdir, redis_url, database_url)
    extra: list[subprocess.Popen[bytes]] = []
    try:
        info = prepare_site(site, args)
        article_path = f"/podium/{info['slugs'][0]}/"
        serve_port = free_port()
        first = start_serve(workdir, site, serve_port)
        sample = fetch(f"http://127.0.0.1:{serve_port}{article_path}")
        stop_process(first)
        extra, side_by_side = start_side_by_side(workdir, site, sample, article_path)
        runs: dict[str, list[dict[str, float]]] = {key: [] for key in side_by_side}
        load_before = os.getloadavg()
        for round_no in range(args.rounds):
            run_side_by_side(side_by_side, runs, round_no, args.seconds)
        ratios = [s["rps"] / t["rps"] for s, t in zip(runs["h-serve"], runs["h-tiny"], strict=True)]
        cpu = {key: statistics.median(r["cpu_us"] for r in runs[key]) for key in runs}
        setup = (
            f"{'PostgreSQL' if site.database else 'SQLite'} + {'Redis' if redis_url else 'files'}"
        )
        print(
            f"(h) {setup}, {args.articles:,} articles, page {len(sample):,} bytes, "
            f"{args.rounds} rounds of {args.seconds} s: podium serve ÷ few-line project per round "
            f"{', '.join(f'{r:.2f}' for r in ratios)}; median {statistics.median(ratios):.2f} "
            f"(goal 0.85). Server CPU per request (median): podium serve {cpu['h-serve']:.0f} µs, "
            f"few-line project {cpu['h-tiny']:.0f} µs. Load average before "
            f"{load_before[0]:.1f}, after {os.getloadavg()[0]:.1f} ({os.cpu_count()} CPUs)."
        )
    finally:
        for process in extra:
            stop_process(process)
        if site.database and not os.environ.get("BENCH_KEEP"):
            site.database.drop()
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(workdir, ignore_errors=True)


def only_a(args: argparse.Namespace) -> None:
    """(a), (a′) and (e) alone, interleaved in each round, on one site of `--articles`: the page
    cache's targets against the bare view, printed per round with the load (no results file)."""
    redis_url = os.environ.get("BENCH_REDIS_URL", "")
    database_url = os.environ.get("BENCH_DATABASE_URL", "")
    workdir = Path(tempfile.mkdtemp(prefix="podium-bench-a-"))
    site = Site("a", workdir, redis_url, database_url)
    try:
        info = prepare_site(site, args, checkpoint=True)
        site.start(args.workers)
        base = f"http://127.0.0.1:{site.port}"
        paths = workdir / "paths.txt"
        paths.write_text("".join(f"/podium/{slug}/\n" for slug in info["many"]))
        size = len(fetch(f"{base}/podium/{info['slugs'][0]}/"))
        warmed = wrk(f"{base}/", args.warm, args.connections, "", str(paths), "seq")
        print(f"warm-up: {warmed['requests']:,} requests for {len(info['many']):,} pages")
        targets: dict[str, tuple[Callable[[int], str], str]] = {
            "a": (lambda r: f"{base}/podium/{info['slugs'][r % len(info['slugs'])]}/", ""),
            "e": (lambda r: f"{base}/bench/bare/{size}/", ""),
            "a′": (lambda r: f"{base}/", str(paths)),
        }
        runs: dict[str, list[float]] = {key: [] for key in targets}
        for round_no in range(args.rounds):
            for key, (url_for, many) in targets.items():
                url = url_for(round_no)
                fetch(url)
                result = wrk(url, args.seconds, args.connections, "", many)
                runs[key].append(result["rps"])
                print(
                    f"round {round_no + 1} {key:>3} {result['rps']:>7.0f} req/s  "
                    f"p50 {result['p50']:.2f} ms  p99 {result['p99']:.2f} ms  "
                    f"errors {result['errors']}  load {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
        setup = (
            f"{'PostgreSQL' if site.database else 'SQLite'} + {'Redis' if redis_url else 'files'}"
        )
        for key in ("a", "a′"):
            ratios = [x / e for x, e in zip(runs[key], runs["e"], strict=True)]
            print(
                f"({key})/(e) {setup}, {args.articles:,} articles, page {size:,} bytes, per round "
                f"{', '.join(f'{r:.2f}' for r in ratios)}; median {statistics.median(ratios):.2f}"
            )
    finally:
        site.stop()
        if site.database and not os.environ.get("BENCH_KEEP"):
            site.database.drop()
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(workdir, ignore_errors=True)


def only_d(args: argparse.Namespace) -> None:
    """(d′) and (e) alone, interleaved in each round, on one site of `--articles`: a signed-in
    reader on articles nothing requested before, against the bare view (no results file)."""
    redis_url = os.environ.get("BENCH_REDIS_URL", "")
    database_url = os.environ.get("BENCH_DATABASE_URL", "")
    workdir = Path(tempfile.mkdtemp(prefix="podium-bench-d-"))
    site = Site("d", workdir, redis_url, database_url)
    try:
        info = prepare_site(site, args, checkpoint=True)
        slugs = json.loads(site.podium("shell", "-c", SETUP_D).strip().splitlines()[-1])
        site.start(args.workers)
        base = f"http://127.0.0.1:{site.port}"
        cookie = f"sessionid={info['session']}"
        cookie += "; csrftoken=" + csrf_cookie(f"{base}/podium/{info['slugs'][0]}/", cookie)
        size = len(fetch(f"{base}/podium/{info['slugs'][0]}/", cookie))
        # Each round its own articles, none of (a)/(d)'s 50 nor another round's: nothing of them
        # is kept when the round starts (wrk picks at random, so a few repeat within a round).
        share = len(slugs) // args.rounds
        cold_paths = []
        for number in range(args.rounds):
            cold_paths.append(workdir / f"cold-{number}.txt")
            cold_paths[-1].write_text(
                "".join(
                    f"/podium/{slug}/\n" for slug in slugs[number * share : (number + 1) * share]
                )
            )
        runs: dict[str, list[float]] = {"e": [], "d′": []}
        for round_no in range(args.rounds):
            for key in ("e", "d′"):
                if key == "e":
                    url = f"{base}/bench/bare/{size}/"
                    fetch(url)
                    result = wrk(url, args.seconds, args.connections)
                else:
                    result = wrk(
                        f"{base}/",
                        args.seconds,
                        args.connections,
                        cookie,
                        str(cold_paths[round_no]),
                    )
                runs[key].append(result["rps"])
                print(
                    f"round {round_no + 1} {key:>3} {result['rps']:>7.0f} req/s  "
                    f"p50 {result['p50']:.2f} ms  p99 {result['p99']:.2f} ms  "
                    f"requests {result['requests']:,}  errors {result['errors']}  "
                    f"load {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
        setup = (
            f"{'PostgreSQL' if site.database else 'SQLite'} + {'Redis' if redis_url else 'files'}"
        )
        ratios = [d / e for d, e in zip(runs["d′"], runs["e"], strict=True)]
        print(
            f"(d′)/(e) {setup}, {args.articles:,} articles ({share:,} per round), page {size:,} "
            f"bytes, per round {', '.join(f'{r:.3f}' for r in ratios)}; median "
            f"{statistics.median(ratios):.3f} (goal 0.10)"
        )
    finally:
        site.stop()
        if site.database and not os.environ.get("BENCH_KEEP"):
            site.database.drop()
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(workdir, ignore_errors=True)


def stop_process(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()


SETUP = """
import json
from _support import signed_in_reader
from podium.articles.models import Article
from podium.topics.models import Topic
session_key = signed_in_reader("lezer@bench.example")
# Disjoint random sets: (a) and (d) take 50; (a′) 10,000; (d′) 10,000 others for each round, so
# that no page or fragment of its articles is kept when it asks for them (not by (a′)'s warm-up,
# not by an earlier round).
drawn = list(Article.objects.published().values_list("slug", flat=True).order_by("?")[:40050])
ids, many = drawn[:50], drawn[50:10050]
cold = [drawn[10050 + 10000 * r : 20050 + 10000 * r] for r in range(3)]
topic = Topic.objects.order_by("?").values_list("slug", flat=True).first()
print(json.dumps({"session": session_key, "slugs": ids, "many": many, "cold": cold, "topic": topic}))
"""


# `--only d`: every published article but SETUP's first 50 ((a) and (d)'s), in random order.
SETUP_D = """
import json
from podium.articles.models import Article
drawn = list(Article.objects.published().values_list("slug", flat=True).order_by("?"))
print(json.dumps(drawn[50:]))
"""


def nginx_conf(workdir: Path, site: Site, static_root: Path, port: int) -> Path:
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    conf = (
        conf.replace("/var/cache/nginx/podium", str(workdir / "nginx-cache"))
        .replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{site.port};")
        .replace("listen 80;", f"listen 127.0.0.1:{port};")
        .replace("/srv/podium/var/static/", f"{static_root}/")
    )
    (workdir / "podium.conf").write_text(conf)
    main = workdir / "nginx.conf"
    main.write_text(
        f"""worker_processes 2;
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    client_body_temp_path {workdir}/nginx-body;
    proxy_temp_path {workdir}/nginx-proxy;
    include {workdir}/podium.conf;
}}
"""
    )
    return main


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--only",
        choices=["h", "a", "d"],
        help="run only this target (h: quickly, on a small site; a: (a), (a′) and (e); "
        "d: (d′) and (e))",
    )
    parser.add_argument("--articles", type=int, default=None, help="100,000 (1,000 with --only h)")
    parser.add_argument("--authors", type=int, default=5_000)
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8)
    # wrk connections; by default 4 per worker: a sync worker serves one request at a time,
    # so more connections only wait in the listen queue and add their wait to the latency.
    parser.add_argument("--connections", type=int, default=None)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--warm", type=int, default=300, help="seconds to fill (a′)'s pages")
    args = parser.parse_args()
    if args.articles is None:
        args.articles = 1_000 if args.only else 100_000
    if args.only == "h":
        if not shutil.which("wrk"):
            raise SystemExit("wrk is needed: scripts/bench-packages")
        only_h(args)
        return
    if args.connections is None:
        args.connections = 4 * args.workers
    if args.only == "a":
        only_a(args)
        return
    if args.only == "d":
        only_d(args)
        return
    args.load_before = os.getloadavg()[0]
    if not shutil.which("wrk") or not Path("/usr/sbin/nginx").exists():
        raise SystemExit("wrk and nginx are needed: scripts/bench-packages")
    redis_url = os.environ.get("BENCH_REDIS_URL", "")
    database_url = os.environ.get("BENCH_DATABASE_URL", "")
    workdir = Path(tempfile.mkdtemp(prefix="podium-bench-web-"))
    workdir.chmod(0o755)  # nginx's workers (another user when started as root) read the static file
    big = Site("big", workdir, redis_url, database_url)
    small = Site("small", workdir, redis_url, database_url)
    nginx: subprocess.Popen[bytes] | None = None
    extra: list[subprocess.Popen[bytes]] = []
    timings: dict[str, float] = {}
    load: dict[str, tuple[float, float, float]] = {"start": os.getloadavg()}
    try:
        for site in (big, small):
            if site.database:
                site.database.create()
        for site, n, authors, subscribers in (
            (big, args.articles, args.authors, args.subscribers),
            (small, 1000, 100, 1000),
        ):
            site.podium("migrate", "--noinput", "-v0")
            site.podium("collectstatic", "--noinput", "-v0")
            started = time.perf_counter()
            print(
                site.podium(
                    "seed",
                    "--articles",
                    str(n),
                    "--authors",
                    str(authors),
                    "--subscribers",
                    str(subscribers),
                    # Cards and article pages with their <picture>, as on the real site: a few
                    # pictures through the images pipeline, shared by all articles (~1 s each).
                    "--header-images",
                    str(HEADER_IMAGES),
                ),
                end="",
            )
            timings[f"seed {n:,}"] = time.perf_counter() - started
            if site.database:
                settle(site.database)
        info = json.loads(big.podium("shell", "-c", SETUP).strip().splitlines()[-1])
        load["seeded"] = os.getloadavg()
        for site in (big, small):
            site.start(args.workers)
        base = f"http://127.0.0.1:{big.port}"
        paths = workdir / "paths.txt"
        paths.write_text("".join(f"/podium/{slug}/\n" for slug in info["many"]))
        cold_paths = []
        for number, slugs in enumerate(info["cold"]):
            cold_paths.append(workdir / f"cold-{number}.txt")
            cold_paths[-1].write_text("".join(f"/podium/{slug}/\n" for slug in slugs))
        # The signed-in reader's browser also returns the CSRF cookie its first page set.
        cookie = f"sessionid={info['session']}"
        cookie += "; csrftoken=" + csrf_cookie(f"{base}/podium/{info['slugs'][0]}/", cookie)
        sample = fetch(f"{base}/podium/{info['slugs'][0]}/")
        size = len(sample)
        static_root = workdir / "static-file"
        static_root.mkdir()
        (static_root / "same-size.html").write_bytes(b"a" * size)
        nginx_port = free_port()
        main_conf = nginx_conf(workdir, big, static_root, nginx_port)
        nginx = subprocess.Popen(
            ["/usr/sbin/nginx", "-p", str(workdir), "-c", str(main_conf), "-g", "daemon off;"]
        )
        front = f"http://127.0.0.1:{nginx_port}"
        wait_for(f"{front}/static/same-size.html")
        # (h): the few-line project and `podium serve` as `make run` starts it, on the big site.
        side_processes, side_by_side = start_side_by_side(
            workdir, big, sample, f"/podium/{info['slugs'][0]}/"
        )
        extra.extend(side_processes)

        targets: dict[str, Target] = {
            "a": (
                "article, anonymous",
                lambda r: f"{base}/podium/{info['slugs'][r % len(info['slugs'])]}/",
                "",
            ),
            "b": (f"home page ({args.articles:,})", lambda r: f"{base}/", ""),
            "b1k": ("home page (1,000)", lambda r: f"http://127.0.0.1:{small.port}/", ""),
            "c": ("topic page", lambda r: f"{base}/onderwerpen/{info['topic']}/", ""),
            "d": (
                "article, signed in",
                lambda r: f"{base}/podium/{info['slugs'][r % len(info['slugs'])]}/",
                cookie,
            ),
            "e": ("bare Django view, same bytes", lambda r: f"{base}/bench/bare/{size}/", ""),
            "f": (
                "article through nginx",
                lambda r: f"{front}/podium/{info['slugs'][r % len(info['slugs'])]}/",
                "",
            ),
            "g": ("nginx static file, same bytes", lambda r: f"{front}/static/same-size.html", ""),
            "a′": ("article, anonymous, random of 10,000", lambda r: f"{base}/", "", str(paths)),
            "d′": (
                "article, signed in, random of 10,000",
                lambda r: f"{base}/",
                cookie,
                lambda r: str(cold_paths[r % len(cold_paths)]),  # each round its own 10,000
            ),
            "b′": (
                f"home page ({args.articles:,}), page cache off",
                lambda r: f"http://127.0.0.1:{big.cold_port}/",
                "",
            ),
            "b′1k": (
                "home page (1,000), page cache off",
                lambda r: f"http://127.0.0.1:{small.cold_port}/",
                "",
            ),
            "c′": (
                "topic page, page cache off",
                lambda r: f"http://127.0.0.1:{big.cold_port}/onderwerpen/{info['topic']}/",
                "",
            ),
        }
        # (a′) measures the shared page cache: fill it with the 10,000 pages first (in order,
        # for at most --warm seconds; the results say how many were reached).
        warmed = wrk(f"{base}/", args.warm, args.connections, "", str(paths), "seq")
        timings["warm-up of (a′)"] = args.warm
        warm_share = min(1.0, warmed["requests"] / len(info["many"]))
        runs: dict[str, list[dict[str, float]]] = {key: [] for key in [*targets, *side_by_side]}
        load["before rounds"] = os.getloadavg()
        for round_no in range(args.rounds):
            for key, (label, url_for, cookie_for, *rest) in targets.items():
                url = url_for(round_no)
                wrk_rest = [part(round_no) if callable(part) else part for part in rest]
                fetch(url, cookie_for)  # the first request of a new random article fills the cache
                # (c′) is a latency target: one connection per worker, so that its median is the
                # server's time per page, not the wait in the listen queue that more connections
                # than workers would add. The throughput targets keep args.connections.
                connections = args.workers if key in LATENCY_TARGETS else args.connections
                result = wrk(url, args.seconds, connections, cookie_for, *wrk_rest)
                runs[key].append(result)
                print(
                    f"round {round_no + 1} {key:>4} {label:<30} {result['rps']:>9.0f} req/s  p50 {result['p50']:.2f} ms  p99 {result['p99']:.2f} ms  errors {result['errors']}"
                )
            run_side_by_side(side_by_side, runs, round_no, args.seconds)
        load["after rounds"] = os.getloadavg()
        rss = big.worker_rss_mb()
        database = "PostgreSQL (throwaway)" if big.database else "SQLite (throwaway)"
        if big.database:
            facts = big.database.server_facts()
            database = f"PostgreSQL {facts['version']} (throwaway databases, same machine)"
        write_results(
            args,
            {
                **{key: target[0] for key, target in targets.items()},
                **{key: target[0] for key, target in side_by_side.items()},
            },
            runs,
            rss,
            size,
            timings,
            redis_url,
            database,
            load,
            warm_share,
        )
    finally:
        if nginx and nginx.poll() is None:
            nginx.send_signal(signal.SIGQUIT)
            nginx.wait(timeout=30)
        for process in extra:
            stop_process(process)
        for site in (big, small):
            site.stop()
            if site.database and not os.environ.get("BENCH_KEEP"):
                site.database.drop()
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(workdir, ignore_errors=True)


def write_results(
    args: argparse.Namespace,
    labels: dict[str, str],
    runs: dict[str, list[dict[str, float]]],
    rss: list[float],
    size: int,
    timings: dict[str, float],
    redis_url: str,
    database: str,
    load: dict[str, tuple[float, float, float]],
    warm_share: float,
) -> None:
    summary = {
        key: {
            "rps": statistics.median(r["rps"] for r in results),
            "p50": statistics.median(r["p50"] for r in results),
            "p99": max(r["p99"] for r in results),
            "errors": sum(r["errors"] for r in results),
            "requests": sum(r["requests"] for r in results),
        }
        for key, results in runs.items()
    }
    e, g = summary["e"]["rps"], summary["g"]["rps"]
    h = summary["h-serve"]["rps"] / summary["h-tiny"]["rps"]
    checks = [
        (
            "anonymous article, random of 10,000 ≥ 0.6 × bare view (a′/e)",
            summary["a′"]["rps"] / e,
            0.6,
        ),
        (
            "signed-in article, random of 10,000 ≥ 0.10 × bare view (d′/e)",
            summary["d′"]["rps"] / e,
            0.10,
        ),
        (
            "home 100,000 ≥ 0.9 × home 1,000, page cache off (b′)",
            summary["b′"]["rps"] / summary["b′1k"]["rps"],
            0.9,
        ),
        ("`podium serve` ≥ 0.85 × few-line project (h)", h, 0.85),
        ("anonymous article ≥ 0.85 × bare view (a/e)", summary["a"]["rps"] / e, 0.85),
        ("signed-in article ≥ 0.15 × bare view (d/e)", summary["d"]["rps"] / e, 0.15),
        ("through nginx ≥ 0.5 × static file (f/g)", summary["f"]["rps"] / g, 0.5),
        (
            "home 100,000 ≥ 0.9 × home 1,000 (b/b1k)",
            summary["b"]["rps"] / summary["b1k"]["rps"],
            0.9,
        ),
    ]
    lines = [
        "# Web: readers at scale",
        "",
        f"`make {'bench-web-postgres' if database.startswith('PostgreSQL') else 'bench-web'}` (`python bench/web.py --articles {args.articles} --rounds {args.rounds} "
        f"--seconds {args.seconds} --connections {args.connections}`), {time.strftime('%Y-%m-%d %H:%M')}, "
        f"{os.cpu_count()} CPUs, load average before the run {args.load_before:.1f}. gunicorn with {args.workers} sync workers, "
        f"the production settings, {database}, page cache in {'Redis' if redis_url else 'SQLite files of its own (diskcache, the embedded default)'}; "
        f"wrk -t2 -c{args.connections}, {args.rounds} interleaved rounds of {args.seconds} s per target (req/s: median of the rounds; "
        f"p50: median; p99: worst round). Article page: {size:,} bytes.",
        "",
        f"Connections: {args.connections} ({args.connections / args.workers:g} per worker). A sync worker "
        "answers one request at a time; further connections only wait in the listen queue, which adds "
        "their wait to every latency without adding throughput. (d) sends the session cookie and the "
        "CSRF cookie its first page set, as a browser does. (c′), a latency target (its median, "
        f"not its throughput, is judged), is measured with one connection per worker (wrk "
        f"-c{args.workers}), so that its p50 is the server's time per page and holds no wait in "
        "the listen queue made by the benchmark itself; every other target uses "
        f"{args.connections} connections.",
        "",
        "| target | req/s | p50 (ms) | p99 (ms) | errors | ÷ (e) | ÷ (g) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for key, label in labels.items():
        s = summary[key]
        lines.append(
            f"| ({key}) {label} | {s['rps']:,.0f} | {s['p50']:.2f} | {s['p99']:.2f} | {s['errors']} | {s['rps'] / e:.2f} | {s['rps'] / g:.2f} |"
        )
    lines += ["", "| target | ratio | goal | met |", "| --- | ---: | ---: | --- |"]
    for label, value, goal in checks:
        lines.append(f"| {label} | {value:.2f} | {goal} | {'yes' if value >= goal else 'NO'} |")
    p99a = summary["a"]["p99"]
    errors = sum(s["errors"] for s in summary.values())
    lines.append(
        f"| p99 of (a) under 50 ms | {p99a:.1f} ms | 50 ms | {'yes' if p99a < 50 else 'NO'} |"
    )
    lines.append(f"| errors | {errors} | 0 | {'yes' if errors == 0 else 'NO'} |")
    p50c = summary["c′"]["p50"]
    lines.append(
        f"| list page (topic) with the page cache off, median ≤ 20 ms (c′) | {p50c:.1f} ms | 20 ms | {'yes' if p50c <= 20 else 'NO'} |"
    )
    biggest = max(rss, default=0.0)
    lines.append(
        f"| worker RSS after the run | {', '.join(f'{m:.0f} MB' for m in rss)} | < 150 MB | {'yes' if biggest < 150 else 'NO'} |"
    )
    lines += [
        "",
        "Load average (1/5/15 min): "
        + "; ".join(f"{k} {a:.1f}/{b:.1f}/{c:.1f}" for k, (a, b, c) in load.items())
        + f" (the machine has {os.cpu_count()} CPUs and is shared).",
        "",
        f"(a′) was preceded by a warm-up that requested the 10,000 pages in order for {args.warm} s "
        f"and reached {warm_share:.0%} of them (the rest are rendered on their first request "
        "during the rounds). (d′) has no warm-up and asks, in each round, for articles of its own "
        "10,000 that nothing requested before (not the warm-up, not (a′), not an earlier round): "
        "no page and no fragment of them is kept when the round starts.",
        "",
        "(h) runs the two servers in turn within each round (the order reversed every other round) "
        "with wrk -t2 -c32; `podium serve` starts its default number of gunicorn workers and the "
        "background worker (lower priority), the yardstick 2 sync workers; both serve the same "
        "bytes (the anonymous article page). Server CPU per request (median; the process tree's "
        f"user + system time over the requests served): `podium serve` "
        f"{statistics.median(r.get('cpu_us', 0) for r in runs['h-serve']):.0f} µs, the few-line "
        f"project {statistics.median(r.get('cpu_us', 0) for r in runs['h-tiny']):.0f} µs.",
    ]
    lines += ["", "Seeding: " + "; ".join(f"{k}: {v:.0f} s" for k, v in timings.items()) + ".", ""]
    print("\n".join(lines))
    results = RESULTS_POSTGRES if database.startswith("PostgreSQL") else RESULTS
    # The notes (history, explanations) written by people stay below the new figures.
    notes = ""
    if results.exists() and f"\n{NOTES}\n" in results.read_text():
        notes = f"{NOTES}\n" + results.read_text().split(f"\n{NOTES}\n", 1)[1]
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text("\n".join(lines) + ("\n" + notes if notes else ""))


if __name__ == "__main__":
    main()
