"""The page cache, switched on, with a cache of its own per test: the embedded set-up's (diskcache's
SQLite files, podium.core.embeddedcache) in the test's directory and, when a Redis server answers, Redis under a prefix of its own."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from podium.core import embeddedcache
from tests.podium_helpers import REDIS_URL, delete_redis_keys, redis_answers

ROOT = Path(__file__).resolve().parents[2]
BACKENDS = [
    "embedded",
    pytest.param("redis", marks=pytest.mark.skipif(not redis_answers(), reason="no Redis server")),
]


@pytest.fixture(params=BACKENDS)
def page_cache(
    request: pytest.FixtureRequest, settings: Any, tmp_path: Path
) -> Iterator[dict[str, Any]]:
    if request.param == "embedded":
        config: dict[str, Any] = embeddedcache.config(tmp_path / "pages", 64)
    else:
        config = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"podium-test-{uuid.uuid4().hex}",
        }
    settings.CACHES = {**settings.CACHES, "pages": config}
    settings.PODIUM_PAGE_CACHE = True
    yield config
    if request.param == "redis":  # clear() would empty the whole Redis database: only ours
        delete_redis_keys(config["KEY_PREFIX"])
    else:
        shutil.rmtree(config["LOCATION"], ignore_errors=True)


@pytest.fixture(scope="session")
def _peer_process() -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.delivery.cache_peer"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    yield process
    assert process.stdin is not None
    process.stdin.close()
    process.wait(timeout=30)


@pytest.fixture
def peer(
    page_cache: dict[str, Any], _peer_process: subprocess.Popen[str]
) -> Callable[..., dict[str, Any]]:
    """Run a command in another process sharing the page cache (see cache_peer.py)."""

    def run(command: str, path: str = "") -> dict[str, Any]:
        assert _peer_process.stdin is not None and _peer_process.stdout is not None
        _peer_process.stdin.write(
            json.dumps({"cache": page_cache, "command": command, "path": path}) + "\n"
        )
        _peer_process.stdin.flush()
        line = _peer_process.stdout.readline()
        assert line, "the peer process died"
        return json.loads(line)

    return run


@pytest.fixture
def redis_commands(page_cache: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The commands the page cache sends to Redis (Redis runs only)."""
    if "redis" not in page_cache["BACKEND"]:
        pytest.skip("Redis only")
    from podium.delivery import pagecache

    client = pagecache.store().client  # type: ignore[attr-defined]
    sent: list[str] = []
    execute = client.execute_command

    def counting(*args: Any, **options: Any) -> Any:
        sent.append(args[0])
        return execute(*args, **options)

    monkeypatch.setattr(client, "execute_command", counting)
    return sent
