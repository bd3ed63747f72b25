"""Helpers the benchmark scripts share (bench/load.py, bench/web.py): ports, waiting for a
server, a throwaway PostgreSQL database. The scripts run as
`python bench/<name>.py`, so this directory is on sys.path and `from _support import ...` works."""

from __future__ import annotations

import io
import re
import socket
import time
import urllib.request
from typing import Any
from urllib.parse import urlsplit, urlunsplit


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


class Database:
    """The throwaway PostgreSQL database: created here, dropped here, never one that existed."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.psycopg = psycopg
        self.url = url
        parts = urlsplit(url)
        if parts.scheme not in ("postgres", "postgresql"):
            raise SystemExit(f"DATABASE_URL must point to PostgreSQL, not {parts.scheme or url!r}.")
        self.name = parts.path.lstrip("/")
        if not re.fullmatch(r"[A-Za-z0-9_]+", self.name):
            raise SystemExit(f"Use a plain database name in DATABASE_URL, not {self.name!r}.")
        self.admin = urlunsplit(parts._replace(path="/postgres"))
        self.created = False

    def create(self) -> None:
        try:
            with self.psycopg.connect(self.admin, autocommit=True, connect_timeout=5) as conn:
                exists = conn.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", [self.name]
                ).fetchone()
                if exists:
                    raise SystemExit(
                        f"Database {self.name!r} already exists; this benchmark only uses a "
                        f"database it creates itself. Drop it (dropdb {self.name}) or name another "
                        "one in DATABASE_URL."
                    )
                conn.execute(f'CREATE DATABASE "{self.name}"')
                self.created = True
        except self.psycopg.OperationalError as exc:
            raise SystemExit(
                f"PostgreSQL is not reachable at {self.admin}: {exc}\n"
                "Start it (e.g. pg_ctlcluster 15 main start) or point DATABASE_URL at one."
            ) from None

    def execute(self, sql: str) -> None:
        """A statement without results, outside a transaction (CHECKPOINT, VACUUM)."""
        with self.psycopg.connect(self.url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        with self.psycopg.connect(self.url, connect_timeout=5) as conn:
            return conn.execute(sql, params or []).fetchall()  # type: ignore[arg-type]

    def server_facts(self) -> dict[str, str]:
        with self.psycopg.connect(self.admin, connect_timeout=5) as conn:
            version = conn.execute("SHOW server_version").fetchone()
            limit = conn.execute("SHOW max_connections").fetchone()
        return {
            "version": str(version[0] if version else "?"),
            "max": str(limit[0] if limit else "?"),
        }

    def drop(self) -> None:
        if self.created:
            with self.psycopg.connect(self.admin, autocommit=True, connect_timeout=5) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self.created = False


BENCH_PASSWORD = "bench-password-1"  # noqa: S105 (a throwaway benchmark member)


def signed_in_reader(email: str, *, password: str | None = BENCH_PASSWORD) -> str:
    """Inside Django: a new member signed in to a stored session, as the sign-in form leaves
    them; the session's key (the `sessionid` cookie). `password=None` skips the password hash
    (seconds under valgrind) and leaves the member without one."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from podium.accounts.models import User
    from podium.accounts.sessions import SessionStore

    user = User.objects.create_user(email, password, display_name="Bench Lezer")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return str(session.session_key)


def wsgi_get(app: Any, path: str, cookie: str = "") -> tuple[str, list[tuple[str, str]], bytes]:
    """A GET of `path` straight through the WSGI `app` (no server): status, headers and body."""
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
    }
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    started: list[tuple[str, list[tuple[str, str]]]] = []
    body = b"".join(
        app(environ, lambda status, headers, exc=None: started.append((status, headers)))
    )
    return started[0][0], started[0][1], body
