"""The site's frame (header, footer) is rendered once per kind of reader and filled in per
request (podium.delivery.templatetags.chrome): every reader still gets their own CSRF token, the
current path and their own search text, and nothing else of anyone else."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import reverse

from podium.accounts.models import User
from podium.articles.models import Article
from podium.delivery.templatetags import chrome
from tests.podium_helpers import ArticleBuilder

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FRAME = re.compile(
    r"<header class=\"site-header\">.*?</header>|<footer class=\"site-footer\">.*?</footer>", re.S
)


@pytest.fixture(autouse=True)
def _fresh_frames() -> None:
    chrome.clear()


def _frames(html: str) -> str:
    return "\n".join(FRAME.findall(html))


def test_each_reader_gets_their_own_csrf_token_in_a_shared_frame(
    make_article: ArticleBuilder,
    contributor: User,
    contributor_client: Client,
    other_client: Client,
) -> None:
    article = make_article(contributor, Article.State.PUBLISHED)
    url = reverse("web:article", args=[article.slug])
    pages = {}
    for name, client in (
        ("a", contributor_client),
        ("b", other_client),
        ("a2", contributor_client),
    ):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        tokens = TOKEN.findall(_frames(html))
        assert len(tokens) >= 2  # log-out form, newsletter and language forms
        secret = client.cookies["csrftoken"].value
        assert {_unmask_cipher_token(token) for token in tokens} == {secret}
        pages[name] = html
    assert "podium-" + "csrf-hole" not in pages["b"]
    # The frames were shared: rendered once for this kind of reader, not per request.
    assert (chrome._frames.keys(), chrome._personal) == (
        {
            ("head", "nl", True, False),
            ("feeds", "nl", True, False),
            ("header", "nl", True, False),
            ("footer", "nl", True, False),
        },
        set(),
    )


def test_the_token_from_a_shared_frame_is_accepted(contributor: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(contributor)
    html = client.get(reverse("web:home")).content.decode()
    token = TOKEN.search(_frames(html)).group(1)
    response = client.post(reverse("account_logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_path_and_search_text_are_the_requests_own_and_escaped(anonymous_client: Client) -> None:
    first = anonymous_client.get(reverse("web:articles")).content.decode()
    assert f'name="next" type="hidden" value="{reverse("web:articles")}"' in first
    query = '"><script>alert(1)</script>'
    html = anonymous_client.get(reverse("web:search"), {"q": query}).content.decode()
    assert "<script>alert(1)" not in html
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    assert "podium-path-hole" not in html and "podium-query-hole" not in html


def test_anonymous_frames_carry_no_token_and_editors_see_the_desk(
    anonymous_client: Client, contributor_client: Client, editor_client: Client
) -> None:
    desk = reverse("editorial:desk")
    anonymous = anonymous_client.get(reverse("web:home")).content.decode()
    assert "csrfmiddlewaretoken" not in anonymous
    assert f'href="{desk}"' not in contributor_client.get(reverse("web:home")).content.decode()
    assert f'href="{desk}"' in editor_client.get(reverse("web:home")).content.decode()
    # And the contributor's frame, rendered after the editor's, still has no desk link.
    assert f'href="{desk}"' not in contributor_client.get(reverse("web:home")).content.decode()


def test_frames_follow_the_language(anonymous_client: Client) -> None:
    dutch = anonymous_client.get(reverse("web:home")).content.decode()
    english = anonymous_client.get("/en/").content.decode()
    assert "Artikelen" in _frames(dutch) and "Artikelen" not in _frames(english)


@pytest.fixture
def header_with_the_readers_name(tmp_path: Path, settings: Any) -> None:
    """base.html as it is, plus the reader's name (and a view's variable) in the header."""
    base = Path(chrome.__file__).resolve().parents[2] / "templates" / "base.html"
    html = base.read_text()
    marker = '<a class="brand"'
    assert marker in html
    html = html.replace(
        marker,
        '<span class="who">{% if user.is_authenticated %}{{ user.display_name }}{% endif %}'
        '</span><span class="path">{{ request.path }}</span>' + marker,
        1,
    )
    (tmp_path / "base.html").write_text(html)
    templates = [dict(engine) for engine in settings.TEMPLATES]
    templates[0] = {**templates[0], "DIRS": [tmp_path, *templates[0]["DIRS"]]}
    settings.TEMPLATES = templates


def test_a_personal_value_in_the_frame_is_each_readers_own(
    header_with_the_readers_name: None,
    make_article: ArticleBuilder,
    contributor: User,
    other_contributor: User,
    contributor_client: Client,
    other_client: Client,
    anonymous_client: Client,
) -> None:
    article = make_article(contributor, Article.State.PUBLISHED)
    pages = [article.get_absolute_url(), reverse("web:home")]
    for url in pages:
        for client, name, stranger in (
            (contributor_client, contributor.display_name, other_contributor.display_name),
            (other_client, other_contributor.display_name, contributor.display_name),
            (contributor_client, contributor.display_name, other_contributor.display_name),
        ):
            header = _frames(client.get(url).content.decode()).split("</header>")[0]
            assert f'<span class="who">{name}</span>' in header
            assert stranger not in header
            assert f'<span class="path">{url}</span>' in header
        anonymous = anonymous_client.get(url).content.decode()
        assert '<span class="who"></span>' in anonymous
        assert contributor.display_name not in _frames(anonymous)
    # The header is personal now: never kept; the footer is still shared.
    assert ("header", "nl", True, False) in chrome._personal
    assert not any(key[0] == "header" for key in chrome._frames)
    assert ("footer", "nl", True, False) in chrome._frames
