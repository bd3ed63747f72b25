from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone

from podium.accounts.models import User
from podium.articles.models import Article
from tests.podium_helpers import ArticleBuilder


@pytest.fixture
def published_article(make_article: ArticleBuilder, contributor: User) -> Article:
    return make_article(contributor, Article.State.PUBLISHED)


@pytest.fixture
def age_account() -> Callable[[User, int], User]:
    def age(user: User, days: int) -> User:
        User.objects.filter(pk=user.pk).update(
            date_joined=timezone.now() - datetime.timedelta(days=days)
        )
        return User.objects.get(pk=user.pk)

    return age
