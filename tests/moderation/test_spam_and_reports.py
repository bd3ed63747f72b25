"""Spam and abuse: the sign-up honeypot, limits for new accounts, spam flags, readers' reports."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext as _

from podium.accounts.models import User
from podium.articles import limits, services
from podium.articles.models import Article
from podium.moderation import services as moderation_services
from podium.moderation.models import ArticleReport, SpamFlag

from ..podium_helpers import ArticleBuilder, statement, written_rows

pytestmark = pytest.mark.django_db


def _signup(client: Client, **extra: str) -> Any:
    data = {
        "email": "nieuw@example.org",
        "password1": "een-lang-wachtwoord-42",
        "password2": "een-lang-wachtwoord-42",
    }
    return client.post("/account/signup/", {**data, **extra})


def test_signup_with_the_honeypot_filled_creates_nothing(client: Client) -> None:
    response = _signup(client, nickname="bot")
    assert response.status_code == 200
    assert _("We could not create this account. Please try again.") in response.content.decode()
    assert not User.objects.filter(email="nieuw@example.org").exists()


def test_signup_without_the_honeypot_works(client: Client) -> None:
    response = _signup(client)
    assert response.status_code == 302
    assert User.objects.filter(email="nieuw@example.org").exists()


def test_the_honeypot_is_hidden_by_the_stylesheet_not_inline(client: Client) -> None:
    html = client.get("/account/signup/").content.decode()
    assert 'name="nickname"' in html and "style=" not in html


def test_signup_is_rate_limited(client: Client, settings: Any) -> None:
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/h/ip"}
    codes = [_signup(client, email=f"n{i}@example.org").status_code for i in range(3)]
    client.logout()
    assert codes[-1] == 429
    assert User.objects.filter(email__startswith="n").count() <= 2


# --- New accounts ----------------------------------------------------------------------------------


def test_new_account_may_not_put_links_in_the_bio(
    contributor_client: Client, contributor: User
) -> None:
    response = contributor_client.post(
        "/profiel/",
        {
            "display_name": "Anna",
            "bio": "Kijk op www.koop-nu.biz voor meer.",
            "job_title": "",
            "organisation": "",
            "website": "",
            "linkedin": "",
        },
    )
    assert response.status_code == 200
    assert (
        _("Leave web addresses out of this text; put your website in the field below.")
        in response.content.decode()
    )
    contributor.refresh_from_db()
    assert "koop-nu" not in contributor.bio


def test_a_published_author_may_link_in_the_bio(
    contributor: User, make_article: ArticleBuilder, contributor_client: Client
) -> None:
    make_article(contributor, Article.State.PUBLISHED)
    response = contributor_client.post(
        "/profiel/",
        {
            "display_name": "Anna",
            "bio": "Meer op https://anna.example.org.",
            "job_title": "",
            "organisation": "",
            "website": "",
            "linkedin": "",
        },
    )
    assert response.status_code == 302


def test_new_account_submissions_per_day_are_limited(
    monkeypatch: pytest.MonkeyPatch, contributor: User, make_article: ArticleBuilder, settings: Any
) -> None:
    monkeypatch.setattr(limits, "NEW_ACCOUNT_SUBMISSIONS_PER_DAY", 2)
    make_article.submitted(contributor)
    make_article.submitted(contributor)
    third = make_article.draft(contributor)
    before = written_rows()
    with pytest.raises(ValidationError, match=r"\b2\b"):
        services.submit_article(article=third, by=contributor, terms=statement())
    assert written_rows() == before
    assert Article.objects.get(pk=third.pk).state == Article.State.DRAFT


def test_trusted_contributors_have_no_daily_limit(
    monkeypatch: pytest.MonkeyPatch,
    trusted_contributor: User,
    make_article: ArticleBuilder,
    settings: Any,
) -> None:
    monkeypatch.setattr(limits, "NEW_ACCOUNT_SUBMISSIONS_PER_DAY", 1)
    make_article.submitted(trusted_contributor)
    make_article.submitted(trusted_contributor)


def test_new_account_articles_may_hold_only_a_few_links(
    monkeypatch: pytest.MonkeyPatch, contributor: User, make_article: ArticleBuilder, settings: Any
) -> None:
    monkeypatch.setattr(limits, "NEW_ACCOUNT_MAX_LINKS", 1)
    body = '<p>Zie <a href="https://a.example">a</a> en <a href="https://b.example">b</a>.</p>'
    draft = make_article.draft(contributor, body=body)
    with pytest.raises(ValidationError, match=r"\b2\b"):
        services.submit_article(article=draft, by=contributor, terms=statement())


# --- Spam flags ------------------------------------------------------------------------------------


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks: Any) -> Any:
    """The scan runs from the article hook, after the submission commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_submission_with_a_spam_term_is_flagged(
    monkeypatch: pytest.MonkeyPatch,
    contributor: User,
    make_article: ArticleBuilder,
    settings: Any,
    editor_client: Client,
    on_commit: Any,
) -> None:
    monkeypatch.setattr(limits, "SPAM_TERMS", ["casino"])
    with on_commit():
        article = make_article.submitted(
            contributor, body="<p>Het beste online casino van Nederland.</p>"
        )
    flag = SpamFlag.objects.get(article=article)
    assert "casino" in flag.reasons[0]
    desk = editor_client.get("/redactie/").content.decode()
    assert _("Flagged as possible spam") in desk and article.title in desk


