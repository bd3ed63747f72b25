"""podium.core.cache.RedisCache: Django's Redis cache whose reads go through one client kept for
the process. What it reads must be exactly what Django's backend reads, whoever wrote it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from podium.core.cache import RedisCache, process_client
from tests.podium_helpers import REDIS_URL, delete_redis_keys, redis_answers

pytestmark = pytest.mark.skipif(not redis_answers(), reason="no Redis server")


@pytest.fixture
def prefix() -> Iterator[str]:
    prefix = f"podium-test-{uuid.uuid4().hex}"
    yield prefix
    delete_redis_keys(prefix)


def _pair(prefix: str) -> tuple[RedisCache, DjangoRedisCache]:
    params: dict[str, Any] = {"KEY_PREFIX": prefix}
    return RedisCache(REDIS_URL, params), DjangoRedisCache(REDIS_URL, params)


VALUES: list[Any] = [0, 7, -3, 2**40, "tekst", b"bytes", {"a": [1, 2.5, None]}, True, 1.5, ""]


def test_reads_what_djangos_backend_wrote_and_the_other_way_round(prefix: str) -> None:
    ours, django = _pair(prefix)
    for i, value in enumerate(VALUES):
        django.set(f"d{i}", value)
        ours.set(f"o{i}", value)
    for i, value in enumerate(VALUES):
        for key in (f"d{i}", f"o{i}"):
            assert ours.get(key) == value and type(ours.get(key)) is type(value)
            assert django.get(key) == value
            assert ours.has_key(key) and django.has_key(key)
    keys = [f"d{i}" for i in range(len(VALUES))] + ["missing"]
    assert ours.get_many(keys) == django.get_many(keys)
    assert "missing" not in ours.get_many(keys)
    assert ours.get_many([]) == {}


def test_missing_keys_counters_and_versions(prefix: str) -> None:
    ours, django = _pair(prefix)
    assert ours.get("nothing") is None
    assert ours.get("nothing", "fallback") == "fallback"
    assert not ours.has_key("nothing")
    django.add("counter", 1)
    django.incr("counter", 4)
    assert ours.get("counter") == 5
    django.set("versioned", "one", version=1)
    django.set("versioned", "two", version=2)
    assert ours.get("versioned", version=2) == "two"
    assert ours.get("versioned") == "one"
    assert ours.get_many(["versioned"], version=2) == {"versioned": "two"}
    django.delete("counter")
    assert ours.get("counter") is None


def test_reads_build_no_client_per_call(prefix: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Django's backend builds a redis.Redis for every call; ours one for the process."""
    import redis

    ours, _django = _pair(prefix)
    ours.set("key", "value")
    assert ours.get("key") == "value"  # the kept client is built by now
    built: list[object] = []
    original = redis.Redis.__init__

    def counting(self: Any, *args: Any, **kwargs: Any) -> None:
        built.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counting)
    for _ in range(5):
        assert ours.get("key") == "value"
        assert ours.get_many(["key"]) == {"key": "value"}
    assert built == []


def test_a_serializer_of_its_own_leaves_the_reads_to_django(prefix: str) -> None:
    params: dict[str, Any] = {
        "KEY_PREFIX": prefix,
        "OPTIONS": {"serializer": "django.core.cache.backends.redis.RedisSerializer"},
    }
    ours = RedisCache(REDIS_URL, params)
    ours.set("key", {"x": 1})
    assert ours.reader is None
    assert ours.get("key") == {"x": 1}
    assert ours.get_many(["key"]) == {"key": {"x": 1}}


@pytest.mark.parametrize(
    "location",
    [
        "redis://127.0.0.1:6379/3;redis://replica:6379/3",
        " redis://127.0.0.1:6379/3 ,redis://replica:6379/3",
        ["redis://127.0.0.1:6379/3", "redis://replica:6379/3"],
    ],
)
def test_the_process_client_is_on_the_first_server_with_redis_pys_options(
    location: str | list[str],
) -> None:
    """One construction for the cache's reads and the page cache's store (pagecache._RedisStore):
    the first server of LOCATION, and OPTIONS without Django's own."""
    options = {
        "serializer": "django.core.cache.backends.redis.RedisSerializer",
        "parser_class": "redis.connection._HiredisParser",
        "pool_class": "redis.ConnectionPool",
        "socket_timeout": 2,
    }
    client, server, own = process_client(location, options)
    assert server == "redis://127.0.0.1:6379/3"
    assert own == {"socket_timeout": 2}
    kwargs = client.connection_pool.connection_kwargs
    assert (kwargs["host"], kwargs["port"], kwargs["db"]) == ("127.0.0.1", 6379, 3)
    assert kwargs["socket_timeout"] == 2
