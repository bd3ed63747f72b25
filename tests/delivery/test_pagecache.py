"""The anonymous page cache: what readers see changes on the very next request, from every process,
and nothing personal is ever stored or served to someone else.

Each test runs with the cache in files (the embedded set-up) and in Redis (when a server answers).
The "peer" is another process sharing the cache, as a second gunicorn worker or machine would."""

from __future__ import annotations

import datetime
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from podium.accounts.models import User
from podium.accounts.services import update_profile
from podium.articles import related, services
from podium.articles.models import Article, RelatedArticle
from podium.articles.services import ArticleText
from podium.delivery import pagecache
from podium.editorial import services as editorial
from tests.podium_helpers import BODY, ArticleBuilder, give_header_images

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]

Peer = Callable[..., dict[str, Any]]


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[[], Any]:
    """The test's transaction never commits: run what a service leaves for after its commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def get(client: Client, url: str, **headers: Any) -> Any:
    response = client.get(url, headers=headers)
    response.source = response.get("X-Page-Cache", "uncached")
    return response


@pytest.fixture
def article(make_article: ArticleBuilder, contributor: User) -> Article:
    return make_article(contributor, Article.State.PUBLISHED, title="Het eerste stuk over werk")


# --- Served from the cache ------------------------------------------------------------------------


def test_second_anonymous_request_is_served_from_the_cache(
    article: Article, anonymous_client: Client
) -> None:
    first = get(anonymous_client, article.get_absolute_url())
    second = get(Client(), article.get_absolute_url())
    assert (first.source, second.source) == ("miss", "hit")
    assert second.content == first.content
    assert second["Content-Type"].startswith("text/html")
    assert second["X-Frame-Options"] == "DENY"


def test_every_public_page_is_cached(
    article: Article, contributor: User, topics: list[Any]
) -> None:
    urls = [
        reverse("web:home"),
        reverse("web:articles"),
        article.get_absolute_url(),
        reverse("web:topics"),
        topics[0].get_absolute_url(),
        contributor.get_absolute_url(),
        reverse("web:feed_rss"),
        reverse("web:feed_atom"),
        reverse("web:sitemap"),
        reverse("web:robots"),
        reverse("newsletter:archive"),
    ]
    for url in urls:
        assert get(Client(), url).source == "miss", url
        assert get(Client(), url).source == "hit", url


def test_cached_page_has_public_cache_control_and_an_etag(article: Article) -> None:
    get(Client(), article.get_absolute_url())
    response = get(Client(), article.get_absolute_url())
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "s-maxage=1" in cache_control
    assert "stale-while-revalidate=10" in cache_control and "max-age=0" in cache_control
    again = get(Client(), article.get_absolute_url(), if_none_match=response["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_tracking_parameters_share_the_page_and_other_parameters_are_not_cached(
    article: Article,
) -> None:
    url = article.get_absolute_url()
    get(Client(), url)
    assert get(Client(), url + "?utm_source=linkedin&fbclid=abc").source == "hit"
    assert get(Client(), url + "?x=1").source == "uncached"
    assert get(Client(), reverse("web:articles") + "?pagina=2").source == "miss"


def test_search_results_are_not_cached(article: Article) -> None:
    assert get(Client(), reverse("web:search") + "?q=werk").source == "uncached"


def test_language_is_part_of_the_key(article: Article) -> None:
    dutch = get(Client(), reverse("web:home"))
    assert get(Client(), reverse("web:home")).source == "hit"
    english = get(Client(), "/en/")
    assert english.source == "miss"
    assert english["Content-Language"] == "en" and dutch["Content-Language"] == "nl"
    assert b'<html lang="en">' in english.content and b'<html lang="nl">' in dutch.content


def test_english_address_is_never_answered_with_the_dutch_page(article: Article) -> None:
    """Every public page in Dutch is cached first; its English address still gets English."""
    url = article.get_absolute_url()
    for _ in range(2):
        assert get(Client(), url)["Content-Language"] == "nl"
    english = [get(Client(), "/en" + url) for _ in range(2)]
    assert [r.source for r in english] == ["miss", "hit"]
    assert all(b'<html lang="en">' in r.content for r in english)
    assert ">Onderwerpen</a>" not in english[1].content.decode()


def test_an_english_reader_with_the_cookie_is_sent_to_the_english_address(
    article: Article,
) -> None:
    get(Client(), reverse("web:home"))  # the Dutch page is in the cache
    reader = Client()
    reader.cookies["django_language"] = "en"
    response = get(reader, reverse("web:home") + "?pagina=2")
    assert (response.status_code, response["Location"]) == (302, "/en/?pagina=2")
    assert "Cookie" in response["Vary"]


def test_search_is_not_cached_in_english_either(article: Article) -> None:
    assert get(Client(), "/en" + reverse("web:search") + "?q=werk").source == "uncached"


def test_health_endpoint_checks_database_and_caches(anonymous_client: Client) -> None:
    response = anonymous_client.get("/gezondheid/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {"database", "cache:default", "cache:pages"} <= set(body["checks"])
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_health_endpoint_answers_503_when_the_cache_is_down(
    settings: Any, anonymous_client: Client
) -> None:
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }
    response = anonymous_client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["cache:pages"]["ok"] is False


# --- Invalidation: the very next request shows the change ------------------------------------------


def test_publication_shows_on_the_home_page_at_once(
    article: Article,
    make_article: ArticleBuilder,
    other_contributor: User,
    editor: User,
    committed: Any,
) -> None:
    get(Client(), reverse("web:home"))
    assert get(Client(), reverse("web:home")).source == "hit"
    submitted = make_article(other_contributor, Article.State.SUBMITTED, title="Een nieuw geluid")
    assert get(Client(), reverse("web:home")).source == "hit"  # a submission is not public
    with committed():
        services.publish_article(article=submitted, by=editor)
    response = get(Client(), reverse("web:home"))
    assert response.source == "miss"
    assert "Een nieuw geluid" in response.content.decode()


def test_editor_edit_shows_at_once(article: Article, editor: User, committed: Any) -> None:
    get(Client(), article.get_absolute_url())
    with committed():
        services.edit_article(
            article=article,
            by=editor,
            text=ArticleText(title="Een scherpere titel", lead=article.lead, body=BODY),
            expected_version=article.version,
        )
    # The cached page at the old address is not served: a new title after publication is a new
    # address, and the old one answers 301 to it.
    moved = get(Client(), article.get_absolute_url())
    assert moved.status_code == 301
    article.refresh_from_db()
    assert moved["Location"] == article.get_absolute_url()
    assert "Een scherpere titel" in get(Client(), article.get_absolute_url()).content.decode()
    assert "Een scherpere titel" in get(Client(), reverse("web:home")).content.decode()


@pytest.mark.parametrize("how", ["take_down", "withdraw"])
def test_article_taken_offline_disappears_at_once(
    article: Article, editor: User, contributor: User, how: str, committed: Any
) -> None:
    assert get(Client(), article.get_absolute_url()).status_code == 200
    assert get(Client(), article.get_absolute_url()).source == "hit"
    with committed():
        if how == "take_down":
            editorial.take_down(article=article, by=editor, reason="Onjuiste cijfers.")
        else:
            services.withdraw_article(article=article, by=contributor)
    assert get(Client(), article.get_absolute_url()).status_code == 404
    assert article.title not in get(Client(), reverse("web:home")).content.decode()


def test_home_placement_shows_at_once(
    article: Article,
    make_article: ArticleBuilder,
    other_contributor: User,
    editor: User,
    committed: Any,
) -> None:
    newer = make_article(other_contributor, Article.State.PUBLISHED, title="Het nieuwste stuk")
    before = get(Client(), reverse("web:home"))
    assert before.context["lead_article"].pk == newer.pk
    with committed():
        editorial.place_on_home(article=article, by=editor)
    after = get(Client(), reverse("web:home"))
    assert after.source == "miss"
    assert after.context["lead_article"].pk == article.pk


def test_profile_change_shows_at_once(article: Article, contributor: User, committed: Any) -> None:
    get(Client(), article.get_absolute_url())
    get(Client(), contributor.get_absolute_url())
    with committed():
        update_profile(
            user=contributor, by=contributor, data={"bio": "Anna schrijft nu over ontslagrecht."}
        )
    assert "ontslagrecht" in get(Client(), article.get_absolute_url()).content.decode()
    assert "ontslagrecht" in get(Client(), contributor.get_absolute_url()).content.decode()


def test_scheduled_publication_appears_on_time_without_a_bump(
    article: Article, make_article: ArticleBuilder, other_contributor: User
) -> None:
    at = timezone.now() + datetime.timedelta(seconds=2)
    make_article(other_contributor, Article.State.PUBLISHED, at=at, title="Gepland voor straks")
    early = get(Client(), reverse("web:home"))
    assert "Gepland voor straks" not in early.content.decode()
    assert get(Client(), reverse("web:home")).source == "hit"
    # The page and the proxies' max-age end at the publication time.
    assert int(early["Cache-Control"].split("s-maxage=")[1].split(",")[0]) <= 2
    time.sleep(max(0.0, (at - timezone.now()).total_seconds()) + 0.1)
    late = get(Client(), reverse("web:home"))
    assert late.source == "miss"
    assert "Gepland voor straks" in late.content.decode()


def test_a_page_is_kept_until_the_scheduled_change_itself() -> None:
    """Not until the whole second before it: a page looked up 0.9 s before a scheduled
    publication was not kept at all (``int(0.9)``), one looked up 1.9 s before only for 1 s."""
    from django.http import HttpResponse
    from django.test import RequestFactory

    now = time.time()
    found = pagecache.Lookup("p:scheduled", pagecache.Generation("t", now + 0.9), None, now)
    response = HttpResponse(b"<p>Voor de publicatie</p>")
    response["ETag"] = '"e"'
    lifetime, expires_at = pagecache.store_page(RequestFactory().get("/"), found, response)
    assert (lifetime, expires_at) == (0, now + 0.9)
    kept = pagecache.store().page("p:scheduled")
    assert kept is not None and kept[1] == pytest.approx(now + 0.9)


def test_placement_start_is_on_time(article: Article, editor: User, committed: Any) -> None:
    starts = timezone.now() + datetime.timedelta(seconds=2)
    with committed():
        editorial.place_on_home(article=article, by=editor, starts_at=starts)
    assert pagecache.current_generation(
        pagecache.stored_generation(), time.time()
    ).until == pytest.approx(starts.timestamp(), abs=0.01)


def test_admin_change_bumps(
    article: Article, admin_client: Client, topics: list[Any], committed: Any
) -> None:
    get(Client(), topics[0].get_absolute_url())
    topic = topics[0]
    with committed():
        response = admin_client.post(
            reverse("admin:topics_topic_change", args=[topic.pk]),
            {"name": "Arbeidsmarkt en werk", "slug": topic.slug, "description": ""},
        )
    assert response.status_code in (200, 302)
    assert get(Client(), topics[0].get_absolute_url()).source == "miss"


def test_a_bump_in_another_process_invalidates_here(article: Article, peer: Peer) -> None:
    get(Client(), article.get_absolute_url())
    Article.objects.filter(pk=article.pk).update(
        title="Zonder bump veranderd"
    )  # no service: no bump
    assert get(Client(), article.get_absolute_url()).source == "hit"
    peer("bump")
    fresh = get(Client(), article.get_absolute_url())
    assert fresh.source == "miss"
    assert "Zonder bump veranderd" in fresh.content.decode()


def test_a_page_cached_here_is_served_by_another_process(article: Article, peer: Peer) -> None:
    import hashlib

    page = get(Client(), article.get_absolute_url())
    answer = peer("serve", article.get_absolute_url())
    assert answer == {"source": "hit", "sha": hashlib.sha256(page.content).hexdigest()}


def test_a_change_here_invalidates_the_other_process(
    article: Article, editor: User, peer: Peer, committed: Any
) -> None:
    get(Client(), article.get_absolute_url())
    assert peer("serve", article.get_absolute_url())["source"] == "hit"
    with committed():
        editorial.take_down(article=article, by=editor, reason="Onjuiste cijfers.")
    assert peer("serve", article.get_absolute_url())["source"] == "rendered"


def test_render_that_started_before_a_bump_is_never_served(article: Article, settings: Any) -> None:
    """The race: a worker reads old rows, a change commits and bumps, then the worker stores its
    page. It is stored under the old generation, so nobody is served it."""
    from django.http import HttpResponse
    from django.test import RequestFactory

    def slow_view(request: Any) -> HttpResponse:
        pagecache.bump()  # the change commits while this page is being rendered
        return HttpResponse("old text")

    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/podium/race/")
    request.user = AnonymousUser()
    pagecache.PageCacheMiddleware(slow_view)(request)
    again = pagecache.PageCacheMiddleware(lambda r: HttpResponse("new text"))(request)
    assert again.content == b"new text"


# --- Nothing personal is stored or served to someone else -------------------------------------------


def test_cached_pages_carry_no_csrf_token_and_set_no_cookie(article: Article) -> None:
    for url in [reverse("web:home"), article.get_absolute_url()]:
        response = get(Client(), url)
        assert response.source == "miss"
        assert "csrfmiddlewaretoken" not in response.content.decode()
        assert not response.cookies


def test_signed_in_member_never_gets_the_cached_page(
    article: Article, contributor_client: Client, contributor: User
) -> None:
    get(Client(), article.get_absolute_url())
    assert get(Client(), article.get_absolute_url()).source == "hit"
    response = get(contributor_client, article.get_absolute_url())
    assert response.source == "uncached"
    html = response.content.decode()
    assert reverse("articles:dashboard") in html and "csrfmiddlewaretoken" in html
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_signed_in_page_is_never_stored_for_others(
    article: Article, editor_client: Client, editor: User
) -> None:
    get(editor_client, article.get_absolute_url())
    get(editor_client, reverse("web:home"))
    for url in [article.get_absolute_url(), reverse("web:home")]:
        response = get(Client(), url)
        assert response.source == "miss"
        html = response.content.decode()
        assert reverse("editorial:desk") not in html
        assert editor.email not in html and "csrfmiddlewaretoken" not in html


def test_page_with_a_message_is_neither_served_from_nor_stored_in_the_cache(
    article: Article, contributor: User, client_for: Callable[[User], Client]
) -> None:
    get(Client(), reverse("web:home"))
    client = client_for(contributor)
    client.post(reverse("account_logout"))  # leaves "You have signed out." for the next page
    with_message = get(client, reverse("web:home"))
    assert with_message.source == "uncached"
    assert with_message.context["messages"] and "no-store" in with_message["Cache-Control"]
    message = str(next(iter(with_message.context["messages"])))
    for _ in range(2):
        other = get(Client(), reverse("web:home"))
        assert other.source == "hit" and message not in other.content.decode()


def test_footer_forms_work_without_a_token_from_this_site_only(article: Article) -> None:
    client = Client(enforce_csrf_checks=True)
    page = get(client, article.get_absolute_url())
    assert 'action="/nieuwsbrief/"' in page.content.decode()
    signup = client.post(
        reverse("newsletter:signup"), {"email": "lezer@example.org", "source": "footer"}
    )
    assert signup.status_code == 302
    switch = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert switch.status_code == 302 and switch.cookies["django_language"].value == "en"
    forged = Client(enforce_csrf_checks=True).post(
        reverse("newsletter:signup"),
        {"email": "slachtoffer@example.org", "source": "footer"},
        headers={"origin": "https://evil.example"},
    )
    assert forged.status_code == 403
    cross_site = Client(enforce_csrf_checks=True).post(
        reverse("set_language"), {"language": "en"}, headers={"sec-fetch-site": "cross-site"}
    )
    assert cross_site.status_code == 403


def test_signed_in_members_still_need_the_token(contributor: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(contributor)
    assert client.post(reverse("set_language"), {"language": "en"}).status_code == 403
    page = client.get(reverse("web:home")).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert (
        client.post(
            reverse("set_language"), {"language": "en", "csrfmiddlewaretoken": token}
        ).status_code
        == 302
    )


# --- The article's public part as a fragment: signed-in readers get it without a new render -------


def test_signed_in_reader_gets_the_article_fragment_in_a_page_of_their_own(
    article: Article,
    contributor_client: Client,
    django_assert_num_queries: Any,
    contributor: User,
) -> None:
    give_header_images([article], contributor)  # kept with the row: no look-up of its own
    anonymous = get(Client(), article.get_absolute_url())
    body = anonymous.content.decode().split('<article class="article"', 1)[1].split("</main>")[0]
    # The user (its role answers the header's editor check); the session comes from the cache
    # (cached_db). Not the article: the anonymous
    # render read it under this generation, and this process keeps it until the next one. Neither
    # the topics nor the related articles: they are in the fragment.
    with django_assert_num_queries(1):
        response = get(contributor_client, article.get_absolute_url())
    html = response.content.decode()
    assert response.source == "uncached" and body in html and "<picture" in body
    assert reverse("articles:dashboard") in html and "csrfmiddlewaretoken" in html
    assert "private" in response["Cache-Control"]


def test_edit_shows_at_once_to_signed_in_readers(
    article: Article, editor: User, contributor_client: Client, committed: Any
) -> None:
    get(contributor_client, article.get_absolute_url())
    with committed():
        services.edit_article(
            article=article,
            by=editor,
            text=ArticleText(title=article.title, lead="Een nieuwe inleiding.", body=BODY),
            expected_version=article.version,
        )
    assert (
        "Een nieuwe inleiding."
        in get(contributor_client, article.get_absolute_url()).content.decode()
    )


def test_article_row_is_read_again_after_a_change_in_another_process(
    article: Article, contributor_client: Client, peer: Peer
) -> None:
    def article_reads() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert get(contributor_client, article.get_absolute_url()).status_code == 200
        table, lines = Article._meta.db_table, RelatedArticle._meta.db_table
        return sum(
            f'FROM "{table}"' in query["sql"] and lines not in query["sql"]
            for query in queries.captured_queries
        )

    related.backfill()  # its "read more", computed after publication (here: none to show)
    article_reads()
    assert article_reads() == 0  # kept in this process under the current generation
    peer("bump")  # another worker published or changed something
    assert article_reads() == 1  # read again (and its fragment rendered again) under the new one
    assert article_reads() == 0


def test_article_row_is_read_every_time_without_the_memory_copy(
    article: Article, contributor_client: Client, settings: Any, django_assert_num_queries: Any
) -> None:
    settings.PODIUM_PAGE_CACHE_MEMORY_MB = 0
    give_header_images([article], article.author)  # joined with the article's row
    get(contributor_client, article.get_absolute_url())
    with django_assert_num_queries(2):  # the user and the article
        response = get(contributor_client, article.get_absolute_url())
    assert "<picture" in response.content.decode()


def test_signed_in_article_with_no_fragment_kept_runs_four_queries(
    make_article: ArticleBuilder,
    contributor: User,
    contributor_client: Client,
    topics: list[Any],
    django_assert_num_queries: Any,
) -> None:
    """bench/web.py's (d′): a signed-in reader opens an article of which nothing is kept under
    the current generation (its fragments, its row). The user; the article (whether it has
    co-authors rides with it); its "read more" lines with their rows (stored when it was
    published; co-authors ride with them too); their topics together with the article's own."""
    article, *_others = (
        make_article(
            contributor, Article.State.PUBLISHED, title=f"Werk en zorg {n}", topics=topics[:1]
        )
        for n in range(4)
    )
    related.backfill()  # what the tasks after publication do (not run in this test's transaction)
    get(contributor_client, article.get_absolute_url())
    pagecache.bump()  # a new generation: no fragment and no row of the first render is used
    with django_assert_num_queries(4):
        response = get(contributor_client, article.get_absolute_url())
    page = response.content.decode()
    assert page.count('class="teaser-title"') == 3
    assert topics[0].label in page.split('class="related"')[0]  # the article's own topic tags


