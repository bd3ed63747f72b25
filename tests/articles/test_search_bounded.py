"""Search in bounded work: the newest matches are ranked, counted up to a limit ("more than
1,000" beyond it) and kept under the page cache's generation. The orderings asserted here are the
specification, so the same test on SQLite and on PostgreSQL (CI runs both) shows that both
databases give the same answers."""

from __future__ import annotations

import datetime
import functools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from podium.articles import search
from podium.articles.models import Article
from podium.articles.search import results
from podium.delivery import pagecache

pytestmark = pytest.mark.django_db

P = Article.State.PUBLISHED


def titles(found: search.SearchResults, n: int = 50) -> list[str]:
    return [hit.article.title for hit in found[:n]]


@pytest.fixture
def ranked(make_article, contributor):
    """Five articles with "begroting": in the title, the lead or the body, oldest first."""
    made = []
    for title, lead, body in [
        ("Oude begroting", "Een inleiding.", "<p>Tekst.</p>"),
        ("Lead", "Over de begroting.", "<p>Tekst.</p>"),
        ("Body", "Een inleiding.", "<p>De begroting klopt.</p>"),
        ("Nieuwe begroting", "Een inleiding.", "<p>Tekst.</p>"),
        ("Nog een body", "Een inleiding.", "<p>Begrotingen kloppen nooit.</p>"),
    ]:
        made.append(make_article(contributor, P, title=title, lead=lead, body=body))
    return made


def test_title_then_meta_then_body_then_newest(ranked):
    assert titles(search.search("begroting")) == [
        "Nieuwe begroting",
        "Oude begroting",
        "Lead",
        "Nog een body",
        "Body",
    ]


def test_two_words_count_per_word(make_article, contributor):
    make_article(contributor, P, title="Begroting", lead="Over verzuim.", body="<p>x</p>")
    make_article(contributor, P, title="Verzuim en begroting", lead="Kort.", body="<p>x</p>")
    make_article(contributor, P, title="Alleen begroting", lead="Kort.", body="<p>x</p>")
    assert titles(search.search("begroting verzuim")) == ["Verzuim en begroting", "Begroting"]


def test_only_the_newest_candidates_are_ranked(ranked, monkeypatch):
    monkeypatch.setattr(results, "CANDIDATES", 3)
    # The three newest are ranked ("Nieuwe begroting" first); the older ones follow, newest first.
    assert titles(search.search("begroting")) == [
        "Nieuwe begroting",
        "Nog een body",
        "Body",
        "Lead",
        "Oude begroting",
    ]


def test_count_stops_at_the_limit(ranked, monkeypatch):
    monkeypatch.setattr(results, "COUNT_LIMIT", 3)
    found = search.search("begroting")
    assert found.count() == 3
    assert found.has_more
    assert len(titles(found)) == 3
    monkeypatch.setattr(results, "COUNT_LIMIT", 5)
    found = search.search("begroting")
    assert (found.count(), found.has_more) == (5, False)


def test_period_filter_skips_older_articles(ranked):
    old = ranked[0]
    # Back-dated rows, indexed again as every write of an article is (the index keeps the time).
    Article.objects.filter(pk=old.pk).update(
        published_at=timezone.now() - datetime.timedelta(days=60)
    )
    search.reindex_articles([old.pk])
    since = timezone.now() - datetime.timedelta(days=31)
    assert "Oude begroting" not in titles(search.search("begroting", search.Filters(since=since)))
    Article.objects.update(published_at=timezone.now() - datetime.timedelta(days=60))
    search.reindex_articles(Article.objects.values_list("pk", flat=True))
    assert not search.search("begroting", search.Filters(since=since)).count()


