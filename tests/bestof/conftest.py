"""Builders for compilations: authors with portraits, published articles of realistic length."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from podium.accounts.models import User
from podium.articles.models import Article
from podium.bestof import services
from podium.bestof.models import Compilation
from podium.bestof.sample import sample_body, sample_portrait

from ..podium_helpers import make_user

TITLES = [
    "Het sollicitatiegesprek voorspelt minder dan we denken",
    "Verzuim in de zorg vraagt om leiderschap",
    "Thuiswerken is geen arbeidsvoorwaarde meer",
    "Wat de medezeggenschapsraad ons leert",
    "Kennismanagement begint bij de koffieautomaat",
    "De stille kracht van het inwerkprogramma",
]
LEAD = (
    "Wie vandaag een team leidt, merkt dat de verwachtingen sneller veranderen dan de organisatie."
)


@pytest.fixture
def settings_private(settings: Any, tmp_path: Any) -> Any:
    settings.PODIUM_PRIVATE_ROOT = tmp_path / "private"
    return settings


@pytest.fixture
def make_author(db: None) -> Callable[..., User]:
    counter = {"n": 0}

    def make(photo: bool = True, photo_size: int = 800, **fields: Any) -> User:
        counter["n"] += 1
        n = counter["n"]
        values = {
            "display_name": f"Auteur {n} de Boer",
            "bio": f"Auteur {n} de Boer is organisatieadviseur en schrijft over werk en leiderschap.",
            "job_title": "Organisatieadviseur",
            "organisation": "De Boer & Co",
            "slug": f"auteur-{n}",
        }
        values.update(fields)
        user = make_user(f"auteur{n}@example.org", **values)
        if photo:
            user.photo.save(
                f"auteur-{n}.jpg", ContentFile(sample_portrait(n, photo_size)), save=True
            )
        return user

    return make


def publish_article(
    author: User, *, title: str, body: str, days_ago: int = 1, lead: str = LEAD
) -> Article:
    """A published article as the services leave it (the body is already clean HTML). Built
    directly so these tests do not depend on the editor's sanitiser and review flow."""
    now = timezone.now()
    return Article.objects.create(
        author=author,
        title=title,
        slug=f"art-{author.pk}-{Article.objects.count() + 1}",
        lead=lead,
        body=body,
        state=Article.State.PUBLISHED,
        word_count=len(body.split()),
        char_count=len(body),
        submitted_at=now - datetime.timedelta(days=days_ago, hours=2),
        published_at=now - datetime.timedelta(days=days_ago),
    )


@pytest.fixture
def make_compilation(
    editor: User, make_author: Callable[..., User], settings_private: Any
) -> Callable[..., Compilation]:
    """A draft compilation of `n` published articles (of `words` words) by `n` authors."""

    def make(
        n: int = 3, words: int = 500, titles: list[str] | None = None, **fields: Any
    ) -> Compilation:
        today = timezone.localdate()
        compilation = services.create_compilation(
            by=editor,
            title=fields.pop("title", "Het beste van Podium"),
            subtitle=fields.pop("subtitle", "De sterkste bijdragen van het kwartaal"),
            foreword=fields.pop(
                "foreword",
                "Elk kwartaal kiest de redactie de bijdragen die het meest zijn gelezen en besproken.\n\n"
                "Veel leesplezier.",
            ),
            period_start=today - datetime.timedelta(days=90),
            period_end=today,
            printer=fields.pop("printer", "Drukkerij De Bij, Utrecht"),
            **fields,
        )
        articles: list[Article] = []
        for i in range(n):
            title = (titles or TITLES)[i % len(titles or TITLES)]
            articles.append(
                publish_article(
                    make_author(),
                    title=title if i < len(titles or TITLES) else f"{title} ({i})",
                    body=sample_body(words, seed=i),
                    days_ago=n - i,
                )
            )
        return services.set_articles(
            compilation=compilation, article_ids=[a.pk for a in articles], by=editor
        )

    return make