def test_take_down_and_author_change_show_at_once_to_signed_in_readers(
    article: Article,
    contributor: User,
    other_contributor: User,
    editor: User,
    client_for: Callable[[User], Client],
    committed: Any,
) -> None:
    reader = client_for(other_contributor)
    assert get(reader, article.get_absolute_url()).status_code == 200
    with committed():
        update_profile(
            user=contributor, by=contributor, data={"bio": "Anna schrijft nu over ontslagrecht."}
        )
    assert "ontslagrecht" in get(reader, article.get_absolute_url()).content.decode()
    with committed():
        editorial.take_down(article=article, by=editor, reason="Onjuiste cijfers.")
    assert get(reader, article.get_absolute_url()).status_code == 404


def test_taken_down_related_article_leaves_the_fragment_at_once(
    article: Article,
    make_article: ArticleBuilder,
    other_contributor: User,
    editor: User,
    contributor_client: Client,
    committed: Any,
) -> None:
    other = make_article(
        other_contributor, Article.State.PUBLISHED, title="Het tweede stuk over werk"
    )
    assert other.get_absolute_url() in get(Client(), article.get_absolute_url()).content.decode()
    with committed():
        editorial.take_down(article=other, by=editor, reason="Onjuiste cijfers.")
    for client in (Client(), contributor_client):
        assert (
            other.get_absolute_url() not in get(client, article.get_absolute_url()).content.decode()
        )


