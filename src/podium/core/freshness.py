"""What the domain tells the delivery layer, and all it tells it: when readers may see something
new. The domain never names a cache; how pages, fragments and listings are kept and renewed is
the page cache's business (`podium.core.pagecache`).

- `readers_see_change_on_commit()`: something readers can see was written; from the moment the
  transaction commits, no page served anywhere may show what was there before.
- `changes_at(next_change)`: something changes by itself at a known time (a publication "later",
  a placement's start or end); `next_change()` returns the earliest such moment still to come, so
  no cached page outlives it."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from podium.core import pagecache


def readers_see_change_on_commit() -> None:
    """Readers see the current state from the commit of this transaction on (at once outside
    one). A cache that is down is logged, not raised: the change is committed by then."""
    pagecache.bump_on_commit()


def changes_at(next_change: Callable[[], datetime.datetime | None]) -> None:
    """Register a source of moments at which what readers see changes without a write."""
    pagecache.register_next_change(next_change)
