"""Co-authors in every byline: the article page (and its JSON-LD), cards, feeds, each co-author's
author page and the directory, the newsletter, the compilation, search and statistics; leaving
and account deletion take them out again everywhere."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from podium.accounts.models import User
from podium.articles import coauthors, search, services
from podium.articles.models import Article, CoAuthor
from podium.bestof import services as bestof
from podium.bestof.book import prepare_book
from podium.newsletter.rendering import item_snapshot
from podium.newsletter.services import editions
from podium.privacy import services as privacy

from ..podium_helpers import PASSWORD, ArticleBuilder, make_user, sign_in, statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def cowritten(make_article: ArticleBuilder, contributor: User, other_contributor: User) -> Article:
    """Anna's article, written with Bram, published."""
    draft = make_article(contributor, title="Samen sneller dan de markt")
    invitation = coauthors.invite_coauthor(
        article=draft, by=contributor, email=other_contributor.email, language="nl"
    )
    coauthors.accept_invitation(invitation=invitation, by=other_contributor)
    services.submit_article(article=draft, by=contributor, terms=statement())
    services.publish_article(article=draft, by=make_article.editor)
    return Article.objects.get(pk=draft.pk)


def _json_ld(page: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert found
    return json.loads(found.group(1))


def test_the_article_page_names_both_with_links_boxes_and_json_ld(
    cowritten, contributor, other_contributor
):
    page = Client().get(cowritten.get_absolute_url()).content.decode()
    assert f'href="{contributor.get_absolute_url()}" rel="author">Anna de Vries</a> en ' in page
    assert f'href="{other_contributor.get_absolute_url()}" rel="author">Bram Jansen</a>' in page
    assert page.count('class="author-box"') == 2
    assert [p["name"] for p in _json_ld(page)["author"]] == ["Anna de Vries", "Bram Jansen"]
    assert '<meta name="author" content="Anna de Vries en Bram Jansen">' in page


def test_cards_name_both(cowritten, topics):
    for url in ("/", reverse("web:articles"), topics[0].get_absolute_url()):
        page = Client().get(url).content.decode()
        assert "Bram Jansen</a>" in page, url


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feeds_name_both_and_the_coauthors_feed_has_it(cowritten, other_contributor, kind):
    feed = Client().get(reverse(f"web:feed_{kind}")).content.decode()
    assert "Anna de Vries en Bram Jansen" in feed
    theirs = Client().get(reverse(f"web:author_feed_{kind}", args=[other_contributor.slug]))
    assert theirs.status_code == 200
    assert cowritten.get_absolute_url() in theirs.content.decode()


def test_the_coauthors_page_and_the_directory_count_it(cowritten, other_contributor):
    """Bram has no article of his own: the co-written one gives him his public page."""
    page = Client().get(other_contributor.get_absolute_url())
    assert page.status_code == 200
    assert cowritten.title in page.content.decode()
    directory = Client().get(reverse("web:authors")).content.decode()
    assert "Bram Jansen" in directory
    sitemap = Client().get("/sitemap-auteurs.xml").content.decode()
    assert other_contributor.get_absolute_url() in sitemap


def test_each_name_finds_the_article(cowritten):
    for name in ("Vries", "Jansen"):
        assert [hit.article.pk for hit in search.search(name)[:10]] == [cowritten.pk], name


def test_search_results_name_every_writer_from_one_query(
    cowritten, make_article, contributor, other_contributor, django_assert_num_queries
):
    """A results page reads the co-authors of its articles with the articles (a column of their
    rows), and gives the others an empty byline without asking."""
    alone = make_article(contributor, Article.State.PUBLISHED, title="Samen alleen")
    found = search.search("samen")
    assert found.count() == 2
    with django_assert_num_queries(1):  # the page's articles, co-authors in their rows
        hits = {hit.article.pk: hit for hit in found[0:12]}
    with django_assert_num_queries(0):
        assert hits[cowritten.pk].article.authors == [contributor, other_contributor]
        assert hits[alone.pk].article.authors == [contributor]


def test_statistics_go_to_each_coauthor(cowritten, other_contributor):
    client = sign_in(Client(), other_contributor)
    overview = client.get(reverse("stats:overview"))
    assert cowritten.title in overview.content.decode()
    assert client.get(reverse("stats:article", args=[cowritten.pk])).status_code == 200


def test_the_newsletter_and_the_compilation_name_both(cowritten, editor):
    edition = editions.create_edition(by=editor)
    item = editions.add_item(edition=edition, article=cowritten, by=editor)
    [item] = editions.edition_items(edition)
    assert item_snapshot(item)["author"] == "Anna de Vries en Bram Jansen"
    compilation = bestof.create_compilation(
        by=editor,
        title="Het beste",
        period_start=cowritten.published_at.date(),
        period_end=cowritten.published_at.date(),
    )
    bestof.set_articles(compilation=compilation, by=editor, article_ids=[cowritten.pk])
    book = prepare_book(compilation)
    assert book.authors == ["Anna de Vries", "Bram Jansen"]
    assert book.articles[0].author_name == "Anna de Vries en Bram Jansen"


def test_a_coauthor_who_leaves_leaves_every_byline(cowritten, other_contributor):
    coauthors.leave_article(article=cowritten, by=other_contributor)
    page = Client().get(cowritten.get_absolute_url()).content.decode()
    assert "Bram Jansen" not in page
    assert search.search("Jansen").count() == 0
    assert Client().get(other_contributor.get_absolute_url()).status_code == 404


def test_deleting_a_coauthors_account_takes_them_out_of_the_byline(
    cowritten, contributor, other_contributor, admin_user
):
    other = User.objects.get(pk=other_contributor.pk)
    coauthors.invite_coauthor(
        article=services.save_draft(
            by=contributor,
            text=services.ArticleText(title="Nog een", lead="Lead.", body="<p>Tekst.</p>"),
        ),
        by=contributor,
        email=other.email,
        language="nl",
    )
    privacy.delete_account(user=other, by=other, password=PASSWORD)
    article = Article.objects.get(pk=cowritten.pk)
    assert article.authors == [contributor]
    assert not CoAuthor.objects.filter(email=other_contributor.email).exists()
    assert search.search("Jansen").count() == 0
    page = Client().get(article.get_absolute_url()).content.decode()
    assert "Bram Jansen" not in page and "Anna de Vries" in page


def test_an_author_who_deletes_their_account_leaves_the_coauthors_in_place(
    cowritten, contributor, other_contributor
):
    privacy.delete_account(
        user=User.objects.get(pk=contributor.pk), by=contributor, password=PASSWORD
    )
    article = Article.objects.get(pk=cowritten.pk)
    assert [person.pk for person in article.authors][1:] == [other_contributor.pk]


def test_an_invited_name_is_not_in_the_byline_before_accepting(
    make_article, contributor, other_contributor
):
    article = make_article(contributor)
    coauthors.invite_coauthor(
        article=article, by=contributor, email=other_contributor.email, language="nl"
    )
    assert Article.objects.get(pk=article.pk).authors == [contributor]


def test_a_member_without_a_name_reads_as_their_address_only_to_the_author(
    make_article, contributor
):
    article = make_article(contributor)
    nameless = make_user("naamloos@example.net")
    invitation = coauthors.invite_coauthor(
        article=article, by=contributor, email=nameless.email, language="nl"
    )
    coauthors.accept_invitation(invitation=invitation, by=nameless)
    assert Article.objects.get(pk=article.pk).byline_text == "Anna de Vries"


def test_lists_read_the_byline_from_the_articles_row_in_the_order_the_coauthors_joined(
    make_article, contributor, other_contributor, django_assert_num_queries
):
    """Cards read the co-authors as a column of the article's row (`byline_column`): the same
    byline, in the same order (who accepted first), as the prefetch the article page reads."""
    from podium.articles.models import BYLINE_ROWS, byline_column, byline_prefetch

    draft = make_article(contributor, title="Met z'n drieën")
    cor = make_user("cor@example.net", display_name="Cor Smit", slug="cor-smit")
    first = coauthors.invite_coauthor(
        article=draft, by=contributor, email=other_contributor.email, language="nl"
    )
    second = coauthors.invite_coauthor(
        article=draft, by=contributor, email=cor.email, language="nl"
    )
    coauthors.accept_invitation(invitation=second, by=cor)  # invited second, joined first
    coauthors.accept_invitation(invitation=first, by=other_contributor)
    services.submit_article(article=draft, by=contributor, terms=statement())
    services.publish_article(article=draft, by=make_article.editor)

    with django_assert_num_queries(1):
        listed = Article.objects.for_listing().prefetch_related(None).get(pk=draft.pk)
        assert [u.display_name for u in listed.authors] == [
            "Anna de Vries",
            "Cor Smit",
            "Bram Jansen",
        ]
        assert [u.get_absolute_url() for u in listed.authors[1:]] == [
            cor.get_absolute_url(),
            other_contributor.get_absolute_url(),
        ]
    prefetched = Article.objects.prefetch_related(byline_prefetch()).get(pk=draft.pk)
    assert listed.authors == prefetched.authors  # the same accounts (by primary key)
    assert listed.byline_text == "Anna de Vries, Cor Smit en Bram Jansen"
    # Anything else of a co-author's account is read when asked for, never a default.
    assert listed.authors[1].bio == cor.bio
    # Without co-authors the column is empty and the byline is the author alone.
    alone = make_article(contributor, title="Alleen")
    assert Article.objects.annotate(**{BYLINE_ROWS: byline_column()}).get(pk=alone.pk).authors == [
        contributor
    ]
    page = Client().get("/").content.decode()
    assert "Cor Smit</a> en <a" in page
    # Placed on the home page by the editors: the placements read the column too.
    from podium.editorial import services as editorial

    editorial.place_on_home(article=draft, by=make_article.editor)
    response = Client().get("/")
    assert response.context["lead_article"] == draft
    assert response.context["lead_article"].byline_text == "Anna de Vries, Cor Smit en Bram Jansen"
