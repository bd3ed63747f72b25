"""Readers find and follow: the search page, related articles, feeds, sitemap, robots.txt and the
tags search engines and social networks read."""

from __future__ import annotations

import datetime
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from podium.articles import search
from podium.articles.models import Article
from podium.web import views as web_views

from ..podium_helpers import bulk_publish

pytestmark = pytest.mark.django_db

P = Article.State.PUBLISHED
ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


# --- Search page ----------------------------------------------------------------------------------


def test_search_page_shows_highlighted_results(anonymous_client, make_article, contributor):
    article = make_article(
        contributor,
        P,
        title="Samenwerking met leveranciers",
        body="<p>Onze leveranciers weten het.</p>",
    )
    response = anonymous_client.get(reverse("web:search"), {"q": "leverancier"})
    assert response.status_code == 200
    html = response.content.decode()
    assert article.get_absolute_url() in html
    assert "<mark>" in html
    assert 'name="robots" content="noindex' in html


def test_search_page_without_query_shows_only_the_form(anonymous_client):
    response = anonymous_client.get(reverse("web:search"))
    assert response.status_code == 200
    assert b'role="search"' in response.content


@pytest.mark.parametrize(
    "query",
    ['"', "*", "((", "x" * 10_000, "de het een", "'; DROP TABLE x; --", "🙂", "a\x00b", "NEAR("],
)
def test_odd_queries_get_a_friendly_page(anonymous_client, make_article, contributor, query):
    make_article(contributor, P)
    response = anonymous_client.get(reverse("web:search"), {"q": query})
    assert response.status_code == 200
    assert b"Niets gevonden" in response.content or b"Nothing found" in response.content


def test_stop_words_only_explains_why(anonymous_client, make_article, contributor, topics):
    make_article(contributor, P)
    response = anonymous_client.get(reverse("web:search"), {"q": "de het"})
    assert response.status_code == 200
    assert topics[0].get_absolute_url().encode() in response.content  # suggestions: the topics


def test_search_filters_by_topic_and_period(anonymous_client, make_article, contributor, topics):
    old = make_article(contributor, P, title="Verzuim vroeger", topics=topics[:1])
    new = make_article(contributor, P, title="Verzuim nu", topics=topics[1:2])
    # Back-dated, and indexed again as every write of an article is (the index keeps the time).
    Article.objects.filter(pk=old.pk).update(
        published_at=timezone.now() - datetime.timedelta(days=60)
    )
    search.reindex_articles([old.pk])
    url = reverse("web:search")
    by_topic = anonymous_client.get(
        url, {"q": "verzuim", "onderwerp": topics[0].slug}
    ).content.decode()
    assert old.get_absolute_url() in by_topic and new.get_absolute_url() not in by_topic
    by_period = anonymous_client.get(url, {"q": "verzuim", "periode": "maand"}).content.decode()
    assert new.get_absolute_url() in by_period and old.get_absolute_url() not in by_period


