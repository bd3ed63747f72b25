"""List pages count their articles only up to a limit, so a page costs the same at 1,000 and at
100,000 articles: past it a listing says "page 3 of more than 50" and still pages on (older
pages are read, only not counted), and the topics page says "more than 100 articles"."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from podium.accounts.models import User
from podium.delivery import reads
from podium.topics.models import Topic
from podium.web import views
from tests.podium_helpers import bulk_publish

pytestmark = pytest.mark.django_db

N = 40  # articles; pages of 12: 12, 12, 12, 4


@pytest.fixture
def published(contributor: User, topics: list[Topic]) -> list[int]:
    """The articles' ids, newest first."""
    return [a.pk for a in bulk_publish(contributor, topics, N)]  # minute i+1 ago: newest first


@pytest.fixture
def limit(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(reads, "LISTING_COUNT_LIMIT", 24)  # two pages counted
    return 24


def _ids(response: Any) -> list[int]:
    return [article.pk for article in response.context["page"].object_list]


def test_a_listing_longer_than_the_limit_says_more_than_and_pages_on(
    published: list[int], limit: int, anonymous_client: Client
) -> None:
    url = reverse("web:articles")
    first = anonymous_client.get(url)
    assert "Pagina 1 van meer dan 2" in first.content.decode()
    assert 'rel="next" href="?pagina=2"' in first.content.decode()
    seen = _ids(first)
    for number, older in [(2, True), (3, True), (4, False)]:
        response = anonymous_client.get(url, {"pagina": number})
        page = response.content.decode()
        assert response.status_code == 200
        # Past the counted pages a page says only its number.
        label = "Pagina 2 van meer dan 2" if number == 2 else f"Pagina {number}</span>"
        assert label in page, number
        assert ('rel="next"' in page) is older, number
        assert 'rel="prev"' in page
        seen += _ids(response)
    assert seen == published  # every article once, newest first, none skipped
    english = anonymous_client.get("/en" + url).content.decode()
    assert "Page 1 of more than 2" in english


def test_a_page_past_the_end_falls_back_to_the_last_counted_page(
    published: list[int], limit: int, anonymous_client: Client
) -> None:
    for number in ("99", "0", "-1"):
        response = anonymous_client.get(reverse("web:articles"), {"pagina": number})
        assert response.status_code == 200
        assert response.context["page"].number == 2, number
    assert (
        anonymous_client.get(reverse("web:articles"), {"pagina": "x"}).context["page"].number == 1
    )


def test_a_listing_within_the_limit_keeps_its_exact_page_count(
    published: list[int], anonymous_client: Client
) -> None:
    assert reads.LISTING_COUNT_LIMIT >= N
    page = anonymous_client.get(reverse("web:articles")).content.decode()
    assert "Pagina 1 van 4" in page
    last = anonymous_client.get(reverse("web:articles"), {"pagina": 99})
    assert last.context["page"].number == 4  # Django's fallback, as before
    assert 'rel="next"' not in last.content.decode()


def test_topic_and_author_pages_page_on_past_the_limit(
    published: list[int],
    limit: int,
    anonymous_client: Client,
    contributor: User,
    topics: list[Topic],
) -> None:
    for url in (topics[0].get_absolute_url(), contributor.get_absolute_url()):
        assert "Pagina 1 van meer dan 2" in anonymous_client.get(url).content.decode(), url
        last = anonymous_client.get(url, {"pagina": 4})
        assert _ids(last) == published[36:], url
        assert 'rel="next"' not in last.content.decode()


def test_the_topics_page_counts_up_to_its_limit(
    published: list[int],
    anonymous_client: Client,
    monkeypatch: pytest.MonkeyPatch,
    django_assert_num_queries: Any,
) -> None:
    # Every article is in the first topic (40); the others share them (14, 13, 13).
    monkeypatch.setattr(views, "TOPIC_COUNT_LIMIT", 13)
    with django_assert_num_queries(1):  # the topics with their counts
        page = anonymous_client.get(reverse("web:topics")).content.decode()
    assert page.count("Meer dan 13 artikelen") == 2
    assert page.count("13 artikelen") == 4  # two exact, two "meer dan"
    english = anonymous_client.get("/en" + reverse("web:topics")).content.decode()
    assert english.count("More than 13 articles") == 2
    monkeypatch.setattr(views, "TOPIC_COUNT_LIMIT", 1000)
    page = anonymous_client.get(reverse("web:topics")).content.decode()
    assert "40 artikelen" in page and "Meer dan" not in page


def test_pages_past_the_limit_run_the_queries_of_the_first(
    published: list[int], limit: int, anonymous_client: Client, django_assert_num_queries: Any
) -> None:
    url = reverse("web:articles")
    for number in (1, 3, 4):
        # the page (one more article past the counted pages) with authors, pictures, co-authors
        # and topics in its rows, and the count (up to the limit) in the same statement
        with django_assert_num_queries(1):
            response = anonymous_client.get(url, {"pagina": number})
        assert response.context["page"].number == number
