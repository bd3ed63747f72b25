"""Trusted contributors (the automatic rule, by hand, recorded), the "published without review"
queue, and the desk's queues and filters."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from podium.accounts.models import TrustChange, User
from podium.accounts.services import TrustUnchanged
from podium.articles import rules as article_rules
from podium.articles.models import Article, ArticleEvent
from podium.editorial import rules as editorial_rules
from podium.editorial import selectors, services, trust
from podium.editorial.models import PublicationCheck
from tests.podium_helpers import ArticleBuilder, statement

pytestmark = pytest.mark.django_db
State = Article.State


# --- The automatic rule ---------------------------------------------------------------------


def _publish_n(make_article: ArticleBuilder, user: User, n: int, capture: Any) -> None:
    with capture(execute=True):
        for _ in range(n):
            make_article(user, State.PUBLISHED)


def test_contributor_becomes_trusted_after_the_third_publication(
    make_article: ArticleBuilder,
    contributor: User,
    age_account: Callable[[User, int], User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    contributor = age_account(contributor, 31)
    _publish_n(make_article, contributor, 2, django_capture_on_commit_callbacks)
    assert not User.objects.get(pk=contributor.pk).is_trusted
    _publish_n(make_article, contributor, 1, django_capture_on_commit_callbacks)
    assert User.objects.get(pk=contributor.pk).is_trusted
    change = TrustChange.objects.get(user=contributor)
    assert (
        change.source == TrustChange.Source.AUTOMATIC
        and change.changed_by is None
        and change.is_trusted
    )
    assert "3" in change.reason


def test_a_young_account_is_not_trusted_automatically(
    make_article: ArticleBuilder, contributor: User, django_capture_on_commit_callbacks: Any
) -> None:
    _publish_n(make_article, contributor, 3, django_capture_on_commit_callbacks)
    assert not User.objects.get(pk=contributor.pk).is_trusted
    record = trust.trust_record(contributor)
    assert record.published == 3 and record.account_days < 30


def test_a_recent_rejection_blocks_automatic_trust(
    make_article: ArticleBuilder,
    contributor: User,
    age_account: Callable[[User, int], User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    contributor = age_account(contributor, 60)
    make_article(contributor, State.REJECTED)
    _publish_n(make_article, contributor, 3, django_capture_on_commit_callbacks)
    assert not User.objects.get(pk=contributor.pk).is_trusted
    assert trust.trust_record(contributor).rejected_recently == 1


def test_an_old_rejection_outside_the_window_does_not_count(
    make_article: ArticleBuilder,
    contributor: User,
    age_account: Callable[[User, int], User],
    settings: Any,
) -> None:
    contributor = age_account(contributor, 60)
    rejected = make_article(contributor, State.REJECTED)
    Article.objects.filter(pk=rejected.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=50)
    )
    for _ in range(5):
        make_article(contributor, State.PUBLISHED)
    assert trust.apply_automatic_trust(contributor) is not None


def test_the_rule_is_configurable(
    monkeypatch: pytest.MonkeyPatch, make_article: ArticleBuilder, contributor: User, settings: Any
) -> None:
    monkeypatch.setattr(editorial_rules, "TRUST_MIN_PUBLISHED", 1)
    monkeypatch.setattr(editorial_rules, "TRUST_MIN_ACCOUNT_DAYS", 0)
    make_article(contributor, State.PUBLISHED)
    assert trust.apply_automatic_trust(contributor) is not None


def test_the_rule_does_not_overrule_an_editors_revocation(
    make_article: ArticleBuilder,
    trusted_contributor: User,
    editor: User,
    age_account: Callable[[User, int], User],
) -> None:
    services.revoke_trust(user=trusted_contributor, by=editor, reason="Te veel reclame.")
    user = age_account(trusted_contributor, 90)
    for _ in range(3):
        make_article(user, State.PUBLISHED)
    assert trust.apply_automatic_trust(user) is None
    assert not User.objects.get(pk=user.pk).is_trusted


# --- By hand --------------------------------------------------------------------------------


def test_editor_grants_and_revokes_with_a_reason_and_each_change_is_recorded(
    contributor: User, editor: User
) -> None:
    services.grant_trust(user=contributor, by=editor, reason="Vaste columnist.")
    assert User.objects.get(pk=contributor.pk).is_trusted
    services.revoke_trust(user=contributor, by=editor, reason="Column gestopt.")
    assert not User.objects.get(pk=contributor.pk).is_trusted
    history = selectors.trust_history(contributor)
    assert [(c.is_trusted, c.reason, c.changed_by) for c in history] == [
        (False, "Column gestopt.", editor),
        (True, "Vaste columnist.", editor),
    ]


def test_a_reason_is_required(contributor: User, editor: User) -> None:
    with pytest.raises(ValidationError):
        services.grant_trust(user=contributor, by=editor, reason="  ")
    assert not TrustChange.objects.exists()


def test_granting_twice_is_refused(trusted_contributor: User, editor: User) -> None:
    with pytest.raises(TrustUnchanged):
        services.grant_trust(user=trusted_contributor, by=editor, reason="Nogmaals.")


@pytest.mark.parametrize("persona", ["contributor", "other_contributor", "trusted_contributor"])
def test_only_editors_change_trust(
    persona: str, other_contributor: User, contributor: User, request: pytest.FixtureRequest
) -> None:
    actor = request.getfixturevalue(persona)
    target = other_contributor if actor != other_contributor else contributor
    with pytest.raises(PermissionDenied):
        services.grant_trust(user=target, by=actor, reason="Ik vind van wel.")
    assert not TrustChange.objects.exists()


def test_trust_page_per_role_and_form(
    contributor: User,
    editor_client: Client,
    contributor_client: Client,
    anonymous_client: Client,
    admin_client: Client,
) -> None:
    url = reverse("editorial:contributor", args=[contributor.pk])
    assert anonymous_client.get(url).status_code == 302
    assert contributor_client.get(url).status_code == 403
    assert contributor_client.post(url, {"reason": "x", "trust": "grant"}).status_code == 403
    assert admin_client.get(url).status_code == 200
    response = editor_client.post(url, {"reason": "", "trust": "grant"})
    assert response.status_code == 400
    assert editor_client.post(url, {"reason": "Sterk werk.", "trust": "grant"}).status_code == 302
    assert User.objects.get(pk=contributor.pk).is_trusted
    assert "Sterk werk." in editor_client.get(url).content.decode()
    assert (
        contributor.display_name
        in editor_client.get(reverse("editorial:contributors")).content.decode()
    )


# --- Published without review -----------------------------------------------------------------


def test_trusted_submission_goes_live_and_waits_for_a_check(
    make_article: ArticleBuilder, trusted_contributor: User, editor: User, editor_client: Client
) -> None:
    article = make_article.submitted(trusted_contributor)
    assert article.state == State.PUBLISHED and article.is_live
    assert list(selectors.unreviewed_publications()) == [article]
    html = editor_client.get(reverse("editorial:desk")).content.decode()
    assert reverse("editorial:mark_seen", args=[article.pk]) in html
    response = editor_client.post(
        reverse("editorial:mark_seen", args=[article.pk]), {"next": "desk"}
    )
    assert response["Location"] == reverse("editorial:desk")
    check = PublicationCheck.objects.get(article=article)
    assert (
        check.outcome == PublicationCheck.Outcome.SEEN
        and check.reviewed_by == editor
        and check.reviewed_at
    )
    assert not selectors.unreviewed_publications().exists()


def test_marking_seen_twice_says_who_did_it(
    make_article: ArticleBuilder, trusted_contributor: User, editor: User, admin_user: User
) -> None:
    article = make_article.submitted(trusted_contributor)
    services.mark_publication_seen(article=article, by=editor)
    with pytest.raises(ValidationError, match=editor.display_name):
        services.mark_publication_seen(article=article, by=admin_user)


def test_contributor_cannot_mark_seen(
    make_article: ArticleBuilder,
    trusted_contributor: User,
    contributor: User,
    trusted_client: Client,
) -> None:
    article = make_article.submitted(trusted_contributor)
    with pytest.raises(PermissionDenied):
        services.mark_publication_seen(article=article, by=contributor)
    assert trusted_client.post(reverse("editorial:mark_seen", args=[article.pk])).status_code == 403


def test_taking_down_from_the_queue_tells_the_author_and_closes_the_check(
    make_article: ArticleBuilder,
    trusted_contributor: User,
    editor_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    article = make_article.submitted(trusted_contributor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("editorial:take_down", args=[article.pk]), {"takedown-message": "Reclame."}
        )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.state == State.OFFLINE
    assert (
        PublicationCheck.objects.get(article=article).outcome == PublicationCheck.Outcome.TAKEN_DOWN
    )
    assert any(trusted_contributor.email in m.to and "Reclame." in m.body for m in mail.outbox)


def test_take_down_without_reason_is_refused(
    make_article: ArticleBuilder, trusted_contributor: User, editor_client: Client
) -> None:
    article = make_article.submitted(trusted_contributor)
    response = editor_client.post(
        reverse("editorial:take_down", args=[article.pk]), {"takedown-message": ""}
    )
    assert response.status_code == 400
    assert Article.objects.get(pk=article.pk).state == State.PUBLISHED
    assert not PublicationCheck.objects.exists()


def test_republished_article_needs_a_new_check(
    make_article: ArticleBuilder, trusted_contributor: User, editor: User
) -> None:
    from podium.articles import services as article_services

    article = make_article.submitted(trusted_contributor)
    services.mark_publication_seen(article=article, by=editor)
    article_services.withdraw_article(article=article, by=trusted_contributor)
    article_services.reopen_article(article=article, by=trusted_contributor)
    article_services.submit_article(article=article, by=trusted_contributor, terms=statement())
    assert list(selectors.unreviewed_publications()) == [article]
    assert (
        ArticleEvent.objects.filter(
            article=article, action=ArticleEvent.Action.AUTO_PUBLISH
        ).count()
        == 2
    )


# --- The desk's queues ------------------------------------------------------------------------


def test_desk_queues_filters_and_sla(
    monkeypatch: pytest.MonkeyPatch,
    make_article: ArticleBuilder,
    contributor: User,
    other_contributor: User,
    editor_client: Client,
    topics: list[Any],
    settings: Any,
) -> None:
    monkeypatch.setattr(article_rules, "REVIEW_SLA_HOURS", 48)
    late = make_article(contributor, State.SUBMITTED, title="Laat ingediend stuk")
    Article.objects.filter(pk=late.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(hours=49)
    )
    fresh = make_article(other_contributor, State.SUBMITTED, title="Vers stuk", topics=topics[1:2])
    changes = make_article(contributor, State.CHANGES_REQUESTED, title="Wacht op auteur")
    published = make_article(contributor, State.PUBLISHED, title="Pas verschenen")
    response = editor_client.get(reverse("editorial:desk"))
    queues = response.context["queues"]
    assert [s.article for s in queues["submitted"][1]] == [late, fresh]  # oldest first
    assert [s.is_overdue for s in queues["submitted"][1]] == [True, False]
    assert queues["changes_requested"][1] == [changes]
    assert queues["published"][1] == [published]
    assert 'class="overdue"' in response.content.decode()
    by_topic = editor_client.get(reverse("editorial:desk"), {"topic": topics[1].pk}).context[
        "queues"
    ]
    assert [s.article for s in by_topic["submitted"][1]] == [fresh]
    by_author = editor_client.get(reverse("editorial:desk"), {"author": contributor.pk}).context[
        "queues"
    ]
    assert [s.article for s in by_author["submitted"][1]] == [late]
    # Authors are found by part of their name or e-mail address, case-insensitively (a text
    # field: a list of every contributor would grow with the data).
    for term in (contributor.display_name[:4].upper(), contributor.email.split("@")[0]):
        found = editor_client.get(reverse("editorial:desk"), {"author": term}).context["queues"]
        assert [s.article for s in found["submitted"][1]] == [late], term
    nobody = editor_client.get(reverse("editorial:desk"), {"author": "niemand-zo"}).context
    assert nobody["queues"]["submitted"] == (0, [])
    by_title = editor_client.get(reverse("editorial:desk"), {"q": "verschenen"}).context["queues"]
    assert by_title["published"] == (1, [published]) and by_title["submitted"] == (0, [])
    # A garbled filter is ignored, not an error.
    assert editor_client.get(reverse("editorial:desk"), {"topic": "abc"}).status_code == 200
