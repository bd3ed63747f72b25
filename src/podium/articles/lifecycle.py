"""The article's life, as one table.

    draft ──submit──▶ submitted ──publish──▶ published ──withdraw / take down──▶ offline
      ▲                  │  │                   ▲                                   │
      │  changes_requested ◀─request changes─┘  └──reject──▶ rejected               │
      │        │                                                                    │
      └────────┴──────────────────────── reopen ◀────────────────────────────────────┘

- A contributor submits a draft (or a piece whose changes were requested); a trusted
  contributor's submission is published at once and reviewed afterwards.
- The author may withdraw a submission (back to draft) and withdraw a published article
  (offline: nothing is deleted); an offline article may be reopened as a draft.
- An editor publishes (now, or at a later time: readers see it from then), requests changes
  (message required), rejects (reason required) or takes a published article down (reason
  required).

`transition()` is the only place a state changes: it locks the row, refuses what the table does
not allow and hands the change to `record()`. `record()` is the one writer of an article's
history, for state changes and editors' edits alike (`services.edit_article`): the revision, the
search index, the event, the notifications and the hooks after commit, and "readers see a change"
when the article is or was public. Changes readers see that write no history (a new header
image, a share card, a picture's texts) say so through `readers_see_article_change()`, so every
change of a public article reaches `podium.core.freshness` from this module. The named wrappers
in `services` add each action's own preconditions.

Besides the states, an article has people: its author, the co-authors who accepted the author's
invitation (in the byline with the author) and the editors. `PERMISSIONS` is the table of what
each may do to it apart from moving its state, and from which states; the services check their
line with `check()`:

    action                 who                  states
    edit the text          author, co-authors   draft, changes requested (until it is submitted)
    invite a co-author     author               draft, changes requested
    remove a co-author     author               any
    leave (a co-author)    co-authors           any
    create a preview link  author, co-authors   any but rejected
    revoke a preview link  author, co-authors   any

Only the author moves the article's state (submit, withdraw, reopen): co-authors write with them,
the author answers for the piece to the editors.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from podium.accounts.models import User
from podium.core import freshness, hooks

from . import search
from .models import Article, ArticleEvent, Revision
from .sanitize import clean_text

State = Article.State
Action = ArticleEvent.Action


class Actor(StrEnum):
    AUTHOR = "author"
    COAUTHOR = "coauthor"
    EDITOR = "editor"


@dataclass(frozen=True)
class Rule:
    sources: frozenset[str]
    target: str
    actor: Actor
    message_required: bool = False


TRANSITIONS: dict[str, Rule] = {
    Action.SUBMIT: Rule(
        frozenset({State.DRAFT, State.CHANGES_REQUESTED}), State.SUBMITTED, Actor.AUTHOR
    ),
    Action.AUTO_PUBLISH: Rule(
        frozenset({State.DRAFT, State.CHANGES_REQUESTED}), State.PUBLISHED, Actor.AUTHOR
    ),
    Action.WITHDRAW_SUBMISSION: Rule(frozenset({State.SUBMITTED}), State.DRAFT, Actor.AUTHOR),
    Action.WITHDRAW: Rule(frozenset({State.PUBLISHED}), State.OFFLINE, Actor.AUTHOR),
    Action.REOPEN: Rule(frozenset({State.OFFLINE}), State.DRAFT, Actor.AUTHOR),
    Action.PUBLISH: Rule(frozenset({State.SUBMITTED}), State.PUBLISHED, Actor.EDITOR),
    Action.REQUEST_CHANGES: Rule(
        frozenset({State.SUBMITTED}), State.CHANGES_REQUESTED, Actor.EDITOR, message_required=True
    ),
    Action.REJECT: Rule(
        frozenset({State.SUBMITTED}), State.REJECTED, Actor.EDITOR, message_required=True
    ),
    Action.TAKE_DOWN: Rule(
        frozenset({State.PUBLISHED}), State.OFFLINE, Actor.EDITOR, message_required=True
    ),
}


class Permission(models.TextChoices):
    EDIT_TEXT = "edit_text", pgettext_lazy("action", "Edit the text")
    INVITE_COAUTHOR = "invite_coauthor", pgettext_lazy("action", "Invite a co-author")
    REMOVE_COAUTHOR = "remove_coauthor", pgettext_lazy("action", "Remove a co-author")
    LEAVE = "leave", pgettext_lazy("action", "Leave as co-author")
    CREATE_PREVIEW_LINK = "create_preview_link", pgettext_lazy("action", "Create a preview link")
    REVOKE_PREVIEW_LINK = "revoke_preview_link", pgettext_lazy("action", "Revoke a preview link")


@dataclass(frozen=True)
class Grant:
    actors: frozenset[Actor]
    states: frozenset[str]


EDITABLE = frozenset({State.DRAFT, State.CHANGES_REQUESTED})
ANY_STATE = frozenset(State.values)

PERMISSIONS: dict[str, Grant] = {
    Permission.EDIT_TEXT: Grant(frozenset({Actor.AUTHOR, Actor.COAUTHOR}), EDITABLE),
    Permission.INVITE_COAUTHOR: Grant(frozenset({Actor.AUTHOR}), EDITABLE),
    Permission.REMOVE_COAUTHOR: Grant(frozenset({Actor.AUTHOR}), ANY_STATE),
    Permission.LEAVE: Grant(frozenset({Actor.COAUTHOR}), ANY_STATE),
    Permission.CREATE_PREVIEW_LINK: Grant(
        frozenset({Actor.AUTHOR, Actor.COAUTHOR}), ANY_STATE - {State.REJECTED}
    ),
    Permission.REVOKE_PREVIEW_LINK: Grant(frozenset({Actor.AUTHOR, Actor.COAUTHOR}), ANY_STATE),
}


def _label(action: str) -> str:
    if action in Permission.values:
        return str(Permission(action).label)
    return str(Action(action).label)


class TransitionNotAllowed(Exception):
    """The article is not in a state from which this action is possible. Nothing was changed."""

    def __init__(self, article: Article, action: str) -> None:
        self.article = article
        self.action = action
        super().__init__(
            _("“%(action)s” is not possible for an article that is “%(state)s”.")
            % {"action": _label(action), "state": State(article.state).label}
        )


def actors(article: Article, user: User) -> frozenset[Actor]:
    """What `user` is to `article`: its author, a co-author who accepted, an editor (or none)."""
    found = set()
    if article.author_id == user.pk:
        found.add(Actor.AUTHOR)
    elif user.is_authenticated and article.is_coauthored_by(user):
        found.add(Actor.COAUTHOR)
    if user.is_authenticated and user.is_editor:
        found.add(Actor.EDITOR)
    return frozenset(found)


def may(article: Article, permission: str, user: User) -> bool:
    """Whether `user` may do `permission` to `article` now (for showing buttons)."""
    grant = PERMISSIONS[permission]
    return article.state in grant.states and bool(grant.actors & actors(article, user))


def check(article: Article, permission: str, *, by: User) -> None:
    """Raise unless `by` may do `permission` to `article` now: PermissionDenied when they are
    not one of the people the table names, TransitionNotAllowed when the state does not allow it.
    Call it with the article's row locked."""
    grant = PERMISSIONS[permission]
    if not grant.actors & actors(article, by):
        if grant.actors == {Actor.AUTHOR}:
            raise PermissionDenied(_("Only the author can do this."))
        if grant.actors == {Actor.COAUTHOR}:
            raise PermissionDenied(_("Only a co-author can do this."))
        raise PermissionDenied(_("Only the author and the co-authors can do this."))
    if article.state not in grant.states:
        raise TransitionNotAllowed(article, permission)


