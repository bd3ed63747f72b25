"""Readers and writers at once: 200 readers and 20 writers for 60 s against the production server
on PostgreSQL, with zero 5xx and zero lost writes (issue 9).

    make bench-load
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/podium_load LOAD_REDIS_URL=redis://127.0.0.1:6379/13 make bench-load
    .venv/bin/python bench/load.py --readers 50 --writers 5 --seconds 20     # a short look

What it does, all on 127.0.0.1:

1. creates the throwaway PostgreSQL database named by DATABASE_URL (default
   postgres://postgres@127.0.0.1:5432/podium_load; it refuses to touch one that already exists),
   migrates it, seeds `--articles` articles (`podium seed`) and creates `--writers` contributors
   with verified addresses and three drafts each (through the articles service);
2. flushes the Redis database of LOAD_REDIS_URL (default redis://127.0.0.1:6379/13) and starts
   `podium serve` (gunicorn with workers from the CPU count, and the background worker) with the
   production settings: DEBUG off, a real SECRET_KEY, the page cache in Redis;
3. runs locust headless (bench/locustfile_load.py): the readers browse the home page, articles
   (with the view beacon), topic and author pages, the article list, search and feeds; the writers
   sign in through the login form (CSRF) and keep saving their drafts by autosave and the edit
   form, each save with a unique marker, and now and then from an "old tab" (a version that is no
   longer current), which must be refused with 409. Everyone is up within `--spawn-seconds`;
4. stops the server, compares the writers' log with the database (bench/load_check.py says what an
   accepted save is) and drops the database;
5. writes bench/results/load.md and exits non-zero when a requirement fails.

The check bites: with the row lock and the version check taken out of `services.save_draft`
(a copy of src/ on PYTHONPATH), a 40-second run with 5 writers reported 14 lost writes, 7 pairs
of simultaneous saves both accepted and 6 saves from an old version accepted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

from _support import Database, free_port, wait_for
from load_check import (
    CONFLICT,
    RACE_BOTH,
    RACE_REFUSED,
    REFUSED,
    STALE_ACCEPTED,
    STALE_REFUSED,
    UNKNOWN,
    Stored,
    Verdict,
    check_writes,
)

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "load.md"
PY = sys.executable
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/podium_load"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"

SETUP = """
import json, os, random, secrets
from django.db.models import Count, Q
from podium.accounts.models import User
from podium.articles import services
from podium.articles.models import Article
from podium.topics.models import Topic

writers, topics = int(os.environ["LOAD_WRITERS"]), list(Topic.objects.all())
random.seed(9)
paragraph = (
    "<p>Wie vandaag een team leidt, merkt dat de vragen sneller komen dan de antwoorden. "
    "Dat is geen reden tot paniek, wel tot een andere manier van werken.</p>"
)
accounts = []
for n in range(1, writers + 1):
    email, password = f"schrijver{n}@load.podium.example", secrets.token_urlsafe(16)
    user = User.objects.create_user(
        email, password, display_name=f"Schrijver {n}", slug=f"schrijver-{n}",
        bio=f"Schrijver {n} schrijft voor de belastingproef van Podium.",
    )
    user.emailaddress_set.create(email=email, verified=True, primary=True)
    drafts = [
        services.save_draft(by=user, text=services.ArticleText(
            title=f"Concept {d} van schrijver {n}", lead="Een inleiding van twee zinnen. Echt waar.",
            body=paragraph * 3, topics=[random.choice(topics)],
        ))
        for d in range(1, 4)
    ]
    accounts.append({"number": n, "email": email, "password": password,
                     "drafts": [a.pk for a in drafts], "versions": {a.pk: a.version for a in drafts}})
published = Article.objects.published()
articles = list(published.order_by("?").values_list("slug", "pk")[:3000])
authors = list(
    User.objects.annotate(n=Count("articles", filter=Q(articles__state="published")))
    .filter(n__gt=0).exclude(slug=None).order_by("?").values_list("slug", flat=True)[:500]
)
titles = published.order_by("?").values_list("title", flat=True)[:200]
words = sorted({w.strip(",.?!:;").lower() for t in titles for w in t.split() if len(w) > 5})
print(json.dumps({"writers": accounts, "articles": articles, "authors": authors,
                  "topics": [t.slug for t in topics], "words": words[:300]}))
