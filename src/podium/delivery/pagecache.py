"""The anonymous page cache: public pages served from a shared cache, invalidated exactly.

**What is cached.** A GET (or HEAD) of a public page by a reader who is not signed in, answered
200, that set no cookie, used no CSRF token, carried no message and set no Cache-Control of its
own. The key is method + host + path + query (tracking parameters such as ``utm_*`` removed; any
other parameter than the paginator's ``pagina`` means "not cached", so nobody can fill the cache
with junk URLs) + the reader's language. Paths listed in ``PODIUM_PAGE_CACHE_EXCLUDE`` (search,
the desk, profiles, the admin, account pages, the health check) are never cached.

**Exact invalidation with one generation.** Every cached page is stored together with the
*generation* that was current when its rendering started. Whatever changes what readers see
(a publication, an edit, a take-down, a withdrawal, a home page placement, a profile, a sent
newsletter edition, anything saved in the admin) says so through `podium.core.freshness`; once
the transaction commits the generation gets a fresh random token (`bump`, the delivery layer's
receiver of the ``READERS_SEE_CHANGE`` hook), and every page stored under another token is
dead from that moment on, in every process and on every machine, because the generation lives in
the shared cache (Redis with ``REDIS_URL``), or in the embedded set-up in a file of its own under
``var/cache/pages/`` (gunicorn's workers are separate processes), which each request checks with
one stat() and reads again only when a bump has replaced it (`_GenerationFile`). Reading the generation *before* rendering closes the
race where a page rendered from old rows is stored after the bump: it is stored under the old
token and never served.

**Time.** Some public content changes by itself: an article published "later" appears at its
publication time, a placement starts or ends. Apps register a function that says when that next
happens (`podium.core.freshness.changes_at`); the generation records the earliest such moment, and once it
has passed the next request starts a new generation. Cached pages (and the shared max-age sent
to proxies) never outlive it. Slow-moving statistics (the "most read" box) may lag by at most
``PODIUM_PAGE_CACHE_SECONDS``.

**Fast path.** Nearly every reader has no session cookie: nobody is signed in and no message
waits, so the page cannot be personal. `PageCacheFastPathMiddleware`, right after WhiteNoise and
the language, answers those from the cache before sessions, CSRF, authentication and messages
run; `PageCacheMiddleware` further in handles everyone else and stores pages. Each process also
keeps the pages it served lately in memory (``PODIUM_PAGE_CACHE_MEMORY_MB``), used only while
the shared generation, checked on every request, is the one they were stored under. With Redis
the generation is tracked (`_TrackedGeneration`: Redis pushes an invalidation when anyone
changes it), so a page in this process's memory costs no round trip, and one that is not costs
one (MGET of the generation and the page together); the page cache talks to
Redis through one client of its own (`_RedisStore`), pages stored as bytes, not through
Django's cache API, whose per-call client and pickling cost more CPU than the round trip.

**Fragments and reads.** Parts of a public page that are the same for every reader (an article
and its "read more") are kept under the generation too (``{% page_fragment %}``), and so are the
reads behind them (`kept`, used by `podium.delivery.reads`), so a signed-in reader's page renders
only its personal frame around them. The generation belongs to the request being served, which
`PageCacheMiddleware` makes known to `kept` (a context variable): views never pass it around.

**HTTP.** Cached and cacheable pages go out with ``Cache-Control: public, max-age=0,
s-maxage=…, stale-while-revalidate=…`` and an ETag (a matching If-None-Match gets a 304);
everything personal gets ``private, no-store``.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import logging
import math
import os
import pickle
import secrets
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes, urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.redis import RedisCache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags

from podium.core import embeddedcache, freshness
from podium.core.cache import process_client
from podium.core.i18n import language_of_path

logger = logging.getLogger(__name__)

GENERATION_KEY = "podium:pages:generation"
PAGE_KEY_PREFIX = "podium:page:"
FRAGMENT_KEY_PREFIX = "podium:fragment:"
PROCESS_KEY_PREFIX = "podium:process:"  # kept(shared=False): this process's memory only
# Parameters that only tell analytics where a reader came from; views never read them.
TRACKING_PARAMS = frozenset({"fbclid", "gclid", "msclkid", "mc_cid", "mc_eid", "li_fat_id", "ref"})
CACHEABLE_TYPES = (
    "text/html",
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/plain",
)
MESSAGES_COOKIE = CookieStorage.cookie_name
HEADERS_KEPT = ("Content-Type", "Content-Language", "Vary", "X-Frame-Options", "Link")

# The request this thread (or task) is serving, set by PageCacheMiddleware: `kept` finds the
# request's generation through it, so views and the domain never carry one around.
_serving: ContextVar[HttpRequest | None] = ContextVar("podium_page_cache_request", default=None)


def cache() -> BaseCache:
    return caches[settings.PODIUM_PAGE_CACHE_ALIAS]


# --- The shared store -----------------------------------------------------------------------------


class _CacheStore:
    """The shared store through Django's cache API (the embedded set-up's SQLite files, whose
    generation is a file of its own: `_GenerationFile`; or any other backend): values pickled
    by the backend, one call per key."""

    def __init__(self, backend: BaseCache) -> None:
        self.backend = backend

    def generation(self) -> Any:
        return self.backend.get(GENERATION_KEY)

    def set_generation(self, generation: Generation) -> None:
        self.backend.set(GENERATION_KEY, (generation.token, generation.until), timeout=None)

    def read(self, key: str, page: bool) -> tuple[Any, tuple[Any, ...] | None]:
        """The stored generation and, if `page`, the page under `key`."""
        if not page:
            return self.backend.get(GENERATION_KEY), None
        both = self.backend.get_many([GENERATION_KEY, key])
        return both.get(GENERATION_KEY), both.get(key)

    def page(self, key: str) -> tuple[Any, ...] | None:
        return self.backend.get(key)  # type: ignore[no-any-return]

    def set_page(self, key: str, entry: tuple[Any, ...], timeout: int) -> None:
        self.backend.set(key, entry, timeout=timeout)

    def get(self, key: str) -> Any:
        return self.backend.get(key)

    def set(self, key: str, value: Any, timeout: int) -> None:
        self.backend.set(key, value, timeout=timeout)


class _RedisStore(_CacheStore):
    """The shared store when the page cache is Django's Redis cache: the same Redis keys
    (``make_key``: the alias's KEY_PREFIX and VERSION), read and written with one ``redis.Redis``
    client of our own, kept for the process. Django's cache API builds a new ``redis.Redis``
    around its pool for every call and pickles every value, which cost more CPU than the round
    trip itself on the path every anonymous reader takes; and a page is read together with the
    generation in one MGET, one round trip.

    Pages are stored as bytes, not pickles: ``token expires_at\n`` + the headers and ETag as
    JSON + ``\n`` + the body, so a hit copies the body out of the reply and nothing else. The
    generation is ``token until`` (``-`` when nothing is scheduled). Fragments (`kept`) are
    pickled as Django would. Writes and reads go to the first server named in LOCATION: the
    generation must be read where it is written for invalidation to be exact."""

    def __init__(
        self, backend: BaseCache, location: str | list[str], options: dict[str, Any]
    ) -> None:
        super().__init__(backend)
        self.client, server, own = process_client(location, options)
        self.generation_key = backend.make_key(GENERATION_KEY)
        self.tracked = _TrackedGeneration(server, own, self.generation_key)

    def generation(self) -> Any:
        return _parse_generation(self.tracked.read(self._generation_round_trip))

    def _generation_round_trip(self) -> bytes | None:
        return self.client.get(self.generation_key)  # type: ignore[no-any-return]

    def set_generation(self, generation: Generation) -> None:
        until = "-" if generation.until is None else repr(generation.until)
        self.client.set(self.generation_key, f"{generation.token} {until}".encode())

    def read(self, key: str, page: bool) -> tuple[Any, tuple[Any, ...] | None]:
        if not page:
            return self.generation(), None
        raw_generation, raw_page = self.client.mget(
            [self.generation_key, self.backend.make_key(key)]
        )
        return _parse_generation(raw_generation), _parse_page(raw_page)

    def page(self, key: str) -> tuple[Any, ...] | None:
        return _parse_page(self.client.get(self.backend.make_key(key)))

    def set_page(self, key: str, entry: tuple[Any, ...], timeout: int) -> None:
        token, expires_at, content, headers, etag = entry
        head = f"{token} {expires_at!r}\n{json.dumps([headers, etag])}\n".encode()
        self.client.set(self.backend.make_key(key), head + content, ex=timeout)

    def get(self, key: str) -> Any:
        raw = self.client.get(self.backend.make_key(key))
        # Our own store, trusted as Django's Redis cache (which unpickles too) trusts it.
        return None if raw is None else pickle.loads(raw)  # noqa: S301

    def set(self, key: str, value: Any, timeout: int) -> None:
        raw = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        self.client.set(self.backend.make_key(key), raw, ex=timeout)


class _TrackedGeneration:
    """The generation as Redis last told this process, kept up to date by Redis itself: one
    connection of the process's own asks the server to track the generation's key (RESP3
    ``CLIENT TRACKING ON BCAST PREFIX <key>``), so whoever changes the key (a bump in any process
    on any machine, a FLUSHDB, an eviction) makes the server push an invalidation down this
    connection. A request then only asks the connection whether anything arrived (`can_read`:
    one poll(), no round trip) and uses the value it holds when nothing did; when something did,
    or the connection broke, or `RECHECK_SECONDS` passed since the last read, it reads the key
    again on this connection (pushes that came before the reply are about older values).

    Exact in the way the per-request GET was: the server writes the invalidations of a BCAST
    prefix (in its event loop's ``beforeSleep``) before it writes the reply to the command that
    changed the key, so a bump whose SET has returned is already waiting in this connection
    when any request that follows the bump asks. Without a healthy connection (Redis restarted,
    a proxy that refuses tracking) every request reads the key with a round trip (`fallback`),
    and a new connection is tried again after `RETRY_SECONDS`; `RECHECK_SECONDS` bounds how long
    a value is trusted should an invalidation ever be lost (a half-open connection).

    redis-py's own client-side cache (``cache_config``) is the same mechanism, but it refuses
    servers before Redis 7.4 (Debian 12 has 7.0) and costs a pool checkout, locks and a deep copy
    per cached GET; this is one poll() under one lock."""

    RECHECK_SECONDS = 1.0
    RETRY_SECONDS = 1.0

    def __init__(self, server: str, options: dict[str, Any], key: str) -> None:
        self.server = server
        self.options = {**options, "protocol": 3}
        self.key = key
        self.lock = threading.Lock()
        self.connection: Any = None
        self.pid = 0
        self.value: bytes | None = None
        self.read_at = 0.0  # time.monotonic() of the last read of the key on the connection
        self.retry_at = 0.0  # no connection before this moment (after a failure)
        self.unsupported = False  # the server refused tracking: read the key every time

    def read(self, fallback: Callable[[], bytes | None]) -> bytes | None:
        with self.lock:
            if self.unsupported:
                return fallback()
            now = time.monotonic()
            try:
                connection = self._connection(now)
                if connection is None:
                    return fallback()
                if now - self.read_at < self.RECHECK_SECONDS and not connection.can_read(0):
                    return self.value  # nothing changed the key since it was read
                connection.send_command("GET", self.key)
                self.value = connection.read_response()  # invalidations before it are skipped
                self.read_at = now
                return self.value
            except Exception as error:
                self._drop(now, error)
                return fallback()

    def _connection(self, now: float) -> Any:
        if self.connection is not None and self.pid == os.getpid():
            return self.connection
        self.connection = None  # (a forked child does not use its parent's connection)
        if now < self.retry_at:
            return None
        import redis

        self.retry_at = now + self.RETRY_SECONDS
        connection = redis.ConnectionPool.from_url(self.server, **self.options).get_connection()
        try:
            connection.send_command("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", self.key)
            connection.read_response()
        except redis.ResponseError as error:  # a server or proxy without tracking
            connection.disconnect()
            self.unsupported = True
            logger.warning("Page cache: Redis does not track the generation (%s)", error)
            return None
        self.connection, self.pid, self.read_at = connection, os.getpid(), float("-inf")
        return connection

    def _drop(self, now: float, error: Exception) -> None:
        if self.connection is not None:
            with contextlib.suppress(Exception):
                self.connection.disconnect()
        self.connection = None
        self.retry_at = now + self.RETRY_SECONDS
        logger.info("Page cache: the generation's tracking connection failed (%s)", error)


# Anything else under these keys (a value Django's cache API pickled there before) reads as
# nothing: a missing generation starts a new one, a missing page is rendered and stored again.


def _parse_generation(raw: bytes | None) -> tuple[str, float | None] | None:
    try:
        token, until = raw.decode().split(" ")  # type: ignore[union-attr]
        return token, None if until == "-" else float(until)
    except (AttributeError, ValueError):  # None, or not ours (UnicodeDecodeError is a ValueError)
        return None


def _parse_page(raw: bytes | None) -> tuple[Any, ...] | None:
    if raw is None:
        return None
    try:
        first = raw.index(b"\n")
        second = raw.index(b"\n", first + 1)
        token, expires_at = raw[:first].decode().split(" ")
        headers, etag = json.loads(raw[first + 1 : second])
        return (token, float(expires_at), raw[second + 1 :], headers, etag)
    except ValueError:
        return None


_store: _CacheStore | None = None


def store() -> _CacheStore:
    """The shared store of the page cache alias, built once per process (and again when a test
    changes the caches)."""
    global _store
    if _store is None:
        backend = cache()
        if isinstance(backend, RedisCache):
            config = settings.CACHES[settings.PODIUM_PAGE_CACHE_ALIAS]
            _store = _RedisStore(backend, config["LOCATION"], config.get("OPTIONS", {}))
        else:
            _store = _CacheStore(backend)
    return _store


@receiver(setting_changed)
def _forget_store(*, setting: str, **kwargs: Any) -> None:
    global _store
    if setting in ("CACHES", "PODIUM_PAGE_CACHE_ALIAS"):
        _store = None


@dataclass(frozen=True)
class Generation:
    token: str
    until: float | None  # epoch seconds at which content changes by itself, or None

    def is_over(self, now: float) -> bool:
        return self.until is not None and now >= self.until


def next_change() -> float | None:
    """The earliest moment any registered source (`freshness.changes_at`) says public content
    changes by itself."""
    now = datetime.datetime.now(tz=datetime.UTC)
    moments = []
    for source in freshness.next_change_sources():
        try:
            moment = source()
        except Exception:
            # Without the moment we cannot promise freshness: keep pages short-lived instead.
            logger.exception("Page cache: next-change source %r failed", source)
            return time.time() + 60
        if moment is not None and moment > now:
            moments.append(moment.timestamp())
    return min(moments, default=None)


class _GenerationFile:
    """The embedded set-up's generation: a small file in the page cache's directory, beside its
    SQLite files (not an entry: eviction never drops it), replaced by a rename on every bump and never written in place.

    Reading it costs one stat() per request: each process keeps the file it last read open, and
    while the path still names that very file (same device and inode) the generation is the one
    read from it. Exact across processes, because an inode cannot be freed, and its number
    reused by a newer file, while a process holds it open; a bump anywhere renames a new file
    over the path, which the next stat() in every process sees."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = threading.Lock()
        # The file read: its identity (see `_identity`), its descriptor (kept open), its value.
        self.held: tuple[tuple[int, ...], int, tuple[str, float | None] | None] | None = None

    def read(self) -> tuple[str, float | None] | None:
        try:
            named = os.stat(self.path)
        except FileNotFoundError:
            return None
        held = self.held
        if held is not None and held[0] == _identity(named):
            return held[2]
        with self.lock:
            try:
                fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
            except FileNotFoundError:
                return None
            try:
                opened = os.fstat(fd)
                value = self._parse(os.pread(fd, 4096, 0))
            except BaseException:
                os.close(fd)
                raise
            old, self.held = self.held, (_identity(opened), fd, value)
            if old is not None:
                os.close(old[1])
            return value

    @staticmethod
    def _parse(data: bytes) -> tuple[str, float | None] | None:
        try:
            stored = json.loads(data)
            return (str(stored["token"]), stored["until"])
        except (ValueError, KeyError, TypeError):
            return None  # damaged: a new generation replaces it

    def write(self, token: str, until: float | None) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".generation-")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(json.dumps({"token": token, "until": until}).encode())
            os.replace(temporary, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise


def _identity(found: os.stat_result) -> tuple[int, ...]:
    """Which file, and (should anything ever write it in place, a restore by `cp`, say) which
    contents: device and inode, then modification time and size."""
    return (found.st_dev, found.st_ino, found.st_mtime_ns, found.st_size)


# Backends that keep their entries in a directory on this machine (LOCATION), shared by its
# processes: the embedded set-up's (diskcache's SQLite files) and Django's own files.
DIRECTORY_BACKENDS = frozenset(
    {
        embeddedcache.BACKEND,
        "diskcache.DjangoCache",
        "django.core.cache.backends.filebased.FileBasedCache",
    }
)
_generation_files: dict[str, _GenerationFile] = {}


def _generation_file() -> _GenerationFile | None:
    """The generation's own file when the page cache is in a directory of this machine, else
    None (it is then a key of the shared cache: Redis)."""
    config = settings.CACHES[settings.PODIUM_PAGE_CACHE_ALIAS]
    if config["BACKEND"] not in DIRECTORY_BACKENDS:
        return None
    location = str(config["LOCATION"])
    found = _generation_files.get(location)
    if found is None:
        found = _generation_files.setdefault(
            location, _GenerationFile(Path(location) / "generation")
        )
    return found


def stored_generation() -> Any:
    """The generation as stored (token, until), or None when there is none yet."""
    file = _generation_file()
    if file is not None:
        return file.read()
    return store().generation()


def bump() -> Generation:
    """Start a new generation now: every page cached so far is stale, in every process."""
    generation = Generation(secrets.token_hex(8), next_change())
    file = _generation_file()
    if file is not None:
        file.write(generation.token, generation.until)
    else:
        store().set_generation(generation)
    return generation


def on_readers_see_change() -> None:
    """The ``READERS_SEE_CHANGE`` hook's receiver: a change readers can see has committed."""
    bump()


def current_generation(entry: Any, now: float) -> Generation:
    """The generation stored in `entry` (as `stored_generation` read it), or a new one when there
    is none or its time is up."""
    if isinstance(entry, tuple) and len(entry) == 2:
        generation = Generation(*entry)
        if not generation.is_over(now):
            return generation
    return bump()


def generation_for(request: HttpRequest) -> Generation | None:
    """The current generation, read once per request (before anything is read from the
    database, so that whatever is rendered from those rows is stored under the generation that
    was current before reading them), or None when the page cache is off or unavailable."""
    if not settings.PODIUM_PAGE_CACHE:
        return None
    if hasattr(request, "_podium_generation"):
        return request._podium_generation  # type: ignore[no-any-return]
    try:
        generation: Generation | None = current_generation(stored_generation(), time.time())
    except Exception:
        logger.exception("Page cache unavailable; rendering without it")
        generation = None
    request._podium_generation = generation  # type: ignore[attr-defined]
    return generation


def _lifetime(generation: Generation, now: float) -> int:
    lifetime = settings.PODIUM_PAGE_CACHE_SECONDS
    if generation.until is not None:
        lifetime = min(lifetime, int(generation.until - now))
    return lifetime


def kept[T](
    name: str,
    compute: Callable[[], T],
    *,
    shared: bool = True,
    size: Callable[[T], int] | None = None,
) -> T:
    """`kept_under` the generation of the request being served (see `PageCacheMiddleware`);
    outside a request (a command, a task) simply `compute()`."""
    request = _serving.get()
    generation = generation_for(request) if request is not None else None
    return kept_under(generation, name, compute, shared=shared, size=size)


def kept_under[T](
    generation: Generation | None,
    name: str,
    compute: Callable[[], T],
    *,
    shared: bool = True,
    size: Callable[[T], int] | None = None,
) -> T:
    """Something public that is the same for every reader (a piece of a page: an article's
    text, its "read more"; the number of articles in a listing), kept under `generation`
    exactly as whole pages are: used only while that generation is current, so signed-in
    readers and other pages get it without computing it again. Without a generation (page cache
    off or down) it is simply computed.

    With ``shared=False`` it is kept in this process's memory only, never pickled into the
    shared store: for model instances (the published article a signed-in reader opens, which
    carries its author's account). `size` gives the value's approximate size in bytes, counted
    against ``PODIUM_PAGE_CACHE_MEMORY_MB``. Nothing is kept when `compute` raises."""
    limit = settings.PODIUM_PAGE_CACHE_MEMORY_MB * 1024 * 1024
    if generation is None or (not shared and limit <= 0):
        return compute()
    if shared:
        key = FRAGMENT_KEY_PREFIX + hashlib.sha256(name.encode()).hexdigest()
    else:
        key = PROCESS_KEY_PREFIX + name
    now = time.time()
    # This process's memory first (valid only under the current shared generation), then the
    # shared store.
    entry = _fragment_memory.get(key, generation.token) if limit > 0 else None
    if _fresh(entry, generation, now):
        return entry[2]  # type: ignore[index,no-any-return]
    if shared:
        try:
            entry = store().get(key)
        except Exception:
            logger.exception("Page cache: could not read %s", name)
            return compute()
        if _fresh(entry, generation, now):
            if limit > 0:
                _fragment_memory.put(key, entry, limit)
            return entry[2]  # type: ignore[index,no-any-return]
    value = compute()
    lifetime = _lifetime(generation, now)
    if lifetime > 0:
        entry = (generation.token, now + lifetime, value)
        if shared:
            try:
                store().set(key, entry, lifetime)
            except Exception:
                logger.exception("Page cache: could not store %s", name)
        if limit > 0:
            _fragment_memory.put(key, entry, limit, size=size(value) if size else None)
    return value


# --- Which requests and responses -----------------------------------------------------------------


def is_public_address(request: HttpRequest) -> bool:
    """A GET (or HEAD) of an address whose page may be the same for every reader: not one of
    ``PODIUM_PAGE_CACHE_EXCLUDE`` (the desk, profiles, previews, search, …), in any language
    (the exclusions name the Dutch address; /en/zoeken/ is search as much as /zoeken/). Worked
    out once per request (the middleware and each page fragment ask)."""
    public: bool | None = getattr(request, "_podium_public_address", None)
    if public is None:
        path = request.path
        language = language_of_path(path)
        if language:
            path = path.removeprefix(f"/{language}")
        public = request.method in ("GET", "HEAD") and not path.startswith(
            tuple(settings.PODIUM_PAGE_CACHE_EXCLUDE)
        )
        request._podium_public_address = public  # type: ignore[attr-defined]
    return public


def page_key(request: HttpRequest) -> str | None:
    """The cache key of this request's page, or None when this request is never served from or
    stored in the cache."""
    if not is_public_address(request):
        return None
    path = request.path
    params: list[tuple[str, str]] = []
    for name, values in sorted(request.GET.lists()):
        if name.startswith("utm_") or name in TRACKING_PARAMS:
            continue
        if name not in settings.PODIUM_PAGE_CACHE_PARAMS:
            return None
        params.extend((name, value) for value in values)
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    # HEAD is answered from the GET page (the server drops the body).
    raw = "\n".join(["GET", request.get_host(), path, urlencode(params), language])
    return PAGE_KEY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def _has_messages(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    # len() loads the stored messages without marking them as shown.
    return storage is not None and len(storage) > 0


def is_personal(request: HttpRequest) -> bool:
    """A request whose page may carry something meant for this visitor only."""
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated) or _has_messages(request)


def is_cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "Cache-Control" not in response
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # a CSRF token went into the page
        and not is_personal(request)  # signed in during the request, or a message was added
        and response.get("Content-Type", "").split(";")[0].strip() in CACHEABLE_TYPES
    )


def _etag(content: bytes) -> str:
    return '"' + hashlib.blake2b(content, digest_size=12).hexdigest() + '"'


def _public(response: HttpResponse, max_age: int) -> None:
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        s_maxage=max(0, min(settings.PODIUM_SHARED_MAX_AGE, max_age)),
        stale_while_revalidate=settings.PODIUM_STALE_WHILE_REVALIDATE if max_age > 0 else 0,
    )