def test_the_authors_preview_never_uses_or_fills_the_fragment(
    article: Article,
    contributor_client: Client,
    other_contributor: User,
    client_for: Callable[[User], Client],
) -> None:
    get(Client(), article.get_absolute_url())  # the public fragment is stored
    preview = contributor_client.get(reverse("articles:preview", args=[article.pk]))
    assert "preview-bar" in preview.content.decode()
    # Another signed-in reader: an uncached page around the fragment, which is still the public one.
    other = get(client_for(other_contributor), article.get_absolute_url()).content.decode()
    assert "preview-bar" not in other and article.title in other


def test_fragment_rendered_before_a_bump_is_never_served() -> None:
    old = pagecache.bump()
    assert pagecache.kept_under(old, "stuk", lambda: "oud") == "oud"
    assert pagecache.kept_under(old, "stuk", lambda: "nieuw") == "oud"  # kept
    new = pagecache.bump()
    assert pagecache.kept_under(new, "stuk", lambda: "nieuw") == "nieuw"
    assert pagecache.kept_under(None, "stuk", lambda: "zonder cache") == "zonder cache"


# --- The fast path: readers without a session are answered before sessions, CSRF, auth, messages ---


def test_reader_without_a_session_is_answered_before_the_rest_of_the_stack(
    article: Article,
) -> None:
    get(Client(), article.get_absolute_url())
    client = Client()
    client.cookies["csrftoken"] = "x" * 32  # cookies other than the session's change nothing
    response = get(client, article.get_absolute_url())
    assert response.source == "hit"
    request = response.wsgi_request
    assert not hasattr(request, "session") and not hasattr(request, "user")


