""" "Schrijf voor Podium" is a page of its own (what Podium is, who writes, what the editors look
for, how long review takes, what happens next, three examples, then sign up), and a submission is
acknowledged by e-mail with the expected review time."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from podium.accounts.models import User
from podium.articles import rules as article_rules
from podium.articles.models import Article
from tests.podium_helpers import ArticleBuilder

pytestmark = pytest.mark.django_db


def test_the_header_button_leads_to_the_page_not_a_bare_form(anonymous_client: Client) -> None:
    home = anonymous_client.get("/").content.decode()
    assert '<a class="button small" href="/schrijven/">Schrijf voor Podium</a>' in home


def test_the_page_explains_podium_and_the_review_then_offers_sign_up(
    monkeypatch: pytest.MonkeyPatch,
    anonymous_client: Client,
    make_article: ArticleBuilder,
    contributor: User,
    settings: Any,
) -> None:
    monkeypatch.setattr(article_rules, "REVIEW_SLA_HOURS", 48)
    examples = [make_article(contributor, Article.State.PUBLISHED) for _ in range(4)]
    page = anonymous_client.get("/schrijven/").content.decode()
    for heading in (
        "Wie schrijft er",
        "Waar de redactie op let",
        "Wat er gebeurt nadat u instuurt",
        "Drie voorbeelden",
    ):
        assert heading in page
    assert "500 tot 1.500 woorden" in page and "Geen zelfpromotie" in page
    assert "Origineel werk" in page
    assert "binnen 2 werkdagen" in page
    assert sum(a.get_absolute_url() in page for a in examples) == 3
    assert 'href="/account/signup/"' in page


def test_a_member_is_offered_to_start_writing(contributor_client: Client) -> None:
    page = contributor_client.get("/schrijven/").content.decode()
    assert 'href="/profiel/activiteiten/nieuw/"' in page


def test_a_submission_is_acknowledged_with_the_review_time(
    monkeypatch: pytest.MonkeyPatch,
    make_article: ArticleBuilder,
    contributor: User,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    monkeypatch.setattr(article_rules, "REVIEW_SLA_HOURS", 72)
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(contributor, Article.State.SUBMITTED, title="Mijn eerste stuk")
    (ack,) = [m for m in mail.outbox if m.to == [contributor.email]]
    assert ack.subject == "Ontvangen: “Mijn eerste stuk”"
    assert "binnen 3 werkdagen" in ack.body
    assert "/profiel/activiteiten/" in ack.body
    assert article.title in ack.alternatives[0][0]


def test_a_trusted_contributor_gets_no_acknowledgement_but_the_publication(
    make_article: ArticleBuilder,
    trusted_contributor: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        make_article(trusted_contributor, Article.State.PUBLISHED)  # published at once
    assert not [m for m in mail.outbox if m.subject.startswith("Ontvangen")]