def _not_modified(request: HttpRequest, etag: str) -> bool:
    header = request.META.get("HTTP_IF_NONE_MATCH")
    if not header:
        return False
    tags = parse_etags(header)
    return "*" in tags or etag in tags or etag.removeprefix("W/") in tags


# --- Reading pages: the shared store, and this process's memory in front of it ------------------


class _Memory:
    """The pages this process served lately, in front of the shared store (up to
    ``PODIUM_PAGE_CACHE_MEMORY_MB``). An entry is only used while its generation is the shared
    one, which is read from the shared store on every request: it is exactly as fresh as the
    shared store and only saves reading the page itself."""

    def __init__(self) -> None:
        # key -> (entry, its size in bytes as counted when it was put)
        self.entries: OrderedDict[str, tuple[tuple[Any, ...], int]] = OrderedDict()
        self.size = 0
        self.token = ""
        self.lock = threading.Lock()

    def get(self, key: str, token: str) -> tuple[Any, ...] | None:
        with self.lock:
            if token != self.token:  # a new generation: everything here is dead
                self.entries.clear()
                self.size = 0
                self.token = token
                return None
            found = self.entries.get(key)
            if found is None:
                return None
            self.entries.move_to_end(key)
            return found[0]

    def peek(self, key: str) -> tuple[Any, ...] | None:
        """The entry kept for `key`, whatever its generation (`get` says whether it is used)."""
        found = self.entries.get(key)
        return None if found is None else found[0]

    def put(self, key: str, entry: tuple[Any, ...], limit: int, size: int | None = None) -> None:
        size = _size(entry) if size is None else size
        with self.lock:
            if entry[0] != self.token or size > limit:
                return
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= old[1]
            self.entries[key] = (entry, size)
            self.size += size
            while self.size > limit:
                _key, (_dropped, dropped_size) = self.entries.popitem(last=False)
                self.size -= dropped_size


