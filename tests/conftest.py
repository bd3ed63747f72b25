"""Shared personas and builders for the server-side suite.

The personas are the product's people: a contributor with a complete profile, another
contributor, a trusted contributor, an editor (group "Redactie"), an administrator and an
anonymous visitor. Articles are built through the same services the product uses, so a test
starts from a state the product can actually reach.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client

from podium.accounts import roles
from podium.accounts.models import User
from podium.topics.models import Topic

from .podium_helpers import PASSWORD, ArticleBuilder, make_user

# --- Infrastructure -----------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    """allauth keeps its rate-limit counters in the default (local-memory) cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _dutch(settings: Any) -> None:
    settings.LANGUAGE_CODE = "nl"


# --- Personas -----------------------------------------------------------------------------------


@pytest.fixture
def contributor(db: None) -> User:
    return make_user(
        "anna@example.org",
        display_name="Anna de Vries",
        bio="Anna de Vries is adviseur arbeidsmarkt bij Van Dijk & Partners.",
        job_title="Adviseur arbeidsmarkt",
        organisation="Van Dijk & Partners",
        slug="anna-de-vries",
    )


@pytest.fixture
def other_contributor(db: None) -> User:
    return make_user(
        "bram@example.org",
        display_name="Bram Jansen",
        bio="Bram Jansen is controller bij een zorginstelling.",
        slug="bram-jansen",
    )


@pytest.fixture
def trusted_contributor(db: None) -> User:
    return make_user(
        "carla@example.org",
        display_name="Carla Smit",
        bio="Carla Smit is hoogleraar organisatiekunde.",
        slug="carla-smit",
        is_trusted=True,
    )


@pytest.fixture
def incomplete_contributor(db: None) -> User:
    """Signed up, but has not filled in a name or an "Over de auteur" text yet."""
    return make_user("dirk@example.org")


@pytest.fixture
def editor(db: None) -> User:
    user = make_user("eva@example.org", display_name="Eva Redacteur")
    # get_or_create: a transactional test (browser, live server) flushes the migration-made groups.
    user.groups.add(Group.objects.get_or_create(name=roles.EDITORS)[0])
    return User.objects.get(pk=user.pk)  # a fresh row, without a cached is_editor


@pytest.fixture
def admin_user(db: None) -> User:
    user = User.objects.create_superuser("beheer@example.org", PASSWORD, display_name="Beheer")
    user.emailaddress_set.create(email=user.email, verified=True, primary=True)
    return user


def _client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def anonymous_client() -> Client:
    return Client()


@pytest.fixture
def contributor_client(contributor: User) -> Client:
    return _client_for(contributor)


@pytest.fixture
def other_client(other_contributor: User) -> Client:
    return _client_for(other_contributor)


@pytest.fixture
def trusted_client(trusted_contributor: User) -> Client:
    return _client_for(trusted_contributor)


@pytest.fixture
def editor_client(editor: User) -> Client:
    return _client_for(editor)


@pytest.fixture
def admin_client(admin_user: User) -> Client:
    return _client_for(admin_user)


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    return _client_for


# --- Topics ------------------------------------------------------------------------------------


@pytest.fixture
def topics(db: None) -> list[Topic]:
    names = ["Arbeidsmarkt", "Financiën", "Leiderschap", "Zorg"]
    return [Topic.objects.create(name=name, slug=name.lower().replace("ë", "e")) for name in names]


# --- Building articles through the real services -----------------------------------------------


@pytest.fixture
def make_article(editor: User, topics: list[Topic]) -> ArticleBuilder:
    return ArticleBuilder(editor=editor, topics=topics)
