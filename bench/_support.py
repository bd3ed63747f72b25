"""Helpers the benchmark scripts share (bench/load.py, bench/web.py). The scripts run as
`python bench/<name>.py`, so this directory is on sys.path and `from _support import ...` works."""

from __future__ import annotations

import socket
import time
import urllib.request


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on at this moment."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, timeout: float = 120) -> None:
    """Poll `url` until it answers 200, or give up after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    problem: object = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (127.0.0.1 only)
                if response.status == 200:
                    return
        except OSError as exc:
            problem = exc
            time.sleep(0.3)
    raise SystemExit(f"{url} did not come up: {problem}")