def _size(entry: tuple[Any, ...]) -> int:
    value = entry[2]
    return (len(value) if isinstance(value, str | bytes) else 64) + 200


_memory = _Memory()  # whole pages
_fragment_memory = _Memory()  # pieces kept by `kept` (article text, read-more, counts)


@dataclass
class Lookup:
    """What the cache holds for one request's page: the current generation and, when it has a
    fresh one, the page."""

    key: str
    generation: Generation
    entry: tuple[Any, ...] | None
    now: float


def _fresh(entry: Any, generation: Generation, now: float) -> bool:
    return isinstance(entry, tuple) and entry[0] == generation.token and now < entry[1]


def lookup(request: HttpRequest, key: str) -> Lookup | None:
    """Read the generation and the page for `key` (once per request; None when the shared store
    is unavailable). The generation is also kept on the request for `generation_for`."""
    found: Lookup | None = getattr(request, "_podium_page_lookup", None)
    if found is not None and found.key == key:
        return found
    now = time.time()
    limit = settings.PODIUM_PAGE_CACHE_MEMORY_MB * 1024 * 1024
    try:
        file = _generation_file()
        if file is not None:  # one stat(), then the page's file when memory has no copy
            generation = current_generation(file.read(), now)
            entry = _memory.get(key, generation.token) if limit > 0 else None
            if not _fresh(entry, generation, now):
                entry = cache().get(key)
                if limit > 0 and _fresh(entry, generation, now):
                    _memory.put(key, entry, limit)
        else:
            # The tracked generation alone when this process's memory has the page (no round
            # trip; the page is used if it was stored under that generation), the generation
            # and the page together otherwise (one round trip).
            shared = store()
            kept_here = _memory.peek(key) if limit > 0 else None
            stored, entry = shared.read(key, page=kept_here is None)
            generation = current_generation(stored, now)
            if kept_here is not None:
                entry = _memory.get(key, generation.token)
                if not _fresh(entry, generation, now):  # a new generation since: read the page
                    entry = shared.page(key)
                    if entry is not None and _fresh(entry, generation, now):
                        _memory.put(key, entry, limit)
            elif limit > 0:
                _memory.get(key, generation.token)  # forgets older generations' pages
                if entry is not None and _fresh(entry, generation, now):
                    _memory.put(key, entry, limit)
    except Exception:
        logger.exception("Page cache unavailable; serving without it")
        request._podium_generation = None  # type: ignore[attr-defined]
        return None
    found = Lookup(key, generation, entry if _fresh(entry, generation, now) else None, now)
    request._podium_page_lookup = found  # type: ignore[attr-defined]
    request._podium_generation = generation  # type: ignore[attr-defined]
    return found


