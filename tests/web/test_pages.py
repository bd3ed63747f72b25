"""The public site: what readers see, what they do not, and the error pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.views.defaults import server_error

from podium.accounts.models import User
from podium.articles.models import Article
from podium.topics.models import Topic
from tests.podium_helpers import ArticleBuilder

State = Article.State

pytestmark = pytest.mark.django_db


def test_home_page_shows_the_latest_publications(
    make_article: ArticleBuilder, contributor: User, anonymous_client: Client
) -> None:
    make_article(contributor, State.PUBLISHED, title="Eerder")
    make_article(contributor, State.PUBLISHED, title="Later")
    content = anonymous_client.get(reverse("web:home")).content.decode()
    assert content.index("Later") < content.index("Eerder")


def test_home_page_without_articles(anonymous_client: Client, db: None) -> None:
    response = anonymous_client.get(reverse("web:home"))
    assert response.status_code == 200
    with translation.override("nl"):
        assert gettext("No articles have been published yet.") in response.content.decode()


@pytest.mark.parametrize(
    "state", [State.DRAFT, State.SUBMITTED, State.CHANGES_REQUESTED, State.REJECTED, State.OFFLINE]
)
def test_unpublished_articles_are_not_public(
    state: str,
    make_article: ArticleBuilder,
    contributor: User,
    anonymous_client: Client,
    editor_client: Client,
) -> None:
    article = make_article(contributor, state, title="Niet voor lezers")
    make_article(contributor, State.PUBLISHED, title="Wel voor lezers")
    for url in (reverse("web:home"), reverse("web:articles"), contributor.get_absolute_url()):
        assert "Niet voor lezers" not in anonymous_client.get(url).content.decode()
    if article.slug:
        assert anonymous_client.get(reverse("web:article", args=[article.slug])).status_code == 404
        # Not even an editor reads it on the public site; the review page is their place.
        assert editor_client.get(reverse("web:article", args=[article.slug])).status_code == 404


def test_article_page_shows_the_article_and_its_author(
    make_article: ArticleBuilder, contributor: User, anonymous_client: Client
) -> None:
    article = make_article(contributor, State.PUBLISHED, title="Werk verandert")
    response = anonymous_client.get(article.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Werk verandert</h1>" in content
    assert "<h2>Wat betekent dit voor uw team?</h2>" in content  # the body's HTML is rendered
    assert contributor.bio.replace("&", "&amp;") in content
    assert f'href="{contributor.get_absolute_url()}"' in content


def test_author_page_is_404_until_the_first_publication(
    make_article: ArticleBuilder, contributor: User, anonymous_client: Client
) -> None:
    make_article(contributor, State.SUBMITTED)
    assert anonymous_client.get(contributor.get_absolute_url()).status_code == 404
    make_article(contributor, State.PUBLISHED)
    assert anonymous_client.get(contributor.get_absolute_url()).status_code == 200


def test_author_page_of_an_inactive_author_is_404(
    make_article: ArticleBuilder, contributor: User, anonymous_client: Client
) -> None:
    make_article(contributor, State.PUBLISHED)
    User.objects.filter(pk=contributor.pk).update(is_active=False)
    assert anonymous_client.get(contributor.get_absolute_url()).status_code == 404


def test_topic_pages(
    make_article: ArticleBuilder, contributor: User, topics: list[Topic], anonymous_client: Client
) -> None:
    make_article(contributor, State.PUBLISHED, title="Over zorg", topics=[topics[3]])
    content = anonymous_client.get(reverse("web:topics")).content.decode()
    assert topics[3].name in content
    assert "Over zorg" in anonymous_client.get(topics[3].get_absolute_url()).content.decode()
    assert "Over zorg" not in anonymous_client.get(topics[0].get_absolute_url()).content.decode()
    assert anonymous_client.get(reverse("web:topic", args=["bestaat-niet"])).status_code == 404


def test_pagination_survives_a_bad_page_number(anonymous_client: Client, db: None) -> None:
    assert anonymous_client.get(reverse("web:articles"), {"pagina": "niets"}).status_code == 200
    assert anonymous_client.get(reverse("web:articles"), {"pagina": "9999"}).status_code == 200


def test_public_pages_are_get_only(anonymous_client: Client, db: None) -> None:
    assert anonymous_client.post(reverse("web:home")).status_code == 405


# --- Error pages ---------------------------------------------------------------------------------


def test_friendly_404_page(anonymous_client: Client, db: None) -> None:
    response = anonymous_client.get("/bestaat/niet/")
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    content = response.content.decode()
    with translation.override("nl"):
        assert gettext("We cannot find this page") in content
    assert f'href="{reverse("web:home")}"' in content
    assert 'class="site-header"' in content  # the site around it, not a bare error


def test_friendly_404_for_a_missing_article(anonymous_client: Client, db: None) -> None:
    response = anonymous_client.get(reverse("web:article", args=["bestaat-niet"]))
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]


def test_500_page_renders_without_a_request_context(db: None) -> None:
    # Django renders 500.html with an empty context: it must not need the request or the user.
    request = RequestFactory().get("/")
    response = server_error(request)
    assert response.status_code == 500
    content = response.content.decode()
    with translation.override("nl"):
        assert gettext("Something went wrong on our side") in content
    assert "/static/" in content


def test_500_page_renders_as_a_template(db: None) -> None:
    html = render_to_string("500.html")
    assert "<html" in html


def test_403_page_is_friendly(contributor_client: Client) -> None:
    response = contributor_client.get(reverse("editorial:desk"))
    assert response.status_code == 403
    with translation.override("nl"):
        assert gettext("This page is not for you") in response.content.decode()


def test_the_site_speaks_dutch_by_default(anonymous_client: Client, db: None) -> None:
    content = anonymous_client.get(reverse("web:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="nl">' in content


def test_an_unhandled_error_gives_the_500_page(
    anonymous_client: Client, monkeypatch: Any, db: None
) -> None:
    from podium.web import views

    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("kapot")

    monkeypatch.setattr(views, "render", boom)
    client = Client(raise_request_exception=False)
    response = client.get(reverse("web:home"))
    assert response.status_code == 500
    with translation.override("nl"):
        assert gettext("Something went wrong on our side") in response.content.decode()


def test_rate_limited_requests_get_a_friendly_page_in_dutch(
    anonymous_client: Client, settings: Any, db: None
) -> None:
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "1/m/ip"}
    url = reverse("account_reset_password")
    anonymous_client.post(url, {"email": "iemand@example.org"})
    response = anonymous_client.post(url, {"email": "iemand@example.org"})
    assert response.status_code == 429
    assert "429.html" in [t.name for t in response.templates]
    assert "Te veel pogingen" in response.content.decode()
