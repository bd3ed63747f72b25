"""The conversation about one article: its author(s) and the editors, with the article's events
in the same thread, in time order.

Who may do what (the services decide; pages only hide buttons):

| action                    | who                                   | when                           |
| ------------------------- | ------------------------------------- | ------------------------------ |
| read the thread           | the author; editors                   | always (editors: not a draft)  |
| write a message           | the author; editors                   | the article is not a draft     |
| write an internal note    | editors who are not its author        | the article is not a draft     |
| take on a submission      | editors                               | submitted, nobody handles it   |
| take it over              | another editor                        | submitted, someone else has it |

Internal notes, and who handles a submission, are the desk's: the author never sees them, not on
a page, in an e-mail or in their data export.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from podium.accounts.models import User

from . import lifecycle, notifications
from .models import Article, ArticleEvent, Message, Notification
from .sanitize import clean_text
from .terms import Terms

Action = ArticleEvent.Action
MESSAGE_MAX_CHARS = 4000


class AlreadyClaimed(Exception):
    """Another editor handles this submission; taking it over is a separate, recorded step."""

    def __init__(self, article: Article) -> None:
        self.article = article
        name = article.claimed_by.display_name if article.claimed_by else ""
        super().__init__(
            _("%(name)s already handles this submission; you can take it over.") % {"name": name}
        )


def is_author(user: User | AnonymousUser, article: Article) -> bool:
    return user.is_authenticated and article.is_written_by(user)


def sees_desk_side(user: User | AnonymousUser, article: Article) -> bool:
    """Internal notes and who handles the submission: editors, never the article's own author."""
    return user.is_authenticated and user.is_editor and not is_author(user, article)


def can_write_message(user: User | AnonymousUser, article: Article) -> bool:
    if not user.is_authenticated or article.state == Article.State.DRAFT:
        return False
    return is_author(user, article) or user.is_editor


def can_write_internal_note(user: User | AnonymousUser, article: Article) -> bool:
    return article.state != Article.State.DRAFT and sees_desk_side(user, article)


def can_claim(user: User | AnonymousUser, article: Article) -> bool:
    return (
        sees_desk_side(user, article)
        and article.state == Article.State.SUBMITTED
        and article.claimed_by_id is None
    )


def can_take_over(user: User | AnonymousUser, article: Article) -> bool:
    return (
        sees_desk_side(user, article)
        and article.state == Article.State.SUBMITTED
        and article.claimed_by_id not in (None, user.pk)
    )


@dataclass(frozen=True)
class Entry:
    """One line of the thread: a message, an internal note or an event of the article."""

    at: datetime.datetime
    actor: User
    text: str
    event: ArticleEvent | None = None
    is_internal: bool = False

    @property
    def is_message(self) -> bool:
        return self.event is None

    @property
    def label(self) -> str:
        return self.event.get_action_display() if self.event else ""


def thread(article: Article, viewer: User) -> list[Entry]:
    """The conversation as `viewer` may see it, oldest first (two queries)."""
    desk_side = sees_desk_side(viewer, article)
    messages = Message.objects.filter(article=article).select_related("author")
    events = ArticleEvent.objects.filter(article=article).select_related("actor")
    if not desk_side:
        messages = messages.filter(is_internal=False)
        events = events.exclude(action__in=ArticleEvent.DESK_ONLY)
    entries = [Entry(m.created_at, m.author, m.body, None, m.is_internal) for m in messages]
    entries += [Entry(e.at, e.actor, e.message, e) for e in events]
    # An event and a message in the same instant (a resubmission's note): the event first.
    return sorted(entries, key=lambda e: (e.at, e.is_message))


def _clean_message(body: str) -> str:
    body = clean_text(body, keep_lines=True)
    if not body:
        raise ValidationError(_("Write a message first."), code="empty")
    if len(body) > MESSAGE_MAX_CHARS:
        raise ValidationError(
            _("A message has at most %(limit)s characters.") % {"limit": MESSAGE_MAX_CHARS},
            code="too_long",
        )
    return body


