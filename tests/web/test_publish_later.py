"""Publishing "later" is a published state with a future time: readers see it from that moment,
without any job having to run."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from podium.accounts.models import User
from podium.articles import services
from podium.articles.models import Article
from tests.podium_helpers import ArticleBuilder

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduled(make_article: ArticleBuilder, contributor: User, editor: User) -> Article:
    article = make_article(contributor, Article.State.SUBMITTED, title="Morgen in de krant")
    return services.publish_article(
        article=article, by=editor, at=timezone.now() + datetime.timedelta(hours=1)
    )


def _shift_clock(monkeypatch: Any, delta: datetime.timedelta) -> None:
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + delta)


def test_scheduled_article_is_published_but_not_live(scheduled: Article) -> None:
    assert scheduled.state == Article.State.PUBLISHED
    assert scheduled.is_scheduled
    assert not scheduled.is_live
    assert not Article.objects.published().filter(pk=scheduled.pk).exists()


def test_scheduled_article_is_not_on_the_home_page(
    scheduled: Article, anonymous_client: Client
) -> None:
    response = anonymous_client.get(reverse("web:home"))
    assert response.status_code == 200
    assert "Morgen in de krant" not in response.content.decode()


def test_scheduled_article_page_is_404(scheduled: Article, anonymous_client: Client) -> None:
    response = anonymous_client.get(scheduled.get_absolute_url())
    assert response.status_code == 404


def test_scheduled_article_is_not_in_its_topic_nor_on_the_author_page(
    scheduled: Article, anonymous_client: Client, contributor: User
) -> None:
    topic = scheduled.topics.get()
    assert (
        "Morgen in de krant" not in anonymous_client.get(topic.get_absolute_url()).content.decode()
    )
    # The author has nothing else published, so the author page does not exist yet either.
    assert anonymous_client.get(contributor.get_absolute_url()).status_code == 404


def test_scheduled_article_becomes_visible_once_its_time_has_come(
    scheduled: Article, anonymous_client: Client, monkeypatch: Any
) -> None:
    _shift_clock(monkeypatch, datetime.timedelta(hours=1, minutes=1))
    assert "Morgen in de krant" in anonymous_client.get(reverse("web:home")).content.decode()
    response = anonymous_client.get(scheduled.get_absolute_url())
    assert response.status_code == 200
    assert "Morgen in de krant" in response.content.decode()
    topic = scheduled.topics.get()
    assert "Morgen in de krant" in anonymous_client.get(topic.get_absolute_url()).content.decode()


def test_editor_can_schedule_through_the_review_page(
    make_article: ArticleBuilder, contributor: User, editor_client: Client, anonymous_client: Client
) -> None:
    article = make_article(contributor, Article.State.SUBMITTED, title="Over een uur")
    at = timezone.localtime() + datetime.timedelta(hours=1)
    response = editor_client.post(
        reverse("editorial:publish", args=[article.pk]),
        {"when": "later", "publish_at": at.strftime("%Y-%m-%dT%H:%M"), "message": ""},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.state == Article.State.PUBLISHED
    assert article.is_scheduled
    assert abs(article.published_at - at.replace(second=0, microsecond=0)) < datetime.timedelta(
        seconds=1
    )
    assert anonymous_client.get(article.get_absolute_url()).status_code == 404


def test_editor_cannot_schedule_in_the_past(
    make_article: ArticleBuilder, contributor: User, editor_client: Client
) -> None:
    article = make_article(contributor, Article.State.SUBMITTED)
    at = timezone.localtime() - datetime.timedelta(hours=1)
    response = editor_client.post(
        reverse("editorial:publish", args=[article.pk]),
        {"when": "later", "publish_at": at.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 400
    assert 'id="id_publish_at_error"' in response.content.decode()
    assert Article.objects.get(pk=article.pk).state == Article.State.SUBMITTED


def test_editor_must_choose_a_time_to_publish_later(
    make_article: ArticleBuilder, contributor: User, editor_client: Client
) -> None:
    article = make_article(contributor, Article.State.SUBMITTED)
    response = editor_client.post(
        reverse("editorial:publish", args=[article.pk]), {"when": "later"}
    )
    assert response.status_code == 400
    assert 'id="id_publish_at_error"' in response.content.decode()
    assert Article.objects.get(pk=article.pk).state == Article.State.SUBMITTED
