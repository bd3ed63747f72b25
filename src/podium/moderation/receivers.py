from __future__ import annotations

from typing import Any

from podium.articles.models import ArticleEvent

SCANNED = {ArticleEvent.Action.SUBMIT, ArticleEvent.Action.AUTO_PUBLISH}


def on_article_event(*, action: str, article_id: int, **_: Any) -> None:
    if action in SCANNED:
        from .services import flag_if_spam

        flag_if_spam(article_id=article_id)