"""


class ConnectionSampler(threading.Thread):
    """The number of PostgreSQL connections to the database, once a second; keeps the peak."""

    def __init__(self, db: Database) -> None:
        super().__init__(daemon=True)
        self.db, self.peak, self.stopping = db, 0, threading.Event()

    def run(self) -> None:
        with self.db.psycopg.connect(self.db.admin, autocommit=True, connect_timeout=5) as conn:
            while not self.stopping.wait(1.0):
                row = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [self.db.name]
                ).fetchone()
                self.peak = max(self.peak, int(row[0]) if row else 0)


def flush_redis(url: str) -> None:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=3)
        client.ping()
        client.flushdb()
    except redis.RedisError as exc:
        raise SystemExit(f"Redis is not reachable at {url}: {exc}") from None


def run_podium(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [PY, "-m", "podium", *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise SystemExit(f"podium {' '.join(args[:2])} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def warm_up(base: str, data: dict[str, Any], rounds: int) -> None:
    """A few requests of each kind first, so that no worker's first page (imports, templates) is
    counted: production workers have long been warm when the readers come."""
    paths = ["/", "/podium/", "/feed/", "/account/login/", "/zoeken/?q=" + data["words"][0]]
    for n in range(rounds):
        paths += [
            f"/podium/{data['articles'][n][0]}/",
            f"/onderwerpen/{data['topics'][n % len(data['topics'])]}/",
            f"/auteurs/{data['authors'][n % len(data['authors'])]}/",
        ]
    for _ in range(rounds):
        for path in paths[:5]:
            urllib.request.urlopen(base + path, timeout=60).read()  # noqa: S310 (127.0.0.1 only)
    for path in paths[5:]:
        urllib.request.urlopen(base + path, timeout=60).read()  # noqa: S310


# gunicorn's access log with the time each request took inside the server (%(M)s, ms): the
# difference to what locust measured is time spent waiting for a free worker.
ACCESS_FORMAT = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)s'
ACCESS = re.compile(
    r'\] "(?P<method>[A-Z]+) (?P<path>\S+) [^"]*" (?P<status>\d{3}) \S+(?: (?P<ms>\d+))?$'
)
KINDS = [  # (method, path pattern, the locust name of the same requests)
    ("GET", r"/", "read: home"),
    ("GET", r"/podium/", "read: article list"),
    ("GET", r"/podium/[^/]+/", "read: article"),
    ("POST", r"/lezers/signaal/", "read: beacon"),
    ("GET", r"/onderwerpen/[^/]+/\?pagina=\d+", "read: topic page 2+"),
    ("GET", r"/onderwerpen/[^/]+/", "read: topic"),
    ("GET", r"/auteurs/[^/]+/", "read: author"),
    ("GET", r"/zoeken/\?.*", "read: search"),
    ("GET", r"(/feed/|/onderwerpen/[^/]+/feed/|/auteurs/[^/]+/feed/atom/)", "read: feed"),
    ("GET", r"/account/login/", "write: login page"),
    ("POST", r"/account/login/", "write: login"),
    ("GET", r"/profiel/activiteiten/\d+/", "write: edit page"),
    ("POST", r"/profiel/activiteiten/\d+/", "write: save form"),
    ("POST", r"/profiel/activiteiten/\d+/autosave/", "write: autosave"),
]


def kind_of(method: str, path: str) -> str:
    for kind_method, pattern, name in KINDS:
        if method == kind_method and re.fullmatch(pattern, path):
            return name
    return f"other: {method} {path.split('?')[0]}"


def read_access_log(access_log: Path, offset: int) -> tuple[Counter[str], dict[str, list[int]]]:
    """What the server itself answered (status counts; "5xx METHOD PATH" for each 5xx) and how
    long each kind of request took inside it, from `offset` (bytes) on."""
    counts: Counter[str] = Counter()
    times: dict[str, list[int]] = {}
    with access_log.open("rb") as log:
        log.seek(offset)
        text = log.read().decode(errors="replace")
    for line in text.splitlines():
        match = ACCESS.search(line)
        if not match:
            continue
        status = match["status"]
        counts[status] += 1
        if status.startswith("5"):
            counts[f"5xx {match['method']} {match['path'].split('?')[0]}"] += 1
        if match["ms"] is not None:
            times.setdefault(kind_of(match["method"], match["path"]), []).append(int(match["ms"]))
    return counts, times


def percentile(values: list[int], share: float) -> float:
    ordered = sorted(values)
    return float(ordered[min(len(ordered) - 1, int(share * len(ordered)))]) if ordered else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--readers", type=int, default=200)
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--spawn-seconds", type=float, default=10)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--authors", type=int, default=500)
    parser.add_argument(
        "--workers", type=int, default=0, help="gunicorn workers (default: podium serve's)"
    )
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()

    db = Database(os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)
    redis_url = os.environ.get("LOAD_REDIS_URL", DEFAULT_REDIS_URL)
    workdir = Path(tempfile.mkdtemp(prefix="podium-bench-load-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "podium.settings",
        "PODIUM_VAR_DIR": str(workdir / "var"),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": db.url,
        "REDIS_URL": redis_url,
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        "GUNICORN_CMD_ARGS": f"--access-logformat {shlex.quote(ACCESS_FORMAT)}",
        # Its notifications go to files, as before the production default became SMTP.
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
    }
    for name in ("PODIUM_EMBEDDED", "WEB_CONCURRENCY", "PODIUM_PAGE_CACHE"):
        env.pop(name, None)  # the production profile, as the README's checklist sets it
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    facts: dict[str, Any] = {"cpus": os.cpu_count(), "python": platform.python_version()}
    server: subprocess.Popen[bytes] | None = None
    sampler: ConnectionSampler | None = None
    redis_used = False
    try:
        db.create()
        facts["postgres"] = db.server_facts()
        flush_redis(redis_url)
        redis_used = True
        print(f"Database {db.name} created; seeding {args.articles:,} articles …", flush=True)
        run_podium(env, "migrate", "--noinput", "-v0")
        run_podium(env, "collectstatic", "--noinput", "-v0")
        started = time.perf_counter()
        run_podium(
            env, "seed", "--articles", str(args.articles), "--authors", str(args.authors),
            "--subscribers", "1000",
        )  # fmt: skip
        facts["seed_seconds"] = time.perf_counter() - started
        setup_env = {**env, "LOAD_WRITERS": str(args.writers)}
        data = json.loads(run_podium(setup_env, "shell", "-c", SETUP).strip().splitlines()[-1])
        data_file = workdir / "data.json"
        data_file.write_text(json.dumps(data))
        initial = {int(pk): v for w in data["writers"] for pk, v in w["versions"].items()}

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        access_log, error_log = workdir / "access.log", workdir / "server.log"
        with access_log.open("wb") as out, error_log.open("wb") as err:
            server = subprocess.Popen(
                [PY, "-m", "podium", "serve", "--port", str(port)],
                env=env,
                stdout=out,
                stderr=err,
                start_new_session=True,
            )
        wait_for(f"{base}/gezondheid/")
        facts["gunicorn_workers"] = _gunicorn_workers(server.pid)
        warm_up(base, data, rounds=2 * facts["gunicorn_workers"])
        facts["load_before"] = os.getloadavg()
        sampler = ConnectionSampler(db)
        sampler.start()
        out_dir = workdir / "locust"
        out_dir.mkdir()
        users = args.readers + args.writers
        command = [
            PY, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile_load.py"), "--headless",
            "--host", base, "--users", str(users),
            "--spawn-rate", f"{users / args.spawn_seconds:.2f}",
            "--run-time", f"{args.seconds}s", "--stop-timeout", "15", "--only-summary",
            "--loglevel", "WARNING",
        ]  # fmt: skip
        print(
            f"locust: {args.readers} readers + {args.writers} writers for {args.seconds} s "
            f"against {base} ({facts['gunicorn_workers']} gunicorn workers) …",
            flush=True,
        )
        locust_env = {
            **os.environ,
            "PYTHONPATH": str(ROOT / "bench"),
            "LOAD_DATA": str(data_file),
            "LOAD_OUT": str(out_dir),
            "LOAD_READERS": str(args.readers),
            "LOAD_WRITERS": str(args.writers),
        }
        log_offset = access_log.stat().st_size  # the warm-up's requests are not counted
        cpu_before = _cpu_seconds()
        server_before = _process_cpu(_tree(server.pid))
        pg_before = _process_cpu(_postgres_backends(db.name))
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall = time.perf_counter()
        locust = subprocess.run(
            command, env=locust_env, capture_output=True, text=True, check=False
        )
        facts["wall_seconds"] = time.perf_counter() - wall
        facts["cpu_seconds"] = _cpu_seconds() - cpu_before
        children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        facts["cpu_locust"] = (children_after.ru_utime - children_before.ru_utime) + (
            children_after.ru_stime - children_before.ru_stime
        )
        facts["cpu_server"] = _cpu_delta(server_before, _process_cpu(_tree(server.pid)))
        facts["cpu_postgres"] = _cpu_delta(pg_before, _process_cpu(_postgres_backends(db.name)))
        facts["load_after"] = os.getloadavg()
        sampler.stopping.set()
        (workdir / "locust.log").write_text(locust.stdout + locust.stderr)
        figures_file = out_dir / "figures.json"
        if not figures_file.exists():
            print(locust.stdout[-3000:], locust.stderr[-3000:], sep="\n")
            raise SystemExit("locust did not finish (no figures); see its output above")
        figures = json.loads(figures_file.read_text())
        figures["locust_cpu_warning"] = "CPU usage" in locust.stderr

        _stop(server)
        saves = [
            json.loads(line) for line in (out_dir / "saves.jsonl").read_text().splitlines() if line
        ]
        rows = db.query(
            "SELECT id, version, title, lead, body FROM articles_article WHERE id = ANY(%s)",
            [list(initial)],
        )
        stored = {
            int(pk): Stored(version=int(v), text=f"{t}\n{lead}\n{body}")
            for pk, v, t, lead, body in rows
        }
        verdict = check_writes(saves, stored, initial)
        facts["peak_connections"] = sampler.peak
        server_log = error_log.read_text(errors="replace")
        facts["worker_timeouts"] = server_log.count("WORKER TIMEOUT")
        facts["tracebacks"] = server_log.count("Traceback")
        passed = write_results(
            args, facts, figures, *read_access_log(access_log, log_offset), verdict, server_log
        )
    finally:
        if sampler:
            sampler.stopping.set()
        if server:
            _stop(server)
        db.drop()
        if redis_used:
            flush_redis(redis_url)  # leave the Redis database as empty as it was made
        if os.environ.get("BENCH_KEEP"):
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0 if passed else 1


def _gunicorn_workers(serve: int) -> int:
    """How many workers gunicorn (a child of `podium serve`) runs."""
    for child in _children(serve):
        if b"gunicorn" in Path(f"/proc/{child}/cmdline").read_bytes():
            return len(_children(child))
    return 0


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _tree(pid: int) -> list[int]:
    """`pid` and all its descendants."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(_children(current))
    return found


