"""Second factors for staff, and the audit log of roles, trust and second factors."""

from __future__ import annotations

import time
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from podium.accounts import mfa, roles
from podium.accounts.models import AuditEvent, User
from podium.accounts.services import set_trust
from tests.podium_helpers import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mfa_required(settings: Any) -> None:
    settings.PODIUM_STAFF_MFA_REQUIRED = True


def _give_totp(user: User) -> None:
    TOTP.activate(user, generate_totp_secret())


@pytest.mark.parametrize("url", ["/redactie/", "/beheer/", "/redactie/nieuwsbrief/"])
def test_editor_without_mfa_is_sent_to_totp_setup(editor_client: Client, url: str) -> None:
    response = editor_client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/account/2fa/totp/activate/")


def test_administrator_without_mfa_is_sent_to_totp_setup(admin_client: Client) -> None:
    response = admin_client.get("/beheer/")
    assert response.status_code == 302 and "/2fa/totp/activate/" in response["Location"]


def test_editor_with_totp_reaches_the_desk(editor: User, client_for: Any) -> None:
    _give_totp(editor)
    assert client_for(editor).get("/redactie/").status_code == 200


def test_contributor_is_not_forced_to_set_up_mfa(contributor_client: Client) -> None:
    assert contributor_client.get("/profiel/").status_code == 200
    assert contributor_client.get("/redactie/").status_code in (302, 403, 404)
    assert "2fa" not in contributor_client.get("/redactie/").get("Location", "")


def test_contributor_may_set_up_totp(
    contributor: User, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    client.post(
        "/account/login/", {"login": contributor.email, "password": "een-lang-wachtwoord-42"}
    )
    # allauth asks for the password again before a second factor is added.
    assert client.get("/account/2fa/totp/activate/").status_code == 302
    client.post("/account/reauthenticate/", {"password": "een-lang-wachtwoord-42"})
    page = client.get("/account/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret
    code = format(hotp_value(secret, int(time.time()) // 30), "06d")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/2fa/totp/activate/", {"code": code})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=contributor, type=Authenticator.Type.TOTP).exists()
    added = AuditEvent.objects.filter(action=AuditEvent.Action.MFA_ADDED, subject=contributor)
    assert sorted(e.details["type"] for e in added) == ["recovery_codes", "totp"]


def test_editor_without_mfa_still_reaches_the_account_pages(editor_client: Client) -> None:
    assert editor_client.get("/account/email/").status_code == 200


def test_mfa_requirement_can_be_switched_off(settings: Any, editor_client: Client) -> None:
    settings.PODIUM_STAFF_MFA_REQUIRED = False
    assert editor_client.get("/redactie/").status_code == 200


# --- MFA reset -----------------------------------------------------------------------------------


def test_administrator_resets_an_editors_second_factor(admin_user: User, editor: User) -> None:
    _give_totp(editor)
    assert mfa.reset_mfa(user=editor, by=admin_user) == 1
    assert not Authenticator.objects.filter(user=editor).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.MFA_RESET)
    assert (event.subject, event.actor, event.details["types"]) == (editor, admin_user, ["totp"])


@pytest.mark.parametrize("persona", ["contributor", "editor"])
def test_only_administrators_reset_second_factors(
    request: Any, persona: str, other_contributor: User
) -> None:
    _give_totp(other_contributor)
    with pytest.raises(PermissionDenied):
        mfa.reset_mfa(user=other_contributor, by=request.getfixturevalue(persona))
    assert Authenticator.objects.filter(user=other_contributor).exists()
    assert not AuditEvent.objects.exists()


def test_reset_through_the_admin_action(admin_user: User, editor: User, client_for: Any) -> None:
    _give_totp(admin_user)
    _give_totp(editor)
    response = client_for(admin_user).post(
        "/beheer/accounts/user/",
        {"action": "reset_second_factors", "_selected_action": [editor.pk]},
    )
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=editor).exists()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.MFA_RESET, subject=editor, actor=admin_user
    ).exists()


# --- Role and trust changes -----------------------------------------------------------------------


def _change_form(user: User, role: str, **extra: Any) -> dict[str, Any]:
    return {
        "email": user.email,
        "display_name": user.display_name,
        "slug": user.slug or "",
        "job_title": "",
        "organisation": "",
        "bio": user.bio,
        "website": "",
        "linkedin": "",
        "is_active": "on",
        "role": role,
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
        **extra,
    }


def test_role_changes_in_the_admin_are_audited(
    admin_user: User, contributor: User, client_for: Any
) -> None:
    _give_totp(admin_user)
    client = client_for(admin_user)
    url = f"/beheer/accounts/user/{contributor.pk}/change/"
    response = client.post(url, _change_form(contributor, roles.EDITORS, is_staff="on"))
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else response
    )
    added = AuditEvent.objects.get(action=AuditEvent.Action.ROLE_ADDED)
    assert (added.subject, added.actor, added.details["role"]) == (
        contributor,
        admin_user,
        roles.EDITORS,
    )
    assert (
        AuditEvent.objects.get(action=AuditEvent.Action.STAFF_CHANGED).details["is_staff"] is True
    )

    assert User.objects.get(pk=contributor.pk).role == roles.EDITORS

    client.post(url, _change_form(contributor, roles.ADMINISTRATORS))
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ROLE_ADDED).count() == 2
    removed = AuditEvent.objects.get(action=AuditEvent.Action.ROLE_REMOVED)
    assert removed.details["role"] == roles.EDITORS
    assert User.objects.get(pk=contributor.pk).is_administrator


