"""`podium demo`: the demo content loads through the real services, in the promised states, once."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from podium.accounts.models import User
from podium.articles import rules as article_rules
from podium.articles.models import Article, ArticleEvent, Revision
from podium.articles.sanitize import ALLOWED_TAGS, count_words, html_to_text
from podium.demo.data import DemoContentError, load_accounts, load_articles, parse_article
from podium.demo.management.commands.demo import DEMO_PASSWORD
from podium.topics.models import Topic

pytestmark = pytest.mark.django_db

State = Article.State


def run_demo() -> str:
    """The command speaks the operator's language; these tests read its English source text."""
    out = io.StringIO()
    with translation.override("en"):
        call_command("demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "addresses": EmailAddress.objects.count(),
        "topics": Topic.objects.count(),
        "articles": Article.objects.count(),
        "revisions": Revision.objects.count(),
        "events": ArticleEvent.objects.count(),
    }


def test_the_demo_loads_articles_in_every_promised_state() -> None:
    run_demo()
    states = {state: Article.objects.filter(state=state).count() for state in State.values}
    assert sum(states.values()) >= 12
    assert states[State.PUBLISHED] >= 10
    assert 2 <= states[State.SUBMITTED] <= 3
    assert states[State.CHANGES_REQUESTED] == 1
    assert states[State.DRAFT] == 1
    assert Topic.objects.count() >= 6
    assert Topic.objects.filter(articles__isnull=False).distinct().count() >= 6


def test_publications_are_spread_over_the_past_two_months() -> None:
    run_demo()
    now = timezone.now()
    published = list(Article.objects.filter(state=State.PUBLISHED))
    assert all(article.is_live for article in published)
    times = [article.published_at for article in published if article.published_at]
    assert len(times) == len(published)
    assert all(now - at <= datetime.timedelta(days=61) for at in times)
    assert len({timezone.localtime(at).date() for at in times}) >= 10
    for article in published:
        assert article.published_at is not None
        assert article.created_at < article.published_at
        event = article.events.get(action__in=["publish", "auto_publish"])
        assert event.at == article.published_at
        if article.submitted_at is not None:
            assert article.created_at < article.submitted_at < article.published_at
    assert Article.objects.published().count() == len(published)


def test_the_article_with_changes_requested_carries_the_editors_message() -> None:
    run_demo()
    article = Article.objects.get(state=State.CHANGES_REQUESTED)
    event = article.events.get(action=ArticleEvent.Action.REQUEST_CHANGES)
    assert event.actor.email == "redactie@podium.example"
    assert len(event.message) > 100
    assert article.submitted_at is not None
    assert event.at > article.submitted_at


def test_every_article_is_a_full_length_piece_within_the_limits() -> None:
    run_demo()
    for article in Article.objects.all():
        words = count_words(html_to_text(article.body))
        assert 500 <= words <= 1200, (article.title, words)
        assert article.word_count == words
        assert article.char_count <= article_rules.BODY_MAX_CHARS
        assert 0 < len(article.title) <= 120
        assert 0 < len(article.lead) <= 400
        assert 1 <= article.topics.count() <= 3
        assert "<h2>" in article.body
    with_lists = [a for a in Article.objects.all() if "<ol>" in a.body or "<ul>" in a.body]
    assert len(with_lists) >= 5


def test_the_content_files_use_only_the_article_markup() -> None:
    for spec in load_articles():
        tags = set(re.findall(r"</?([a-z0-9]+)", spec.body))
        assert tags <= ALLOWED_TAGS - {"br"}, (spec.source, tags - ALLOWED_TAGS)
        assert all(href.startswith("https://") for href in re.findall(r'href="([^"]*)"', spec.body))


def test_authors_have_complete_profiles_with_a_portrait() -> None:
    run_demo()
    authors = User.objects.filter(articles__isnull=False).distinct()
    assert authors.count() >= 4
    for author in authors:
        assert author.display_name and author.job_title and author.organisation
        assert author.bio.strip()
        assert author.slug
        assert author.photo.name
        assert author.photo.storage.exists(author.photo.name)
        assert author.expertise.exists()


def test_roles_of_the_demo_accounts() -> None:
    run_demo()
    admin = User.objects.get(email="beheer@podium.example")
    editor = User.objects.get(email="redactie@podium.example")
    assert admin.is_superuser and admin.is_staff
    assert editor.is_editor and not editor.is_staff
    for email in ("anne@podium.example", "bram@podium.example", "carmen@podium.example"):
        contributor = User.objects.get(email=email)
        assert not contributor.is_editor
        assert contributor.articles.count() >= 3
    assert User.objects.filter(is_trusted=True).count() == 1


def test_running_it_twice_creates_nothing_twice() -> None:
    run_demo()
    first = counts()
    photos = dict(User.objects.values_list("email", "photo"))
    output = run_demo()
    assert counts() == first
    assert dict(User.objects.values_list("email", "photo")) == photos
    assert re.search(r"Articles: 0 created, \d+ already present", output)


def test_a_second_run_keeps_what_users_changed() -> None:
    run_demo()
    anne = User.objects.get(email="anne@podium.example")
    anne.job_title = "HR-directeur"
    anne.set_password("eigen-wachtwoord-123")
    anne.save()
    output = run_demo()
    anne.refresh_from_db()
    assert anne.job_title == "HR-directeur"
    assert anne.check_password("eigen-wachtwoord-123")
    anne_line = next(line for line in output.splitlines() if line.startswith("anne@"))
    assert DEMO_PASSWORD not in anne_line


def test_the_output_lists_the_accounts_with_their_password() -> None:
    output = run_demo()
    for account in load_accounts():
        line = next(line for line in output.splitlines() if line.startswith(account.email))
        assert DEMO_PASSWORD in line


def test_demo_users_can_log_in() -> None:
    run_demo()
    for account in load_accounts():
        assert Client().login(email=account.email, password=DEMO_PASSWORD), account.email


def test_a_demo_contributor_passes_allauths_email_verification() -> None:
    run_demo()
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": "anne@podium.example", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] != reverse("account_email_verification_sent")
    assert client.session["_auth_user_id"] == str(User.objects.get(email="anne@podium.example").pk)


def test_a_malformed_content_file_is_refused_with_its_name() -> None:
    with pytest.raises(DemoContentError, match=r"broken\.html"):
        parse_article("title: Zonder scheiding\n<p>Tekst</p>", "broken.html")
    with pytest.raises(DemoContentError, match="state"):
        parse_article(
            "title: T\nlead: L\nauthor: a@b.c\ntopics: hr\nstate: weg\ndays_ago: 1\n---\n<p>x</p>",
            "odd.html",
        )
