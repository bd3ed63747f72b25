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
from django.core.cache import cache
from django.db import connections
from django.test import Client
from pytest_django.fixtures import validate_django_db

from podium.accounts import roles
from podium.accounts.models import User
from podium.articles import limits
from podium.topics.models import Topic

from .podium_helpers import PASSWORD, ArticleBuilder, make_user, sign_in

# --- Infrastructure -----------------------------------------------------------------------------


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every transactional test (live server, real concurrent transactions) uses serialized
    rollback: it starts from the rows the migrations made (roles, site, content types,
    permissions) and its flush leaves the tables empty for the next one to reload.

    Mixing the two kinds in one process breaks: a plain transactional test's flush sends
    post_migrate, which recreates the content types under new ids, and a later serialized test
    then fails to reload its snapshot (IntegrityError on django_content_type; see Django
    tickets #23727 and #25251). pytest-django runs transactional tests after all others, so
    the empty tables they leave behind are seen by no test that relies on migration data."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        transactional = bool({"transactional_db", "live_server"} & fixtures)
        reset_sequences, databases, available_apps = False, None, None
        marker = item.get_closest_marker("django_db")
        if marker is not None:
            transaction, reset_sequences, databases, _, available_apps = validate_django_db(marker)
            transactional = transactional or transaction or reset_sequences
        if not transactional:
            continue
        item.add_marker(
            pytest.mark.django_db(
                transaction=True,
                reset_sequences=reset_sequences,
                databases=databases,
                serialized_rollback=True,
                available_apps=available_apps,
            ),
            append=False,  # the closest django_db marker is the one pytest-django reads
        )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None) -> None:
    """The migrated rows serialized for that rollback, visible to every connection object.

    Django keeps them on the connection object that created the test database. Playwright's
    sync API runs an asyncio loop in the test thread, and while it counts as running there,
    asgiref hands this thread a second set of connection objects (context-local instead of
    thread-local). Without this, a serialized test that gets the other set silently skips the
    reload and its flush sends post_migrate: the tables are left empty (no site, no roles) or
    the next reload collides with the recreated content types."""
    for alias in connections:
        connection = connections[alias]
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            type(connection)._test_serialized_contents = contents


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    """allauth keeps its rate-limit counters in the default (local-memory) cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PODIUM_PRIVATE_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _dutch(settings: Any) -> None:
    settings.LANGUAGE_CODE = "nl"


@pytest.fixture(autouse=True)
def _new_account_limits_out_of_the_way(monkeypatch: pytest.MonkeyPatch) -> None:
    """Builders submit many articles for one persona; the spam tests set the new-account limits
    (product rules in podium.articles.limits) themselves."""
    monkeypatch.setattr(limits, "NEW_ACCOUNT_SUBMISSIONS_PER_DAY", 1000)
    monkeypatch.setattr(limits, "NEW_ACCOUNT_MAX_LINKS", 1000)


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
    return make_user("eva@example.org", display_name="Eva Redacteur", role=roles.EDITORS)


@pytest.fixture
def admin_user(db: None) -> User:
    user = User.objects.create_superuser("beheer@example.org", PASSWORD, display_name="Beheer")
    user.emailaddress_set.create(email=user.email, verified=True, primary=True)
    return user


def _client_for(user: User) -> Client:
    return sign_in(Client(), user)


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
