"""An article's address follows its title until it is first published; after that a new title
gives a new address, and every earlier address answers 301 to the current one."""

from __future__ import annotations

import pytest
from django.test import Client

from podium.accounts.models import User
from podium.articles import services
from podium.articles.models import Article, FormerSlug
from tests.podium_helpers import ArticleBuilder

pytestmark = pytest.mark.django_db


def _retitle(article: Article, title: str, *, by: User) -> Article:
    text = services.ArticleText(title=title, lead=article.lead, body=article.body)
    if by == article.author:
        return services.save_draft(by=by, text=text, article=article)
    return services.edit_article(
        article=article, by=by, text=text, expected_version=article.version
    )


def test_a_retitled_submission_moves_to_the_new_address_without_a_trace(
    make_article: ArticleBuilder, contributor: User
) -> None:
    article = make_article(
        contributor, Article.State.CHANGES_REQUESTED, title="Waarom managers falen"
    )
    assert article.slug == "waarom-managers-falen"
    article = _retitle(article, "Waarom teams slagen", by=contributor)
    assert article.slug == "waarom-teams-slagen"
    assert not FormerSlug.objects.exists()  # nobody outside the desk ever had the old address


def test_the_editor_retitling_a_submission_moves_its_address(
    make_article: ArticleBuilder, contributor: User, editor: User
) -> None:
    article = make_article(contributor, Article.State.SUBMITTED, title="Mijn bedrijf is de beste")
    article = _retitle(article, "Wat goede bedrijven gemeen hebben", by=editor)
    assert article.slug == "wat-goede-bedrijven-gemeen-hebben"
    assert not FormerSlug.objects.exists()


def test_after_publication_every_old_address_answers_301(
    make_article: ArticleBuilder, contributor: User, editor: User, anonymous_client: Client
) -> None:
    article = make_article(contributor, Article.State.PUBLISHED, title="Eerste titel")
    first_url = article.get_absolute_url()
    article = _retitle(article, "Tweede titel", by=editor)
    second_url = article.get_absolute_url()
    article = _retitle(article, "Derde titel", by=editor)
    current = article.get_absolute_url()
    assert current == "/podium/derde-titel/"
    assert anonymous_client.get(current).status_code == 200
    for old in (first_url, second_url):
        response = anonymous_client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == current


def test_renaming_back_reclaims_the_earlier_address(
    make_article: ArticleBuilder, contributor: User, editor: User, anonymous_client: Client
) -> None:
    article = make_article(contributor, Article.State.PUBLISHED, title="Eerste titel")
    article = _retitle(article, "Tweede titel", by=editor)
    article = _retitle(article, "Eerste titel", by=editor)
    assert article.slug == "eerste-titel"
    assert anonymous_client.get("/podium/eerste-titel/").status_code == 200
    assert anonymous_client.get("/podium/tweede-titel/")["Location"] == "/podium/eerste-titel/"


def test_a_new_article_never_takes_a_former_address(
    make_article: ArticleBuilder, contributor: User, editor: User, anonymous_client: Client
) -> None:
    article = make_article(contributor, Article.State.PUBLISHED, title="Eerste titel")
    _retitle(article, "Andere titel", by=editor)
    newcomer = make_article(contributor, Article.State.PUBLISHED, title="Eerste titel")
    assert newcomer.slug == "eerste-titel-2"
    assert anonymous_client.get("/podium/eerste-titel/").status_code == 301


def test_an_unchanged_title_keeps_its_address(
    make_article: ArticleBuilder, contributor: User, editor: User
) -> None:
    article = make_article(contributor, Article.State.PUBLISHED, title="Eerste titel")
    article = _retitle(article, "Eerste titel", by=editor)
    assert article.slug == "eerste-titel"
    assert not FormerSlug.objects.exists()


def test_a_former_address_of_an_article_taken_offline_is_404(
    make_article: ArticleBuilder, contributor: User, editor: User, anonymous_client: Client
) -> None:
    article = make_article(contributor, Article.State.PUBLISHED, title="Eerste titel")
    article = _retitle(article, "Tweede titel", by=editor)
    services.withdraw_article(article=article, by=contributor)
    assert anonymous_client.get("/podium/eerste-titel/").status_code == 404
    assert anonymous_client.get("/podium/bestaat-niet/").status_code == 404
