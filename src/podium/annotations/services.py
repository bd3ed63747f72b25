"""Writes on threads: commenting on a passage, replying, resolving and reopening, suggesting a
change, and the author's decision on a suggestion. Every write checks `rules` first and refuses
with PermissionDenied, `rules.NotNow` or ValidationError (in the user's language); nothing is
written then.

Who hears of it goes through the conversation's batched e-mail (`articles.notifications`: at most
one e-mail per person and article per quarter hour, or a daily digest, or none, as each person
chose), in the same transaction: a new comment or suggestion reaches the article's author,
co-authors and the editors involved with it, a reply the people in the thread and the writers, a
decision the editor who made the suggestion. Resolving and reopening tell nobody (they are tidying up)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from podium.accounts.models import User
from podium.articles import notifications
from podium.articles import services as articles
from podium.articles.models import Article, Notification
from podium.articles.sanitize import clean_text
from podium.core.text import shorten

from . import anchoring, rules
from .models import BODY_MAX, QUOTE_MAX, Comment, Thread
from .rules import Verb

Change = Thread.Change
Kind = Notification.Kind


class PassageGone(Exception):
    """A suggestion's passage is no longer in the text as it was; nothing was changed."""

    def __init__(self, thread: Thread, found: anchoring.Found) -> None:
        self.thread = thread
        if found == anchoring.Found.CHANGED:
            message = _(
                "This suggestion can no longer be applied: the passage “%(quote)s” has been "
                "changed since. Make the change yourself, or reject the suggestion."
            )
        else:
            message = _(
                "This suggestion can no longer be applied: the passage “%(quote)s” is no longer "
                "in the text. Make the change yourself, or reject the suggestion."
            )
        super().__init__(message % {"quote": _short(thread.quote)})


def _short(quote: str) -> str:
    return shorten(quote, 60)


def _about(thread: Thread) -> str:
    """The passage (and a suggestion's change) as the e-mail quotes it: the people's own words,
    in no language of ours."""
    quote = f"“{_short(thread.quote)}”"
    if thread.change == Change.REPLACE:
        return f"{quote} → “{_short(thread.replacement)}”"
    if thread.change == Change.INSERT:
        return f"{quote} + “{_short(thread.replacement)}”"
    if thread.change == Change.DELETE:
        return f"{quote} → —"
    return quote


def _tell(
    thread: Thread, *, by: User, kind: str, text: str, recipients: list[User] | None = None
) -> None:
    notifications.notify_participants(
        thread.article,
        actor=by,
        kind=kind,
        text=f"{_about(thread)}\n{text}".strip(),
        recipients=recipients,  # by default the conversation's participants: writers and editors
    )


def _in_thread(thread: Thread) -> list[User]:
    """The people a reply concerns: whoever wrote in the thread, and the article's writers."""
    people = {thread.created_by_id: thread.created_by}
    for comment in thread.comments.select_related("author"):
        people.setdefault(comment.author_id, comment.author)
    for writer in thread.article.authors:
        people.setdefault(writer.pk, writer)
    return list(people.values())


def _plain(text: str, *, limit: int, required: bool, field: str) -> str:
    cleaned = clean_text(text or "", keep_lines=True).strip()
    if required and not cleaned:
        raise ValidationError({field: _("This field is required.")}, code="required")
    if len(cleaned) > limit:
        raise ValidationError(
            {field: _("At most %(limit)s characters, please.") % {"limit": limit}},
            code="too_long",
        )
    return cleaned


def _anchor(
    article: Article, quote: str, *, prefix_hint: str, suffix_hint: str
) -> anchoring.Anchor:
    """The anchor of `quote` in the article's current text, or ValidationError."""
    folded = anchoring.fold(quote)
    if not folded:
        raise ValidationError(
            {"quote": _("Select a passage of the text, or paste it here.")}, code="required"
        )
    if len(folded) > QUOTE_MAX:
        raise ValidationError(
            {
                "quote": _("Choose a shorter passage (at most %(limit)s characters).")
                % {"limit": QUOTE_MAX}
            },
            code="too_long",
        )
    text = anchoring.text_of(article.body).text
    hint = anchoring.Anchor(
        folded,
        anchoring.fold_inside(prefix_hint)[-anchoring.CONTEXT :],
        anchoring.fold_inside(suffix_hint)[: anchoring.CONTEXT],
    )
    start = anchoring.best_occurrence(text, hint)
    if start is None:
        raise ValidationError(
            {
                "quote": _(
                    "This passage is not in the saved text. Copy it exactly from the text (save "
                    "your changes first)."
                )
            },
            code="not_found",
        )
    return anchoring.anchor_at(text, start, start + len(folded))


