"""`podium serve`: the production web server (gunicorn) and the background worker, together.

One command for the embedded set-up: it starts both as child processes, forwards Ctrl-C and
SIGTERM to them, and stops the other when one of them dies, so nothing is left running."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from podium.core.site import sync_site, url_for_bind

WORKER_NICENESS = 10  # the background worker runs at a lower priority than the web workers
# Threads per web process: while one request waits (on PostgreSQL, Redis, a slow client) another
# runs; the pages themselves are CPU-bound, so more would only queue inside the process.
DEFAULT_THREADS = 4


def cores() -> int:
    """The CPUs this process may run on (a container or taskset may allow fewer than the
    machine has)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def default_workers() -> int:
    """One web process per core: the pages are CPU-bound, so more processes only take turns on
    the same cores (each switch costs, each process its own memory and caches). The threads
    (`DEFAULT_THREADS`) cover the waits. Measured by bench/web.py target (h)."""
    return cores()


def lower_priority(pid: int) -> None:
    """The background worker gets CPU only when the web workers leave some: niced, and on Linux
    SCHED_IDLE, the scheduler's lowest weight (still not starved: an idle-class task keeps a
    sliver of a busy CPU)."""
    os.setpriority(os.PRIO_PROCESS, pid, WORKER_NICENESS)
    if hasattr(os, "sched_setscheduler") and hasattr(os, "SCHED_IDLE"):
        with contextlib.suppress(OSError):  # not allowed here (some sandboxes): nice alone
            os.sched_setscheduler(pid, os.SCHED_IDLE, os.sched_param(0))


def child_environment(environ: Mapping[str, str], *, host: str, port: int) -> dict[str, str]:
    """The web server's and the worker's environment: SITE_URL, unless set, is the address served,
    so the links in e-mails point where the site really is (`PORT=8080 make run`)."""
    env = dict(environ)
    if not env.get("SITE_URL"):
        env["SITE_URL"] = url_for_bind(host, port)
    return env


def web_command(
    *, bind: str, workers: int, access_log: bool, threads: int = DEFAULT_THREADS
) -> list[str]:
    """gunicorn's command line: threaded workers ("gthread"), which keep a connection open for the
    next request (browsers, and nginx's upstream keep-alive in deploy/nginx.conf) where sync
    workers close it after every answer and each request pays a new TCP connection on both sides;
    no line per request unless asked for (formatting and writing it costs every request; nginx
    logs in production)."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "podium.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        *(["--access-logfile", "-"] if access_log else []),
        "--forwarded-allow-ips",
        "127.0.0.1",
        "--timeout",
        "30",
    ]


class Command(BaseCommand):
    help = "Run the production web server and the background worker until interrupted."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", default_workers()))
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=DEFAULT_THREADS,
            help="Threads per web process.",
        )
        parser.add_argument("--no-worker", action="store_true", help="Start only the web server.")
        parser.add_argument(
            "--access-log",
            action="store_true",
            help="Print a line per request (nginx logs them in production).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from podium.core import freshness

        # Pages cached by an earlier run may come from other templates or other data (`podium
        # demo`, a restore): readers see what is there now.
        freshness.readers_see_change_on_commit()
        env = child_environment(os.environ, host=options["host"], port=options["port"])
        sync_site(env["SITE_URL"])
        bind = f"{options['host']}:{options['port']}"
        web = web_command(
            bind=bind,
            workers=options["workers"],
            threads=options["threads"],
            access_log=options["access_log"],
        )
        # `podium worker` is db_worker on every queue, after handing out unfinished newsletter sends.
        worker = [sys.executable, "-m", "podium", "worker"]
        # (name for messages, process); the argv lists are fixed: this interpreter and our own options.
        children: list[tuple[str, subprocess.Popen[bytes]]] = [
            (web[2], subprocess.Popen(web, env=env))  # noqa: S603
        ]
        if not options["no_worker"]:
            background = subprocess.Popen(worker, env=env)  # noqa: S603
            # Readers first: the worker's tasks (e-mails, upkeep) can wait a moment, a page cannot.
            lower_priority(background.pid)
            children.append((worker[2], background))
        running = _("Podium is running at %(url)s  (Ctrl-C stops it)") % {"url": f"http://{bind}/"}
        self.stdout.write(self.style.SUCCESS(running))

        stopping = False

        def stop(signum: int, _frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        exit_code = 0
        try:
            while not stopping:
                for name, child in children:
                    code = child.poll()
                    if code is not None:
                        self.stderr.write(f"{name} exited with {code}; stopping.")
                        exit_code = code or 1
                        stopping = True
                time.sleep(0.3)
        finally:
            for _name, child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 15
            for _name, child in children:
                try:
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    child.kill()
        if exit_code:
            sys.exit(exit_code)
