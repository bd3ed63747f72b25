"""Explicit hooks: how a lower app tells a higher one that something happened without importing it.

Apps depend downward (`articles` never imports `editorial`), yet the editors' desk must react when
an article is submitted or published (compute the assistant's report, update the originality
index, reconsider the author's trust). So `articles` announces what happened here, after its
transaction commits, and `editorial` registers a receiver in its `AppConfig.ready()`.

This is deliberately smaller than Django's signals: one module lists every hook name, a receiver
is a plain function registered by name, and receivers are expected to be quick (they enqueue a
task). A failing receiver is logged and does not undo or break the announcing request.

Hooks:

- ``ARTICLE_EVENT`` — an `ArticleEvent` was recorded and committed. Keyword arguments:
  ``event_id``, ``action``, ``article_id``, ``author_id``, ``revision_id`` (or None).
- ``AUTHOR_RENAMED`` — a member's display name changed (profile or admin), announced *inside* the
  transaction with `announce_in_transaction`: the search index re-indexes their articles in it,
  so the old name never finds them once the change is visible. Keyword arguments: ``user_id``.
- ``AUTHOR_BYLINE_CHANGED`` — what a byline shows of a member (display name, organisation or
  photo) changed and the change is committed. Keyword arguments: ``user_id``. (The share cards of
  their articles show all three.)
- ``TOPIC_CHANGED`` — a topic was renamed or deleted, announced inside the transaction.
  Keyword arguments: ``topic_id``, ``article_ids`` (the articles filed under it, or None: look
  them up, the topic still exists).
- ``IMAGE_CHANGED`` — a picture's file, variants, focal point or texts changed and the change is
  committed. Keyword arguments: ``image_id``. (The apps that show pictures decide whether readers
  see the change.)
- ``READERS_SEE_CHANGE`` — something readers can see changed and the change is committed
  (`podium.core.freshness` announces it; the delivery layer renews what it keeps). No arguments.
- ``DAILY`` — the daily upkeep (`podium.core.maintenance`) is running. No arguments; a receiver
  returns a small JSON-able summary of what it did. Receivers may take a while (they run in a
  background worker, not in a request).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)

ARTICLE_EVENT = "article_event"
AUTHOR_RENAMED = "author_renamed"
AUTHOR_BYLINE_CHANGED = "author_byline_changed"
TOPIC_CHANGED = "topic_changed"
DAILY = "daily"
IMAGE_CHANGED = "image_changed"
READERS_SEE_CHANGE = "readers_see_change"
HOOKS = frozenset(
    {
        ARTICLE_EVENT,
        AUTHOR_RENAMED,
        AUTHOR_BYLINE_CHANGED,
        TOPIC_CHANGED,
        DAILY,
        IMAGE_CHANGED,
        READERS_SEE_CHANGE,
    }
)

Receiver = Callable[..., Any]
_receivers: dict[str, list[Receiver]] = defaultdict(list)


def register(name: str, receiver: Receiver) -> None:
    """Call `receiver(**kwargs)` whenever `name` is announced (registering twice is a no-op)."""
    if name not in HOOKS:
        raise ValueError(f"Unknown hook {name!r}; known hooks: {sorted(HOOKS)}")
    if receiver not in _receivers[name]:
        _receivers[name].append(receiver)


def receivers(name: str) -> list[Receiver]:
    return list(_receivers[name])


def announce(name: str, **kwargs: Any) -> None:
    """Run every receiver of `name` now; one failing receiver does not stop the others."""
    if name not in HOOKS:
        raise ValueError(f"Unknown hook {name!r}")
    for receiver in list(_receivers[name]):
        try:
            receiver(**kwargs)
        except Exception:
            logger.exception("Hook %s: receiver %r failed", name, receiver)


def announce_on_commit(name: str, **kwargs: Any) -> None:
    """Announce `name` once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: announce(name, **kwargs))


def announce_in_transaction(name: str, **kwargs: Any) -> None:
    """Run every receiver of `name` now, inside the caller's transaction, and let a failure
    propagate: the receivers' writes belong to the change (an index that must never lie), so a
    failing one undoes it instead of being logged and forgotten."""
    if name not in HOOKS:
        raise ValueError(f"Unknown hook {name!r}")
    for receiver in list(_receivers[name]):
        receiver(**kwargs)