def allowed_actions(article: Article, user: User) -> list[str]:
    """The actions `user` may take on `article` now (for showing buttons; the services decide)."""
    actions = []
    for action, rule in TRANSITIONS.items():
        if action == Action.AUTO_PUBLISH or article.state not in rule.sources:
            continue
        if (rule.actor == Actor.AUTHOR and article.author_id == user.pk) or (
            rule.actor == Actor.EDITOR and user.is_editor
        ):
            actions.append(action)
    return actions


def _check_actor(article: Article, rule: Rule, by: User) -> None:
    if rule.actor == Actor.AUTHOR and article.author_id != by.pk:
        raise PermissionDenied(_("Only the author can do this."))
    if rule.actor == Actor.EDITOR and not by.is_editor:
        raise PermissionDenied(_("Only editors can do this."))


def transition(
    article: Article,
    action: str,
    *,
    by: User,
    message: str = "",
    published_at: datetime.datetime | None = None,
    revision_kind: str | None = None,
) -> Article:
    """Move `article` by `action`: lock the row, check the table and the actor, write the state, and
    `record()` it (with a revision of the text when `revision_kind` is given). Raises
    TransitionNotAllowed, PermissionDenied or ValidationError (missing message); on any of them
    nothing is written."""
    rule = TRANSITIONS[action]
    message = clean_text(message, keep_lines=True)
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        _check_actor(locked, rule, by)
        if locked.state not in rule.sources:
            raise TransitionNotAllowed(locked, action)
        if rule.message_required and not message:
            raise ValidationError(
                _("A message for the author is required."), code="message_required"
            )
        now = timezone.now()
        from_state = locked.state
        locked.state = rule.target
        if rule.target == State.SUBMITTED:
            locked.submitted_at = now
        if rule.target == State.PUBLISHED:
            locked.published_at = published_at or now
        locked.save(update_fields=["state", "submitted_at", "published_at"])
        record(
            locked,
            action,
            by=by,
            from_state=from_state,
            message=message,
            revision_kind=revision_kind,
            at=now,
        )
    article.refresh_from_db()
    return article