def test_fast_path_answer_carries_every_header(article: Article) -> None:
    first = get(Client(), article.get_absolute_url())
    response = get(Client(), article.get_absolute_url())
    assert response.source == "hit" and not hasattr(response.wsgi_request, "session")
    for name in (
        "Content-Security-Policy",
        "Permissions-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
    ):
        assert response[name] == first[name], name
    assert response["X-Frame-Options"] == "DENY"
    assert "Cookie" in response["Vary"]
    assert response["Content-Language"] == "nl"
    assert response["Content-Type"] == first["Content-Type"]
    assert int(response["Content-Length"]) == len(first.content)
    assert response["ETag"] == first["ETag"] and "public" in response["Cache-Control"]
    assert not response.cookies


def test_a_session_cookie_never_gets_the_fast_path(
    article: Article, contributor_client: Client, contributor: User
) -> None:
    get(Client(), article.get_absolute_url())
    anonymous_session = Client()
    anonymous_session.cookies["sessionid"] = "geen-geldige-sessie"
    response = get(anonymous_session, article.get_absolute_url())
    # Through the whole stack: the session was looked at, and the page was still the cached one.
    assert response.source == "hit" and hasattr(response.wsgi_request, "session")
    signed_in = get(contributor_client, article.get_absolute_url())
    assert signed_in.source == "uncached" and hasattr(signed_in.wsgi_request, "user")
    assert contributor.display_name in signed_in.content.decode()  # the author box, and…
    assert reverse("articles:dashboard") in signed_in.content.decode()  # …their own menu


