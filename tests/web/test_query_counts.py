"""Every list page runs a fixed number of queries, whether there are 5 articles or 50.

The numbers are pinned: if one grows, a template reached through a relation the selector did not
load (an N+1); if one shrinks, update it here and say why in the commit. Every article carries a
header image, so the cards render their <picture> (joined with the article: no extra query)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from podium.accounts.models import User
from podium.articles import related
from podium.articles.models import CoAuthor
from podium.topics.models import Topic
from tests.podium_helpers import bulk_publish, bulk_submit, give_header_images

pytestmark = pytest.mark.django_db

SIZES = [5, 50]


def every_card_has_a_picture(response: Any) -> bool:
    page = response.content.decode()
    return page.count('class="teaser-picture"') == page.count('<article class="teaser') > 0


# Anonymous readers: no session, no user.
HOME = 1  # articles (author, header image, co-authors and topics in the row); the topics
# + the editors' placements (empty here) and the most read (none yet); with placements and reader
# signals the count is pinned in tests/editorial/test_home_page.py.
HOME_QUERIES = HOME + 1 + 2
# Every list that shows bylines reads the co-authors of its articles with the articles, as a
# column of their rows (articles.models.byline_column): no query of their own, however many
# articles and co-authors it shows. (Co-authors first came as a prefetch, one query more on every
# list page; the pins are back to what they were before co-authors.)
# The search page: the search's own statements on its index (SQLite: the ids, then their ranking
# data; PostgreSQL: one, its function asking every window of article ids however far apart the
# ids lie), then a fixed number for the page: its articles (author, header image and co-authors
# joined, topics as a column), and the filter's topic menu.
SEARCH_INDEX_QUERIES = {"sqlite": 2, "postgresql": 1}.get(connection.vendor, 2)
SEARCH_PAGE_QUERIES = 2
SEARCH_PAGE_QUERIES_SINGLE_AUTHORS = 2
# Lists read their cards' topics as a column of the articles' rows too (articles.models.
# topics_column): no query of their own (a prefetch was one query more on every list page).
# the topic; the page of articles with the list's count (author joined, topics in the row)
TOPIC_QUERIES = 2
# the author; the articles they co-wrote (ids); the page with the count (author joined, topics
# in the row); expertise
AUTHOR_QUERIES = 4
# the article (author joined) and its byline (it is co-written: the co-authors with their whole
# accounts, for the author boxes, read only for an article that has any, an EXISTS riding with
# its row); then the related articles: their stored lines with their published rows (author and
# co-authors in them), and their topics together with the article's own. The first render costs
# the same: the lines were computed when the article was published (articles.related).
ARTICLE_QUERIES = 1 + 1 + 2
# Before its lines are computed (the task after publication), the newest of its topics instead.
ARTICLE_QUERIES_NOT_COMPUTED = ARTICLE_QUERIES + 1
# Signed in: the user (the header's editor check reads the role on the user's row); the session
# comes from the cache (cached_db), the database only on a miss.
SIGNED_IN = 1
# own articles with the editors' last message and their co-authors; their topics
DASHBOARD_QUERIES = SIGNED_IN + 2
DASHBOARD_QUERIES += 1  # the editors' notices (featured, picked)
DASHBOARD_QUERIES += 1  # the compilations ("Het beste van Podium") the author's articles are in
DASHBOARD_QUERIES += 1  # open invitations to write together
# The desk: the filter's topic menu (authors are searched by name, not listed), and per queue
# (submitted, changes requested, published without review, recently published) its count and
# its rows (author joined), plus the topics of the two queues that have rows here.
DESK_QUERIES = SIGNED_IN + 1 + 4 * 2 + 2
DESK_QUERIES += 2  # moderation: open reports from readers, and spam flags


@pytest.fixture(params=SIZES, ids=[f"{n}-articles" for n in SIZES])
def published(
    request: pytest.FixtureRequest, contributor: User, other_contributor: User, topics: list[Topic]
) -> int:
    n: int = request.param
    mine = bulk_publish(contributor, topics, n)
    give_header_images(
        mine + bulk_publish(other_contributor, topics, n, prefix="ander"), contributor
    )
    # Every other article of the contributor is co-written: bylines cost no query per article.
    now = timezone.now()
    CoAuthor.objects.bulk_create(
        CoAuthor(
            article=article,
            email=other_contributor.email,
            user=other_contributor,
            state=CoAuthor.State.ACCEPTED,
            invited_by=contributor,
            expires_at=now,
            answered_at=now,
        )
        for article in mine[::2]
    )
    return n


def test_home_page(
    published: int, anonymous_client: Client, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(HOME_QUERIES):
        response = anonymous_client.get(reverse("web:home"))
    assert response.status_code == 200
    assert every_card_has_a_picture(response)


def test_article_list(
    published: int, anonymous_client: Client, django_assert_num_queries: Any
) -> None:
    # the page with the list's count (author, co-authors, topics in the row)
    with django_assert_num_queries(1):
        response = anonymous_client.get(reverse("web:articles"))
    assert response.status_code == 200


def test_topic_page(
    published: int, anonymous_client: Client, topics: list[Topic], django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(TOPIC_QUERIES):
        response = anonymous_client.get(topics[0].get_absolute_url())
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(2 * published, 12)
    assert every_card_has_a_picture(response)


def test_topic_list(
    published: int, anonymous_client: Client, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        response = anonymous_client.get(reverse("web:topics"))
    assert response.status_code == 200


def test_author_page(
    published: int, anonymous_client: Client, contributor: User, django_assert_num_queries: Any
) -> None:
    contributor.expertise.set(Topic.objects.all()[:2])
    with django_assert_num_queries(AUTHOR_QUERIES):
        response = anonymous_client.get(contributor.get_absolute_url())
    assert response.status_code == 200
    assert every_card_has_a_picture(response)


def test_article_page(
    published: int, anonymous_client: Client, contributor: User, django_assert_num_queries: Any
) -> None:
    article = contributor.articles.first()
    assert article is not None
    with django_assert_num_queries(ARTICLE_QUERIES_NOT_COMPUTED):
        response = anonymous_client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert response.context["related"]
    related.backfill()  # what the tasks after publication do (not run in this test's transaction)
    with django_assert_num_queries(ARTICLE_QUERIES):
        response = anonymous_client.get(article.get_absolute_url())
    assert response.status_code == 200
    with django_assert_num_queries(ARTICLE_QUERIES):
        response = anonymous_client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert response.context["related"]
    assert every_card_has_a_picture(response)  # "Lees verder"


def test_dashboard(
    published: int,
    contributor_client: Client,
    contributor: User,
    topics: list[Topic],
    django_assert_num_queries: Any,
) -> None:
    bulk_submit(contributor, topics, published)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = contributor_client.get(reverse("articles:dashboard"))
    assert response.status_code == 200
    assert len(response.context["articles"]) == 2 * published


def test_editor_desk(
    published: int,
    editor_client: Client,
    contributor: User,
    other_contributor: User,
    topics: list[Topic],
    django_assert_num_queries: Any,
) -> None:
    bulk_submit(contributor, topics, published)
    bulk_submit(other_contributor, topics, published, prefix="ander-ingediend")
    with django_assert_num_queries(DESK_QUERIES):
        response = editor_client.get(reverse("editorial:desk"))
    assert response.status_code == 200
    assert response.context["queues"]["submitted"][0] == 2 * published


def test_search_page(published: int, anonymous_client: Client) -> None:
    from podium.articles import search

    search.rebuild_index()
    with CaptureQueriesContext(connection) as captured:
        response = anonymous_client.get(reverse("web:search"), {"q": "artikel"})
    assert response.status_code == 200
    on_index = [q for q in captured.captured_queries if "articles_search" in q["sql"]]
    assert len(on_index) == SEARCH_INDEX_QUERIES
    assert len(captured.captured_queries) - len(on_index) == SEARCH_PAGE_QUERIES
    page = response.content.decode()
    results = page.count('<li class="result')
    assert results == min(2 * published, 12)
    assert page.count('class="result-picture"') == results  # a picture on every result


def test_search_page_of_single_author_articles_reads_no_coauthors(
    published: int, anonymous_client: Client
) -> None:
    from podium.articles import search

    CoAuthor.objects.all().delete()
    search.rebuild_index()
    with CaptureQueriesContext(connection) as captured:
        response = anonymous_client.get(reverse("web:search"), {"q": "artikel"})
    assert response.status_code == 200
    on_index = [q for q in captured.captured_queries if "articles_search" in q["sql"]]
    assert len(captured.captured_queries) - len(on_index) == SEARCH_PAGE_QUERIES_SINGLE_AUTHORS
    assert response.content.decode().count('<li class="result') == min(2 * published, 12)
