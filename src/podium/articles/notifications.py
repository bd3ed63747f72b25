"""Batched e-mail about what happens in an article's conversation.

The protocol, for the conversation here and for comments and suggestions on the text:

1. A service that records something people should hear about calls `notify_participants(article,
   actor=…, kind=…, text=…)` inside its transaction. Each participant except the actor gets one
   `Notification` row (an internal note: the editors only), with the moment it is due:
   - `User.Notify.IMMEDIATE`: at once, unless an e-mail about this article went to them in the last
     quarter hour or one is already waiting: then with that one, so one person gets at most one
     e-mail per article per quarter hour, however many messages are written;
   - `User.Notify.DAILY`: with the day's digest (the next `PODIUM_DAILY_AT`), every article in one
     e-mail;
   - `User.Notify.NONE`: no row at all.
2. After commit, a `send_notifications` task for that person is queued to run at the due moment.
3. `deliver_due(recipient_id)` claims the person's due rows by a conditional update (a second
   worker or a retry finds none), checks again what the person may read now (an editor who is no
   longer one hears nothing of internal notes), sends one e-mail per article (a digest: one in
   all) in the person's language, and marks the rows sent. A failure to send releases the claim.

The daily upkeep sweeps every person with due rows (`deliver_all_due`), so a lost task delays an
e-mail, never drops it; it also releases a claim left by a worker that died while sending, once
its rows are more than an hour past due (that e-mail may then go twice, never not at all). Sent
rows are deleted after 30 days.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from itertools import groupby

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from podium.accounts.models import User
from podium.accounts.selectors import editors
from podium.core.mail import send_templated_email
from podium.core.maintenance import next_run
from podium.core.text import clean_text

from .models import Article, ArticleEvent, Message, Notification

Kind = Notification.Kind
BATCH_WINDOW = datetime.timedelta(minutes=15)
# Sent rows only serve the quarter-hour rule; after this they go (they quote what was written).
KEEP_SENT = datetime.timedelta(days=30)
STALE_CLAIM = datetime.timedelta(hours=1)
EXCERPT_CHARS = 500


def involved_editors(article: Article, *, besides: User | None = None) -> list[User]:
    """The editors who take part in the article's conversation: whoever handles it, wrote in it or
    decided on it. When none has yet (but `besides`, who is writing), every editor: someone at
    the desk must hear of it."""
    ids = set(
        Message.objects.filter(article=article).values_list("author_id", flat=True).distinct()
    )
    ids |= set(
        ArticleEvent.objects.filter(article=article)
        .exclude(actor_id=article.author_id)
        .values_list("actor_id", flat=True)
        .distinct()
    )
    if article.claimed_by_id:
        ids.add(article.claimed_by_id)
    desk = editors()
    involved = [editor for editor in desk if editor.pk in ids]
    others = [editor for editor in involved if besides is None or editor.pk != besides.pk]
    return involved if others else desk


def participants(
    article: Article, *, internal: bool = False, actor: User | None = None
) -> list[User]:
    """Who hears of what `actor` writes on `article`: its writers (the author and the co-authors,
    who share the conversation) and the involved editors; for an internal note the editors only."""
    people = {editor.pk: editor for editor in involved_editors(article, besides=actor)}
    if not internal:
        for author in article.authors:
            people.setdefault(author.pk, author)
    return [person for person in people.values() if person.is_active]


def _due_at(
    recipient: User, article: Article, now: datetime.datetime
) -> tuple[datetime.datetime, bool]:
    """When the e-mail that will carry a new notification for `recipient` goes, and whether one is
    already waiting (its task is queued: the new row simply joins it)."""
    pending = Notification.objects.filter(recipient=recipient, sent_at=None, batch="")
    if recipient.notify == User.Notify.DAILY:
        waiting = pending.order_by("due_at").values_list("due_at", flat=True).first()
        return (waiting, True) if waiting else (next_run(now), False)
    waiting = (
        pending.filter(article=article).order_by("due_at").values_list("due_at", flat=True).first()
    )
    if waiting is not None:
        return waiting, True
    last_sent = Notification.objects.filter(recipient=recipient, article=article).aggregate(
        at=Max("sent_at")
    )["at"]
    return (max(now, last_sent + BATCH_WINDOW) if last_sent else now), False


def notify_participants(
    article: Article,
    *,
    actor: User,
    kind: str,
    text: str = "",
    internal: bool = False,
    recipients: Iterable[User] | None = None,
    now: datetime.datetime | None = None,
) -> list[Notification]:
    """Tell the article's participants (or `recipients`) except `actor` that `kind` happened, with
    `text` (plain text; an excerpt is kept). Call it inside the transaction that records the
    change: nothing is queued if it rolls back. `internal=True` reaches editors only, whoever is
    passed. Returns the rows written (none for people who chose not to hear)."""
    now = now or timezone.now()
    people = (
        list(recipients)
        if recipients is not None
        else participants(article, internal=internal, actor=actor)
    )
    excerpt = clean_text(text, keep_lines=True)[:EXCERPT_CHARS]
    written, to_schedule = [], []
    for person in people:
        if person.pk == actor.pk or not person.is_active or person.notify == User.Notify.NONE:
            continue
        if internal and (not person.is_editor or article.is_written_by(person)):
            continue
        due_at, joins_waiting = _due_at(person, article, now)
        written.append(
            Notification.objects.create(
                recipient=person,
                article=article,
                actor=actor,
                kind=kind,
                text=excerpt,
                is_internal=internal,
                created_at=now,
                due_at=due_at,
            )
        )
        if not joins_waiting:
            to_schedule.append((person.pk, due_at))
    for recipient_id, due_at in to_schedule:
        transaction.on_commit(partial(_schedule, recipient_id, due_at))
    return written


def _schedule(recipient_id: int, due_at: datetime.datetime) -> None:
    from .tasks import send_notifications

    backend = send_notifications.get_backend()
    if backend.supports_defer and due_at > timezone.now():
        send_notifications.using(run_after=due_at).enqueue(recipient_id)
    else:
        send_notifications.enqueue(recipient_id)


@dataclass(frozen=True)
class ArticleNews:
    """What one e-mail says about one article."""

    article: Article
    for_editor: bool  # the link goes to the desk's review page, else to the author's page
    items: list[Notification]


def _may_hear(recipient: User, row: Notification) -> bool:
    """Checked again when sending: what the person may read now, not when it was written."""
    if row.is_internal or row.kind == Kind.INTERNAL_NOTE:
        return recipient.is_editor and not row.article.is_written_by(recipient)
    return recipient.is_editor or row.article.is_written_by(recipient)


def deliver_due(recipient_id: int, *, now: datetime.datetime | None = None) -> int:
    """Send `recipient_id` what is due for them; returns the number of e-mails sent."""
    now = now or timezone.now()
    recipient = User.objects.filter(pk=recipient_id).first()
    if recipient is None:
        return 0
    token = secrets.token_hex(16)
    due = Notification.objects.filter(
        recipient_id=recipient_id, sent_at=None, batch="", due_at__lte=now
    )
    if not Notification.objects.filter(pk__in=list(due.values_list("pk", flat=True))).update(
        batch=token
    ):
        return 0
    claimed = Notification.objects.filter(recipient_id=recipient_id, batch=token)
    rows = list(claimed.select_related("article__author", "actor").order_by("article_id", "pk"))
    visible = [row for row in rows if _may_hear(recipient, row)]
    sent = 0
    try:
        if recipient.is_active and recipient.notify != User.Notify.NONE and visible:
            news = [
                ArticleNews(article, not article.is_written_by(recipient), list(items))
                for article, items in groupby(visible, key=lambda row: row.article)
            ]
            is_digest = recipient.notify == User.Notify.DAILY
            # The digest: every article in one e-mail; otherwise one e-mail per article.
            for in_one in [news] if is_digest else [[one] for one in news]:
                sent += send_templated_email(
                    "articles/email/notifications",
                    to=[recipient.email],
                    context={
                        "recipient": recipient,
                        "site_url": settings.SITE_URL,
                        "news": in_one,
                        "is_digest": is_digest,
                    },
                    language=recipient.email_language,
                )
    except Exception:
        claimed.update(batch="")  # the next run tries again
        raise
    claimed.update(sent_at=now)
    return sent


def deliver_all_due(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Everything that is due, for everyone (the daily upkeep's sweep); and the rows sent longer
    than KEEP_SENT ago are deleted."""
    now = now or timezone.now()
    Notification.objects.filter(sent_at__lt=now - KEEP_SENT).delete()
    # A claim whose worker died before sending or releasing it (long past due): send it again.
    Notification.objects.filter(sent_at=None, due_at__lt=now - STALE_CLAIM).exclude(
        batch=""
    ).update(batch="")
    people = (
        Notification.objects.filter(sent_at=None, batch="", due_at__lte=now)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    return {"e-mails": sum(deliver_due(pk, now=now) for pk in list(people))}
