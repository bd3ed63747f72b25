"""`podium seed`: data at scale in bulk, and fresh planner statistics afterwards."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from podium.articles.models import Article, RelatedArticle
from podium.demo.seed import seed
from podium.images.models import Image

pytestmark = pytest.mark.django_db


def test_seed_adds_the_numbers_asked_for_and_analyzes() -> None:
    result = seed(articles=30, authors=5, subscribers=10, batch_size=10)
    assert Article.objects.count() >= 30 and result["articles"] == 30
    assert "planner statistics" in result["seconds"]
    # Every publication's "read more" is computed in bulk: no first reader computes it.
    published = Article.objects.filter(state=Article.State.PUBLISHED)
    assert published.exists() and not published.filter(related_at=None).exists()
    assert RelatedArticle.objects.exists()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'articles_article'")
            assert cursor.fetchone()[0] > 0


def test_seed_command_fingerprints_the_articles_for_the_originality_check_when_asked() -> None:
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    from podium.editorial.models import Fingerprint

    out = StringIO()
    call_command("seed", articles=12, authors=3, subscribers=0, batch_size=5, stdout=out)
    assert not Fingerprint.objects.exists()
    call_command(
        "seed", articles=8, authors=2, subscribers=0, batch_size=5, originality=True, stdout=out
    )
    # The new articles and those seeded before: every submitted article without a fingerprint.
    submitted = Article.objects.exclude(state=Article.State.DRAFT).count()
    assert Fingerprint.objects.count() == submitted > 0
    assert f"{submitted} article(s) fingerprinted" in out.getvalue()
    with pytest.raises(CommandError, match="batch-size"):
        call_command("seed", articles=1, authors=1, batch_size=0, stdout=out)


def test_seeded_cards_carry_header_images_with_their_variants(anonymous_client: Client) -> None:
    """`--header-images`: a few pictures through the images app's pipeline, shared by every
    article, so the benchmark's cards render the production <picture> markup."""
    result = seed(articles=40, authors=4, subscribers=0, header_images=3, batch_size=15)
    assert result["header_images"] == 3
    images = list(Image.objects.all())
    assert len(images) == 3 and all(i.has_variants and i.alt_text for i in images)
    assert not Article.objects.filter(header_image=None).exists()
    page = anonymous_client.get(reverse("web:home")).content.decode()
    cards = page.count('<article class="teaser')
    assert cards > 5
    assert page.count('class="teaser-picture"') == page.count("<picture") == cards
    assert page.count('type="image/avif"') == cards  # the variants, not the original


def test_seed_without_header_images_draws_none() -> None:
    assert seed(articles=10, authors=2, subscribers=0)["header_images"] == 0
    assert not Image.objects.exists()
    assert not Article.objects.exclude(header_image=None).exists()
