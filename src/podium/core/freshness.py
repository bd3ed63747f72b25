"""What the domain tells the delivery layer, and all it tells it: when readers may see something
new. The domain never names a cache; how pages, fragments and listings are kept and renewed is
the delivery layer's business (`podium.delivery`), which listens here.

- `readers_see_change_on_commit()`: something readers can see was written; from the moment the
  transaction commits, no page served anywhere may show what was there before. It announces the
  ``READERS_SEE_CHANGE`` hook (`podium.core.hooks`) once the transaction commits.
- `changes_at(next_change)`: something changes by itself at a known time (a publication "later",
  a placement's start or end); `next_change()` returns the earliest such moment still to come, so
  no cached page outlives it. An app registers its source in its `AppConfig.ready()`.

Each kind of change calls `readers_see_change_on_commit()` from one place: the article's
lifecycle writer (every state change and editor edit), the placements' writer, the topics' and
profiles' writers, the sent edition, the share card, an erasure. tests/test_freshness_callers.py
pins that list."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from podium.core import hooks

NextChange = Callable[[], datetime.datetime | None]
_sources: list[NextChange] = []


def readers_see_change_on_commit() -> None:
    """Readers see the current state from the commit of this transaction on (at once outside
    one). A listener that fails (a cache that is down) is logged, not raised: the change is
    committed by then."""
    hooks.announce_on_commit(hooks.READERS_SEE_CHANGE)


def changes_at(next_change: NextChange) -> None:
    """Register a source of moments at which what readers see changes without a write
    (registering twice is a no-op)."""
    if next_change not in _sources:
        _sources.append(next_change)


def next_change_sources() -> list[NextChange]:
    """Every registered source (for the delivery layer, which asks them when it renews)."""
    return list(_sources)