def store_page(request: HttpRequest, found: Lookup, response: HttpResponse) -> tuple[int, float]:
    """Keep `response` under the generation read before it was rendered; returns its lifetime
    (whole seconds, for Cache-Control) and the moment the kept page expires.

    The entry is served until the generation's end exactly (a scheduled publication), not until
    the whole second before it: with ``int(until - now)`` a page looked up 1.9 s before the
    publication was served for 1 s only, and not kept at all in the last second."""
    expires_at = found.now + settings.PODIUM_PAGE_CACHE_SECONDS
    if found.generation.until is not None:
        expires_at = min(expires_at, found.generation.until)
    lifetime = max(0, int(expires_at - found.now))
    if expires_at > found.now:
        headers = [(name, response[name]) for name in HEADERS_KEPT if name in response]
        entry = (
            found.generation.token,
            expires_at,
            response.content,
            headers,
            response["ETag"],
        )
        # The store's own expiry rounds up: `_fresh` ends the entry at `expires_at` itself.
        timeout = math.ceil(expires_at - found.now)
        try:
            if _generation_file() is not None:
                cache().set(found.key, entry, timeout=timeout)
            else:
                store().set_page(found.key, entry, timeout)
        except Exception:
            logger.exception("Page cache: could not store %s", request.path)
        limit = settings.PODIUM_PAGE_CACHE_MEMORY_MB * 1024 * 1024
        if limit > 0:
            _memory.put(found.key, entry, limit)
    return lifetime, expires_at