def test_many_links_to_one_domain_are_flagged(
    monkeypatch: pytest.MonkeyPatch,
    contributor: User,
    make_article: ArticleBuilder,
    settings: Any,
    on_commit: Any,
) -> None:
    monkeypatch.setattr(limits, "NEW_ACCOUNT_MAX_LINKS", 10)
    monkeypatch.setattr(limits, "SPAM_SAME_DOMAIN_LINKS", 3)
    links = "".join(f'<a href="https://shop.example/{i}">x{i}</a> ' for i in range(3))
    with on_commit():
        article = make_article.submitted(contributor, body=f"<p>Lees {links}.</p>")
    assert "shop.example" in SpamFlag.objects.get(article=article).reasons[0]


def test_an_ordinary_submission_is_not_flagged(
    contributor: User, make_article: ArticleBuilder, on_commit: Any
) -> None:
    with on_commit():
        make_article.submitted(contributor)
    assert not SpamFlag.objects.exists()


def test_editor_clears_a_flag_contributor_cannot(
    monkeypatch: pytest.MonkeyPatch,
    contributor: User,
    make_article: ArticleBuilder,
    settings: Any,
    editor_client: Client,
    contributor_client: Client,
    on_commit: Any,
) -> None:
    monkeypatch.setattr(limits, "SPAM_TERMS", ["casino"])
    with on_commit():
        flag_article = make_article.submitted(contributor, body="<p>casino</p>")
    flag = SpamFlag.objects.get(article=flag_article)
    assert contributor_client.post(reverse("moderation:clear", args=[flag.pk])).status_code == 403
    assert SpamFlag.objects.get(pk=flag.pk).cleared_at is None
    assert editor_client.post(reverse("moderation:clear", args=[flag.pk])).status_code == 302
    assert SpamFlag.objects.get(pk=flag.pk).cleared_at is not None


# --- "Meld dit artikel" ------------------------------------------------------------------------------


@pytest.fixture
def live(contributor: User, make_article: ArticleBuilder) -> Article:
    return make_article(contributor, Article.State.PUBLISHED)


def test_article_page_links_to_the_report_form(client: Client, live: Article) -> None:
    assert (
        reverse("moderation:report", args=[live.slug])
        in client.get(live.get_absolute_url()).content.decode()
    )


def test_reader_reports_an_article_and_it_lands_in_the_desk_queue(
    client: Client, live: Article, editor_client: Client
) -> None:
    response = client.post(
        reverse("moderation:report", args=[live.slug]),
        {"reason": "factual", "message": "Het cijfer klopt niet."},
    )
    assert response.status_code == 302
    report = ArticleReport.objects.get()
    assert (report.article, report.reason, report.reporter) == (live, "factual", None)
    desk = editor_client.get("/redactie/").content.decode()
    assert "Het cijfer klopt niet." in desk


def test_a_report_needs_a_reason(client: Client, live: Article) -> None:
    response = client.post(reverse("moderation:report", args=[live.slug]), {"message": "?"})
    assert response.status_code == 400
    assert _("Choose a reason.") in response.content.decode()
    assert not ArticleReport.objects.exists()


def test_a_report_with_an_unknown_reason_is_refused_at_every_layer(
    client: Client, live: Article
) -> None:
    response = client.post(
        reverse("moderation:report", args=[live.slug]), {"reason": "bogus", "message": "?"}
    )
    assert response.status_code == 400
    with pytest.raises(ValueError, match="unknown report reason"):
        moderation_services.report_article(
            article=live, reason="bogus", message="", by=None, client_key="127.0.0.9"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleReport.objects.create(article=live, reason="bogus")
    assert not ArticleReport.objects.exists()


def test_reports_are_rate_limited(
    monkeypatch: pytest.MonkeyPatch, client: Client, live: Article, settings: Any
) -> None:
    monkeypatch.setattr(moderation_services, "REPORTS_PER_HOUR", 2)
    url = reverse("moderation:report", args=[live.slug])
    codes = [client.post(url, {"reason": "other"}).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert ArticleReport.objects.count() == 2


def test_drafts_cannot_be_reported(
    client: Client, contributor: User, make_article: ArticleBuilder
) -> None:
    draft = make_article.draft(contributor)
    assert (
        client.post(f"/artikel/{draft.slug or 'x'}/melden/", {"reason": "other"}).status_code == 404
    )
    assert not ArticleReport.objects.exists()


@pytest.mark.parametrize("persona", ["contributor_client", "other_client", "anonymous_client"])
def test_only_editors_handle_reports(
    request: Any, persona: str, client: Client, live: Article, editor_client: Client
) -> None:
    client.post(reverse("moderation:report", args=[live.slug]), {"reason": "other"})
    report = ArticleReport.objects.get()
    response = request.getfixturevalue(persona).post(reverse("moderation:handle", args=[report.pk]))
    assert response.status_code in (302, 403)
    assert ArticleReport.objects.get().handled_at is None
    assert editor_client.post(reverse("moderation:handle", args=[report.pk])).status_code == 302
    assert ArticleReport.objects.get().handled_by is not None
