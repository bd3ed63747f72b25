"""`podium serve`: what `make run` starts (target (h) of bench-web)."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.core.management import call_command

from podium.core.management.commands import serve
from podium.core.management.commands.serve import (
    DEFAULT_THREADS,
    WORKER_NICENESS,
    default_workers,
    web_command,
)


def test_one_web_process_per_core_with_threads(monkeypatch):
    """The pages are CPU-bound: more processes than cores only take turns (target (h) of
    bench/web.py measured 5 sync workers on 2 cores at 0.4 of a 2-worker site). Threaded workers
    keep connections open between requests (a sync worker closes each one)."""
    monkeypatch.setattr(serve.os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    assert default_workers() == 2
    command = web_command(bind="127.0.0.1:8000", workers=2, access_log=False)
    assert command[command.index("--worker-class") + 1] == "gthread"
    assert command[command.index("--threads") + 1] == str(DEFAULT_THREADS)
    assert (
        web_command(bind="127.0.0.1:8000", workers=2, access_log=False, threads=1)[
            command.index("--threads") + 1
        ]
        == "1"
    )


@pytest.mark.django_db
def test_serve_passes_its_defaults_to_gunicorn(monkeypatch):
    started: list[list[str]] = []

    class Child:
        def __init__(self, argv: list[str], **_: Any) -> None:
            started.append(argv)
            self.pid = 1000 + len(started)

        def poll(self) -> int:
            return 0

        def send_signal(self, _signal: int) -> None: ...

        def wait(self, timeout: float) -> int:
            return 0

    monkeypatch.setattr(serve, "sync_site", lambda url: None)
    monkeypatch.setattr(serve.subprocess, "Popen", Child)
    monkeypatch.setattr(serve.signal, "signal", lambda *a: None)
    monkeypatch.setattr(serve.os, "sched_getaffinity", lambda _pid: {0, 1, 2}, raising=False)
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    with pytest.raises(SystemExit):
        call_command("serve", "--port", "8123", "--no-worker")
    (web,) = started
    assert web[web.index("--workers") + 1] == "3"
    assert web[web.index("--threads") + 1] == str(DEFAULT_THREADS)


def test_no_line_per_request_unless_asked():
    command = web_command(bind="127.0.0.1:8000", workers=3, access_log=False)
    assert "--access-logfile" not in command
    assert command[command.index("--workers") + 1] == "3"
    logged = web_command(bind="127.0.0.1:8000", workers=3, access_log=True)
    assert logged[logged.index("--access-logfile") + 1] == "-"


@pytest.mark.django_db
def test_the_background_worker_runs_below_the_web_workers(monkeypatch):
    started: list[list[str]] = []
    priorities: list[tuple[int, int, int]] = []

    class Child:
        def __init__(self, argv: list[str], **_: Any) -> None:
            started.append(argv)
            self.pid = 1000 + len(started)

        def poll(self) -> int:
            return 0  # exits at once, so serve stops

        def send_signal(self, _signal: int) -> None: ...

        def wait(self, timeout: float) -> int:
            return 0

    monkeypatch.setattr(serve.subprocess, "Popen", Child)
    monkeypatch.setattr(serve.os, "setpriority", lambda *a: priorities.append(a))
    schedulers: list[tuple[int, int]] = []
    monkeypatch.setattr(
        serve.os, "sched_setscheduler", lambda pid, policy, _param: schedulers.append((pid, policy))
    )
    monkeypatch.setattr(serve.signal, "signal", lambda *a: None)
    with pytest.raises(SystemExit):
        call_command("serve", "--port", "8123")
    web, worker = started
    assert "gunicorn" in web and "--access-logfile" not in web
    assert worker[-1] == "worker"
    assert priorities == [(os.PRIO_PROCESS, 1002, WORKER_NICENESS)]
    assert WORKER_NICENESS > 0
    # On Linux also the scheduler's idle class: it runs when the web workers leave CPU over.
    assert schedulers == [(1002, os.SCHED_IDLE)]