def response_from_entry(request: HttpRequest, entry: tuple[Any, ...], now: float) -> HttpResponse:
    _token, expires_at, content, headers, etag = entry
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    response["Content-Length"] = str(len(content))
    response["ETag"] = etag
    response["X-Page-Cache"] = "hit"
    _public(response, int(expires_at - now))
    response._podium_page = (_token, expires_at)  # type: ignore[attr-defined]  # see PageCacheWSGI
    if _not_modified(request, etag):
        return _not_modified_response(response)
    return response


def _not_modified_response(response: HttpResponse) -> HttpResponse:
    not_modified = HttpResponseNotModified()
    for name in ("ETag", "Cache-Control", "Vary", "Content-Language", "X-Page-Cache"):
        if name in response:
            not_modified[name] = response[name]
    return not_modified


# --- The middleware ---------------------------------------------------------------------------------


def _cannot_be_personal(request: HttpRequest) -> bool:
    """Without a session cookie nobody is signed in and no message waits in the session, and
    without the messages cookie none waits there either: whatever the page, it is the one every
    anonymous reader gets."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and MESSAGES_COOKIE not in cookies


def _query_is_utf8(request: HttpRequest) -> bool:
    """As podium.security's StrictUTF8Middleware checks further in (a query that is not UTF-8
    gets its 400 there, not a cached page here)."""
    query = request.META.get("QUERY_STRING", "")
    if not query:
        return True
    try:
        for part in query.encode("latin-1", "replace").replace(b"+", b" ").split(b"&"):
            unquote_to_bytes(part).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class PageCacheFastPathMiddleware:
    """Answers a cached page before sessions, CSRF, authentication and messages run, for the
    requests that cannot be personal (`_cannot_be_personal`): anonymous readers without a
    session, i.e. nearly all of them. Place it right after WhiteNoise and LanguageMiddleware (the
    language is part of the key); the security headers are added further out as on every page,
    and X-Frame-Options, Vary and the rest come with the stored page. Everything else goes on
    through the whole stack to `PageCacheMiddleware`, which stores pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.PODIUM_PAGE_CACHE
            and request.method in ("GET", "HEAD")
            and _cannot_be_personal(request)
            and _query_is_utf8(request)
        ):
            key = page_key(request)
            if key is not None:
                found = lookup(request, key)
                if found is not None and found.entry is not None:
                    return response_from_entry(request, found.entry, found.now)
        return self.get_response(request)