def _new_thread(
    article: Article, *, by: User, anchor: anchoring.Anchor, kind: str, **fields: str
) -> Thread:
    return Thread.objects.create(
        article=article,
        kind=kind,
        quote=anchor.quote,
        prefix=anchor.prefix,
        suffix=anchor.suffix,
        position=anchor.position,
        revision=article.revisions.order_by("-number").first(),
        created_by=by,
        **fields,
    )


def _locked_article(article: Article) -> Article:
    return Article.objects.select_for_update().get(pk=article.pk)


@transaction.atomic
def comment_on(
    *,
    article: Article,
    by: User,
    quote: str,
    body: str,
    prefix_hint: str = "",
    suffix_hint: str = "",
) -> Thread:
    """Start a thread on a passage of the article's saved text. The quote must be in the text
    (the hints, the text around a selection, choose among several occurrences)."""
    locked = _locked_article(article)
    rules.check(Verb.COMMENT, locked, by)
    message = _plain(body, limit=BODY_MAX, required=True, field="body")
    anchor = _anchor(locked, quote, prefix_hint=prefix_hint, suffix_hint=suffix_hint)
    thread = _new_thread(locked, by=by, anchor=anchor, kind=Thread.Kind.COMMENT)
    Comment.objects.create(thread=thread, author=by, body=message)
    _tell(thread, by=by, kind=Kind.COMMENT, text=message)
    return thread


@transaction.atomic
def suggest(
    *,
    article: Article,
    by: User,
    quote: str,
    change: str,
    replacement: str = "",
    body: str = "",
    prefix_hint: str = "",
    suffix_hint: str = "",
) -> Thread:
    """An editor proposes to replace, insert after or delete a passage; the author decides.
    A replacement or an insertion needs its new text; a deletion has none."""
    locked = _locked_article(article)
    rules.check(Verb.SUGGEST, locked, by)
    if change not in Change.values:
        raise ValidationError({"change": _("Choose what to do with the passage.")}, code="invalid")
    new_text = " ".join(
        _plain(
            replacement, limit=QUOTE_MAX, required=change != Change.DELETE, field="replacement"
        ).split()
    )
    if change == Change.DELETE:
        new_text = ""
    message = _plain(body, limit=BODY_MAX, required=False, field="body")
    anchor = _anchor(locked, quote, prefix_hint=prefix_hint, suffix_hint=suffix_hint)
    if change == Change.REPLACE and new_text == anchor.quote:
        raise ValidationError(
            {"replacement": _("The new text is the same as the passage.")}, code="unchanged"
        )
    thread = _new_thread(
        locked,
        by=by,
        anchor=anchor,
        kind=Thread.Kind.SUGGESTION,
        change=change,
        replacement=new_text,
        decision=Thread.Decision.OPEN,
    )
    if message:
        Comment.objects.create(thread=thread, author=by, body=message)
    _tell(thread, by=by, kind=Kind.SUGGESTION, text=message)
    return thread


def _space_on_both_sides(text: str, start: int, end: int) -> bool:
    return text[end : end + 1] == " " and (start == 0 or text[start - 1] == " ")


def _locked_thread(thread: Thread) -> Thread:
    return Thread.objects.select_for_update().select_related("article").get(pk=thread.pk)


@transaction.atomic
def reply(*, thread: Thread, by: User, body: str) -> Comment:
    """Add a message to a thread (a resolved thread is reopened by it: someone has more to say)."""
    locked = _locked_thread(thread)
    rules.check(Verb.REPLY, locked.article, by)
    message = _plain(body, limit=BODY_MAX, required=True, field="body")
    if locked.is_resolved and not locked.is_suggestion:
        locked.resolved_at = locked.resolved_by = None
        locked.save(update_fields=["resolved_at", "resolved_by"])
    comment = Comment.objects.create(thread=locked, author=by, body=message)
    _tell(locked, by=by, kind=Kind.REPLY, text=message, recipients=_in_thread(locked))
    return comment