@pytest.mark.parametrize("first_window", [1, 2, 3, 2_000])
def test_postgresql_asks_every_window_in_one_statement(
    ranked, make_article, contributor, monkeypatch, first_window
):
    """However many windows of ids the search reads (a first window of one id: one window per
    article here), it is one statement and the answers are those of one wide window, with a
    period and a topic too."""
    if connection.vendor != "postgresql":
        pytest.skip("the windows are PostgreSQL's")
    from podium.articles.search import postgresql

    for i in range(4):
        make_article(contributor, P, title=f"Iets anders {i}", body="<p>Geen match.</p>")
    since = timezone.now() - datetime.timedelta(days=1)
    Article.objects.filter(pk=ranked[0].pk).update(published_at=since - datetime.timedelta(days=2))
    search.reindex_articles([ranked[0].pk])
    monkeypatch.setattr(postgresql, "FIRST_WINDOW", first_window)
    monkeypatch.setattr(results, "CANDIDATES", 3)
    expected = ["Nieuwe begroting", "Nog een body", "Body", "Lead", "Oude begroting"]
    for filters, titles_found in [
        (search.Filters(), expected),
        (search.Filters(since=since), expected[:-1]),
        (search.Filters(topic_id=ranked[0].topics.get().pk), expected),
        (search.Filters(since=timezone.now() + datetime.timedelta(days=1)), []),
    ]:
        found = search.search("begroting", filters)
        with CaptureQueriesContext(connection) as captured:
            assert found.count() == len(titles_found)
        assert len(captured.captured_queries) == 1
        assert titles(found) == titles_found


@pytest.mark.parametrize("prepared", [True, False])
def test_postgresql_runs_the_page_query_prepared_unless_turned_off(
    ranked, settings, prepared, django_assert_num_queries
):
    """The results page's statement is planned once per connection (a pooler in transaction
    mode may need that off), is logged and counted as any other, and finds the same."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps its statements prepared itself")
    settings.PODIUM_DB_PREPARED_STATEMENTS = prepared
    expected = ["Nieuwe begroting", "Oude begroting", "Lead", "Nog een body", "Body"]
    for _ in range(2):
        found = search.search("begroting")
        found.count()
        with django_assert_num_queries(1):
            assert titles(found) == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [row[0] for row in cursor.fetchall()]
    assert any(Article._meta.db_table in sql for sql in statements) == prepared


def test_results_are_kept_under_the_generation(
    ranked, make_article, contributor, django_assert_num_queries
):
    keep = functools.partial(pagecache.kept_under, pagecache.current_generation(None, 0))
    first = search.search("begroting", keep=keep)
    assert first.count() == 5
    page = first[0:12]
    with django_assert_num_queries(0):
        assert search.search("begroting", keep=keep).count() == 5
    # the page's articles: author joined, topics and co-authors as JSON columns
    with django_assert_num_queries(1):
        again = search.search("begroting", keep=keep)[0:12]
    assert [(h.article, h.snippet) for h in again] == [(h.article, h.snippet) for h in page]
    make_article(contributor, P, title="Nog een begroting")  # a new generation in production
    assert search.search("begroting", keep=keep).count() == 5  # kept: same generation
    assert search.search("begroting").count() == 6


def test_search_page_says_more_than_the_limit(ranked, anonymous_client, monkeypatch):
    monkeypatch.setattr(results, "COUNT_LIMIT", 3)
    response = anonymous_client.get(reverse("web:search"), {"q": "begroting"})
    assert "Meer dan 3 artikelen gevonden" in response.content.decode()
    monkeypatch.setattr(results, "COUNT_LIMIT", 1000)
    response = anonymous_client.get(reverse("web:search"), {"q": "begroting"})
    assert "5 artikelen gevonden" in response.content.decode()


def test_an_endless_word_is_left_out_and_the_rest_is_found(make_article, contributor):
    make_article(
        contributor, P, title="Begroting", lead="Kort.", body=f"<p>{'x' * 3000} verzuim</p>"
    )
    assert titles(search.search("verzuim")) == ["Begroting"]
    assert not search.search("x" * 40).count()
