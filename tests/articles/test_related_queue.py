""" "Read more" is computed again only when what it is computed from changed: the article was
published, or, while published, its title, lead or topics were edited (`related.inputs`); not on
every step `lifecycle.record` writes of a published article."""

from __future__ import annotations

from typing import Any

import pytest

from podium.accounts.models import User
from podium.articles import services, tasks
from podium.articles.models import Article
from podium.articles.services import ArticleText
from podium.topics.models import Topic
from tests.podium_helpers import ArticleBuilder


class _Queue:
    def __init__(self) -> None:
        self.enqueued: list[int] = []

    def enqueue(self, article_id: int) -> None:
        self.enqueued.append(article_id)


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any) -> Any:
    """The ids `compute_related` is queued for, once the transactions commit."""
    queue = _Queue()
    monkeypatch.setattr(tasks, "compute_related", queue)

    def run(step: Any) -> list[int]:
        queue.enqueued.clear()
        with django_capture_on_commit_callbacks(execute=True):
            step()
        return list(queue.enqueued)

    return run


def _edit(article: Article, editor: User, **changes: Any) -> None:
    article.refresh_from_db()
    text = {
        "title": article.title,
        "lead": article.lead,
        "body": article.body,
        "topics": list(article.topics.all()),
        **changes,
    }
    services.edit_article(
        article=article, by=editor, expected_version=article.version, text=ArticleText(**text)
    )


def test_publishing_queues_read_more(
    make_article: ArticleBuilder, contributor: User, editor: User, queued: Any
) -> None:
    submitted = make_article(contributor, Article.State.SUBMITTED)
    assert queued(lambda: services.publish_article(article=submitted, by=editor)) == [submitted.pk]


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Een heel andere titel over de zorg"},
        {"lead": "Een andere inleiding over leiderschap."},
        "topics",
    ],
)
def test_an_edit_of_what_read_more_is_computed_from_queues_it(
    change: Any,
    make_article: ArticleBuilder,
    contributor: User,
    editor: User,
    topics: list[Topic],
    queued: Any,
) -> None:
    article = make_article(contributor, Article.State.PUBLISHED, topics=topics[:1])
    changes = {"topics": topics[1:3]} if change == "topics" else change
    assert queued(lambda: _edit(article, editor, **changes)) == [article.pk]


def test_an_edit_of_the_body_alone_does_not_queue_read_more(
    make_article: ArticleBuilder, contributor: User, editor: User, queued: Any
) -> None:
    article = make_article(contributor, Article.State.PUBLISHED)
    body = article.body.replace("</p>", " Een zin erbij.</p>", 1)
    assert queued(lambda: _edit(article, editor, body=body)) == []
    article.refresh_from_db()
    assert "Een zin erbij." in article.body  # the edit itself went through


def test_the_same_topics_in_another_order_do_not_queue_read_more(
    make_article: ArticleBuilder,
    contributor: User,
    editor: User,
    topics: list[Topic],
    queued: Any,
) -> None:
    article = make_article(contributor, Article.State.PUBLISHED, topics=topics[:2])
    assert queued(lambda: _edit(article, editor, topics=[topics[1], topics[0]])) == []
