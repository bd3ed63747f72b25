from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.utils import timezone

from podium.accounts.models import User
from podium.articles.models import Article
from podium.editorial.services import pick_article
from podium.newsletter import services
from podium.newsletter.models import Edition, Subscriber
from podium.topics.models import Topic

from ..podium_helpers import bulk_publish
from .doubles import SERVER, Clock, Server


@pytest.fixture(autouse=True)
def _newsletter_settings(settings: Any) -> None:
    settings.NEWSLETTER_BATCH_SIZE = 5
    settings.NEWSLETTER_LEASE_SECONDS = 60
    settings.NEWSLETTER_RETRY_BASE_SECONDS = 10
    settings.NEWSLETTER_IDLE_WAIT_SECONDS = 0
    settings.NEWSLETTER_SEND_RATE = 0
    settings.SITE_URL = "https://podium.example"
    settings.DEFAULT_FROM_EMAIL = "Podium <nieuwsbrief@podium.example>"


@pytest.fixture
def server(settings: Any) -> Iterator[Server]:
    """The flaky mail server double, as the e-mail backend."""
    SERVER.reset()
    settings.MAILERS = {
        "default": {
            "BACKEND": "tests.newsletter.doubles.FlakyBackend",
            "OPTIONS": {"host": "localhost"},
        }
    }
    yield SERVER
    SERVER.reset()


@pytest.fixture
def clock() -> Clock:
    return Clock()


def add_subscribers(
    n: int, *, prefix: str = "lezer", status: str = Subscriber.Status.CONFIRMED
) -> list[Subscriber]:
    now = timezone.now()
    confirmed = status == Subscriber.Status.CONFIRMED
    return Subscriber.objects.bulk_create(
        Subscriber(
            email=f"{prefix}{i}@example.net",
            status=status,
            consent_at=now,
            consent_source=Subscriber.Source.PAGE,
            consent_text="Ja",
            confirmed_at=now if confirmed else None,
        )
        for i in range(n)
    )


@pytest.fixture
def subscribers(db: None) -> Callable[..., list[Subscriber]]:
    return add_subscribers


@pytest.fixture
def picked(topics: list[Topic], contributor: User, editor: User) -> list[Article]:
    """Three live articles picked for the newsletter, in pick order."""
    articles = bulk_publish(contributor, topics, 3, prefix="nb")
    for article in articles:
        pick_article(article=article, kind="newsletter", by=editor)
    return articles


@pytest.fixture
def ready_edition(picked: list[Article], editor: User) -> Edition:
    edition = services.create_edition(by=editor)
    return services.update_edition(
        edition=edition, subject="De week van Podium", intro="Drie stukken om te lezen.", by=editor
    )


@pytest.fixture
def txn_editor(db: None) -> User:
    """An editor that does not depend on the "Redactie" group row, which transactional tests'
    flushes can remove: an administrator (superusers count as editors)."""
    return User.objects.create_superuser("hoofdredactie@example.org", "een-lang-wachtwoord-42")