def test_a_messages_cookie_never_gets_the_fast_path(article: Article) -> None:
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.test import RequestFactory

    get(Client(), reverse("web:home"))
    storage = CookieStorage(RequestFactory().get("/"))
    client = Client()
    client.cookies["messages"] = storage._encode([Message(constants.INFO, "Een bericht voor u.")])
    response = get(client, reverse("web:home"))
    assert response.source == "uncached" and "Een bericht voor u." in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    other = get(Client(), reverse("web:home"))
    assert other.source == "hit" and "Een bericht voor u." not in other.content.decode()


def test_a_query_that_is_not_utf8_gets_its_400_not_the_cached_page(article: Article) -> None:
    get(Client(), article.get_absolute_url())
    response = Client().get(article.get_absolute_url() + "?utm_source=%FF")
    assert response.status_code == 400


def test_memory_copy_is_used_only_while_the_shared_generation_is_its_own(
    article: Article, peer: Peer
) -> None:
    page = get(Client(), article.get_absolute_url())
    key = pagecache.page_key(page.wsgi_request)
    assert key is not None
    pagecache.cache().delete(key)  # the shared copy is gone; this process's memory still has it
    assert get(Client(), article.get_absolute_url()).source == "hit"
    peer("bump")  # a change elsewhere: the memory copy is dead too
    assert get(Client(), article.get_absolute_url()).source == "miss"


