"""An index that never lies: what an article's search document shows besides its own row (the
author's name, its topics' names) is re-indexed in the transaction that changes it: renaming an
author on the site or in the admin, renaming or deleting a topic, deleting an account. The same
tests run on SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client

from podium.accounts import services as account_services
from podium.accounts.models import User
from podium.articles import search
from podium.articles.models import Article
from podium.privacy import services as privacy_services
from podium.topics.models import Topic

from ..podium_helpers import PASSWORD, ArticleBuilder, make_user

pytestmark = pytest.mark.django_db

P = Article.State.PUBLISHED


def found(query: str) -> list[str]:
    return [hit.article.title for hit in search.search(query)[:50]]


def index_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM articles_search")
        return int(cursor.fetchone()[0])


@pytest.fixture
def published(make_article: ArticleBuilder, contributor: User, topics: list[Topic]) -> Article:
    """Anna de Vries's article under "Leiderschap"; neither name occurs in its text."""
    article = make_article(
        contributor,
        P,
        title="Een organisatie die luistert",
        lead="Wie luistert, hoort wat er speelt.",
        topics=topics[2:3],
    )
    assert found("Vries") == [article.title] and found("Leiderschap") == [article.title]
    return article


def _profile_form(user: User, **overrides: str) -> dict[str, str]:
    return {
        "display_name": user.display_name,
        "job_title": user.job_title,
        "organisation": user.organisation,
        "bio": user.bio,
        "website": "",
        "linkedin": "",
        **overrides,
    }


def _admin_user_form(user: User, **overrides: str) -> dict[str, Any]:
    return {
        "email": user.email,
        "display_name": user.display_name,
        "slug": user.slug or "",
        "job_title": user.job_title,
        "organisation": user.organisation,
        "bio": user.bio,
        "website": "",
        "linkedin": "",
        "is_active": "on",
        "role": user.role,
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
        **overrides,
    }


def test_renaming_yourself_on_the_site_reindexes_your_articles(
    published: Article, contributor: User, contributor_client: Client
) -> None:
    response = contributor_client.post(
        "/profiel/", _profile_form(contributor, display_name="Anna Zwanenburg")
    )
    assert response.status_code == 302
    assert found("Zwanenburg") == [published.title]
    assert found("Vries") == []


def test_renaming_an_author_in_the_admin_reindexes_their_articles(
    published: Article, contributor: User, admin_client: Client
) -> None:
    url = f"/beheer/accounts/user/{contributor.pk}/change/"
    response = admin_client.post(url, _admin_user_form(contributor, display_name="Anna Zwanenburg"))
    assert response.status_code == 302, (
        response.context and response.context["adminform"].form.errors
    )
    assert User.objects.get(pk=contributor.pk).display_name == "Anna Zwanenburg"
    assert found("Zwanenburg") == [published.title]
    assert found("Vries") == []


def test_saving_the_profile_without_a_new_name_leaves_the_index_alone(
    published: Article, contributor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[object] = []
    monkeypatch.setattr(search, "reindex_articles", lambda ids: calls.append(ids))
    account_services.update_profile(
        user=contributor, by=contributor, data={"bio": "Anna schrijft over de arbeidsmarkt."}
    )
    assert calls == []


def test_the_rename_and_the_index_move_in_one_transaction(
    published: Article, contributor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Inside the renaming transaction, before it commits, the index already has the new name.
    with transaction.atomic():
        account_services.update_profile(
            user=contributor, by=contributor, data={"display_name": "Anna Zwanenburg"}
        )
        assert found("Zwanenburg") == [published.title] and found("Vries") == []
        transaction.set_rollback(True)
    assert found("Vries") == [published.title] and found("Zwanenburg") == []

    # An index that cannot be written undoes the rename: the name and the index never disagree.
    def broken(ids: object) -> int:
        raise RuntimeError("index unavailable")

    monkeypatch.setattr(search, "reindex_articles", broken)
    contributor.refresh_from_db()
    with pytest.raises(RuntimeError):
        account_services.update_profile(
            user=contributor, by=contributor, data={"display_name": "Anna Zwanenburg"}
        )
    assert User.objects.get(pk=contributor.pk).display_name == "Anna de Vries"


def test_renaming_a_topic_in_the_admin_reindexes_its_articles(
    published: Article, topics: list[Topic], admin_client: Client
) -> None:
    topic = topics[2]
    response = admin_client.post(
        f"/beheer/topics/topic/{topic.pk}/change/",
        {"name": "Werkgelegenheid", "slug": topic.slug, "description": ""},
    )
    assert response.status_code == 302
    assert found("Werkgelegenheid") == [published.title]
    assert found("Leiderschap") == []


def test_deleting_a_topic_in_the_admin_reindexes_its_articles(
    published: Article, topics: list[Topic], admin_client: Client
) -> None:
    topic = topics[2]
    response = admin_client.post(f"/beheer/topics/topic/{topic.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Topic.objects.filter(pk=topic.pk).exists()
    assert found("Leiderschap") == []
    assert found("luistert") == [published.title]  # the article itself stays findable


def test_only_administrators_change_topics(topics: list[Topic], editor: User) -> None:
    from django.core.exceptions import PermissionDenied

    from podium.topics import services as topic_services

    topic = topics[0]
    topic.name = "Gekaapt"
    with pytest.raises(PermissionDenied):
        topic_services.save_topic(topic=topic, by=editor)
    with pytest.raises(PermissionDenied):
        topic_services.delete_topic(topic=topic, by=editor)
    assert Topic.objects.get(pk=topic.pk).name == "Arbeidsmarkt"


def test_a_deleted_authors_name_finds_nothing_and_the_kept_article_stays_findable(
    published: Article, contributor: User
) -> None:
    with transaction.atomic():
        privacy_services.delete_account(user=contributor, by=contributor, password=PASSWORD)
        assert found("Vries") == [], "already inside the deleting transaction"
    assert found("Vries") == [] and found("Anna") == []
    assert found("luistert") == [published.title]
    assert found("voormalig auteur") == [published.title]


def test_a_deleted_authors_removed_articles_leave_the_index(
    published: Article, contributor: User, other_contributor: User, make_article: ArticleBuilder
) -> None:
    other = make_article(other_contributor, P, title="Een ander stuk")
    assert index_rows() == 2
    privacy_services.delete_account(
        user=contributor, by=contributor, password=PASSWORD, policy="remove"
    )
    assert index_rows() == 1
    assert found("Vries") == [] and found("luistert") == []
    assert found("ander") == [other.title]


def test_a_deleted_authors_name_leaves_the_index_storage_too(
    make_article: ArticleBuilder, django_capture_on_commit_callbacks: Any
) -> None:
    """FTS5 keeps old terms in its segments until they merge; the purge after the deletion
    merges them away (PostgreSQL: old row versions are not readable, nothing to do). A name no
    other word shares its first letter with is stored whole in the segments, so it can be seen."""
    from ..privacy.tables import database_mentions

    writer = make_user(
        "quirijn@example.org", display_name="Quirijn Xylofoon", bio="Schrijft.", slug="qx"
    )
    make_article(writer, P, title="Een organisatie die luistert")
    assert any(m.startswith("articles_search") for m in database_mentions(["xylofoon"]))
    with django_capture_on_commit_callbacks(execute=True):
        privacy_services.delete_account(user=writer, by=writer, password=PASSWORD)
    assert [m for m in database_mentions(["xylofoon"]) if m.startswith("articles_search")] == []
