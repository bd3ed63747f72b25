"""`podium seed`: data at scale in bulk, and fresh planner statistics afterwards."""

from __future__ import annotations

import pytest
from django.db import connection

from podium.articles.models import Article
from podium.web.seed import seed

pytestmark = pytest.mark.django_db


def test_seed_adds_the_numbers_asked_for_and_analyzes() -> None:
    result = seed(articles=30, authors=5, subscribers=10, batch_size=10)
    assert Article.objects.count() >= 30 and result["articles"] == 30
    assert "planner statistics" in result["seconds"]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'articles_article'")
            assert cursor.fetchone()[0] > 0