@transaction.atomic
def write_message(*, article: Article, by: User, body: str, internal: bool = False) -> Message:
    """Add a message to the article's conversation (an editors-only note with `internal=True`) and
    tell the participants in their next batch. Raises PermissionDenied (see the table above) or
    ValidationError (empty, too long); nothing is written then."""
    article = Article.objects.select_related("author").get(pk=article.pk)
    allowed = can_write_internal_note if internal else can_write_message
    if not allowed(by, article):
        if internal:
            raise PermissionDenied(_("Only editors can write internal notes."))
        raise PermissionDenied(_("You cannot write in this conversation."))
    body = _clean_message(body)
    message = Message.objects.create(
        article=article, author=by, body=body, is_internal=internal, created_at=timezone.now()
    )
    notifications.notify_participants(
        article,
        actor=by,
        kind=Notification.Kind.INTERNAL_NOTE if internal else Notification.Kind.MESSAGE,
        text=body,
        internal=internal,
    )
    return message


def resubmit(*, article: Article, by: User, note: str = "", terms: Terms | None = None) -> Article:
    """Submit the article again (after the editors asked for changes, or a first time) with a
    note for the editors, which the thread shows with the submission. Without `terms` the
    earlier statement is carried over (see `terms`). Raises what `services.submit_article`
    raises; nothing is written then."""
    from .services import submit_article

    return submit_article(article=article, by=by, note=note, terms=terms)


def _record(article: Article, action: str, *, by: User, message: str = "") -> ArticleEvent:
    """The history's writer: the state does not change, the step is recorded like every other."""
    return lifecycle.record(article, action, by=by, from_state=article.state, message=message)


def _locked_for_the_desk(article: Article, by: User, refusal: str) -> Article:
    locked = (
        # Only the article's row is locked: PostgreSQL locks no row of a nullable outer join.
        Article.objects.select_for_update(of=("self",))
        .select_related("claimed_by", "author")
        .get(pk=article.pk)
    )
    if not sees_desk_side(by, locked):
        raise PermissionDenied(refusal)
    return locked


@transaction.atomic
def claim(*, article: Article, by: User) -> Article:
    """`by` (an editor) handles the submission from now on: the desk shows their name and the
    thread records it for the editors. Raises AlreadyClaimed when another editor has it,
    PermissionDenied for anyone but an editor, ValidationError when it is not waiting for review."""
    locked = _locked_for_the_desk(article, by, _("Only editors can take on a submission."))
    if locked.claimed_by_id == by.pk:
        return locked
    if locked.claimed_by_id is not None:
        raise AlreadyClaimed(locked)
    if locked.state != Article.State.SUBMITTED:
        raise ValidationError(_("Only a submission waiting for review can be taken on."))
    locked.claimed_by = by
    locked.save(update_fields=["claimed_by"])
    _record(locked, Action.CLAIM, by=by)
    return locked


@transaction.atomic
def take_over(*, article: Article, by: User) -> Article:
    """`by` takes the submission over from the editor who handles it: recorded in the thread, and
    that editor hears of it in their next batch. Raises PermissionDenied or ValidationError."""
    locked = _locked_for_the_desk(article, by, _("Only editors can take over a submission."))
    if locked.state != Article.State.SUBMITTED:
        raise ValidationError(_("Only a submission waiting for review can be taken over."))
    previous = locked.claimed_by
    if previous is None or previous.pk == by.pk:
        raise ValidationError(_("Nobody else handles this submission."))
    locked.claimed_by = by
    locked.save(update_fields=["claimed_by"])
    # The message is the former handler's name: the thread says "taken over from …" in the
    # language of whoever reads it.
    _record(locked, Action.TAKE_OVER, by=by, message=previous.display_name or previous.email)
    notifications.notify_participants(
        locked, actor=by, kind=Notification.Kind.TAKE_OVER, internal=True, recipients=[previous]
    )
    return locked
