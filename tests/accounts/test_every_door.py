"""Every door to a signed-in account (issue #19): the second factor on every way in for staff, the
sign-in limits that protect without locking anyone out, and account changes that a hijacked
session cannot make. The personas sign in through the real forms, from the client addresses the
limits count (REMOTE_ADDR), and the tests look at the rows: sessions, addresses, audit records."""

from __future__ import annotations

import re
import time
from types import SimpleNamespace
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.core.internal import ratelimit as allauth_ratelimit
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value
from django.core import mail
from django.core import signing as django_signing
from django.forms.models import model_to_dict
from django.test import Client, override_settings

from podium.accounts import roles
from podium.accounts import services as account_services
from podium.accounts.models import AuditEvent, Session, User
from tests.podium_helpers import PASSWORD, sign_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "een-ander-lang-wachtwoord-77"
OFFICE, ATTACKER, HOME = "127.0.0.3", "127.0.0.2", "127.0.0.4"


@pytest.fixture(autouse=True)
def _mfa_required(settings: Any) -> None:
    settings.PODIUM_STAFF_MFA_REQUIRED = True


# --- How the personas sign in ----------------------------------------------------------------


class SecondFactor:
    """A persona's authenticator app, and the recovery codes that come with it (a TOTP code is
    accepted once per 30 seconds, so a test that signs in twice uses a recovery code the second
    time)."""

    def __init__(self, user: User) -> None:
        self.secret = generate_totp_secret()
        TOTP.activate(user, self.secret)
        self.recovery = RecoveryCodes.activate(user).get_unused_codes()
        self.totp_used = False

    def code(self) -> str:
        if not self.totp_used:
            self.totp_used = True
            return format(hotp_value(self.secret, int(time.time()) // 30), "06d")
        return self.recovery.pop()


def admin_user_form(user: User, **changes: str) -> dict[str, str | None]:
    """What the admin's user form posts for `user` unchanged, with `changes` applied."""
    return {
        "email": user.email,
        "display_name": user.display_name,
        "slug": user.slug,
        "job_title": user.job_title,
        "organisation": user.organisation,
        "bio": user.bio,
        "website": "",
        "linkedin": "",
        "is_active": "on",
        "role": user.role,
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
        **changes,
    }


def browser(address: str = OFFICE) -> Client:
    return Client(REMOTE_ADDR=address)


def post_password(client: Client, email: str, password: str, url: str = "/account/login/") -> Any:
    return client.post(url, {"login": email, "password": password})


def sign_in_fully(
    client: Client, user: User, factor: SecondFactor | None, *, url: str = "/account/login/"
) -> Any:
    response = post_password(client, user.email, PASSWORD, url)
    if factor is None:
        return response
    assert response.status_code == 302, response.status_code
    assert response["Location"] == "/account/2fa/authenticate/"
    return client.post("/account/2fa/authenticate/", {"code": factor.code()})


def is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def reaches(client: Client, url: str) -> bool:
    return client.get(url).status_code == 200


def sessions_of(user: User) -> set[str]:
    return set(Session.objects.filter(user_id=user.pk).values_list("session_key", flat=True))


def make_editor(user: User) -> None:
    User.objects.filter(pk=user.pk).update(role=roles.EDITORS)


# --- The second factor on every door -------------------------------------------------------------


def test_admin_sign_in_with_the_password_alone_never_reaches_a_staff_page(
    admin_user: User,
) -> None:
    factor = SecondFactor(admin_user)
    client = browser()
    response = post_password(client, admin_user.email, PASSWORD, "/beheer/login/")
    assert response.status_code == 302
    assert response["Location"] == "/account/2fa/authenticate/"
    assert not is_signed_in(client)
    for url in ("/beheer/", "/beheer/accounts/user/", "/redactie/"):
        assert not reaches(client, url)

    client.post("/account/2fa/authenticate/", {"code": factor.code()})
    assert is_signed_in(client)
    assert reaches(client, "/beheer/") and reaches(client, "/redactie/")


def test_the_admin_sign_in_form_of_django_is_never_served(admin_user: User) -> None:
    SecondFactor(admin_user)
    client = browser()
    page = client.get("/beheer/login/?next=/beheer/accounts/")
    assert page.status_code == 302
    assert page["Location"] == "/account/login/?next=%2Fbeheer%2Faccounts%2F"
    # Django's admin form's own fields sign nobody in.
    client.post(
        "/beheer/login/", {"username": admin_user.email, "password": PASSWORD, "next": "/beheer/"}
    )
    assert not is_signed_in(client)
    assert not reaches(client, "/beheer/")


def test_the_sites_sign_in_asks_an_editor_for_the_second_factor(editor: User) -> None:
    factor = SecondFactor(editor)
    client = browser()
    post_password(client, editor.email, PASSWORD)
    assert not reaches(client, "/redactie/")
    client.post("/account/2fa/authenticate/", {"code": factor.code()})
    assert reaches(client, "/redactie/")


def test_a_session_signed_in_without_the_second_factor_is_sent_to_sign_in_again(
    editor: User,
) -> None:
    """Any door that skipped the second-factor step (a forced or foreign sign-in) ends there."""
    SecondFactor(editor)
    client = sign_in(browser(), editor, second_factor=False)
    response = client.get("/redactie/artikelen/?status=ingediend")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/?next=%2Fredactie%2F")
    assert not is_signed_in(client)


def test_a_session_from_before_the_staff_check_is_sent_to_sign_in_again(editor: User) -> None:
    SecondFactor(editor)
    client = browser()
    client.force_login(editor)  # signed in, but by no door that records how
    assert client.get("/beheer/").status_code == 302
    assert not is_signed_in(client)


def test_completing_a_password_reset_signs_nobody_in_and_staff_still_need_the_second_factor(
    editor: User,
) -> None:
    factor = SecondFactor(editor)
    elsewhere = browser(HOME)
    sign_in_fully(elsewhere, editor, factor)
    assert reaches(elsewhere, "/redactie/")

    client = browser()
    assert client.post("/account/password/reset/", {"email": editor.email}).status_code == 302
    link = re.search(r"/account/password/reset/key/\S+/", mail.outbox[-1].body)
    assert link is not None
    form_url = client.get(link.group(0))["Location"]
    done = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302

    assert not is_signed_in(client)
    assert not reaches(client, "/redactie/")
    assert sessions_of(editor) == set()  # the other session, too, is signed out
    assert not reaches(elsewhere, "/redactie/")
    editor.refresh_from_db()
    assert editor.check_password(NEW_PASSWORD) and not editor.check_password(PASSWORD)
    # The new password opens only the second-factor step.
    response = post_password(client, editor.email, NEW_PASSWORD)
    assert response["Location"] == "/account/2fa/authenticate/"
    client.post("/account/2fa/authenticate/", {"code": factor.code()})
    assert reaches(client, "/redactie/")


def test_a_role_granted_in_the_admin_signs_the_person_out_and_asks_for_the_second_factor(
    admin_user: User, contributor: User
) -> None:
    admin_factor, factor = SecondFactor(admin_user), SecondFactor(contributor)
    theirs = browser(HOME)
    sign_in_fully(theirs, contributor, factor)
    assert reaches(theirs, "/profiel/")

    admin = browser()
    sign_in_fully(admin, admin_user, admin_factor)
    admin_sessions = sessions_of(admin_user)
    response = admin.post(
        f"/beheer/accounts/user/{contributor.pk}/change/",
        admin_user_form(contributor, role=roles.EDITORS),
    )
    assert response.status_code == 302, response.context and response.context["adminform"].errors
    assert response["Location"] == "/beheer/accounts/user/"

    assert sessions_of(contributor) == set()
    assert sessions_of(admin_user) == admin_sessions
    assert not reaches(theirs, "/redactie/")
    sign_in_fully(theirs, contributor, factor)
    assert reaches(theirs, "/redactie/")


def test_a_role_granted_mid_session_takes_effect_only_after_a_fresh_sign_in(
    contributor: User,
) -> None:
    """Also when the role comes by a path that does not sign anyone out (the shell, a script)."""
    factor = SecondFactor(contributor)
    client = browser()
    sign_in_fully(client, contributor, factor)
    make_editor(contributor)

    response = client.get("/redactie/")
    assert response.status_code == 302 and response["Location"].startswith("/account/login/")
    assert not is_signed_in(client)
    sign_in_fully(client, contributor, factor)
    assert reaches(client, "/redactie/")


def test_a_new_editor_without_a_second_factor_sets_one_up_before_the_desk(
    contributor: User,
) -> None:
    client = browser()
    post_password(client, contributor.email, PASSWORD)
    make_editor(contributor)
    client.get("/redactie/")  # the role arrived after this sign-in: sign in again
    post_password(client, contributor.email, PASSWORD)
    response = client.get("/redactie/")
    assert response["Location"].startswith("/account/2fa/totp/activate/")


# --- Limits that protect without locking people out ------------------------------------------------


def test_thirty_wrong_passwords_at_the_admin_sign_in_are_limited(admin_user: User) -> None:
    factor = SecondFactor(admin_user)
    attacker = browser(ATTACKER)
    answers = [
        post_password(attacker, admin_user.email, f"gok-{n}", "/beheer/login/").status_code
        for n in range(30)
    ]
    assert answers[:5] == [200] * 5  # the form again, with "not correct"
    assert set(answers[5:]) == {429}
    refused = post_password(attacker, admin_user.email, PASSWORD, "/beheer/login/")
    assert refused.status_code == 429 and not is_signed_in(attacker)
    assert "Te veel" in refused.content.decode()  # Dutch, on the sign-in page

    # The administrator, elsewhere, is not locked out.
    assert sign_in_fully(browser(OFFICE), admin_user, factor).status_code == 302


def test_wrong_passwords_for_an_editor_from_one_client_do_not_stop_the_editor_from_another(
    editor: User,
) -> None:
    factor = SecondFactor(editor)
    attacker = browser(ATTACKER)
    answers = [post_password(attacker, editor.email, "fout").status_code for _ in range(12)]
    assert answers[-1] == 429

    office = browser(OFFICE)
    sign_in_fully(office, editor, factor)
    assert is_signed_in(office) and reaches(office, "/redactie/")


def test_too_many_wrong_passwords_from_one_address_limit_it_for_every_account(
    contributor: User, other_contributor: User
) -> None:
    attacker = browser(ATTACKER)
    for n in range(10):
        post_password(attacker, f"iemand-{n}@example.org", "fout")
    assert post_password(attacker, other_contributor.email, PASSWORD).status_code == 429
    assert not is_signed_in(attacker)


@override_settings(
    ACCOUNT_RATE_LIMITS={
        "login_failed": "10/m/ip,5/300s/key",
        "login_failed_account": "6/h/key",
        "login_slowed": "1/30s/key",
    }
)
def test_wrong_passwords_from_everywhere_slow_the_account_down_but_never_lock_it(
    editor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    factor = SecondFactor(editor)
    usual = browser(HOME)
    sign_in_fully(usual, editor, factor)  # the editor's own browser remembers the account
    usual.post("/account/logout/")

    for n in range(6):  # a distributed guess: one try from each of six addresses
        assert post_password(browser(f"10.0.0.{n}"), editor.email, "fout").status_code == 200
    # From now on a new browser gets one try per 30 seconds for this account ...
    assert post_password(browser("10.0.1.1"), editor.email, "fout").status_code == 200
    slowed = post_password(browser(OFFICE), editor.email, PASSWORD)
    assert slowed.status_code == 429
    assert "seconden" in slowed.content.decode()
    # ... while the editor's own browser is not slowed at all,
    assert sign_in_fully(usual, editor, factor).status_code == 302
    assert reaches(usual, "/redactie/")
    # and the new browser gets its turn after the wait.
    later = time.time() + 31
    monkeypatch.setattr(
        allauth_ratelimit,
        "time",
        SimpleNamespace(time=lambda: later, monotonic=time.monotonic, sleep=time.sleep),
    )
    office = browser(OFFICE)
    assert sign_in_fully(office, editor, factor).status_code == 302
    assert reaches(office, "/redactie/")


def test_wrong_second_factor_codes_are_limited(editor: User) -> None:
    SecondFactor(editor)
    client = browser()
    post_password(client, editor.email, PASSWORD)
    answers = [
        client.post("/account/2fa/authenticate/", {"code": "000000"}).status_code for _ in range(8)
    ]
    assert answers[0] == 200 and answers[-1] == 429
    assert not is_signed_in(client)


def test_wrong_passwords_at_the_reauthentication_are_limited(contributor: User) -> None:
    client = browser()
    sign_in_fully(client, contributor, None)
    answers = [
        client.post("/account/reauthenticate/", {"password": "fout"}).status_code for _ in range(7)
    ]
    assert answers[0] == 200 and answers[-1] == 429


def test_the_password_change_form_is_limited(contributor: User) -> None:
    client = browser()
    sign_in_fully(client, contributor, None)
    answers = [
        client.post(
            "/account/password/change/",
            {"oldpassword": "fout", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        ).status_code
        for _ in range(6)
    ]
    assert answers[0] == 200 and answers[-1] == 429
    contributor.refresh_from_db()
    assert contributor.check_password(PASSWORD)


# --- Account changes that cannot be hijacked ----------------------------------------------------


def _reauthenticate(client: Client) -> None:
    assert client.post("/account/reauthenticate/", {"password": PASSWORD}).status_code == 302


def _change_address(client: Client, new: str) -> None:
    """Asks for the change and follows the confirmation link sent to the new address."""
    response = client.post("/account/email/", {"action_add": "", "email": new})
    assert response.status_code == 302 and response["Location"] == "/account/email/"
    confirmation = next(m for m in mail.outbox if m.to == [new])
    key_url = re.search(r"/account/confirm-email/[^\s/]+/", confirmation.body)
    assert key_url is not None
    assert client.post(key_url.group(0)).status_code == 302


def test_the_takeover_through_an_email_change_fails(contributor: User) -> None:
    """The issue's path: a hijacked session adds an address, confirms it, makes it primary and
    resets the password. The session was signed in long ago; its thief knows no password."""
    hijacked = browser(ATTACKER)
    sign_in(hijacked, contributor)

    response = hijacked.post("/account/email/", {"action_add": "", "email": "dief@example.net"})
    assert response.status_code == 302
    assert response["Location"].startswith("/account/reauthenticate/")
    assert not EmailAddress.objects.filter(email="dief@example.net").exists()
    assert mail.outbox == []
    # Re-authentication needs the password the thief does not have.
    assert hijacked.post("/account/reauthenticate/", {"password": "gok"}).status_code == 200
    response = hijacked.post("/account/email/", {"action_add": "", "email": "dief@example.net"})
    assert response["Location"].startswith("/account/reauthenticate/")
    # Nor can the password be changed without the current one.
    hijacked.post(
        "/account/password/change/",
        {"oldpassword": "gok", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    # And a reset asked for the thief's address opens no account.
    hijacked.post("/account/password/reset/", {"email": "dief@example.net"})

    contributor.refresh_from_db()
    assert contributor.email == "anna@example.org" and contributor.check_password(PASSWORD)
    assert list(EmailAddress.objects.filter(user=contributor).values_list("email", flat=True)) == [
        "anna@example.org"
    ]
    assert all("/account/password/reset/key/" not in m.body for m in mail.outbox)


def test_an_account_with_a_second_factor_changes_its_address_only_through_an_administrator(
    editor: User,
) -> None:
    """allauth's rule, kept: a new address is never added to an account with a second factor
    (an unverified address there could lock its owner out). An administrator changes it."""
    factor = SecondFactor(editor)
    client = browser()
    sign_in_fully(client, editor, factor)
    refused = client.post("/account/email/", {"action_add": "", "email": "eva@nieuw.example"})
    assert refused.status_code == 200
    assert "tweestapsverificatie" in refused.content.decode()
    assert not EmailAddress.objects.filter(email="eva@nieuw.example").exists()
    assert mail.outbox == []


def test_changing_the_address_tells_the_old_one_and_signs_out_other_sessions(
    contributor: User,
) -> None:
    laptop, phone = browser(OFFICE), browser(HOME)
    sign_in_fully(laptop, contributor, None)
    sign_in_fully(phone, contributor, None)
    _reauthenticate(laptop)
    mail.outbox.clear()

    _change_address(laptop, "anna@nieuw.example")

    contributor.refresh_from_db()
    assert contributor.email == "anna@nieuw.example"
    assert list(EmailAddress.objects.filter(user=contributor).values_list("email", "primary")) == [
        ("anna@nieuw.example", True)
    ]
    assert sessions_of(contributor) == {laptop.session.session_key}
    assert not is_signed_in(phone)
    confirmation = next(m for m in mail.outbox if m.to == ["anna@nieuw.example"])
    assert "wil dit e-mailadres gebruiken" in confirmation.body  # not "created an account"
    notice = next(m for m in mail.outbox if m.to == ["anna@example.org"])
    assert "anna@nieuw.example" in notice.body
    assert "Heeft u dit niet zelf gedaan?" in notice.body and " je " not in notice.body
    assert re.search(r"https?://\S+/profiel/adres-terugzetten/\S+/", notice.body)
    change = AuditEvent.objects.get(action=AuditEvent.Action.EMAIL_CHANGED)
    assert (change.subject, change.details) == (
        contributor,
        {"from": "anna@example.org", "to": "anna@nieuw.example"},
    )


def _undo_link(old: str) -> str:
    notice = next(m for m in mail.outbox if m.to == [old] and "terugzetten" in m.body)
    match = re.search(r"https?://[^/\s]+(/profiel/adres-terugzetten/\S+/)", notice.body)
    assert match is not None
    return match.group(1)


def test_the_undo_link_restores_the_old_address_signs_out_everyone_and_leads_to_a_reset(
    contributor: User,
) -> None:
    thief = browser(ATTACKER)
    sign_in_fully(thief, contributor, None)
    _reauthenticate(thief)  # suppose the thief did know the password
    _change_address(thief, "dief@example.net")
    link = _undo_link("anna@example.org")
    assert "anna" not in link and "dief" not in link  # the link names neither address
    mail.outbox.clear()

    owner = browser(HOME)
    page = owner.get(link)
    assert page.status_code == 200 and "dief@example.net" in page.content.decode()
    contributor.refresh_from_db()
    assert contributor.email == "dief@example.net"  # a look at the page changes nothing

    done = owner.post(link)
    assert done.status_code == 200
    contributor.refresh_from_db()
    assert contributor.email == "anna@example.org"
    assert list(
        EmailAddress.objects.filter(user=contributor).values_list("email", "primary", "verified")
    ) == [("anna@example.org", True, True)]
    assert not contributor.has_usable_password()
    assert sessions_of(contributor) == set() and not is_signed_in(thief)
    assert [m.to for m in mail.outbox] == [["anna@example.org"]]
    assert "/account/password/reset/key/" in mail.outbox[0].body
    undone = AuditEvent.objects.get(action=AuditEvent.Action.EMAIL_CHANGE_UNDONE)
    assert undone.details["removed"] == "dief@example.net"

    # Used once; a second click changes nothing.
    again = owner.post(link)
    assert again.status_code == 400
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EMAIL_CHANGE_UNDONE).count() == 1


def test_an_undo_link_expires(
    contributor: User, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = browser()
    sign_in_fully(client, contributor, None)
    _reauthenticate(client)
    # The change, and so its undo link, was made two days ago.
    monkeypatch.setattr(
        django_signing, "time", SimpleNamespace(time=lambda: time.time() - 2 * 24 * 3600)
    )
    _change_address(client, "anna@nieuw.example")
    link = _undo_link("anna@example.org")
    monkeypatch.undo()
    monkeypatch.setattr(account_services, "EMAIL_CHANGE_UNDO_DAYS", 1)

    response = browser(HOME).post(link)
    assert response.status_code == 400
    assert "verlopen" in response.content.decode()
    contributor.refresh_from_db()
    assert contributor.email == "anna@nieuw.example"


def test_a_forged_undo_link_changes_nothing(contributor: User) -> None:
    response = browser().post("/profiel/adres-terugzetten/1:abc:def/")
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EMAIL_CHANGE_UNDONE).exists()


def test_changing_the_password_asks_for_the_current_one_and_signs_out_other_sessions(
    contributor: User,
) -> None:
    laptop, phone = browser(OFFICE), browser(HOME)
    sign_in_fully(laptop, contributor, None)
    sign_in_fully(phone, contributor, None)
    url = "/account/password/change/"
    wrong = laptop.post(
        url, {"oldpassword": "fout", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert wrong.status_code == 200
    contributor.refresh_from_db()
    assert contributor.check_password(PASSWORD)
    assert len(sessions_of(contributor)) == 2

    right = laptop.post(
        url, {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert right.status_code == 302
    contributor.refresh_from_db()
    assert contributor.check_password(NEW_PASSWORD)
    assert sessions_of(contributor) == {laptop.session.session_key}
    assert is_signed_in(laptop) and not is_signed_in(phone)
    notice = mail.outbox[-1]
    assert notice.to == ["anna@example.org"] and "Uw wachtwoord is gewijzigd." in notice.body


def test_a_password_set_by_an_administrator_signs_the_person_out_everywhere(
    admin_user: User, contributor: User
) -> None:
    theirs = browser(HOME)
    sign_in_fully(theirs, contributor, None)
    SecondFactor(admin_user)
    admin = sign_in(browser(), admin_user)
    response = admin.post(
        f"/beheer/accounts/user/{contributor.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/beheer/accounts/user/{contributor.pk}/change/"
    assert sessions_of(contributor) == set() and not is_signed_in(theirs)
    assert is_signed_in(admin)


def test_an_address_changed_by_an_administrator_signs_the_person_out_everywhere(
    admin_user: User, contributor: User
) -> None:
    theirs = browser(HOME)
    sign_in_fully(theirs, contributor, None)
    SecondFactor(admin_user)
    admin = sign_in(browser(), admin_user)
    response = admin.post(
        f"/beheer/accounts/user/{contributor.pk}/change/",
        admin_user_form(contributor, email="anna@nieuw.example"),
    )
    assert response.status_code == 302, response.context and response.context["adminform"].errors
    assert response["Location"] == "/beheer/accounts/user/"
    assert sessions_of(contributor) == set() and not is_signed_in(theirs)
    assert is_signed_in(admin)

    # The old address is gone from allauth too: it can no longer ask for a reset link.
    addresses = EmailAddress.objects.filter(user=contributor)
    assert list(addresses.values_list("email", "primary", "verified")) == [
        ("anna@nieuw.example", True, True)
    ]
    assert User.objects.get(pk=contributor.pk).email == "anna@nieuw.example"
    changed = AuditEvent.objects.get(action=AuditEvent.Action.EMAIL_CHANGED)
    assert (changed.actor, changed.details["to"]) == (admin_user, "anna@nieuw.example")
    mail.outbox.clear()
    browser(ATTACKER).post("/account/password/reset/", {"email": "anna@example.org"})
    assert all("/account/password/reset/key/" not in m.body for m in mail.outbox)
    browser(HOME).post("/account/password/reset/", {"email": "anna@nieuw.example"})
    assert any(
        "/account/password/reset/key/" in m.body and m.to == ["anna@nieuw.example"]
        for m in mail.outbox
    )


def test_deleting_the_account_leaves_no_former_address_in_the_audit_log(
    contributor: User,
) -> None:
    from podium.privacy import services as privacy
    from tests.privacy.tables import tables_mentioning

    client = browser()
    sign_in_fully(client, contributor, None)
    _reauthenticate(client)
    _change_address(client, "anna@nieuw.example")
    contributor.refresh_from_db()
    assert AuditEvent.objects.filter(subject=contributor).exists()

    privacy.delete_account(user=contributor, by=contributor, password=PASSWORD)
    assert tables_mentioning(["anna@example.org", "anna@nieuw.example"]) == []


def test_an_administrator_cannot_give_someone_an_address_another_account_has_confirmed(
    admin_user: User, contributor: User, other_contributor: User
) -> None:
    EmailAddress.objects.create(
        user=other_contributor, email="tweede@example.org", verified=True, primary=False
    )
    SecondFactor(admin_user)
    admin = sign_in(browser(), admin_user)
    before = model_to_dict(User.objects.get(pk=contributor.pk))
    response = admin.post(
        f"/beheer/accounts/user/{contributor.pk}/change/",
        admin_user_form(contributor, email="Tweede@example.org"),
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 200
    assert "Dit adres hoort al bij een ander account." in response.content.decode()
    assert model_to_dict(User.objects.get(pk=contributor.pk)) == before
    assert EmailAddress.objects.get(email="tweede@example.org").user == other_contributor
