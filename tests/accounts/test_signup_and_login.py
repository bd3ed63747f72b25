"""Signing up, verifying the address, logging in, and the rate limits in front of them (allauth)."""

from __future__ import annotations

import re
from html import escape
from typing import Any

import pytest
from allauth.account.adapter import DefaultAccountAdapter
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from podium.accounts.models import User
from tests.podium_helpers import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "zeer-geheim-en-lang-77"


def _sign_up(client: Client, email: str = "nieuw@example.org") -> Any:
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )


def _log_in(client: Client, email: str, password: str) -> Any:
    return client.post(reverse("account_login"), {"login": email, "password": password})


def _is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_sign_up_sends_a_verification_email(anonymous_client: Client) -> None:
    response = _sign_up(anonymous_client)
    assert response.status_code == 302
    user = User.objects.get(email="nieuw@example.org")
    assert not user.emailaddress_set.get().verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nieuw@example.org"]
    assert mail.outbox[0].subject.startswith("[Podium] ")
    assert "/account/confirm-email/" in mail.outbox[0].body
    assert "een account op Podium aangemaakt" in mail.outbox[0].body
    assert not _is_logged_in(anonymous_client)


def test_login_before_verification_is_refused(anonymous_client: Client) -> None:
    _sign_up(anonymous_client)
    mail.outbox.clear()
    client = Client()
    response = _log_in(client, "nieuw@example.org", NEW_PASSWORD)
    assert not _is_logged_in(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert client.get(reverse("articles:dashboard")).status_code == 302


def test_verifying_the_address_logs_in(anonymous_client: Client) -> None:
    _sign_up(anonymous_client)
    key_url = re.search(r"https?://[^/\s]+(/account/confirm-email/[^\s]+/)", mail.outbox[0].body)
    assert key_url is not None
    response = anonymous_client.post(key_url.group(1))
    assert response.status_code == 302
    assert User.objects.get(email="nieuw@example.org").emailaddress_set.get().verified
    client = Client()
    _log_in(client, "nieuw@example.org", NEW_PASSWORD)
    assert _is_logged_in(client)


def test_a_verified_contributor_can_log_in(anonymous_client: Client, contributor: User) -> None:
    response = _log_in(anonymous_client, contributor.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("articles:dashboard")
    assert _is_logged_in(anonymous_client)


def test_a_wrong_password_is_refused(anonymous_client: Client, contributor: User) -> None:
    response = _log_in(anonymous_client, contributor.email, "fout")
    assert response.status_code == 200
    assert not _is_logged_in(anonymous_client)


def test_the_same_address_cannot_sign_up_twice(anonymous_client: Client, contributor: User) -> None:
    _sign_up(Client(), contributor.email)
    assert User.objects.filter(email=contributor.email).count() == 1


@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "10/m/ip,3/300s/key"})
def test_after_too_many_failed_logins_the_login_is_refused(
    anonymous_client: Client, contributor: User
) -> None:
    for _ in range(3):
        _log_in(anonymous_client, contributor.email, "fout")
    response = _log_in(anonymous_client, contributor.email, PASSWORD)  # even the right password now
    assert response.status_code == 429  # the sign-in form again, answered Too Many Requests
    assert not _is_logged_in(anonymous_client)
    content = response.content.decode()
    assert 'class="errorlist nonfield"' in content
    with translation.override("nl"):
        message = str(DefaultAccountAdapter.error_messages["too_many_login_attempts"])
    assert escape(message) in content


@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "10/m/ip,3/300s/key"})
def test_failed_logins_for_one_address_do_not_lock_out_another(
    anonymous_client: Client, contributor: User, other_contributor: User
) -> None:
    for _ in range(3):
        _log_in(anonymous_client, contributor.email, "fout")
    _log_in(anonymous_client, other_contributor.email, PASSWORD)
    assert _is_logged_in(anonymous_client)


@override_settings(ACCOUNT_RATE_LIMITS={"signup": "2/m/ip"})
def test_sign_up_is_rate_limited(anonymous_client: Client) -> None:
    assert _sign_up(Client(), "een@example.org").status_code == 302
    assert _sign_up(Client(), "twee@example.org").status_code == 302
    response = _sign_up(Client(), "drie@example.org")
    assert response.status_code == 429
    assert not User.objects.filter(email="drie@example.org").exists()


@override_settings(ACCOUNT_RATE_LIMITS={"reset_password": "20/m/ip,1/m/key"})
def test_password_reset_is_rate_limited(anonymous_client: Client, contributor: User) -> None:
    url = reverse("account_reset_password")
    assert anonymous_client.post(url, {"email": contributor.email}).status_code == 302
    assert len(mail.outbox) == 1
    response = anonymous_client.post(url, {"email": contributor.email})
    assert response.status_code == 429
    assert len(mail.outbox) == 1


def test_password_reset_for_an_unknown_address_reveals_nothing(
    anonymous_client: Client, contributor: User
) -> None:
    url = reverse("account_reset_password")
    known = anonymous_client.post(url, {"email": contributor.email})
    unknown = anonymous_client.post(url, {"email": "onbekend@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_signup_can_be_closed(anonymous_client: Client, settings: Any) -> None:
    settings.PODIUM_SIGNUP_OPEN = False
    _sign_up(anonymous_client)
    assert not User.objects.filter(email="nieuw@example.org").exists()


def test_login_and_signup_pages_render_in_the_site_layout(anonymous_client: Client) -> None:
    for name in ("account_login", "account_signup", "account_reset_password"):
        response = anonymous_client.get(reverse(name))
        assert response.status_code == 200
        assert 'class="site-header"' in response.content.decode()


def test_the_verification_mail_names_podium_not_a_host(anonymous_client: Client) -> None:
    with translation.override("nl"):
        anonymous_client.post(
            reverse("account_signup"),
            {"email": "sanne@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
            HTTP_ACCEPT_LANGUAGE="nl",
        )
    body = mail.outbox[0].body
    assert "account op Podium aangemaakt" in body
    assert "De redactie van Podium" in body
    text_without_links = re.sub(r"https?://\S+", "", body)
    assert "127.0.0.1" not in text_without_links
    assert " op 127" not in body and "example.com" not in body


def test_the_confirmation_page_asks_about_one_address(anonymous_client: Client) -> None:
    _sign_up(anonymous_client, "sanne@example.org")
    key_url = re.search(r"https?://[^/\s]+(/account/confirm-email/[^\s]+/)", mail.outbox[0].body)
    assert key_url is not None
    page = Client().get(key_url.group(1), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Is <strong>sanne@example.org</strong> uw e-mailadres?" in page
    assert page.count("sanne@example.org") == 1
