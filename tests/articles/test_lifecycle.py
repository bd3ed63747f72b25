"""The article's life as a table: every (state, action) pair of lifecycle.TRANSITIONS either moves
the article and records one event, or raises TransitionNotAllowed and writes nothing."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from podium.accounts.models import User
from podium.articles import lifecycle, services
from podium.articles.lifecycle import TRANSITIONS, Actor, TransitionNotAllowed
from podium.articles.models import Article, ArticleEvent
from tests.podium_helpers import ArticleBuilder, nothing_written

State = Article.State
Action = ArticleEvent.Action

pytestmark = pytest.mark.django_db

ALL_PAIRS = list(itertools.product(State.values, TRANSITIONS))


def _article_in(state: str, make_article: ArticleBuilder, author: User) -> Article:
    """An article in `state`. A draft here has been submitted and withdrawn once, so that it has
    the slug that `submit_article` gives every article before its first transition."""
    if state == State.DRAFT:
        article = make_article(author, State.SUBMITTED)
        return services.withdraw_submission(article=article, by=author)
    return make_article(author, state)


def _actor_for(action: str, author: User, editor: User) -> User:
    return author if TRANSITIONS[action].actor == Actor.AUTHOR else editor


@pytest.mark.parametrize(("state", "action"), ALL_PAIRS, ids=[f"{s}-{a}" for s, a in ALL_PAIRS])
def test_transition_table(
    state: str, action: str, make_article: ArticleBuilder, contributor: User, editor: User
) -> None:
    article = _article_in(state, make_article, contributor)
    assert article.state == state
    rule = TRANSITIONS[action]
    by = _actor_for(action, contributor, editor)
    events_before = ArticleEvent.objects.count()

    if state in rule.sources:
        result = lifecycle.transition(article, action, by=by, message="Een bericht.")
        assert result.state == rule.target
        assert Article.objects.get(pk=article.pk).state == rule.target
        assert ArticleEvent.objects.count() == events_before + 1
        event = ArticleEvent.objects.latest("pk")
        assert event.article_id == article.pk
        assert event.action == action
        assert event.actor == by
        assert (event.from_state, event.to_state) == (state, rule.target)
        assert event.message == "Een bericht."
        if rule.target == State.PUBLISHED:
            assert result.published_at is not None
        if rule.target == State.SUBMITTED:
            assert result.submitted_at is not None
    else:
        with nothing_written(article), pytest.raises(TransitionNotAllowed):
            lifecycle.transition(article, action, by=by, message="Een bericht.")


def test_every_state_is_reachable_and_leavable() -> None:
    sources = set().union(*(rule.sources for rule in TRANSITIONS.values()))
    targets = {rule.target for rule in TRANSITIONS.values()}
    # Rejected is the only end of the road; every other state can be left again.
    assert set(State.values) - sources == {State.REJECTED}
    assert set(State.values) - targets == set()


@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_wrong_actor_raises_permission_denied_and_writes_nothing(
    action: str,
    make_article: ArticleBuilder,
    contributor: User,
    other_contributor: User,
    editor: User,
) -> None:
    rule = TRANSITIONS[action]
    state = sorted(rule.sources)[0]
    article = _article_in(state, make_article, contributor)
    wrong = (
        [other_contributor, editor]
        if rule.actor == Actor.AUTHOR
        else [contributor, other_contributor]
    )
    for by in wrong:
        with nothing_written(article), pytest.raises(PermissionDenied):
            lifecycle.transition(article, action, by=by, message="Een bericht.")


@pytest.mark.parametrize("action", [a for a, rule in TRANSITIONS.items() if rule.message_required])
@pytest.mark.parametrize("message", ["", "   \n  "])
def test_required_messages_are_enforced(
    action: str, message: str, make_article: ArticleBuilder, contributor: User, editor: User
) -> None:
    article = _article_in(sorted(TRANSITIONS[action].sources)[0], make_article, contributor)
    with nothing_written(article), pytest.raises(ValidationError):
        lifecycle.transition(article, action, by=editor, message=message)


def test_the_messages_required_are_exactly_those_for_the_author() -> None:
    required = {a for a, rule in TRANSITIONS.items() if rule.message_required}
    assert required == {Action.REQUEST_CHANGES, Action.REJECT, Action.TAKE_DOWN}


def test_inactive_editor_is_no_editor(
    make_article: ArticleBuilder, contributor: User, editor: User
) -> None:
    article = make_article(contributor, State.SUBMITTED)
    editor.is_active = False
    editor.save()
    editor = User.objects.get(pk=editor.pk)
    with nothing_written(article), pytest.raises(PermissionDenied):
        services.publish_article(article=article, by=editor)


def test_administrator_may_act_as_editor(
    make_article: ArticleBuilder, contributor: User, admin_user: User
) -> None:
    article = make_article(contributor, State.SUBMITTED)
    services.publish_article(article=article, by=admin_user)
    assert Article.objects.get(pk=article.pk).state == State.PUBLISHED


# --- The named services, as the product's rules -------------------------------------------------


def test_editor_can_publish(make_article: ArticleBuilder, contributor: User, editor: User) -> None:
    article = make_article(contributor, State.SUBMITTED)
    services.publish_article(article=article, by=editor)
    article.refresh_from_db()
    assert article.state == State.PUBLISHED
    assert article.is_live
    assert article.events.latest("pk").action == Action.PUBLISH


def test_editor_can_request_changes(
    make_article: ArticleBuilder, contributor: User, editor: User
) -> None:
    article = make_article(contributor, State.SUBMITTED)
    services.request_changes(article=article, by=editor, message="  Maak de inleiding korter.  ")
    article.refresh_from_db()
    assert article.state == State.CHANGES_REQUESTED
    assert article.is_editable_by_author
    event = article.events.latest("pk")
    assert (event.action, event.actor, event.message) == (
        Action.REQUEST_CHANGES,
        editor,
        "Maak de inleiding korter.",
    )


def test_editor_can_reject_with_a_reason(
    make_article: ArticleBuilder, contributor: User, editor: User
) -> None:
    article = make_article(contributor, State.SUBMITTED)
    services.reject_article(article=article, by=editor, reason="Dit is reclame.")
    article.refresh_from_db()
    assert article.state == State.REJECTED
    assert article.events.latest("pk").message == "Dit is reclame."


def test_editor_can_take_a_published_article_down(
    make_article: ArticleBuilder, contributor: User, editor: User
) -> None:
    article = make_article(contributor, State.PUBLISHED)
    services.take_down_article(article=article, by=editor, reason="Klacht over een citaat.")
    article.refresh_from_db()
    assert article.state == State.OFFLINE
    assert not Article.objects.published().filter(pk=article.pk).exists()


def test_author_can_withdraw_a_submission(make_article: ArticleBuilder, contributor: User) -> None:
    article = make_article(contributor, State.SUBMITTED)
    services.withdraw_submission(article=article, by=contributor)
    assert Article.objects.get(pk=article.pk).state == State.DRAFT


def test_author_can_take_own_article_offline_and_reopen_it(
    make_article: ArticleBuilder, contributor: User
) -> None:
    article = make_article(contributor, State.PUBLISHED)
    services.withdraw_article(article=article, by=contributor)
    assert Article.objects.get(pk=article.pk).state == State.OFFLINE
    services.reopen_article(article=article, by=contributor)
    article.refresh_from_db()
    assert article.state == State.DRAFT
    assert article.is_editable_by_author
    assert [e.action for e in article.events.order_by("pk")][-2:] == [
        Action.WITHDRAW,
        Action.REOPEN,
    ]


def test_author_cannot_reopen_a_rejected_article(
    make_article: ArticleBuilder, contributor: User
) -> None:
    article = make_article(contributor, State.REJECTED)
    with nothing_written(article), pytest.raises(TransitionNotAllowed):
        services.reopen_article(article=article, by=contributor)


def test_publishing_later_needs_an_aware_time(
    make_article: ArticleBuilder, contributor: User, editor: User
) -> None:
    import datetime

    article = make_article(contributor, State.SUBMITTED)
    with nothing_written(article), pytest.raises(ValueError, match="timezone-aware"):
        services.publish_article(
            article=article, by=editor, at=datetime.datetime(2030, 1, 1, 12, 0)
        )


def test_allowed_actions_match_the_table(
    make_article: ArticleBuilder, contributor: User, editor: User
) -> None:
    submitted = make_article(contributor, State.SUBMITTED)
    assert lifecycle.allowed_actions(submitted, contributor) == [Action.WITHDRAW_SUBMISSION]
    assert set(lifecycle.allowed_actions(submitted, editor)) == {
        Action.PUBLISH,
        Action.REQUEST_CHANGES,
        Action.REJECT,
    }
    published = make_article(contributor, State.PUBLISHED)
    assert lifecycle.allowed_actions(published, contributor) == [Action.WITHDRAW]
    assert lifecycle.allowed_actions(published, editor) == [Action.TAKE_DOWN]


def test_transition_not_allowed_says_what_and_from_where(
    make_article: ArticleBuilder, contributor: User, editor: User
) -> None:
    article = make_article(contributor, State.REJECTED)
    with pytest.raises(TransitionNotAllowed) as info:
        services.publish_article(article=article, by=editor)
    assert str(Action.PUBLISH.label) in str(info.value)
    assert str(State.REJECTED.label) in str(info.value)
