"""Two editors at once, with real concurrent transactions (threads with their own connections).

On PostgreSQL the row locks and the optimistic order check decide; SQLite's IMMEDIATE
transactions serialise writers anyway, and its in-memory test database cannot be shared between
connections, so these tests run on PostgreSQL only."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from podium.accounts.models import User
from podium.articles import lifecycle
from podium.articles import services as article_services
from podium.articles.models import Article, ArticleEvent
from podium.editorial import services
from podium.editorial.models import Placement, PublicationCheck
from tests.podium_helpers import ArticleBuilder

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)"
    ),
]


def _race(*calls: Callable[[], object]) -> list[object]:
    """Run `calls` at the same moment, each in its own thread and connection; returns each one's
    result or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_two_editors_reorder_the_home_page_at_once(
    make_article: ArticleBuilder, contributor: User, editor: User, admin_user: User
) -> None:
    placements = [
        services.place_on_home(
            article=make_article(contributor, Article.State.PUBLISHED), by=editor
        )
        for _ in range(3)
    ]
    a, b, c = (p.pk for p in placements)
    seen = [a, b, c]
    results = _race(
        lambda: services.reorder_placements(order=[c, b, a], seen=seen, by=editor),
        lambda: services.reorder_placements(order=[b, a, c], seen=seen, by=admin_user),
    )
    stale = [r for r in results if isinstance(r, services.StaleOrder)]
    done = [r for r in results if isinstance(r, list)]
    assert len(stale) == 1 and len(done) == 1, results
    assert services.current_order() == done[0]
    assert stale[0].current == done[0]  # the second editor is shown the current order
    assert sorted(Placement.objects.values_list("position", flat=True)) == [0, 1, 2]


def test_one_publishes_while_the_other_requests_changes(
    make_article: ArticleBuilder, contributor: User, editor: User, admin_user: User
) -> None:
    article = make_article(contributor, Article.State.SUBMITTED)
    results = _race(
        lambda: article_services.publish_article(
            article=Article.objects.get(pk=article.pk), by=editor
        ),
        lambda: article_services.request_changes(
            article=Article.objects.get(pk=article.pk), by=admin_user, message="Korter."
        ),
    )
    refused = [r for r in results if isinstance(r, lifecycle.TransitionNotAllowed)]
    assert len(refused) == 1, results
    article.refresh_from_db()
    assert article.state in (Article.State.PUBLISHED, Article.State.CHANGES_REQUESTED)
    decisions = ArticleEvent.objects.filter(
        article=article,
        action__in=[ArticleEvent.Action.PUBLISH, ArticleEvent.Action.REQUEST_CHANGES],
    )
    assert decisions.count() == 1


def test_two_editors_place_articles_at_once(
    make_article: ArticleBuilder, contributor: User, editor: User, admin_user: User
) -> None:
    first, second = (make_article(contributor, Article.State.PUBLISHED) for _ in range(2))
    results = _race(
        lambda: services.place_on_home(article=first, by=editor),
        lambda: services.place_on_home(article=second, by=admin_user),
    )
    assert all(isinstance(r, Placement) for r in results), results
    assert sorted(Placement.objects.values_list("position", flat=True)) == [0, 1]


def test_two_editors_check_the_same_publication(
    make_article: ArticleBuilder, trusted_contributor: User, editor: User, admin_user: User
) -> None:
    article = make_article.submitted(trusted_contributor)
    results: list[Any] = _race(
        lambda: services.mark_publication_seen(article=article, by=editor),
        lambda: services.take_down(
            article=Article.objects.get(pk=article.pk),
            by=admin_user,
            reason="Reclame.",
            check_pending=True,  # both editors act on the unchecked publication they saw
        ),
    )
    errors = [r for r in results if isinstance(r, ValidationError | lifecycle.TransitionNotAllowed)]
    assert len(errors) == 1, results
    assert PublicationCheck.objects.filter(article=article).count() == 1
