"""The editors' pages share one navigation (queues, home page, newsletter, compilations, trust,
statistics) and carry no public newsletter sign-up in their footer; public pages keep it, for
editors too."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from podium.accounts.models import User
from podium.articles.models import Article
from podium.delivery.templatetags import chrome
from podium.newsletter import services as newsletter
from tests.podium_helpers import ArticleBuilder

pytestmark = pytest.mark.django_db

NAV_LINKS = [
    ("/redactie/", "Wachtrijen"),
    ("/redactie/voorpagina/", "Voorpagina"),
    ("/redactie/nieuwsbrief/", "Nieuwsbrief"),
    ("/redactie/beste-van/", "Het beste van Podium"),
    ("/redactie/medewerkers/", "Vertrouwen"),
    ("/redactie/statistieken/", "Statistieken"),
]


def _desk_pages(make_article: ArticleBuilder, contributor: User, editor: User) -> list[str]:
    submission = make_article(contributor, Article.State.SUBMITTED)
    edition = newsletter.create_edition(by=editor)
    return [
        reverse("editorial:desk"),
        reverse("editorial:review", args=[submission.pk]),
        reverse("editorial:edit", args=[submission.pk]),
        reverse("editorial:home_page"),
        reverse("editorial:contributors"),
        reverse("editorial:contributor", args=[contributor.pk]),
        reverse("editorial:statistics"),
        reverse("newsletter_desk:index"),
        reverse("newsletter_desk:edition", args=[edition.pk]),
        reverse("newsletter_desk:import"),
        reverse("bestof:list"),
        reverse("bestof:create"),
    ]


@pytest.mark.parametrize("debug", [False, True], ids=["frames-kept", "frames-rendered"])
def test_every_desk_page_has_the_desk_navigation_and_no_signup_footer(
    make_article: ArticleBuilder,
    contributor: User,
    editor: User,
    editor_client: Client,
    settings: Any,
    debug: bool,
) -> None:
    settings.DEBUG = debug
    chrome.clear()
    for path in _desk_pages(make_article, contributor, editor):
        page = editor_client.get(path).content.decode()
        nav = page.split('class="desk-nav"', 1)[1].split("</nav>", 1)[0]
        for href, label in NAV_LINKS:
            assert f'href="{href}"' in nav and label in nav, (path, label)
        assert nav.count('aria-current="page"') == 1, path
        footer = page.split('class="site-footer"', 1)[1]
        assert "newsletter-signup" not in footer, path
    # The same editor on a public page still gets the sign-up: the two footers are kept apart.
    public = editor_client.get("/").content.decode()
    assert "newsletter-signup" in public.split('class="site-footer"', 1)[1]
    assert 'class="desk-nav"' not in public


def test_the_current_part_is_marked(editor_client: Client) -> None:
    page = editor_client.get(reverse("newsletter_desk:index")).content.decode()
    assert '<a href="/redactie/nieuwsbrief/" aria-current="page">' in page


def test_the_editors_view_of_an_author_shows_articles_statistics_and_contact(
    make_article: ArticleBuilder, contributor: User, editor_client: Client
) -> None:
    from podium.stats.models import DailyArticleStats

    contributor.website = "https://example.org/anne"
    contributor.save(update_fields=["website"])
    published = make_article(contributor, Article.State.PUBLISHED, title="Gelezen stuk")
    submitted = make_article(contributor, Article.State.SUBMITTED, title="Ingezonden stuk")
    make_article(contributor, Article.State.DRAFT, title="Geheim concept")
    DailyArticleStats.objects.create(
        article=published, day=published.published_at.date(), views=40, read_throughs=10
    )
    page = editor_client.get(reverse("editorial:contributor", args=[contributor.pk])).content
    text = page.decode()
    assert f'href="mailto:{contributor.email}"' in text
    assert "https://example.org/anne" in text and "Lid sinds" in text
    assert reverse("editorial:review", args=[published.pk]) in text
    assert reverse("editorial:review", args=[submitted.pk]) in text
    assert "Geheim concept" not in text  # drafts stay the author's own
    assert "<dd>40</dd>" in text and "<dd>25%</dd>" in text


def test_the_author_view_runs_a_fixed_number_of_queries(
    make_article: ArticleBuilder,
    contributor: User,
    editor_client: Client,
    django_assert_max_num_queries: Any,
) -> None:
    for _ in range(6):
        make_article(contributor, Article.State.PUBLISHED)
    url = reverse("editorial:contributor", args=[contributor.pk])
    editor_client.get(url)
    with django_assert_max_num_queries(14) as captured:
        editor_client.get(url)
    few = len(captured.captured_queries)
    for _ in range(6):
        make_article(contributor, Article.State.PUBLISHED)
    with django_assert_max_num_queries(few):
        editor_client.get(url)
