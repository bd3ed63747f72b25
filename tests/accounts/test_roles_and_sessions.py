"""Roles are a column read from the row already loaded; sessions are Django's own database
sessions with the member recorded on each row."""

from __future__ import annotations

import datetime
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser, Group
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from podium.accounts import roles
from podium.accounts.models import AuditEvent, Session, User
from podium.accounts.services import set_role
from podium.accounts.sessions import SessionStore
from tests.podium_helpers import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "is_editor", "is_administrator"),
    [
        (roles.Role.CONTRIBUTOR, False, False),
        (roles.Role.EDITOR, True, False),
        (roles.Role.ADMINISTRATOR, True, True),
    ],
)
def test_role_decides_desk_and_admin(
    role: str, is_editor: bool, is_administrator: bool, django_assert_num_queries: Any
) -> None:
    user = make_user("iemand@example.org", role=role)
    with django_assert_num_queries(0):
        assert (user.is_editor, user.is_administrator) == (is_editor, is_administrator)
    assert roles.holds_any(user.pk, roles.DESK) is is_editor
    assert roles.holds_any(user.pk, (roles.ADMINISTRATORS,)) is is_administrator


def test_role_check_asks_for_this_user_only(contributor: User, editor: User) -> None:
    assert roles.holds_any(editor.pk, (roles.EDITORS,))
    assert not roles.holds_any(contributor.pk, (roles.EDITORS,))
    assert not roles.holds_any(-1, (roles.EDITORS,))


def test_inactive_editor_is_no_editor_and_superuser_always_is(editor: User) -> None:
    assert User.objects.get(pk=editor.pk).is_editor
    User.objects.filter(pk=editor.pk).update(is_active=False)
    assert not User.objects.get(pk=editor.pk).is_editor
    boss = User.objects.create_superuser("baas@podium.example", "een-lang-wachtwoord-1")
    assert boss.is_editor and boss.is_administrator


def test_migration_turns_the_role_groups_into_the_column(contributor: User) -> None:
    """accounts 0007: "Beheerders" become administrators (also when in "Redactie" too), "Redactie"
    editors, the rest contributors; the two groups are gone, other groups stay."""
    migration = import_module("podium.accounts.migrations.0007_user_role")
    editors = Group.objects.create(name="Redactie")
    administrators = Group.objects.create(name="Beheerders")
    readers = Group.objects.create(name="Lezers")
    editor = make_user("redacteur@example.org")
    editor.groups.add(editors, readers)
    both = make_user("beide@example.org")
    both.groups.add(editors, administrators)
    contributor.groups.add(readers)
    migration.roles_from_groups(apps, None)
    role = dict(User.objects.values_list("email", "role"))
    assert role == {
        contributor.email: roles.Role.CONTRIBUTOR,
        editor.email: roles.Role.EDITOR,
        both.email: roles.Role.ADMINISTRATOR,
    }
    assert list(Group.objects.values_list("name", flat=True)) == ["Lezers"]
    migration.groups_from_roles(apps, None)
    assert set(Group.objects.get(name="Beheerders").user_set.all()) == {both}
    assert set(Group.objects.get(name="Redactie").user_set.all()) == {editor}


def _session(**values: Any) -> SessionStore:
    store = SessionStore()
    for key, value in values.items():
        store[key] = value
    store.create()
    return store


