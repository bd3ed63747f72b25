"""`podium serve`: what `make run` starts (target (h) of bench-web)."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.core.management import call_command

from podium.core.management.commands import serve
from podium.core.management.commands.serve import WORKER_NICENESS, web_command


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
    monkeypatch.setattr(serve.signal, "signal", lambda *a: None)
    with pytest.raises(SystemExit):
        call_command("serve", "--port", "8123")
    web, worker = started
    assert "gunicorn" in web and "--access-logfile" not in web
    assert worker[-1] == "worker"
    assert priorities == [(os.PRIO_PROCESS, 1002, WORKER_NICENESS)]
    assert WORKER_NICENESS > 0