def test_trust_changes_are_audited(editor: User, contributor: User) -> None:
    set_trust(user=contributor, is_trusted=True, reason="Drie sterke stukken.", by=editor)
    event = AuditEvent.objects.get(action=AuditEvent.Action.TRUST_CHANGED)
    assert (event.subject, event.actor) == (contributor, editor)
    assert event.details == {
        "is_trusted": True,
        "source": "editor",
        "reason": "Drie sterke stukken.",
    }


def test_administrators_read_the_audit_log_editors_do_not(
    admin_user: User, editor: User, contributor: User, client_for: Any
) -> None:
    _give_totp(admin_user)
    _give_totp(editor)
    set_trust(user=contributor, is_trusted=True, reason="Goed werk.", by=editor)
    page = client_for(admin_user).get("/beheer/accounts/auditevent/")
    assert page.status_code == 200 and "Goed werk." in page.content.decode()
    editor.is_staff = True
    editor.save()
    assert client_for(editor).get("/beheer/accounts/auditevent/").status_code in (302, 403)


def test_audit_log_cannot_be_edited_in_the_admin(
    admin_user: User, editor: User, contributor: User, client_for: Any
) -> None:
    _give_totp(admin_user)
    set_trust(user=contributor, is_trusted=True, reason="Goed werk.", by=editor)
    event = AuditEvent.objects.get()
    client = client_for(admin_user)
    assert (
        client.post(f"/beheer/accounts/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert client.get("/beheer/accounts/auditevent/add/").status_code == 403
    assert AuditEvent.objects.count() == 1


def test_an_editor_signing_in_goes_to_the_set_up_and_then_the_desk(editor: User) -> None:
    """Not "Activiteiten: U hebt nog niets geschreven" and a detour via "Redactie": straight to
    the second-factor set-up, which leads on to the desk."""
    client = Client()
    response = client.post(reverse("account_login"), {"login": editor.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("editorial:desk")
    set_up = client.get(response["Location"])
    assert set_up.status_code == 302
    assert set_up["Location"].startswith(reverse("mfa_activate_totp"))
    assert "next=%2Fredactie%2F" in set_up["Location"]
    page = client.get(set_up["Location"])
    assert page.status_code == 200  # no second password prompt right after signing in


def test_a_contributor_signing_in_still_lands_on_activiteiten(contributor: User) -> None:
    response = Client().post(
        reverse("account_login"), {"login": contributor.email, "password": PASSWORD}
    )
    assert response["Location"] == reverse("articles:dashboard")


def test_a_next_link_wins_for_editors_too(editor: User) -> None:
    response = Client().post(
        reverse("account_login") + "?next=/profiel/",
        {"login": editor.email, "password": PASSWORD, "next": "/profiel/"},
    )
    assert response["Location"] == "/profiel/"
