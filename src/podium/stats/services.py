"""Counting reader signals without cookies and without storing who the reader is.

A view or a read-through is counted once per client, article and day. "Client" is a SHA-256 of
a secret salt that rotates daily, the user agent and the IP address; the hash is kept only in the
cache (never in the database) and expires with its day, after which it cannot be linked to anything
because the salt is gone too. Bots are recognised by their user agent and not counted."""

from __future__ import annotations

import datetime
import hashlib
import re
import secrets

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import COUNTERS, DailyArticleStats

DEDUP_SECONDS = 36 * 3600  # a little longer than a day, so the key outlives its salt's day
_BOTS = re.compile(
    r"bot|crawl|spider|slurp|archiver|fetch|scan|curl|wget|python|httpx|aiohttp|headless|"
    r"lighthouse|pingdom|monitor|preview|facebookexternalhit|embedly|java/|go-http|okhttp|"
    r"axios|node-fetch|phantomjs|selenium|playwright|puppeteer",
    re.IGNORECASE,
)


def is_bot(user_agent: str) -> bool:
    return not user_agent.strip() or bool(_BOTS.search(user_agent))


def _daily_salt(day: datetime.date) -> str:
    key = f"stats:salt:{day.isoformat()}"
    salt = cache.get(key)
    if salt is None:
        cache.add(key, secrets.token_hex(16), timeout=2 * 24 * 3600)
        salt = cache.get(key)
    return str(salt)


def client_key(*, user_agent: str, address: str, day: datetime.date) -> str:
    raw = f"{_daily_salt(day)}|{user_agent}|{address}".encode()
    return hashlib.sha256(raw).hexdigest()


def record_signal(*, article_id: int, signal: str, user_agent: str, address: str) -> bool:
    """Count `signal` ("view" or "read") for a live article once per client and day. Returns
    whether it was counted (False for bots and repeats). The caller checks the article is live."""
    field = COUNTERS[signal]
    if is_bot(user_agent):
        return False
    day = timezone.localdate()
    client = client_key(user_agent=user_agent, address=address, day=day)
    if not cache.add(f"stats:seen:{signal}:{article_id}:{client}", 1, timeout=DEDUP_SECONDS):
        return False
    _increment(article_id=article_id, day=day, field=field)
    return True


def _increment(*, article_id: int, day: datetime.date, field: str) -> None:
    rows = DailyArticleStats.objects.filter(article_id=article_id, day=day)
    if rows.update(**{field: F(field) + 1}):
        return
    try:
        with transaction.atomic():
            DailyArticleStats.objects.create(article_id=article_id, day=day, **{field: 1})
    except IntegrityError:  # another request created today's row first
        rows.update(**{field: F(field) + 1})
