"""The contributor directory (/auteurs/: paged, filtered by expertise), and the favicon, app icons
and web manifest every page points to (no more 404 for /favicon.ico)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from podium.accounts.models import User
from podium.articles.models import Article
from podium.topics.models import Topic
from podium.web import views as web_views
from tests.podium_helpers import ArticleBuilder, bulk_publish, make_user

pytestmark = pytest.mark.django_db


def _writers(topics: list[Topic], n: int) -> list[User]:
    writers = []
    for i in range(n):
        writer = make_user(f"auteur{i}@example.org", display_name=f"Auteur {i:02d}")
        writer.expertise.set([topics[i % 2]])
        bulk_publish(writer, topics, 1, prefix=f"a{i}")
        writers.append(writer)
    return writers


def test_the_directory_lists_everyone_with_published_work_by_name(
    anonymous_client: Client,
    make_article: ArticleBuilder,
    contributor: User,
    other_contributor: User,
    topics: list[Topic],
) -> None:
    make_article(contributor, Article.State.PUBLISHED)
    make_article(other_contributor, Article.State.SUBMITTED)  # nothing published: not listed
    page = anonymous_client.get("/auteurs/").content.decode()
    assert contributor.get_absolute_url() in page
    assert other_contributor.get_absolute_url() not in page
    assert "1 auteur" in page and "1 artikel" in page


def test_the_directory_is_paged(
    monkeypatch: pytest.MonkeyPatch, anonymous_client: Client, topics: list[Topic], settings: Any
) -> None:
    monkeypatch.setattr(web_views, "AUTHORS_PAGE_SIZE", 3)
    writers = _writers(topics, 7)
    first = anonymous_client.get("/auteurs/").content.decode()
    third = anonymous_client.get("/auteurs/?pagina=3").content.decode()
    assert [w.display_name in first for w in writers] == [True] * 3 + [False] * 4
    assert "Auteur 06" in third and "Auteur 00" not in third
    assert "Pagina 1 van 3" in first and 'href="?pagina=2"' in first


def test_the_directory_filters_by_expertise(
    monkeypatch: pytest.MonkeyPatch, anonymous_client: Client, topics: list[Topic], settings: Any
) -> None:
    monkeypatch.setattr(web_views, "AUTHORS_PAGE_SIZE", 2)
    _writers(topics, 6)
    page = anonymous_client.get(f"/auteurs/?onderwerp={topics[1].slug}").content.decode()
    assert "Auteur 01" in page and "Auteur 03" in page and "Auteur 00" not in page
    assert f'href="?onderwerp={topics[1].slug}&amp;pagina=2"' in page or (
        f'href="?onderwerp={topics[1].slug}&pagina=2"' in page
    )
    assert f'<option value="{topics[1].slug}" selected>' in page
    assert anonymous_client.get("/auteurs/?onderwerp=bestaat-niet").status_code == 404
    empty = anonymous_client.get(f"/auteurs/?onderwerp={topics[3].slug}").content.decode()
    assert "Nog niemand heeft Zorg als vakgebied opgegeven." in empty


def test_the_directory_runs_a_fixed_number_of_queries(
    anonymous_client: Client, topics: list[Topic], django_assert_num_queries: Any
) -> None:
    _writers(topics, 12)
    # topics for the filter, the count, the page, the page's expertise
    with django_assert_num_queries(4):
        response = anonymous_client.get("/auteurs/")
    assert response.status_code == 200


def test_the_header_links_to_the_directory(anonymous_client: Client) -> None:
    assert '<a href="/auteurs/">Auteurs</a>' in anonymous_client.get("/").content.decode()


def test_favicon_and_manifest(anonymous_client: Client) -> None:
    favicon = anonymous_client.get("/favicon.ico")
    assert favicon.status_code == 301
    assert favicon["Location"].endswith("podium/icons/favicon.ico")
    assert finders.find("podium/icons/favicon.ico")
    page = anonymous_client.get("/").content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in page
    assert 'rel="apple-touch-icon"' in page and 'rel="icon"' in page
    response = anonymous_client.get(reverse("web:manifest"))
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Podium" and manifest["start_url"] == "/"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]


def test_the_directory_counts_up_to_its_limit_and_pages_on(
    monkeypatch: pytest.MonkeyPatch, anonymous_client: Client, topics: list[Topic]
) -> None:
    """Past CONTRIBUTORS_COUNT_LIMIT the directory says "more than" and still pages on: the
    accounts are walked by name, not counted."""
    monkeypatch.setattr(web_views, "AUTHORS_PAGE_SIZE", 3)
    monkeypatch.setattr(web_views, "CONTRIBUTORS_COUNT_LIMIT", 4)
    writers = _writers(topics, 7)
    first = anonymous_client.get("/auteurs/").content.decode()
    assert "Meer dan 4 auteurs" in first and "Pagina 1 van meer dan 1" in first
    assert 'href="?pagina=2"' in first
    second = anonymous_client.get("/auteurs/?pagina=2").content.decode()
    assert "Pagina 2</span>" in second and 'href="?pagina=3"' in second
    third = anonymous_client.get("/auteurs/?pagina=3").content.decode()
    assert "Auteur 06" in third and 'rel="next"' not in third
    assert "1 artikel" in third  # the page's numbers, counted for its rows
    seen = [w for w in writers for page in (first, second, third) if w.display_name in page]
    assert seen == writers
    english = anonymous_client.get("/en/auteurs/").content.decode()
    assert "More than 4 contributors" in english and "Page 1 of more than 1" in english
