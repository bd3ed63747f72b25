"""Comments and suggestions in the domain layer: who may do what in which state (a table, tried
against the real services), and what commenting, suggesting, accepting and rejecting write."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from podium.accounts.models import User
from podium.annotations import rules, services
from podium.annotations.models import Comment, Thread
from podium.articles import coauthors
from podium.articles import services as articles
from podium.articles.diff import diff_revisions
from podium.articles.models import Article, Revision
from tests.podium_helpers import ArticleBuilder, article_snapshot, make_user, statement

State = Article.State
S, CR, D = State.SUBMITTED, State.CHANGES_REQUESTED, State.DRAFT

pytestmark = pytest.mark.django_db

PASSAGE = "Teams die leren, winnen."

# The rules, written out by hand: verb -> persona -> the states in which it is allowed.
# Everyone not named, and every state not named, is refused. The article has a co-author, so
# its draft (withdrawn from the editors) is a draft shared among its writers.
WRITERS = {S, CR, D}
EXPECTED: dict[str, dict[str, set[str]]] = {
    "comment": {"author": WRITERS, "coauthor": WRITERS, "editor": {S, CR}, "admin": {S, CR}},
    "reply": {"author": WRITERS, "coauthor": WRITERS, "editor": {S, CR}, "admin": {S, CR}},
    "resolve": {"author": WRITERS, "coauthor": WRITERS, "editor": {S, CR}, "admin": {S, CR}},
    "suggest": {"editor": {S, CR}, "admin": {S, CR}},
    "accept": {"author": {D, CR}, "coauthor": {D, CR}},
    "reject": {"author": {D, CR}, "coauthor": {D, CR}},
}
PERSONAS = ("anonymous", "reader", "other", "author", "coauthor", "editor", "admin")
CASES = list(itertools.product(EXPECTED, PERSONAS, State.values))


def _to_state(article: Article, state: str, author: User, editor: User) -> Article:
    """From a submission (with its threads) to `state`, the way the product gets there."""
    if state == S:
        return article
    if state == CR:
        return articles.request_changes(article=article, by=editor, message="Zie de voorstellen.")
    if state == D:
        return articles.withdraw_submission(article=article, by=author)
    if state == State.REJECTED:
        return articles.reject_article(article=article, by=editor, reason="Past niet.")
    article = articles.publish_article(article=article, by=editor)
    if state == State.OFFLINE:
        return articles.withdraw_article(article=article, by=author)
    return article


def _written() -> tuple[int, int, int]:
    return Thread.objects.count(), Comment.objects.count(), Revision.objects.count()


def _call(verb: str, article: Article, thread: Thread, by: Any) -> Callable[[], object]:
    return {
        "comment": lambda: services.comment_on(
            article=article, by=by, quote="dan onze organisaties", body="Klopt dit?"
        ),
        "reply": lambda: services.reply(thread=thread, by=by, body="Ja."),
        "resolve": lambda: services.resolve(thread=thread, by=by),
        "suggest": lambda: services.suggest(
            article=article, by=by, quote="Teams", change="replace", replacement="Ploegen"
        ),
        "accept": lambda: services.accept(thread=thread, by=by),
        "reject": lambda: services.reject(thread=thread, by=by),
    }[verb]


@pytest.fixture
def people(
    contributor: User, other_contributor: User, editor: User, admin_user: User
) -> dict[str, Any]:
    reader = User.objects.create_user("lezer@example.org", "een-lang-wachtwoord-42")
    coauthor = make_user("cora@example.org", display_name="Cora Mede", bio="Cora schrijft mee.")
    return {
        "anonymous": AnonymousUser(),
        "reader": reader,
        "other": other_contributor,
        "author": contributor,
        "coauthor": coauthor,
        "editor": editor,
        "admin": admin_user,
    }


def _shared_submission(make_article: ArticleBuilder, author: User, coauthor: User) -> Article:
    """A submission its author wrote with a co-author (invited and accepted while a draft)."""
    draft = make_article.draft(author)
    invitation = coauthors.invite_coauthor(
        article=draft, by=author, email=coauthor.email, language="nl"
    )
    coauthors.accept_invitation(invitation=invitation, by=coauthor)
    return articles.submit_article(article=draft, by=author, terms=statement())


@pytest.mark.parametrize(("verb", "persona", "state"), CASES, ids=["-".join(c) for c in CASES])
def test_the_rules_table(
    verb: str, persona: str, state: str, people: dict[str, Any], make_article: ArticleBuilder
) -> None:
    author, editor = people["author"], people["editor"]
    article = _shared_submission(make_article, author, people["coauthor"])
    thread = services.suggest(
        article=article,
        by=editor,
        quote=PASSAGE,
        change="replace",
        replacement="Lerende teams winnen.",
    )
    article = _to_state(article, state, author, editor)
    by = people[persona]
    allowed = state in EXPECTED[verb].get(persona, set())
    assert (
        rules.allows(rules.Verb("decide" if verb in ("accept", "reject") else verb), article, by)
        is allowed
    )
    if allowed:
        before = _written()
        _call(verb, article, thread, by)()
        assert _written() != before or verb in ("resolve", "reject")
        return
    before, snapshot = _written(), article_snapshot(article)
    with pytest.raises((PermissionDenied, rules.NotNow)):
        _call(verb, article, thread, by)()
    assert _written() == before
    assert article_snapshot(article) == snapshot
    assert Thread.objects.get(pk=thread.pk).decision == "open"


@pytest.fixture
def under_review(make_article: ArticleBuilder, contributor: User) -> Article:
    return make_article(contributor, S)


def test_a_comment_is_anchored_to_its_passage_and_the_submitted_version(
    under_review: Article, editor: User
) -> None:
    thread = services.comment_on(
        article=under_review, by=editor, quote="  Teams die\n leren, ", body="Mooi <b>gezegd</b>."
    )
    assert thread.quote == "Teams die leren,"
    assert thread.prefix.endswith("Wat betekent dit voor uw team? ")
    assert thread.suffix.startswith(" winnen. Teams die wachten")
    assert thread.revision == under_review.revisions.get()
    assert thread.comments.get().body == "Mooi gezegd."  # plain text: the tags are gone


def test_a_passage_that_is_not_in_the_text_is_refused_in_dutch(
    under_review: Article, editor: User
) -> None:
    with pytest.raises(ValidationError) as refusal:
        services.comment_on(article=under_review, by=editor, quote="Niet in de tekst", body="?")
    assert "staat niet in de opgeslagen tekst" in str(refusal.value)
    assert not Thread.objects.exists()


def test_of_two_occurrences_the_selections_surroundings_choose(
    under_review: Article, editor: User
) -> None:
    thread = services.comment_on(
        article=under_review,
        by=editor,
        quote="Teams die",
        body="Deze.",
        prefix_hint="Teams die leren, winnen. ",
        suffix_hint=" wachten",
    )
    assert thread.suffix.startswith(" wachten")


def _changes_requested(article: Article, editor: User) -> Article:
    return articles.request_changes(article=article, by=editor, message="Zie de voorstellen.")


def test_accepting_applies_the_suggestion_as_a_revision_of_both(
    under_review: Article, contributor: User, editor: User
) -> None:
    thread = services.suggest(
        article=under_review,
        by=editor,
        quote="Teams die leren, winnen.",
        change="replace",
        replacement="Lerende teams winnen.",
        body="Korter.",
    )
    article = _changes_requested(under_review, editor)
    services.accept(thread=thread, by=contributor)
    article.refresh_from_db()
    assert "<p>Lerende teams winnen. Teams die wachten" in article.body
    revision = article.revisions.latest("number")
    assert (revision.kind, revision.created_by, revision.proposed_by) == (
        Revision.Kind.SUGGESTION,
        contributor,
        editor,
    )
    thread.refresh_from_db()
    assert (thread.decision, thread.decided_by, thread.applied_revision) == (
        "accepted",
        contributor,
        revision,
    )
    assert thread.is_resolved
    old, new = article.revisions.order_by("number")
    body = next(part for part in diff_revisions(old, new) if part.name == "body")
    assert "<ins>Lerende" in str(body.html) and "<del>" in str(body.html)


def test_an_insertion_and_a_deletion(
    under_review: Article, contributor: User, editor: User
) -> None:
    insert = services.suggest(
        article=under_review,
        by=editor,
        quote="Teams die leren",
        change="insert",
        replacement="snel",
    )
    delete = services.suggest(
        article=under_review, by=editor, quote="Teams die wachten, verliezen", change="delete"
    )
    _changes_requested(under_review, editor)
    services.accept(thread=insert, by=contributor)
    services.accept(thread=delete, by=contributor)
    body = Article.objects.get(pk=under_review.pk).body
    assert "Teams die leren snel, winnen. hun beste mensen" in body


def test_accepting_a_suggestion_whose_passage_is_gone_is_refused_in_dutch(
    under_review: Article, contributor: User, editor: User
) -> None:
    thread = services.suggest(
        article=under_review,
        by=editor,
        quote="Teams die leren",
        change="replace",
        replacement="Wij",
    )
    article = _changes_requested(under_review, editor)
    articles.save_draft(
        by=contributor,
        article=article,
        text=articles.ArticleText(
            title=article.title, lead=article.lead, body="<p>Alles nieuw.</p>"
        ),
    )
    revisions = Revision.objects.count()
    with pytest.raises(services.PassageGone) as refusal:
        services.accept(thread=thread, by=contributor)
    assert "staat niet meer in de tekst" in str(refusal.value)
    assert Revision.objects.count() == revisions
    assert Thread.objects.get(pk=thread.pk).decision == "open"


def test_a_suggestion_is_decided_once(
    under_review: Article, contributor: User, editor: User
) -> None:
    thread = services.suggest(article=under_review, by=editor, quote="Teams", change="delete")
    _changes_requested(under_review, editor)
    services.reject(thread=thread, by=contributor)
    with pytest.raises(ValidationError):
        services.accept(thread=thread, by=contributor)
    assert Thread.objects.get(pk=thread.pk).decision == "rejected"


def test_a_thread_is_resolved_and_reopened_and_a_reply_reopens_it(
    under_review: Article, contributor: User, editor: User
) -> None:
    thread = services.comment_on(article=under_review, by=editor, quote="Teams", body="Wie?")
    services.resolve(thread=thread, by=contributor)
    assert Thread.objects.get(pk=thread.pk).resolved_by == contributor
    services.reopen(thread=thread, by=editor)
    assert not Thread.objects.get(pk=thread.pk).is_resolved
    services.resolve(thread=thread, by=editor)
    services.reply(thread=thread, by=contributor, body="De lezers.")
    assert not Thread.objects.get(pk=thread.pk).is_resolved
    assert [c.body for c in thread.comments.order_by("pk")] == ["Wie?", "De lezers."]


def test_a_draft_nobody_shares_has_no_comments(
    make_article: ArticleBuilder, contributor: User, editor: User
) -> None:
    article = make_article(contributor, S)
    services.comment_on(article=article, by=editor, quote="Teams", body="Wie?")
    draft = articles.withdraw_submission(article=article, by=contributor)
    assert not rules.allows(rules.Verb.COMMENT, draft, contributor)
    with pytest.raises(rules.NotNow):
        services.comment_on(article=draft, by=contributor, quote="Teams", body="Mijn notitie.")


def test_a_coauthor_accepts_and_the_revision_is_theirs_and_the_editors(
    make_article: ArticleBuilder, contributor: User, editor: User, people: dict[str, Any]
) -> None:
    coauthor = people["coauthor"]
    article = _shared_submission(make_article, contributor, coauthor)
    thread = services.suggest(
        article=article, by=editor, quote="de buren", change="replace", replacement="anderen"
    )
    _changes_requested(article, editor)
    services.accept(thread=thread, by=coauthor)
    revision = Article.objects.get(pk=article.pk).revisions.latest("number")
    assert (revision.created_by, revision.proposed_by) == (coauthor, editor)
