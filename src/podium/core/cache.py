"""Django's Redis cache, with its reads through one redis-py client kept for the process.

Django's ``RedisCache`` builds a new ``redis.Redis`` around its connection pool for every call
(about 170 response callbacks registered each time): on a signed-in page, whose session is read
from this cache on every request (``cached_db``, `podium.accounts.sessions`), building that
client cost more CPU than the round trip itself. `RedisCache` reads (``get``, ``get_many``)
with a client built once per process (redis-py's pool reconnects after a fork), decoded exactly
as Django's backend does (integers as they are, anything else pickled), so values written by
Django's own ``set``/``add``/``incr`` and read here are the same values. Writes, which are rare
on a reader's path, stay Django's own. Reads go to the first server named in ``LOCATION``
(Django reads from a random replica when there are several)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisSerializer
from django.utils.functional import cached_property

# Options of Django's backend that are not redis-py's.
DJANGO_OPTIONS = frozenset({"serializer", "pool_class", "parser_class"})


def process_client(
    location: str | Sequence[str], options: Mapping[str, Any] | None
) -> tuple[Any, str, dict[str, Any]]:
    """A ``redis.Redis`` client to keep for the process, for a Django Redis cache's ``LOCATION``
    and ``OPTIONS``: on the first server named (``;`` or ``,`` between servers, or a list), with
    the options that are redis-py's (not Django's serializer, pool and parser classes). Returns
    the client, that server's URL and those options, for connections of one's own."""
    import redis

    servers = re.split("[;,]", location) if isinstance(location, str) else list(location)
    server = servers[0].strip()
    own = {k: v for k, v in (options or {}).items() if k not in DJANGO_OPTIONS}
    return redis.Redis.from_url(server, **own), server, own


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self.location = server
        self.options: dict[str, Any] = dict(params.get("OPTIONS") or {})

    @cached_property
    def reader(self) -> Any:
        """The process's client for reads (None when a serializer of its own is configured:
        then every read is Django's)."""
        if "serializer" in self.options:
            return None
        return process_client(self.location, self.options)[0]

    @cached_property
    def serializer(self) -> RedisSerializer:
        return RedisSerializer()

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        reader = self.reader
        if reader is None:
            return super().get(key, default, version)
        value = reader.get(self.make_and_validate_key(key, version=version))
        return default if value is None else self.serializer.loads(value)

    def get_many(self, keys: Any, version: int | None = None) -> dict[str, Any]:
        reader = self.reader
        if reader is None:
            return super().get_many(keys, version)
        keys = list(keys)
        if not keys:
            return {}
        made = {self.make_and_validate_key(key, version=version): key for key in keys}
        values = reader.mget(list(made))
        return {
            made[made_key]: self.serializer.loads(value)
            for made_key, value in zip(made, values, strict=True)
            if value is not None
        }

    def has_key(self, key: str, version: int | None = None) -> bool:
        reader = self.reader
        if reader is None:
            return super().has_key(key, version)
        return bool(reader.exists(self.make_and_validate_key(key, version=version)))