def test_garbled_filters_are_dropped_with_a_message(anonymous_client, make_article, contributor):
    article = make_article(contributor, P, title="Verzuim nu")
    response = anonymous_client.get(
        reverse("web:search"), {"q": "verzuim", "onderwerp": "bestaat-niet", "periode": "eeuw"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert article.get_absolute_url() in html
    assert 'class="errors"' in html
    assert 'value="verzuim"' in html  # what the reader typed is kept


def test_search_paginates_keeping_the_query(
    monkeypatch: pytest.MonkeyPatch, anonymous_client, contributor, topics, settings
):
    monkeypatch.setattr(web_views, "PAGE_SIZE", 5)
    bulk_publish(contributor, topics, 12)
    from podium.articles.search import rebuild_index

    rebuild_index()
    response = anonymous_client.get(reverse("web:search"), {"q": "artikel", "pagina": "2"})
    html = response.content.decode()
    assert "q=artikel&amp;pagina=3" in html
    assert html.count('class="result"') == 5


def test_search_query_count_does_not_grow_with_results(
    monkeypatch: pytest.MonkeyPatch, anonymous_client, contributor, topics, settings
):
    from podium.articles.search import rebuild_index

    monkeypatch.setattr(web_views, "PAGE_SIZE", 50)
    bulk_publish(contributor, topics, 5, prefix="klein")
    rebuild_index()
    with CaptureQueriesContext(connection) as few:
        anonymous_client.get(reverse("web:search"), {"q": "artikel"})
    bulk_publish(contributor, topics, 45, prefix="groot")
    rebuild_index()
    with CaptureQueriesContext(connection) as many:
        response = anonymous_client.get(reverse("web:search"), {"q": "artikel"})
    assert response.content.decode().count('class="result"') == 50
    assert len(many) == len(few)


# --- Article page: related, sharing, SEO -----------------------------------------------------------


def test_article_page_has_related_articles_but_not_itself(
    anonymous_client, make_article, contributor, topics
):
    article = make_article(contributor, P, title="Leiderschap in de zorg")
    other = make_article(contributor, P, title="Leiderschap in de bouw")
    hidden = make_article(contributor, Article.State.SUBMITTED, title="Leiderschap op school")
    html = anonymous_client.get(article.get_absolute_url()).content.decode()
    related = html.split('id="related-title"', 1)[1].split("</section>", 1)[0]
    assert other.get_absolute_url() in related
    assert article.get_absolute_url() not in related
    assert hidden.get_absolute_url() not in related


def test_article_page_has_seo_and_share_tags(anonymous_client, make_article, contributor, settings):
    article = make_article(contributor, P, title="Wat </script><script>alert(1)</script> nu?")
    html = anonymous_client.get(article.get_absolute_url()).content.decode()
    url = settings.SITE_URL + article.get_absolute_url()
    assert f'<link rel="canonical" href="{url}">' in html
    assert html.count('rel="canonical"') == 1
    assert f'<meta name="description" content="{article.lead}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert "https://www.linkedin.com/sharing/share-offsite/?url=" in html
    assert "https://x.com/intent/post?" in html
    assert 'href="mailto:?subject=' in html
    assert "data-copy-url" in html
    [payload] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(payload)
    assert data["@type"] == "Article"
    assert data["headline"] == article.title
    assert [person["name"] for person in data["author"]] == [contributor.display_name]
    assert data["datePublished"].startswith(str(article.published_at.year))
    assert "</script>" not in payload


def test_page_head_links_feeds(anonymous_client, make_article, contributor, topics):
    make_article(contributor, P)
    home = anonymous_client.get("/").content.decode()
    assert 'type="application/rss+xml" title="Podium' in home
    assert reverse("web:feed_atom") in home
    topic_page = anonymous_client.get(topics[0].get_absolute_url()).content.decode()
    assert reverse("web:topic_feed_rss", args=[topics[0].slug]) in topic_page
    author_page = anonymous_client.get(contributor.get_absolute_url()).content.decode()
    assert reverse("web:author_feed_atom", args=[contributor.slug]) in author_page


# --- Feeds ----------------------------------------------------------------------------------------

NASTY = "Q&A: <b>winst</b> \x0b\x1f en verlies\ufffe"


@pytest.fixture
def nasty_article(make_article, contributor, topics):
    article = make_article(contributor, P, title="Gewoon")
    # Legacy data may carry what the sanitiser now refuses: the feeds must still be valid XML.
    Article.objects.filter(pk=article.pk).update(title=NASTY, lead="Lead met & en < en \x07.")
    topics[0].name = "R&D <x>"
    topics[0].save()
    return article


@pytest.mark.parametrize("name", ["feed_rss", "feed_atom"])
def test_site_feeds_are_valid_xml_with_nasty_titles(anonymous_client, nasty_article, name):
    response = anonymous_client.get(reverse(f"web:{name}"))
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314
    text = ET.tostring(root, encoding="unicode")
    assert "Q&amp;A: &lt;b&gt;winst&lt;/b&gt;  en verlies" in text
    assert "Lead met &amp; en &lt; en ." in text


def test_rss_item_has_lead_link_author_and_topics(
    anonymous_client, make_article, contributor, settings
):
    article = make_article(contributor, P)
    root = ET.fromstring(anonymous_client.get(reverse("web:feed_rss")).content)  # noqa: S314
    [item] = root.iter("item")
    assert item.findtext("title") == article.title
    assert item.findtext("description") == article.lead
    assert item.findtext("link").endswith(article.get_absolute_url())
    assert item.findtext("category") == "Arbeidsmarkt"


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_topic_and_author_feeds(
    anonymous_client, make_article, contributor, other_contributor, topics, kind
):
    mine = make_article(contributor, P, topics=topics[:1])
    theirs = make_article(other_contributor, P, topics=topics[1:2])
    topic_feed = anonymous_client.get(
        reverse(f"web:topic_feed_{kind}", args=[topics[0].slug])
    ).content.decode()
    assert mine.get_absolute_url() in topic_feed and theirs.get_absolute_url() not in topic_feed
    author_feed = anonymous_client.get(
        reverse(f"web:author_feed_{kind}", args=[other_contributor.slug])
    )
    ET.fromstring(author_feed.content)  # noqa: S314
    assert theirs.get_absolute_url() in author_feed.content.decode()
    assert mine.get_absolute_url() not in author_feed.content.decode()


def test_feeds_of_unknown_topic_or_unpublished_author_are_404(
    anonymous_client, make_article, contributor
):
    make_article(contributor, Article.State.SUBMITTED)
    assert anonymous_client.get(reverse("web:topic_feed_rss", args=["nergens"])).status_code == 404
    assert (
        anonymous_client.get(reverse("web:author_feed_rss", args=[contributor.slug])).status_code
        == 404
    )


def test_feeds_leave_out_unpublished(anonymous_client, make_article, contributor):
    make_article(contributor, Article.State.SUBMITTED, title="Nog niet")
    make_article(contributor, P, at=timezone.now() + datetime.timedelta(days=1), title="Morgen")
    body = anonymous_client.get(reverse("web:feed_atom")).content.decode()
    assert "Nog niet" not in body and "Morgen" not in body


# --- Sitemap and robots.txt -----------------------------------------------------------------------


def test_sitemap_lists_articles_topics_authors_with_lastmod(
    anonymous_client, nasty_article, contributor, topics
):
    index = ET.fromstring(anonymous_client.get(reverse("web:sitemap")).content)  # noqa: S314
    sections = [loc.text for loc in index.iter(f"{SM}loc")]
    assert len(sections) == 3
    locations = []
    for section in ["artikelen", "onderwerpen", "auteurs"]:
        response = anonymous_client.get(reverse("web:sitemap_section", args=[section]))
        root = ET.fromstring(response.content)  # noqa: S314
        for url in root.iter(f"{SM}url"):
            assert url.findtext(f"{SM}lastmod")
            locations.append(url.findtext(f"{SM}loc"))
    assert any(loc.endswith(nasty_article.get_absolute_url()) for loc in locations)
    assert any(loc.endswith(topics[0].get_absolute_url()) for loc in locations)
    assert any(loc.endswith(contributor.get_absolute_url()) for loc in locations)
    assert not any(
        loc.endswith(topics[2].get_absolute_url()) for loc in locations
    )  # nothing published


def test_robots_txt_points_to_sitemap(anonymous_client, settings):
    response = anonymous_client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in body
    assert "Disallow: /redactie/" in body


# --- English ---------------------------------------------------------------------------------------


def test_pages_work_in_english_after_switching(client, make_article, contributor, topics):
    article = make_article(contributor, P)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    for url in [
        "/",
        article.get_absolute_url(),
        reverse("web:search") + "?q=werk",
        topics[0].get_absolute_url(),
        contributor.get_absolute_url(),
    ]:
        page = client.get(url, follow=True)
        assert page.status_code == 200, url
        assert b'<html lang="en">' in page.content, url
        assert page.redirect_chain == [("/en" + url, 302)], url
    search_page = client.get(reverse("web:search") + "?q=werk", follow=True).content.decode()
    assert "Search" in search_page
    month = article.published_at.astimezone(timezone.get_current_timezone()).strftime("%B")
    english_article = client.get(article.get_absolute_url(), follow=True).content.decode()
    assert month in english_article  # English month name