def _expire(session_key: str) -> None:
    """As time passing would: the row's expiry date passes, and the cached copy, kept for the
    session's age (cached_db), is gone with it."""
    Session.objects.filter(session_key=session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    caches[settings.SESSION_CACHE_ALIAS].delete(SessionStore.cache_key_prefix + session_key)


def test_expired_or_unknown_session_is_empty_and_loses_its_key() -> None:
    store = _session(colour="rood")
    _expire(str(store.session_key))
    expired = SessionStore(store.session_key)
    assert expired.load() == {} and expired.session_key is None
    unknown = SessionStore("x" * 32)
    assert unknown.load() == {} and unknown.session_key is None
    refused = SessionStore("kort")  # shorter than any key Django makes: never looked up
    assert refused.load() == {} and refused.session_key is None


def test_signed_in_member_is_recognised_and_signed_out_after_expiry(contributor: User) -> None:
    client = Client()
    client.force_login(contributor)
    key = client.cookies["sessionid"].value
    assert SessionStore(key)[SESSION_KEY] == str(contributor.pk)
    assert client.get(reverse("articles:dashboard")).status_code == 200
    _expire(key)
    assert client.get(reverse("articles:dashboard")).status_code == 302  # to the sign-in page


# --- Sessions know their member ----------------------------------------------------------------


def test_signing_in_records_the_member_and_anonymous_sessions_have_none(
    contributor: User,
) -> None:
    client = Client()
    client.post(reverse("account_login"), {"login": contributor.email, "password": PASSWORD})
    row = Session.objects.get(session_key=client.cookies["sessionid"].value)
    assert row.user_id == contributor.pk
    anonymous = _session(colour="groen")
    assert Session.objects.get(session_key=anonymous.session_key).user_id is None
    client.post(reverse("account_logout"))
    assert not Session.objects.filter(user=contributor).exists()


def test_deleting_an_account_signs_it_out_everywhere_and_no_one_else(
    contributor: User, other_contributor: User
) -> None:
    laptop, phone, someone_else = Client(), Client(), Client()
    laptop.force_login(contributor)
    phone.force_login(contributor)
    someone_else.force_login(other_contributor)
    assert Session.objects.filter(user=contributor).count() == 2
    laptop.post("/profiel/mijn-gegevens/", {"password": PASSWORD, "confirm": "on"})
    assert not Session.objects.filter(user_id=contributor.pk).exists()
    assert phone.get(reverse("articles:dashboard")).status_code == 302  # signed out
    assert someone_else.get(reverse("articles:dashboard")).status_code == 200


def test_migration_moves_existing_sessions_with_their_member(contributor: User) -> None:
    """accounts 0005 moves Django's session rows to accounts_session: nobody is signed out."""
    from django.contrib.sessions.models import Session as DjangoSession

    store = SessionStore()
    signed_in = DjangoSession.objects.create(
        session_key="a" * 32,
        session_data=store.encode({SESSION_KEY: str(contributor.pk), "colour": "paars"}),
        expire_date=timezone.now() + datetime.timedelta(days=1),
    )
    DjangoSession.objects.create(
        session_key="b" * 32,
        session_data=store.encode({SESSION_KEY: "999999"}),  # an account that is gone
        expire_date=timezone.now() + datetime.timedelta(days=1),
    )
    DjangoSession.objects.create(
        session_key="c" * 32, session_data="kapot", expire_date=signed_in.expire_date
    )
    migration = import_module("podium.accounts.migrations.0005_member_sessions")
    migration.move_sessions(apps, None)
    moved = {row.session_key: row for row in Session.objects.all()}
    assert moved["a" * 32].user_id == contributor.pk
    assert moved["b" * 32].user_id is None and moved["c" * 32].user_id is None
    assert moved["a" * 32].session_data == signed_in.session_data
    assert not DjangoSession.objects.exists()
    assert SessionStore("a" * 32)["colour"] == "paars"


# --- The editor guard of services -----------------------------------------------------------


@roles.editors_only(gettext_lazy("Alleen de redactie."))
def _desk_service(*, by: User, value: int) -> int:
    return value * 2


def test_editor_guard_lets_editors_through_and_refuses_everyone_else(
    editor: User, contributor: User
) -> None:
    assert _desk_service(by=editor, value=21) == 42
    with pytest.raises(PermissionDenied, match="Alleen de redactie"):
        _desk_service(by=contributor, value=21)
    with pytest.raises(PermissionDenied):
        _desk_service(by=AnonymousUser(), value=21)  # type: ignore[arg-type]
    User.objects.filter(pk=editor.pk).update(is_active=False)
    with pytest.raises(PermissionDenied):
        _desk_service(by=User.objects.get(pk=editor.pk), value=21)


def test_editor_guard_needs_the_acting_user() -> None:
    with pytest.raises(TypeError, match="by="):
        _desk_service(value=1)  # type: ignore[call-arg]


def test_editor_guard_speaks_dutch_without_a_message(contributor: User) -> None:
    with translation.override("nl"), pytest.raises(PermissionDenied) as refused:
        roles.require_editor(contributor)
    assert str(refused.value) == "Alleen redacteuren kunnen dit doen."


# --- A role changed by code ------------------------------------------------------------------


def test_set_role_audits_the_change_and_signs_the_person_out_everywhere(
    admin_user: User, contributor: User, other_contributor: User
) -> None:
    laptop, someone_else, own = Client(), Client(), Client()
    laptop.force_login(contributor)
    someone_else.force_login(other_contributor)
    own.force_login(admin_user)

    assert laptop.get(reverse("articles:dashboard")).status_code == 200  # its session cached now
    set_role(user=contributor, role=roles.Role.EDITOR, by=admin_user)
    assert User.objects.get(pk=contributor.pk).role == roles.Role.EDITOR
    assert not Session.objects.filter(user_id=contributor.pk).exists()
    assert laptop.get(reverse("articles:dashboard")).status_code == 302  # the cached copy went too
    assert Session.objects.filter(user_id=other_contributor.pk).exists()
    added = AuditEvent.objects.get(action=AuditEvent.Action.ROLE_ADDED)
    assert (added.subject, added.actor, added.details) == (
        contributor,
        admin_user,
        {"role": roles.Role.EDITOR},
    )

    # Editor to administrator: one role goes, one comes; contributor again: the last one goes.
    laptop.force_login(contributor)
    set_role(user=contributor, role=roles.Role.ADMINISTRATOR, by=admin_user)
    set_role(user=contributor, role=roles.Role.CONTRIBUTOR, by=admin_user)
    assert list(AuditEvent.objects.order_by("pk").values_list("action", "details__role")) == [
        (AuditEvent.Action.ROLE_ADDED, roles.Role.EDITOR),
        (AuditEvent.Action.ROLE_ADDED, roles.Role.ADMINISTRATOR),
        (AuditEvent.Action.ROLE_REMOVED, roles.Role.EDITOR),
        (AuditEvent.Action.ROLE_REMOVED, roles.Role.ADMINISTRATOR),
    ]
    assert not Session.objects.filter(user_id=contributor.pk).exists()

    # The same role again writes nothing and signs nobody out.
    laptop.force_login(contributor)
    set_role(user=contributor, role=roles.Role.CONTRIBUTOR, by=admin_user)
    assert AuditEvent.objects.count() == 4
    assert Session.objects.filter(user_id=contributor.pk).exists()

    # An administrator changing their own role keeps the session making the change.
    own_key = own.session.session_key
    set_role(user=admin_user, role=roles.Role.EDITOR, by=admin_user, session_key=own_key)
    assert set(
        Session.objects.filter(user_id=admin_user.pk).values_list("session_key", flat=True)
    ) == {own_key}


def test_only_an_administrator_sets_a_role(editor: User, contributor: User) -> None:
    with pytest.raises(PermissionDenied):
        set_role(user=contributor, role=roles.Role.EDITOR, by=editor)
    with pytest.raises(PermissionDenied):
        set_role(user=contributor, role=roles.Role.ADMINISTRATOR, by=contributor)
    assert User.objects.get(pk=contributor.pk).role == roles.Role.CONTRIBUTOR
    assert not AuditEvent.objects.exists()
