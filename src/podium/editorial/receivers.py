"""What the desk does when `articles` announces an event (see `podium.core.hooks`): quick
receivers that only enqueue tasks."""

from __future__ import annotations

from typing import Any

from podium.articles.models import ArticleEvent

Action = ArticleEvent.Action

ANALYSED = {Action.SUBMIT, Action.AUTO_PUBLISH, Action.EDITOR_EDIT}
TRUST_RELEVANT = {Action.PUBLISH, Action.AUTO_PUBLISH}


def on_article_event(*, action: str, author_id: int, revision_id: int | None, **_: Any) -> None:
    from .tasks import analyse_revision, review_trust

    if action in ANALYSED and revision_id is not None:
        analyse_revision.enqueue(revision_id)
    if action in TRUST_RELEVANT:
        review_trust.enqueue(author_id)


def on_daily() -> dict[str, int]:
    """The daily upkeep: contributors whose record now earns automatic trust."""
    from .trust import review_all

    return {"became_trusted": review_all()}