def test_memory_copy_can_be_switched_off(article: Article, settings: Any) -> None:
    settings.PODIUM_PAGE_CACHE_MEMORY_MB = 0
    page = get(Client(), article.get_absolute_url())
    key = pagecache.page_key(page.wsgi_request)
    assert key is not None
    assert get(Client(), article.get_absolute_url()).source == "hit"
    pagecache.cache().delete(key)
    assert get(Client(), article.get_absolute_url()).source == "miss"


def test_fragment_memory_copy_is_used_only_while_the_shared_generation_is_its_own(
    peer: Peer,
) -> None:
    generation = pagecache.current_generation(pagecache.stored_generation(), time.time())
    calls: list[int] = []

    def compute() -> str:
        calls.append(1)
        return f"stuk {len(calls)}"

    assert pagecache.kept_under(generation, "proef", compute) == "stuk 1"
    pagecache.cache().clear()  # the shared copies are gone; this process still has its own
    assert pagecache.kept_under(generation, "proef", compute) == "stuk 1"
    peer("bump")  # a change elsewhere: the next request reads a new generation
    fresh = pagecache.current_generation(pagecache.stored_generation(), time.time())
    assert fresh.token != generation.token
    assert pagecache.kept_under(fresh, "proef", compute) == "stuk 2"