class PageCacheMiddleware:
    """Place after AuthenticationMiddleware and MessageMiddleware: it needs the user and the
    messages. It serves cached pages to the anonymous readers the fast path left to it (those
    with a session cookie) and stores the pages rendered for anonymous readers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        serving = _serving.set(request)
        try:
            return self._serve(request)
        finally:
            _serving.reset(serving)

    def _serve(self, request: HttpRequest) -> HttpResponse:
        if not settings.PODIUM_PAGE_CACHE:
            return self._headers_only(request, self.get_response(request))
        key = page_key(request)
        if key is None or is_personal(request):
            response = self.get_response(request)
            self._after_write(request, response)
            return self._headers_only(request, response)

        found = lookup(request, key)
        if found is None:
            return self._headers_only(request, self.get_response(request))
        if found.entry is not None:
            return response_from_entry(request, found.entry, found.now)

        response = self.get_response(request)
        if not is_cacheable(request, response):
            return self._headers_only(request, response)
        response["ETag"] = _etag(response.content)
        lifetime, expires_at = store_page(request, found, response)
        response["X-Page-Cache"] = "miss"
        _public(response, lifetime)
        if lifetime > 0:
            response._podium_page = (found.generation.token, expires_at)  # type: ignore[attr-defined]
        if _not_modified(request, response["ETag"]):
            return _not_modified_response(response)
        return response

    @staticmethod
    def _after_write(request: HttpRequest, response: HttpResponse) -> None:
        # The admin edits rows directly (topics, profiles, article text); any change saved there
        # may show on public pages.
        if (
            request.method == "POST"
            and response.status_code < 400
            and any(
                request.path.startswith(prefix)
                for prefix in settings.PODIUM_PAGE_CACHE_BUMP_ON_POST
            )
        ):
            freshness.readers_see_change_on_commit()

    @staticmethod
    def _headers_only(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        """Responses not served from the cache: personal ones are never stored by anyone."""
        if "Cache-Control" in response or getattr(response, "streaming", False):
            return response
        if is_personal(request) or response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            patch_cache_control(response, private=True, no_store=True)
        elif request.method in ("GET", "HEAD"):
            patch_cache_control(response, no_cache=True)
        return response


# --- In front of Django: the answer as it went out, for readers without cookies of their own ----------


class PageCacheWSGI:
    """Wraps the WSGI application (podium.wsgi): an anonymous GET that carries none of the
    cookies or headers that can change the answer gets the answer this process last sent for the
    same address, exactly as it went out (the security headers included, which the middleware
    around the page cache adds the same way to every such request), while that answer's
    generation is the current one and its lifetime lasts; only Cache-Control is worked out again.
    Everything else goes through Django as before, and so does the first request for an address
    in each process and generation: it is remembered here only when the page cache served or
    stored it (`PageCacheFastPathMiddleware`, `PageCacheMiddleware` mark such responses).

    What Django's own fast path still costs on a hit (the request object, the middleware around
    it, signals) is most of what separated `podium serve` from a bare Django site (bench/web.py
    target (h)). Exactly as fresh as that fast path: the generation is checked for every request
    (`stored_generation`: one stat() in the embedded set-up, one poll() of the tracking
    connection with Redis)."""

    # Request headers with which the answer could differ (conditional requests get their 304
    # from Django; a forwarded host changes the host Django sees).
    PASSED_ON = (
        "HTTP_IF_NONE_MATCH",
        "HTTP_IF_MODIFIED_SINCE",
        "HTTP_AUTHORIZATION",
        "HTTP_X_FORWARDED_HOST",
    )

    def __init__(self, application: Callable[..., Any]) -> None:
        self.application = application

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        key = _wire_key(environ) if settings.PODIUM_PAGE_CACHE else None
        if key is None:
            return self.application(environ, start_response)
        answer = _wire_answer(key)
        if answer is not None:
            status, headers, body = answer
            start_response(status, headers)
            return [body]
        sent: list[tuple[str, list[tuple[str, str]]]] = []

        def remembering_start_response(status: str, headers: Any, exc_info: Any = None) -> Any:
            sent.append((status, list(headers)))
            return start_response(status, headers, exc_info)

        response = self.application(environ, remembering_start_response)
        page = getattr(response, "_podium_page", None)
        if page is not None and sent and sent[0][0].startswith("200 "):
            _remember_wire(key, page, sent[0][0], sent[0][1], response)
        return response


def _wire_key(environ: dict[str, Any]) -> str | None:
    if environ.get("REQUEST_METHOD") != "GET" or environ.get("QUERY_STRING"):
        return None
    host = environ.get("HTTP_HOST")
    if not host or any(name in environ for name in PageCacheWSGI.PASSED_ON):
        return None
    cookie = environ.get("HTTP_COOKIE")
    if cookie and any(name in cookie for name in _answer_changing_cookies()):
        return None  # a session, a message or a chosen language: Django decides
    return "\n".join(
        (
            host,
            environ.get("wsgi.url_scheme", ""),
            environ.get("HTTP_X_FORWARDED_PROTO", ""),  # HSTS, the HTTPS redirect
            environ.get("SCRIPT_NAME", ""),
            environ.get("PATH_INFO", ""),
        )
    )


def _answer_changing_cookies() -> tuple[str, ...]:
    return (settings.SESSION_COOKIE_NAME, MESSAGES_COOKIE, settings.LANGUAGE_COOKIE_NAME)


_WIRE_LEFT_OUT = frozenset({"cache-control", "x-page-cache", "content-length", "date", "server"})
_wire_memory = _Memory()  # key -> (token, expires at, body, headers without Cache-Control)


def _remember_wire(
    key: str,
    page: tuple[str, float],
    status: str,
    headers: list[tuple[str, str]],
    response: HttpResponse,
) -> None:
    limit = settings.PODIUM_PAGE_CACHE_MEMORY_MB * 1024 * 1024
    if limit <= 0 or response.streaming or status != "200 OK":
        return
    if any(name.lower() == "set-cookie" for name, _value in headers):
        return
    kept_headers = [(n, v) for n, v in headers if n.lower() not in _WIRE_LEFT_OUT]
    token, expires_at = page
    # Kept only under the generation the page cache read for this response: pages of older
    # generations are forgotten now (`_wire_answer` reads the generation only for an address
    # it has an answer for, so it may not have seen this one yet).
    _wire_memory.get(key, token)
    _wire_memory.put(key, (token, expires_at, response.content, kept_headers), limit)


def _wire_answer(key: str) -> tuple[str, list[tuple[str, str]], bytes] | None:
    if settings.PODIUM_PAGE_CACHE_MEMORY_MB <= 0:
        return None
    if _wire_memory.peek(key) is None:
        # Nothing to answer with: Django reads the generation (with the page, in one round trip
        # to Redis) itself, so reading it here too would only cost a round trip more.
        return None
    try:
        now = time.time()
        generation = current_generation(stored_generation(), now)
    except Exception:
        return None  # Django's page cache says what is wrong
    entry = _wire_memory.get(key, generation.token)
    if entry is None or not _fresh(entry, generation, now):
        return None
    _token, expires_at, body, headers = entry
    return (
        "200 OK",
        [
            *headers,
            ("Content-Length", str(len(body))),
            ("Cache-Control", _public_cache_control(int(expires_at - now))),
            ("X-Page-Cache", "hit"),
        ],
        body,
    )


def _public_cache_control(max_age: int) -> str:
    """What `_public` puts in Cache-Control, written directly."""
    s_maxage = max(0, min(settings.PODIUM_SHARED_MAX_AGE, max_age))
    stale = settings.PODIUM_STALE_WHILE_REVALIDATE if max_age > 0 else 0
    return f"public, max-age=0, s-maxage={s_maxage}, stale-while-revalidate={stale}"
