"""PageCacheWSGI (podium.wsgi): readers without cookies of their own get the answer this process
last sent for the address, exactly as Django sent it, and only while its generation is current;
everything that could change the answer goes through Django."""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from podium.accounts.models import User
from podium.articles.models import Article
from podium.delivery import pagecache
from tests.podium_helpers import ArticleBuilder

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]

Peer = Callable[..., dict[str, Any]]


@pytest.fixture(autouse=True)
def _keep_the_test_transaction() -> Iterator[None]:
    """As Django's test client does: a request must not close the test's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def article(make_article: ArticleBuilder, contributor: User) -> Article:
    return make_article(contributor, Article.State.PUBLISHED, title="Het eerste stuk over werk")


class Site:
    """The site's WSGI stack, counting the requests that reach Django."""

    def __init__(self) -> None:
        self.django = WSGIHandler()
        self.reached_django = 0
        self.application = pagecache.PageCacheWSGI(self.count)

    def count(self, environ: dict[str, Any], start_response: Any) -> Any:
        self.reached_django += 1
        return self.django(environ, start_response)

    def get(self, path: str, method: str = "GET", query: str = "", **headers: str) -> Any:
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SCRIPT_NAME": "",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "testserver",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            **{f"HTTP_{name.upper()}": value for name, value in headers.items()},
        }
        sent: list[Any] = []
        body = self.application(
            environ, lambda status, headers, exc=None: sent.append((status, headers))
        )
        content = b"".join(body)
        getattr(body, "close", lambda: None)()
        status, header_list = sent[0]
        return status, dict(header_list), content


@pytest.fixture
def site() -> Site:
    return Site()


def test_the_remembered_answer_is_the_one_django_sent(article: Article, site: Site) -> None:
    path = article.get_absolute_url()
    rendered = site.get(path)  # rendered and stored by the page cache, and remembered here
    assert (site.reached_django, rendered[1]["X-Page-Cache"]) == (1, "miss")
    status, headers, body = site.get(path)
    assert site.reached_django == 1  # answered in front of Django
    # Django's own answer from the page cache (an ETag that does not match: still a 200).
    from_django = site.get(path, IF_NONE_MATCH='"another"')
    assert site.reached_django == 2 and from_django[1]["X-Page-Cache"] == "hit"
    assert (status, headers, body) == from_django  # every header, the security headers included
    assert body == rendered[2]
    assert {k: v for k, v in headers.items() if k != "X-Page-Cache"} == {
        k: v for k, v in rendered[1].items() if k != "X-Page-Cache"
    }
    assert int(headers["Content-Length"]) == len(body)
    assert "Set-Cookie" not in headers


def test_a_bump_in_another_process_reaches_django_at_once(
    article: Article, site: Site, peer: Peer
) -> None:
    path = article.get_absolute_url()
    site.get(path)
    Article.objects.filter(pk=article.pk).update(title="Zonder bump veranderd")
    assert b"Zonder bump veranderd" not in site.get(path)[2]
    reached = site.reached_django
    peer("bump")  # another worker published something
    _status, headers, body = site.get(path)
    assert site.reached_django == reached + 1
    assert headers["X-Page-Cache"] == "miss"
    assert "Zonder bump veranderd" in body.decode()


def test_a_bump_here_reaches_django_at_once(article: Article, site: Site) -> None:
    path = article.get_absolute_url()
    site.get(path)
    pagecache.bump()
    reached = site.reached_django
    assert site.get(path)[1]["X-Page-Cache"] == "miss"
    assert site.reached_django == reached + 1


def test_the_answer_is_not_used_after_its_lifetime(
    article: Article, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = article.get_absolute_url()
    site.get(path)
    reached = site.reached_django
    later = time.time() + 3600
    monkeypatch.setattr(pagecache.time, "time", lambda: later)
    site.get(path)
    assert site.reached_django == reached + 1


@pytest.mark.parametrize(
    ("method", "query", "headers"),
    [
        ("GET", "", {"COOKIE": "sessionid=abc"}),
        ("GET", "", {"COOKIE": "messages=abc"}),
        ("GET", "", {"COOKIE": "django_language=en"}),
        ("GET", "", {"IF_NONE_MATCH": '"x"'}),
        ("GET", "", {"X_FORWARDED_HOST": "elders.example"}),
        ("GET", "pagina=2", {}),
        ("HEAD", "", {}),
    ],
)
def test_whatever_could_change_the_answer_goes_to_django(
    article: Article, site: Site, method: str, query: str, headers: dict[str, str]
) -> None:
    path = article.get_absolute_url()
    site.get(path)
    reached = site.reached_django
    site.get(path, method=method, query=query, **headers)
    assert site.reached_django == reached + 1


def test_other_cookies_and_schemes_have_answers_of_their_own(article: Article, site: Site) -> None:
    path = article.get_absolute_url()
    site.get(path)
    reached = site.reached_django
    site.get(path, COOKIE="csrftoken=" + "x" * 32)  # changes nothing: the remembered answer
    assert site.reached_django == reached
    site.get(path, X_FORWARDED_PROTO="https")  # HSTS and the HTTPS redirect: Django decides
    assert site.reached_django == reached + 1


def test_pages_the_cache_does_not_keep_are_never_remembered(article: Article, site: Site) -> None:
    for _ in range(3):
        site.get("/zoeken/", query="")
        site.get("/gezondheid/")
    assert site.reached_django == 6


def test_nothing_is_remembered_with_the_page_cache_off(
    article: Article, site: Site, settings: Any
) -> None:
    settings.PODIUM_PAGE_CACHE = False
    for _ in range(3):
        site.get(article.get_absolute_url())
    assert site.reached_django == 3


def test_at_most_one_round_trip_to_redis_per_request(
    article: Article,
    make_article: ArticleBuilder,
    contributor: User,
    site: Site,
    redis_commands: list[str],
) -> None:
    """A remembered answer costs no round trip (the generation as the tracking connection holds
    it); an address this process has no answer for goes straight to Django, whose page cache
    reads the generation and the page together (MGET): one round trip."""
    path = article.get_absolute_url()
    site.get(path)
    other = make_article(
        contributor, Article.State.PUBLISHED, title="Een tweede stuk"
    ).get_absolute_url()
    redis_commands.clear()
    assert site.get(path)[1]["X-Page-Cache"] == "hit" and site.reached_django == 1
    assert redis_commands == []
    redis_commands.clear()
    site.get(other)  # the generation and the (missing) page first, then the page's fragments
    assert redis_commands[0] == "MGET" and redis_commands.count("MGET") == 1
    pagecache._memory.entries.clear()
    pagecache._wire_memory.entries.clear()
    redis_commands.clear()
    assert site.get(other)[1]["X-Page-Cache"] == "hit"  # from Redis, through Django
    assert redis_commands == ["MGET"]


def test_answers_are_remembered_again_after_a_bump_elsewhere(
    article: Article, make_article: ArticleBuilder, contributor: User, site: Site, peer: Peer
) -> None:
    """After a bump elsewhere the first address asked for here may be one this process never
    answered: its answer is remembered under the new generation all the same."""
    site.get(article.get_absolute_url())
    peer("bump")
    other = make_article(
        contributor, Article.State.PUBLISHED, title="Een tweede stuk"
    ).get_absolute_url()
    site.get(other)
    reached = site.reached_django
    assert site.get(other)[1]["X-Page-Cache"] == "hit"
    assert site.reached_django == reached  # answered in front of Django
