"""Reader signals: counted once per client and day, without cookies or stored addresses; bots and
malformed requests are not counted; contributors see only their own statistics."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from podium.accounts.models import User
from podium.articles.models import Article
from podium.stats import selectors
from podium.stats.models import DailyArticleStats
from tests.podium_helpers import ArticleBuilder, bulk_publish

pytestmark = pytest.mark.django_db
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"


@pytest.fixture
def live(make_article: ArticleBuilder, contributor: User) -> Article:
    return make_article(contributor, Article.State.PUBLISHED)


def _beacon(
    client: Client,
    article_id: object,
    signal: str = "view",
    ua: str = BROWSER,
    ip: str = "192.0.2.10",
) -> Any:
    return client.post(
        reverse("stats:beacon"),
        {"article": article_id, "signal": signal},
        HTTP_USER_AGENT=ua,
        REMOTE_ADDR=ip,
    )


def _row(article: Article) -> DailyArticleStats:
    return DailyArticleStats.objects.get(article=article, day=timezone.localdate())


def test_a_view_is_counted_once_per_client_and_day(live: Article) -> None:
    client = Client(enforce_csrf_checks=True)  # the beacon cannot send a token
    assert _beacon(client, live.pk).status_code == 204
    assert _beacon(client, live.pk).status_code == 204
    assert _row(live).views == 1
    _beacon(client, live.pk, ip="192.0.2.11")
    _beacon(client, live.pk, ua=BROWSER + " Firefox")
    assert _row(live).views == 3
    assert not client.cookies  # no cookie set


def test_read_through_is_counted_separately(live: Article) -> None:
    client = Client()
    _beacon(client, live.pk)
    _beacon(client, live.pk, "read")
    _beacon(client, live.pk, "read")
    row = _row(live)
    assert (row.views, row.read_throughs) == (1, 1)


@override_settings(PODIUM_TRUSTED_PROXIES=["127.0.0.1/32"])
def test_behind_the_proxy_readers_are_told_apart_by_their_own_address(live: Article) -> None:
    client = Client()
    for reader in ("192.0.2.20", "192.0.2.21", "192.0.2.21"):
        client.post(
            reverse("stats:beacon"),
            {"article": live.pk, "signal": "view"},
            HTTP_USER_AGENT=BROWSER,
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=reader,
        )
    assert _row(live).views == 2


@pytest.mark.parametrize(
    "ua",
    [
        "",
        "Googlebot/2.1 (+http://www.google.com/bot.html)",
        "curl/8.0",
        "Mozilla/5.0 HeadlessChrome/130",
    ],
)
def test_bots_are_not_counted(live: Article, ua: str) -> None:
    assert _beacon(Client(), live.pk, ua=ua).status_code == 204
    assert not DailyArticleStats.objects.exists()


@pytest.mark.parametrize(
    ("article", "signal", "status"),
    [
        ("abc", "view", 400),
        ("", "view", 400),
        ("1" * 30, "view", 400),
        ("12", "like", 400),
        ("999999", "view", 404),
    ],
)
def test_malformed_or_unknown_requests(
    live: Article, article: str, signal: str, status: int
) -> None:
    assert _beacon(Client(), article, signal).status_code == status
    assert not DailyArticleStats.objects.exists()


@pytest.mark.parametrize(
    "state", [Article.State.SUBMITTED, Article.State.OFFLINE, Article.State.DRAFT]
)
def test_only_live_articles_are_counted(
    make_article: ArticleBuilder, contributor: User, state: str
) -> None:
    article = make_article(contributor, state)
    assert _beacon(Client(), article.pk).status_code == 404
    assert not DailyArticleStats.objects.exists()


def test_beacon_is_post_only(live: Article) -> None:
    assert (
        Client().get(reverse("stats:beacon"), {"article": live.pk, "signal": "view"}).status_code
        == 405
    )


def test_nothing_identifying_is_stored(live: Article) -> None:
    _beacon(Client(), live.pk, ip="203.0.113.77")
    fields = {f.name for f in DailyArticleStats._meta.get_fields()}
    assert fields == {"id", "article", "day", "views", "read_throughs"}


def test_article_page_carries_the_beacon_but_the_preview_does_not(
    live: Article, anonymous_client: Client, contributor_client: Client
) -> None:
    html = anonymous_client.get(live.get_absolute_url()).content.decode()
    assert 'id="stats-beacon"' in html and "stats/beacon.js" in html
    preview = contributor_client.get(reverse("articles:preview", args=[live.pk])).content.decode()
    assert 'id="stats-beacon"' not in preview


# --- What the contributor sees ------------------------------------------------------------------


def test_overview_shows_views_rate_and_chart(live: Article, contributor_client: Client) -> None:
    DailyArticleStats.objects.create(
        article=live, day=timezone.localdate(), views=10, read_throughs=4
    )
    DailyArticleStats.objects.create(
        article=live,
        day=timezone.localdate() - datetime.timedelta(days=1),
        views=10,
        read_throughs=1,
    )
    response = contributor_client.get(reverse("stats:overview"))
    reading = response.context["readings"][0]
    assert (reading.views, reading.read_throughs, reading.read_through_percent) == (
        20,
        5,
        25,
    )
    html = response.content.decode()
    assert "<svg" in html and 'role="img"' in html and "25%" in html


def test_article_statistics_per_role(
    live: Article,
    contributor_client: Client,
    other_client: Client,
    anonymous_client: Client,
    editor_client: Client,
) -> None:
    url = reverse("stats:article", args=[live.pk])
    assert contributor_client.get(url).status_code == 200
    assert other_client.get(url).status_code == 404
    assert editor_client.get(url).status_code == 404
    assert anonymous_client.get(url).status_code == 302
    assert anonymous_client.get(reverse("stats:overview")).status_code == 302


def test_article_series_since_publication_fills_in_zeros(live: Article) -> None:
    Article.objects.filter(pk=live.pk).update(
        published_at=timezone.now() - datetime.timedelta(days=3)
    )
    live.refresh_from_db()
    DailyArticleStats.objects.create(
        article=live, day=timezone.localdate() - datetime.timedelta(days=1), views=5
    )
    series = selectors.article_series(live)
    assert [d.views for d in series] == [0, 0, 5, 0]


@pytest.mark.parametrize("n", [5, 50])
def test_overview_query_count(
    n: int,
    contributor: User,
    topics: list[Any],
    contributor_client: Client,
    django_assert_num_queries: Any,
) -> None:
    for article in bulk_publish(contributor, topics, n):
        DailyArticleStats.objects.create(article=article, day=timezone.localdate(), views=1)
    # user (the session comes from the cache); articles with totals; their recent days
    with django_assert_num_queries(3):
        response = contributor_client.get(reverse("stats:overview"))
    assert len(response.context["readings"]) == n


def test_most_read_counts_only_the_window(
    make_article: ArticleBuilder, contributor: User, settings: Any
) -> None:
    recent, old = (
        make_article(contributor, Article.State.PUBLISHED),
        make_article(contributor, Article.State.PUBLISHED),
    )
    DailyArticleStats.objects.create(article=recent, day=timezone.localdate(), views=3)
    DailyArticleStats.objects.create(
        article=old, day=timezone.localdate() - datetime.timedelta(days=20), views=100
    )
    assert list(selectors.most_read()) == [recent]


def test_most_read_skips_articles_no_longer_live_however_many_lead(
    contributor: User, topics: list[Any], django_assert_num_queries: Any
) -> None:
    """The ranking is read without asking whether each article is live; the leaders' rows are
    asked in batches of a few more than the limit, so offline articles at the top push the live
    ones into a further batch, never out of the list."""
    articles = bulk_publish(contributor, topics, 15)
    today = timezone.localdate()
    for views, article in enumerate(articles, start=1):
        DailyArticleStats.objects.create(article=article, day=today, views=views)
    most_first = articles[::-1]
    # The 12 most read are offline now (a withdrawal, a take-down): only the 3 least read are live.
    Article.objects.filter(pk__in=[a.pk for a in most_first[:12]]).update(
        state=Article.State.OFFLINE
    )
    # Two batches of ten: each the ranking, then its rows.
    with django_assert_num_queries(4):
        found = selectors.most_read(limit=5)
    assert found == most_first[12:]
    # An article scheduled for later is not live either.
    Article.objects.filter(pk=most_first[12].pk).update(
        published_at=timezone.now() + datetime.timedelta(days=1)
    )
    assert selectors.most_read(limit=5) == most_first[13:]
    assert selectors.most_read(limit=1) == most_first[13:14]
    assert selectors.most_read(limit=1, exclude=[most_first[13].pk]) == most_first[14:]