# --- The generation's own file (the embedded set-up) ---------------------------------------------


def test_every_bump_in_another_process_is_read_here_at_once(peer: Peer) -> None:
    """The file-based generation is checked with a stat() and read again only when it was
    replaced: a run of bumps elsewhere (new files whose inode numbers the filesystem may reuse)
    is each seen by the very next read here, never an older token."""
    for _ in range(30):
        token = peer("bump")["token"]
        assert pagecache.stored_generation()[0] == token
        assert pagecache.current_generation(pagecache.stored_generation(), time.time()).token == (
            token
        )


def test_the_generation_file_is_read_only_when_replaced(
    page_cache: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    if page_cache["BACKEND"] not in pagecache.DIRECTORY_BACKENDS:
        pytest.skip("the generation is a Redis key")
    first = pagecache.bump()
    opened: list[str] = []
    real_open = pagecache.os.open

    def counted(path: Any, *args: Any) -> int:
        if Path(path).name == "generation":  # (not the temporary files a bump writes)
            opened.append(str(path))
        return real_open(path, *args)

    monkeypatch.setattr(pagecache.os, "open", counted)
    for _ in range(5):
        assert pagecache.stored_generation()[0] == first.token
    assert len(opened) <= 1  # once (unless this process already held the file)
    opened.clear()
    second = pagecache.bump()
    assert pagecache.stored_generation()[0] == second.token
    assert pagecache.stored_generation()[0] == second.token
    assert len(opened) == 1


def test_a_generation_file_written_in_place_or_removed_is_noticed(
    page_cache: dict[str, Any],
) -> None:
    if page_cache["BACKEND"] not in pagecache.DIRECTORY_BACKENDS:
        pytest.skip("the generation is a Redis key")
    pagecache.bump()
    path = Path(page_cache["LOCATION"]) / "generation"
    with open(path, "r+b") as file:  # as `cp` restoring a backup would
        file.truncate(0)
        file.write(b'{"token": "restored-token", "until": null, "x": 1}')
    assert pagecache.stored_generation() == ("restored-token", None)
    path.unlink()
    assert pagecache.stored_generation() is None
    fresh = pagecache.current_generation(pagecache.stored_generation(), time.time())
    assert pagecache.stored_generation() == (fresh.token, fresh.until)
    path.write_bytes(b"not json")
    assert pagecache.stored_generation() is None  # damaged: the next request starts a new one


# --- The Redis store: one round trip per anonymous reader ------------------------------------------


def test_an_anonymous_reader_costs_one_round_trip(
    article: Article, make_article: ArticleBuilder, contributor: User, redis_commands: list[str]
) -> None:
    url = article.get_absolute_url()
    get(Client(), url)
    redis_commands.clear()
    assert get(Client(), url).source == "hit"  # from this process's memory
    # The generation as the tracking connection holds it: no round trip at all.
    assert redis_commands == []
    pagecache._memory.entries.clear()
    redis_commands.clear()
    assert get(Client(), url).source == "hit"  # from the shared store
    assert redis_commands == ["MGET"]  # the generation and the page together


def test_values_pickled_by_djangos_cache_api_read_as_nothing(
    article: Article, page_cache: dict[str, Any]
) -> None:
    """What an earlier release left under the same keys is never served, and never breaks a
    request: the generation starts anew, the page is rendered and stored again."""
    if "redis" not in page_cache["BACKEND"]:
        pytest.skip("Redis only")
    page = get(Client(), article.get_absolute_url())
    key = pagecache.page_key(page.wsgi_request)
    assert key is not None
    old = pagecache.stored_generation()
    pagecache.cache().set(pagecache.GENERATION_KEY, old, timeout=None)
    pagecache.cache().set(key, ("token", time.time() + 60, b"old", [], '"x"'), timeout=60)
    pagecache._memory.entries.clear()
    again = get(Client(), article.get_absolute_url())
    assert again.source == "miss" and again.content == page.content
    assert pagecache.stored_generation()[0] != old[0]
    assert get(Client(), article.get_absolute_url()).source == "hit"


# --- The generation in Redis: tracked, not read on every request --------------------------------


@pytest.fixture
def tracked(page_cache: dict[str, Any]) -> Any:
    if "redis" not in page_cache["BACKEND"]:
        pytest.skip("Redis only")
    return pagecache.store().tracked  # type: ignore[attr-defined]


@pytest.fixture
def elsewhere(page_cache: dict[str, Any]) -> Callable[[], str]:
    """A bump written by another Redis client, as another process or machine would."""
    import redis

    from tests.podium_helpers import REDIS_URL

    client = redis.Redis.from_url(REDIS_URL)
    key = pagecache.store().generation_key  # type: ignore[attr-defined]

    def bump() -> str:
        token = uuid.uuid4().hex[:16]
        client.set(key, f"{token} -".encode())
        return token

    return bump


def test_the_tracked_generation_costs_no_round_trip_until_it_changes(
    tracked: Any, redis_commands: list[str], elsewhere: Callable[[], str]
) -> None:
    first = pagecache.bump()
    assert pagecache.stored_generation()[0] == first.token
    redis_commands.clear()
    for _ in range(5):
        assert pagecache.stored_generation()[0] == first.token
    assert redis_commands == []  # (the page cache's own client; the tracking connection polls)
    token = elsewhere()
    assert pagecache.stored_generation()[0] == token


def test_every_bump_written_elsewhere_is_read_here_at_once(
    tracked: Any, elsewhere: Callable[[], str]
) -> None:
    """Redis writes a tracked key's invalidation before the reply to the SET that changed it
    (BCAST mode): once a bump has returned anywhere, the very next read here sees it."""
    pagecache.stored_generation()
    for _ in range(300):
        token = elsewhere()
        assert pagecache.stored_generation()[0] == token
    assert tracked.connection is not None  # all of them through the tracking connection


def test_a_broken_tracking_connection_falls_back_to_reading_the_key(
    tracked: Any,
    elsewhere: Callable[[], str],
    redis_commands: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import redis

    pagecache.stored_generation()
    connection = tracked.connection
    assert connection is not None

    def broken(*args: Any, **kwargs: Any) -> bool:
        raise redis.ConnectionError("gone")

    monkeypatch.setattr(connection, "can_read", broken)
    redis_commands.clear()
    token = elsewhere()
    assert pagecache.stored_generation()[0] == token  # read with a round trip
    assert tracked.connection is None and redis_commands == ["GET"]
    token = elsewhere()
    assert pagecache.stored_generation()[0] == token  # until it may connect again
    assert redis_commands == ["GET", "GET"]
    monkeypatch.setattr(tracked, "retry_at", 0.0)
    token = elsewhere()
    assert pagecache.stored_generation()[0] == token
    assert tracked.connection is not None and redis_commands == ["GET", "GET"]


def test_a_server_that_refuses_tracking_is_read_on_every_request(
    tracked: Any,
    elsewhere: Callable[[], str],
    redis_commands: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import redis

    monkeypatch.setattr(tracked, "connection", None)
    send = redis.connection.Connection.send_command

    def refusing(self: Any, *args: Any, **kwargs: Any) -> None:
        if args[:2] == ("CLIENT", "TRACKING"):
            args = ("NO-SUCH-COMMAND",)
        send(self, *args, **kwargs)

    monkeypatch.setattr(redis.connection.Connection, "send_command", refusing)
    for _ in range(3):
        token = elsewhere()
        assert pagecache.stored_generation()[0] == token
    assert tracked.unsupported and redis_commands == ["GET", "GET", "GET"]


def test_a_tracked_value_is_read_again_after_a_while_whatever_happens(
    tracked: Any, elsewhere: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should an invalidation ever be lost (a half-open connection), the value is trusted for
    RECHECK_SECONDS at most."""
    first = pagecache.bump()
    assert pagecache.stored_generation()[0] == first.token
    monkeypatch.setattr(tracked, "value", b"lost -")  # as if an invalidation had not arrived
    assert pagecache.stored_generation()[0] == "lost"
    monkeypatch.setattr(tracked, "read_at", time.monotonic() - tracked.RECHECK_SECONDS)
    assert pagecache.stored_generation()[0] == first.token


def test_the_process_memories_are_small_by_default() -> None:
    """Each of the three memories (pages, answers, fragments) may hold this much: together they
    must leave a web process well under 150 MB (bench/web.py's worker RSS)."""
    from podium import settings as defaults

    assert 0 < defaults.PODIUM_PAGE_CACHE_MEMORY_MB * 3 <= 24
