"""The author's self-service: deleting a draft that was never submitted (with confirmation), and
their own versions with the differences between them."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from podium.accounts.models import User
from podium.articles import services
from podium.articles.models import Article
from tests.podium_helpers import ArticleBuilder, nothing_written, statement

State = Article.State
pytestmark = pytest.mark.django_db


def test_author_deletes_a_draft_after_confirming(
    make_article: ArticleBuilder, contributor: User, contributor_client: Client
) -> None:
    draft = make_article(contributor, title="Weg ermee")
    url = reverse("articles:delete", kwargs={"pk": draft.pk})
    page = contributor_client.get(url).content.decode()
    assert "Ja, verwijder dit concept" in page and "Weg ermee" in page
    assert Article.objects.filter(pk=draft.pk).exists()  # asking deletes nothing
    response = contributor_client.post(url)
    assert response.status_code == 302
    assert not Article.objects.filter(pk=draft.pk).exists()


def test_a_draft_that_was_submitted_once_stays(
    make_article: ArticleBuilder, contributor: User
) -> None:
    article = make_article(contributor, State.SUBMITTED)
    withdrawn = services.withdraw_submission(article=article, by=contributor)
    assert withdrawn.state == State.DRAFT
    for candidate in (withdrawn, make_article(contributor, State.PUBLISHED)):
        with nothing_written(candidate), pytest.raises(ValidationError):
            services.delete_draft(article=candidate, by=contributor)


@pytest.mark.parametrize("who", ["other", "editor"])
def test_only_the_author_deletes(
    who: str,
    make_article: ArticleBuilder,
    contributor: User,
    other_contributor: User,
    editor: User,
) -> None:
    draft = make_article(contributor)
    with nothing_written(draft), pytest.raises(PermissionDenied):
        services.delete_draft(article=draft, by=other_contributor if who == "other" else editor)


def test_author_sees_their_versions_and_the_diff(
    make_article: ArticleBuilder, contributor: User, editor: User, contributor_client: Client
) -> None:
    article = make_article(contributor, State.CHANGES_REQUESTED)
    services.save_draft(
        by=contributor,
        article=article,
        text=make_article.text(
            title=article.title, body="<p>Een geheel nieuwe alinea over talent.</p>"
        ),
    )
    services.submit_article(
        article=article, by=contributor, note="Nieuwe tekst.", terms=statement()
    )
    page = contributor_client.get(reverse("articles:versions", kwargs={"pk": article.pk}))
    html = page.content.decode()
    assert page.status_code == 200
    assert "v1" in html and "v2" in html and "Nieuwe tekst." in html
    assert "<ins" in html and "<del" in html  # the word diff between v1 and v2
    picked = contributor_client.get(
        reverse("articles:versions", kwargs={"pk": article.pk}) + "?a=2&b=1"
    ).content.decode()
    assert '<option value="2" selected' in picked
