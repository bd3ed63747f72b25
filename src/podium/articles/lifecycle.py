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
not allow, records the event and schedules the notifications after commit. The named wrappers
below add each action's own preconditions.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from podium.accounts.models import User
from podium.core import freshness, hooks

from . import search
from .models import Article, ArticleEvent, Revision
from .sanitize import clean_text

State = Article.State
Action = ArticleEvent.Action


class Actor(StrEnum):
    AUTHOR = "author"
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


class TransitionNotAllowed(Exception):
    """The article is not in a state from which this action is possible. Nothing was changed."""

    def __init__(self, article: Article, action: str) -> None:
        self.article = article
        self.action = action
        super().__init__(
            _("“%(action)s” is not possible for an article that is “%(state)s”.")
            % {"action": Action(action).label, "state": State(article.state).label}
        )


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
    revision: Revision | None = None,
) -> Article:
    """Move `article` by `action`: lock the row, check the table and the actor, write the state and
    the event, and notify after commit. Raises TransitionNotAllowed, PermissionDenied or
    ValidationError (missing message); on any of them nothing is written."""
    from .tasks import notify_article_event

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
        search.index_article(locked)  # the index changes in the same transaction
        event = ArticleEvent.objects.create(
            article=locked,
            action=action,
            actor=by,
            at=now,
            from_state=from_state,
            to_state=rule.target,
            message=message,
            revision=revision,
        )
        transaction.on_commit(lambda: notify_article_event.enqueue(event.pk))
        announce_event(event, author_id=locked.author_id)
        if State.PUBLISHED in (from_state, rule.target):
            freshness.readers_see_change_on_commit()  # readers see the change on their next request
    article.refresh_from_db()
    return article


def announce_event(event: ArticleEvent, *, author_id: int) -> None:
    """Tell the apps above (see `podium.core.hooks`) about `event` once it is committed."""
    hooks.announce_on_commit(
        hooks.ARTICLE_EVENT,
        event_id=event.pk,
        action=event.action,
        article_id=event.article_id,
        author_id=author_id,
        revision_id=event.revision_id,
    )
