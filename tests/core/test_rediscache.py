"""Podium's Redis cache keeps one client per connection pool, and is Django's cache otherwise."""

from __future__ import annotations

import uuid

import pytest

from podium.core.rediscache import RedisCache

from .conftest import REDIS_URL, _redis_answers

pytestmark = pytest.mark.skipif(not _redis_answers(), reason="no Redis server")


@pytest.fixture
def cache() -> RedisCache:
    return RedisCache(REDIS_URL, {"KEY_PREFIX": f"podium-test-{uuid.uuid4().hex}"})


def test_one_client_per_pool_is_reused_for_every_call(cache: RedisCache) -> None:
    client = cache._cache.get_client("a")
    assert cache._cache.get_client("b", write=True) is client
    assert client.connection_pool is cache._cache.get_client().connection_pool


def test_it_stores_reads_and_deletes_as_djangos_redis_cache(cache: RedisCache) -> None:
    cache.set("generatie", ("abc", None), timeout=30)
    assert cache.get("generatie") == ("abc", None)
    assert cache.add("teller", 1)
    assert cache.incr("teller") == 2
    cache.delete_many(["generatie", "teller"])
    assert cache.get_many(["generatie", "teller"]) == {}