@transaction.atomic
def resolve(*, thread: Thread, by: User) -> Thread:
    """Mark a thread as dealt with (it folds away; nothing is deleted). Resolving a resolved
    thread changes nothing."""
    locked = _locked_thread(thread)
    rules.check(Verb.RESOLVE, locked.article, by)
    if not locked.is_resolved:
        locked.resolved_at = timezone.now()
        locked.resolved_by = by
        locked.save(update_fields=["resolved_at", "resolved_by"])
    return locked


@transaction.atomic
def reopen(*, thread: Thread, by: User) -> Thread:
    """Open a resolved comment thread again. A decided suggestion stays decided."""
    locked = _locked_thread(thread)
    rules.check(Verb.RESOLVE, locked.article, by)
    if locked.is_suggestion and locked.decision != Thread.Decision.OPEN:
        raise ValidationError(_("A suggestion that was accepted or rejected stays decided."))
    if locked.is_resolved:
        locked.resolved_at = locked.resolved_by = None
        locked.save(update_fields=["resolved_at", "resolved_by"])
    return locked


def _open_suggestion(thread: Thread, by: User) -> Thread:
    locked = _locked_thread(thread)
    if not locked.is_suggestion:
        raise ValidationError(_("This is a comment, not a suggestion."))
    rules.check(Verb.DECIDE, locked.article, by)
    if locked.decision != Thread.Decision.OPEN:
        raise ValidationError(
            _("This suggestion was already %(decision)s.")
            % {"decision": Thread.Decision(locked.decision).label.lower()},
            code="decided",
        )
    return locked


def _decide(thread: Thread, by: User, decision: str) -> None:
    now = timezone.now()
    thread.decision = decision
    thread.decided_by = by
    thread.decided_at = now
    thread.resolved_by = by
    thread.resolved_at = now
    editor = thread.created_by
    with translation.override(editor.email_language or None):  # one reader: theirs
        said = (
            _("Your suggestion was accepted.")
            if decision == Thread.Decision.ACCEPTED
            else _("Your suggestion was rejected.")
        )
    _tell(thread, by=by, kind=Kind.RESOLVED, text=said, recipients=[editor])


@transaction.atomic
def accept(*, thread: Thread, by: User) -> Thread:
    """The author accepts a suggestion: its change is applied to the saved text as a new revision,
    made by the author and proposed by the editor (`articles.services.accept_suggestion`), and the
    thread is resolved. Refused with PassageGone when the passage is no longer in the text exactly
    as it was."""
    article = _locked_article(thread.article)
    locked = _open_suggestion(thread, by)
    text = anchoring.text_of(article.body)
    where = anchoring.locate(text.text, locked.anchor)
    if not where.is_exact:
        raise PassageGone(locked, where.found)
    new = locked.replacement
    start, end = where.start, where.end
    if locked.change == Change.INSERT:
        # After the passage, as a word of its own unless it starts with punctuation.
        start = end
        if not new.startswith(tuple(",.;:!?)")):
            new = " " + new
    elif locked.change == Change.DELETE and _space_on_both_sides(text.text, start, end):
        end += 1  # "a passage " goes with one of the spaces around it: no double space is left
    try:
        body = anchoring.replace(article.body, text, start, end, new)
    except anchoring.NotApplicable:
        raise PassageGone(locked, anchoring.Found.GONE) from None
    event = articles.accept_suggestion(
        article=article,
        by=by,
        proposed_by=locked.created_by,
        body=body,
        expected_version=article.version,
    )
    _decide(locked, by, Thread.Decision.ACCEPTED)
    locked.applied_revision = event.revision
    locked.save(
        update_fields=[
            "decision",
            "decided_by",
            "decided_at",
            "resolved_by",
            "resolved_at",
            "applied_revision",
        ]
    )
    return locked


@transaction.atomic
def reject(*, thread: Thread, by: User) -> Thread:
    """The author declines a suggestion: the text stays as it is and the thread is resolved."""
    _locked_article(thread.article)
    locked = _open_suggestion(thread, by)
    _decide(locked, by, Thread.Decision.REJECTED)
    locked.save(
        update_fields=["decision", "decided_by", "decided_at", "resolved_by", "resolved_at"]
    )
    return locked