def _postgres_backends(database: str) -> list[int]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text.startswith("postgres: ") and f" {database} " in text:
            found.append(int(cmdline.parent.name))
    return found


def _process_cpu(pids: list[int]) -> dict[int, float]:
    """User + system CPU seconds of each live process."""
    tick = os.sysconf("SC_CLK_TCK")
    cpu = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        cpu[pid] = (int(fields[11]) + int(fields[12])) / tick
    return cpu


def _cpu_delta(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def _cpu_seconds() -> float:
    """CPU time of the whole machine (all processes, user + system), from /proc/stat."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system = (int(x) for x in fields[:3])
    return (user + nice + system) / os.sysconf("SC_CLK_TCK")


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)  # our own session: serve, gunicorn, the worker
            server.wait(timeout=10)


def _ms(value: object) -> str:
    return f"{float(value):,.0f}" if value is not None else "–"  # type: ignore[arg-type]


def write_results(
    args: argparse.Namespace,
    facts: dict[str, Any],
    figures: dict[str, Any],
    server: Counter[str],
    server_times: dict[str, list[int]],
    verdict: Verdict,
    server_log: str,
) -> bool:
    statuses: dict[str, dict[str, int]] = figures["statuses"]

    def count(name: str, test: Any) -> int:
        return sum(n for code, n in statuses.get(name, {}).items() if test(int(code)))

    names = sorted(statuses)
    client_5xx = {name: count(name, lambda c: c >= 500) for name in names}
    dropped = {name: count(name, lambda c: c == 0) for name in names}
    failures = {row["name"]: row["failures"] for row in figures["endpoints"]}
    other = {
        name: max(0, failures.get(name, 0) - client_5xx[name] - dropped[name]) for name in names
    }

    def inside(name: str) -> str:
        times = server_times.get(name)
        if not times or name.endswith("after save"):
            return "–"
        return f"{percentile(times, 0.5):,.0f} / {percentile(times, 0.99):,.0f}"

    server_5xx = sum(n for code, n in server.items() if code[:1] == "5" and code.isdigit())
    out = verdict.by_outcome
    stale_total = out[STALE_REFUSED] + out[STALE_ACCEPTED]
    requirements = [
        (
            "zero 5xx (as locust saw them, and in gunicorn's access log)",
            f"{sum(client_5xx.values())} / {server_5xx}",
            sum(client_5xx.values()) == 0 and server_5xx == 0,
        ),
        (
            "no dropped connections or timeouts (behind nginx they would be 502/504)",
            f"{sum(dropped.values())}, worker timeouts {facts['worker_timeouts']}",
            sum(dropped.values()) == 0 and facts["worker_timeouts"] == 0,
        ),
        ("zero lost writes (accepted saves missing from the database)", str(len(verdict.lost)), not verdict.lost),
        ("zero leaked writes (refused or conflicting saves found in the database)", str(len(verdict.leaked)), not verdict.leaked),
        ("stored versions account for the accepted saves", str(len(verdict.version_problems)) + " problems", not verdict.version_problems),
        ("every save from an old version refused with 409", f"{out[STALE_REFUSED]} of {stale_total}", out[STALE_ACCEPTED] == 0),
        ("of two saves of one version sent at once, never both accepted", f"{out[RACE_REFUSED]} pairs, one refused; {out[RACE_BOTH]} both accepted", out[RACE_BOTH] == 0),
        (
            "every writer had saves accepted",
            f"{len(verdict.writers)} of {args.writers}",
            len(verdict.writers) == args.writers,
        ),
        ("no other errors (4xx, failed sign-in, missing form)", str(sum(other.values())), sum(other.values()) == 0),
    ]  # fmt: skip
    passed = all(ok for _label, _value, ok in requirements)
    load_before, load_after = facts["load_before"], facts["load_after"]
    pg = facts["postgres"]
    duration = max(1e-9, figures["last_request"] - figures["started"])
    lines = [
        "# Load: readers and writers at once on PostgreSQL",
        "",
        f"**{'PASS' if passed else 'FAIL'}** — `make bench-load` (`python bench/load.py --readers {args.readers} "
        f"--writers {args.writers} --seconds {args.seconds} --articles {args.articles}`), "
        f"{time.strftime('%Y-%m-%d %H:%M')}.",
        "",
        f"Machine: {facts['cpus']} CPU cores, shared with other work; load average (1/5/15 min) "
        f"before the run {_load(load_before)}, after {_load(load_after)}; the whole machine used "
        f"{facts['cpu_seconds']:.0f} CPU-seconds in {facts['wall_seconds']:.0f} s "
        f"({facts['cpu_seconds'] / facts['wall_seconds'] / (facts['cpus'] or 1):.0%} of its cores): "
        f"the server (gunicorn workers, background worker) {facts['cpu_server']:.0f}, its PostgreSQL "
        f"backends {facts['cpu_postgres']:.0f}, locust {facts['cpu_locust']:.0f}, everything else "
        f"(Redis, other work on the machine) {facts['cpu_seconds'] - facts['cpu_server'] - facts['cpu_postgres'] - facts['cpu_locust']:.0f}. "
        f"Python {facts['python']}, PostgreSQL {pg['version']} (max_connections {pg['max']}; peak "
        f"{facts['peak_connections']} connections to the database during the run), Redis for the caches.",
        "",
        f"Server: `podium serve` (gunicorn, {facts['gunicorn_workers']} sync workers from the CPU "
        f"count, timeout 30 s, plus the background worker), production settings (DEBUG off, page "
        f"cache on, in Redis), a throwaway database seeded with {args.articles:,} articles and "
        f"{args.authors:,} authors in {facts['seed_seconds']:.0f} s, plus {args.writers} writers "
        f"with three drafts each. Load: locust {args.readers} readers + {args.writers} writers, all "
        f"up within {args.spawn_seconds:.0f} s, {args.seconds} s in all. Readers wait 1–4 s between "
        f"pages and reach three articles in four through a link on the page they are on (the rest "
        f"at any of 3,000 published articles, as from a search engine); each article page sends its "
        f"view beacon. Writers sign in, open a draft, and save every 1–3 s: of ten saves six by "
        f"autosave, two through the edit form, one from an old version (another tab), and once two "
        f"autosaves of the same version at the same moment (two tabs at once). "
        f"Everything on 127.0.0.1, no nginx in front."
        + (
            " locust warned that its own CPU use was high: the load generator shares the cores."
            if figures.get("locust_cpu_warning")
            else ""
        ),
        "",
        "## Requirements",
        "",
        "| requirement | measured | result |",
        "| --- | ---: | --- |",
    ]
    lines += [
        f"| {label} | {value} | {'PASS' if ok else 'FAIL'} |" for label, value, ok in requirements
    ]
    lines += [
        "",
        "## Per kind",
        "",
        "| kind | requests | req/s | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | failures |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in [*figures["kinds"], {**figures["total"], "name": "all"}]:
        lines.append(
            f"| {row['name']} | {row['requests']:,} | {row['requests'] / duration:,.1f} | {_ms(row['p50'])} "
            f"| {_ms(row['p95'])} | {_ms(row['p99'])} | {_ms(row['max'])} | {row['failures']} |"
        )
    lines += [
        "",
        "## Per endpoint",
        "",
        "Times as locust saw them (waiting for a free worker included); *in server*: the time "
        "inside gunicorn's worker (its access log), p50 / p99.",
        "",
        "| endpoint | requests | req/s | p50 (ms) | p95 (ms) | p99 (ms) | in server (ms) | 5xx | dropped | other errors | answers |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in figures["endpoints"]:
        name = row["name"]
        answers = ", ".join(
            f"{code or 'none'}: {n:,}" for code, n in sorted(statuses.get(name, {}).items())
        )
        lines.append(
            f"| {name} | {row['requests']:,} | {row['requests'] / duration:,.1f} | {_ms(row['p50'])} | "
            f"{_ms(row['p95'])} | {_ms(row['p99'])} | {inside(name)} | {client_5xx.get(name, 0)} | {dropped.get(name, 0)} | "
            f"{other.get(name, 0)} | {answers} |"
        )
    autosaves = verdict.accepted_via["autosave"]
    lines += [
        "",
        "## Writes",
        "",
        f"- accepted saves: {verdict.accepted:,} ({autosaves:,} autosaves, "
        f"{verdict.accepted - autosaves:,} through the edit form); each is in the database afterwards "
        f"unless listed as lost below",
        f"- conflicts on a save from the current version (409, not expected with one writer per draft): {out[CONFLICT]}",
        f"- saves from an old version (another tab): {stale_total}, refused with 409: {out[STALE_REFUSED]}",
        f"- two autosaves of one version at once: {out[RACE_REFUSED]} pairs with one accepted and one refused (409), "
        f"{out[RACE_BOTH]} with both accepted",
        f"- refused by validation: {out[REFUSED]}; outcome unknown (5xx, timeout, in flight at the end): {out[UNKNOWN]}",
        f"- lost: {len(verdict.lost)}; leaked: {len(verdict.leaked)}; version problems: {len(verdict.version_problems)}",
    ]
    for problem in [*verdict.lost[:10], *verdict.leaked[:10], *verdict.version_problems[:10]]:
        lines.append(f"  - {problem}")
    errors = figures.get("errors", [])
    if errors:
        lines += ["", "## Errors reported by locust", ""]
        lines += [f"- {e['name']}: {e['error']} ({e['occurrences']}×)" for e in errors[:20]]
    five = sorted((k, n) for k, n in server.items() if k.startswith("5xx "))
    if five or facts["tracebacks"]:
        lines += ["", "## Server side", ""]
        lines += [f"- {k}: {n}" for k, n in five[:20]]
        if facts["tracebacks"]:
            first = server_log[server_log.index("Traceback") :][:1500]
            lines += [
                f"- {facts['tracebacks']} tracebacks in the server log; the first:",
                "",
                "```",
                first,
                "```",
            ]
    lines += [
        "",
        "What counts as an accepted save, a lost write and a leaked write: see the docstring of "
        "`bench/load_check.py`. In short: an autosave answered 200 with its new version, or an "
        "edit-form save answered with the 302 back to the edit page; its unique marker must be in "
        "the article's stored text afterwards (drafts keep no revisions, and every save builds on "
        "the text the writer last had accepted).",
        "",
    ]
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text("\n".join(lines))
    print("\n".join(lines))
    return passed


def _load(values: tuple[float, float, float]) -> str:
    return " / ".join(f"{v:.1f}" for v in values)


if __name__ == "__main__":
    sys.exit(main())
