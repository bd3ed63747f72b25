"""No query grows with the data: the pages not pinned in test_query_counts.py (feeds, sitemaps,
the newsletter archive, deep list pages, the desk's other pages, the contributor's statistics) run
the same number of queries with 5 and with 50 articles per author."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from podium.accounts.models import User
from podium.editorial import services as editorial
from podium.topics.models import Topic
from tests.podium_helpers import bulk_publish

pytestmark = pytest.mark.django_db


def _queries(client: Client, url: str) -> int:
    client.get(url)  # once before: one-time look-ups (the current Site) are cached per process
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _counts(
    build: Callable[[int], None], client: Client, urls: Callable[[], list[str]]
) -> dict[str, list[int]]:
    counts: dict[str, list[int]] = {}
    for n in (5, 50):
        build(n)
        for url in urls():
            counts.setdefault(url, []).append(_queries(client, url))
    return counts


@pytest.fixture
def build(
    contributor: User, other_contributor: User, topics: list[Topic], editor: User
) -> Callable[[int], None]:
    done = {"n": 0}

    def grow(n: int) -> None:
        more = n - done["n"]
        made = bulk_publish(contributor, topics, more, prefix=f"s{n}")
        bulk_publish(other_contributor, topics, more, prefix=f"t{n}")
        if done["n"] == 0:
            for article in made[:3]:
                editorial.place_on_home(article=article, by=editor)
                editorial.pick_article(article=article, kind="newsletter", by=editor)
        done["n"] = n

    return grow


def test_public_pages_do_not_grow(
    build: Callable[[int], None], anonymous_client: Client, contributor: User, topics: list[Topic]
) -> None:
    def urls() -> list[str]:
        return [
            reverse("web:feed_rss"),
            reverse("web:feed_atom"),
            reverse("web:topic_feed_rss", args=[topics[0].slug]),
            reverse("web:author_feed_atom", args=[contributor.slug]),
            reverse("web:sitemap"),
            reverse("web:sitemap_section", args=["artikelen"]),
            reverse("web:sitemap_section", args=["onderwerpen"]),
            reverse("web:sitemap_section", args=["auteurs"]),
            reverse("web:articles") + "?pagina=2",
            topics[0].get_absolute_url() + "?pagina=2",
            reverse("newsletter:archive"),
            reverse("web:home"),
        ]

    counts = _counts(build, anonymous_client, urls)
    # Never more queries with more articles. A list's page 2 does not exist yet at 5 articles
    # per author: the page read with the count comes back empty and the last page is read
    # (2 queries, as before the count rode with the page); at 50 it is there (1 query).
    assert {url: c for url, c in counts.items() if c[1] > c[0]} == {}
    assert counts[reverse("web:articles") + "?pagina=2"] == [2, 1]


def test_desk_and_activiteiten_do_not_grow(
    build: Callable[[int], None],
    client_for: Callable[[User], Client],
    editor: User,
    contributor: User,
) -> None:
    editor_client, contributor_client = client_for(editor), client_for(contributor)
    counts: dict[str, list[int]] = {}
    for n in (5, 50):
        build(n)
        for client, url in [
            (editor_client, reverse("editorial:desk")),
            (editor_client, reverse("editorial:home_page")),
            (editor_client, reverse("editorial:contributors")),
            (contributor_client, reverse("articles:dashboard")),
            (contributor_client, reverse("stats:overview")),
        ]:
            counts.setdefault(url, []).append(_queries(client, url))
    assert {url: c for url, c in counts.items() if c[0] != c[1]} == {}


def test_every_desk_filter_has_an_index() -> None:
    """The desk filters on topic, author and state/time; each has an index to use."""
    from podium.articles.models import Article

    indexed = {tuple(index.fields) for index in Article._meta.indexes}
    assert ("state", "-published_at") in indexed
    assert ("state", "submitted_at") in indexed
    assert ("author", "state", "-published_at") in indexed
    assert ("author", "submitted_at") in indexed  # the author menu: who has submitted
    from podium.articles.models import ArticleEvent

    assert ("action", "article") in {tuple(i.fields) for i in ArticleEvent._meta.indexes}
    # The topic filter goes through the many-to-many table, indexed on both columns by Django.
    through = Article.topics.through
    assert through._meta.get_field("topic").db_index


# --- Deep pages walk indexes, not tables ------------------------------------------------------------


def _plans(client: Client, url: str) -> list[str]:
    """The SQLite query plan lines of every query `url` runs (after a first request)."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    lines = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            if not query["sql"].lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
            lines += [row[3] for row in cursor.fetchall()]
    return lines


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plans")
def test_deep_list_pages_never_scan_the_articles(
    build: Callable[[int], None], anonymous_client: Client, contributor: User, topics: list[Topic]
) -> None:
    """Page N's rows are found through indexes only (state + publication time, and the topic
    table's index for a topic): the rows skipped over are never read, so page 1,000 costs
    about what page 1 does."""
    build(50)
    for url in [
        reverse("web:articles") + "?pagina=3",
        topics[0].get_absolute_url() + "?pagina=3",
        contributor.get_absolute_url() + "?pagina=2",
    ]:
        plans = _plans(anonymous_client, url)
        assert not [line for line in plans if line.startswith("SCAN articles_article")], (
            url,
            plans,
        )
        assert any("COVERING INDEX article_" in line for line in plans), (url, plans)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plans")
def test_desk_filters_use_their_indexes(
    build: Callable[[int], None],
    client_for: Callable[[User], Client],
    editor: User,
    contributor: User,
    topics: list[Topic],
) -> None:
    build(5)
    editor_client = client_for(editor)
    plans = _plans(editor_client, reverse("editorial:desk"))
    assert any("event_action_article_idx" in line for line in plans), plans  # unreviewed queue
    name = contributor.display_name.split()[0]
    for query in [f"author={contributor.pk}", f"author={name}", f"topic={topics[0].pk}", "q=stuk"]:
        plans = _plans(editor_client, reverse("editorial:desk") + "?" + query)
        assert not [line for line in plans if line.startswith("SCAN articles_article")], plans