def record(
    article: Article,
    action: str,
    *,
    by: User,
    from_state: str,
    message: str = "",
    revision_kind: str | None = None,
    at: datetime.datetime | None = None,
    proposed_by: User | None = None,
    person: User | None = None,
    related_inputs_changed: bool = False,
) -> ArticleEvent:
    """Write one step of `article`'s history: call inside the transaction that changed it, with the
    row locked and saved (`article.state` is the state after the step). In that transaction: a
    revision of the text (when `revision_kind` is given), the search index (readers never find
    the old text), the event; once it commits: the notifications, the hooks, and "readers see a
    change" when the article was public before or is now. `proposed_by`: the editor whose
    suggestion the revision applies. `person` is whom the step is about when that is not the
    actor (a co-author who joined, left or was removed: the byline changed).
    `related_inputs_changed`: the step changed what the article's own "read more" is computed
    from (`related.inputs`: an editor's edit of the title, the lead or the topics)."""
    from .tasks import compute_related, notify_article_event, refresh_related_naming

    revision = (
        _next_revision(article, kind=revision_kind, by=by, note=message, proposed_by=proposed_by)
        if revision_kind
        else None
    )
    search.index_article(article)
    event = ArticleEvent.objects.create(
        article=article,
        action=action,
        actor=by,
        at=at or timezone.now(),
        from_state=from_state,
        to_state=article.state,
        message=message,
        revision=revision,
        person=person,
    )
    transaction.on_commit(lambda: notify_article_event.enqueue(event.pk))
    _announce_event(event, author_id=article.author_id)
    if State.PUBLISHED in (from_state, article.state):
        readers_see_article_change()
    # "Read more" is computed when it matters, not on a reader's first request (see `related`):
    # when the article is published, and while it is when what it is computed from changed (not
    # for a new body, a co-author or a claim, whose lines would come out the same).
    if article.state == State.PUBLISHED:
        if from_state != State.PUBLISHED or related_inputs_changed:
            transaction.on_commit(lambda: compute_related.enqueue(article.pk))
    elif from_state == State.PUBLISHED:
        transaction.on_commit(lambda: refresh_related_naming.enqueue(article.pk))
    return event


def readers_see_article_change() -> None:
    """A public article (its text, state, pictures, share card) changed: readers see it from the
    commit on. The one place the articles app tells `podium.core.freshness`."""
    freshness.readers_see_change_on_commit()


def shared_revision(article: Article, *, by: User) -> Revision:
    """A revision that holds `article`'s text as it is now, for a preview link to name: the
    newest one when its text is the same, else a new one (kind "shared") by `by`. Call inside
    the transaction that holds the article's row locked (the numbering counts on it)."""
    latest = article.revisions.order_by("-number").first()
    if latest is not None and (latest.title, latest.lead, latest.body) == (
        article.title,
        article.lead,
        article.body,
    ):
        return latest
    return _next_revision(article, kind=Revision.Kind.SHARED, by=by)


def _next_revision(
    article: Article, *, kind: str, by: User, note: str = "", proposed_by: User | None = None
) -> Revision:
    number = (article.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    return Revision.objects.create(
        article=article,
        number=number,
        kind=kind,
        title=article.title,
        lead=article.lead,
        body=article.body,
        created_by=by,
        note=note,
        proposed_by=proposed_by,
    )


def _announce_event(event: ArticleEvent, *, author_id: int) -> None:
    """Tell the apps above (see `podium.core.hooks`) about `event` once it is committed."""
    hooks.announce_on_commit(
        hooks.ARTICLE_EVENT,
        event_id=event.pk,
        action=event.action,
        article_id=event.article_id,
        author_id=author_id,
        revision_id=event.revision_id,
    )
