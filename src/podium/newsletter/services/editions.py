"""Writes on editions: composing (items, order, texts), test sends, scheduling and starting the
send (the sending itself is `podium.newsletter.sending`), and a former author's name leaving sent
editions."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from podium.accounts.models import User
from podium.accounts.roles import editors_only, require_editor
from podium.articles.models import Article, CoAuthor, byline_prefetch, join_names
from podium.core import erasure
from podium.editorial.selectors import picks_between

from .. import conf
from ..models import Delivery, Edition, EditionItem, Subscriber
from ..rendering import item_snapshot, render_edition


def _locked_editable(edition: Edition) -> Edition:
    locked = Edition.objects.select_for_update().get(pk=edition.pk)
    if not locked.is_editable:
        raise ValidationError(
            _("This edition has been sent and can no longer be changed."), code="frozen"
        )
    return locked


@editors_only()
@transaction.atomic
def create_edition(*, by: User) -> Edition:
    """A new draft, filled with the articles picked for the newsletter since the last edition
    that went out, in pick order."""
    now = timezone.now()
    last = Edition.objects.filter(
        status__in=[Edition.Status.SENDING, Edition.Status.SENT]
    ).aggregate(until=Max("picks_until"))["until"]
    edition = Edition.objects.create(created_by=by, created_at=now, picks_until=now)
    EditionItem.objects.bulk_create(
        EditionItem(edition=edition, article_id=pick.article_id, position=index)
        for index, pick in enumerate(picks_between("newsletter", last, now))
    )
    return edition


@editors_only()
@transaction.atomic
def update_edition(*, edition: Edition, subject: str, intro: str, by: User) -> Edition:
    locked = _locked_editable(edition)
    locked.subject = subject
    locked.intro = intro
    locked.save(update_fields=["subject", "intro"])
    return locked


def _renumber(edition: Edition, ordered: list[EditionItem]) -> None:
    for index, item in enumerate(ordered):
        item.position = index
    EditionItem.objects.bulk_update(ordered, ["position"])


@editors_only()
@transaction.atomic
def move_item(*, edition: Edition, item_id: int, up: bool, by: User) -> None:
    locked = _locked_editable(edition)
    items = list(locked.items.order_by("position", "pk"))
    index = next((i for i, item in enumerate(items) if item.pk == item_id), None)
    if index is None:
        raise ValidationError(_("That article is no longer in this edition."), code="missing")
    other = index - 1 if up else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    _renumber(locked, items)


@editors_only()
@transaction.atomic
def remove_item(*, edition: Edition, item_id: int, by: User) -> None:
    locked = _locked_editable(edition)
    locked.items.filter(pk=item_id).delete()
    _renumber(locked, list(locked.items.order_by("position", "pk")))


@editors_only()
@transaction.atomic
def add_item(*, edition: Edition, article: Article, by: User) -> EditionItem:
    locked = _locked_editable(edition)
    if not article.is_live:
        raise ValidationError(
            _("Only published articles can go into the newsletter."), code="not_published"
        )
    if locked.items.filter(article=article).exists():
        raise ValidationError(_("This article is already in the edition."), code="duplicate")
    position = (locked.items.aggregate(m=Max("position"))["m"] or 0) + 1
    return EditionItem.objects.create(edition=locked, article=article, position=position)


def sending_problems(edition: Edition) -> list[str]:
    """What stands between the edition and sending it (empty when it can go out): the desk asks
    before its confirmation step, so an editor is not asked to confirm what would be refused."""
    return _ready_problems(edition, edition_items(edition))


def _ready_problems(edition: Edition, items: list[EditionItem]) -> list[str]:
    problems = []
    if not edition.subject.strip():
        problems.append(_("Write a subject first."))
    if not items:
        problems.append(_("Add at least one article first."))
    return problems


def edition_items(edition: Edition) -> list[EditionItem]:
    return list(
        edition.items.select_related("article__author", "article__header_image")
        .prefetch_related(byline_prefetch("article__"))
        .order_by("position", "pk")
    )


@editors_only()
def send_test(*, edition: Edition, by: User) -> int:
    """Send the edition as it is now to the editor's own address, marked as a test."""
    from ..rendering import build_message

    html, text = render_edition(edition, edition_items(edition))
    message = build_message(
        edition_id=edition.pk,
        subject=_("[Test] %(subject)s") % {"subject": edition.subject or _("(no subject yet)")},
        html=html,
        text=text,
        subscriber_id=0,
        email=by.email,
    )
    # A test must not share the Message-ID of the real message to anyone.
    del message.extra_headers["Message-ID"]
    return message.send()


@transaction.atomic
def start_sending(*, edition: Edition, by: User | None) -> Edition:
    """Freeze the edition, render it once, and create one pending delivery per confirmed
    subscriber; workers start after commit. `by` is None when a scheduled edition falls due.
    Raises ValidationError when the edition is not complete or has already gone out."""
    if by is not None:
        require_editor(by)
    locked = _locked_editable(edition)
    items = edition_items(locked)
    problems = _ready_problems(locked, items)
    if problems:
        raise ValidationError(problems, code="incomplete")
    for item in items:
        snapshot = item_snapshot(item)
        item.title, item.lead, item.author_name, item.url = (
            snapshot["title"],
            snapshot["lead"],
            snapshot["author"],
            snapshot["url"],
        )
        item.image_url, item.image_alt = snapshot["image_url"], snapshot["image_alt"]
        item.image_width = int(snapshot["image_width"]) if snapshot["image_width"] else None
        item.image_height = int(snapshot["image_height"]) if snapshot["image_height"] else None
    EditionItem.objects.bulk_update(
        items,
        [
            "title",
            "lead",
            "author_name",
            "url",
            "image_url",
            "image_width",
            "image_height",
            "image_alt",
        ],
    )
    now = timezone.now()
    locked.html, locked.text = render_edition(locked, items)
    locked.status = Edition.Status.SENDING
    locked.started_at = now
    locked.sent_by = by or locked.sent_by
    locked.save()
    _create_deliveries(locked, now)
    from ..tasks import enqueue_senders

    transaction.on_commit(lambda: enqueue_senders(locked.pk))
    return locked


def _create_deliveries(edition: Edition, start: datetime.datetime) -> None:
    rate = conf.send_rate()
    if not rate:
        # One INSERT … SELECT: 100,000 rows in a second instead of building 100,000 objects.
        delivery, subscriber = Delivery._meta.db_table, Subscriber._meta.db_table
        due_at = Delivery._meta.get_field("due_at").get_db_prep_value(start, connection)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {delivery} (edition_id, subscriber_id, status, due_at, attempts, claimed_by, last_error) "  # noqa: S608 - table names from the models
                f"SELECT %s, id, %s, %s, 0, '', '' FROM {subscriber} WHERE status = %s",
                [edition.pk, Delivery.Status.PENDING, due_at, Subscriber.Status.CONFIRMED],
            )
        return
    # The send rate spreads due times over a window; workers only claim what is due.
    step = datetime.timedelta(minutes=1) / rate if rate else datetime.timedelta(0)
    chunk: list[Delivery] = []
    ids = Subscriber.objects.confirmed().order_by("pk").values_list("pk", flat=True)
    for index, subscriber_id in enumerate(ids.iterator(chunk_size=5000)):
        chunk.append(
            Delivery(
                edition_id=edition.pk, subscriber_id=subscriber_id, due_at=start + step * index
            )
        )
        if len(chunk) >= 5000:
            Delivery.objects.bulk_create(chunk)
            chunk = []
    if chunk:
        Delivery.objects.bulk_create(chunk)


@editors_only()
@transaction.atomic
def schedule_edition(*, edition: Edition, at: datetime.datetime, by: User) -> Edition:
    locked = _locked_editable(edition)
    problems = _ready_problems(locked, edition_items(locked))
    if problems:
        raise ValidationError(problems, code="incomplete")
    if at <= timezone.now():
        raise ValidationError(_("Choose a moment in the future, or send now."), code="past")
    locked.status = Edition.Status.SCHEDULED
    locked.scheduled_at = at
    locked.sent_by = by
    locked.save(update_fields=["status", "scheduled_at", "sent_by"])
    from ..tasks import enqueue_scheduled

    transaction.on_commit(lambda: enqueue_scheduled(locked.pk, at))
    return locked


@editors_only()
@transaction.atomic
def unschedule_edition(*, edition: Edition, by: User) -> Edition:
    locked = _locked_editable(edition)
    locked.status = Edition.Status.DRAFT
    locked.scheduled_at = None
    locked.save(update_fields=["status", "scheduled_at"])
    return locked


def start_due_editions(now: datetime.datetime | None = None) -> list[int]:
    """Start every scheduled edition whose time has come (from the task, the worker start and
    `podium newsletter send-due`); safe to call from several places at once."""
    now = now or timezone.now()
    started = []
    for edition in Edition.objects.filter(status=Edition.Status.SCHEDULED, scheduled_at__lte=now):
        try:
            start_sending(edition=edition, by=None)
        except ValidationError:
            continue
        started.append(edition.pk)
    return started


@transaction.atomic
def forget_author(*, user: User, by: User, replacement: str, remove_articles: bool) -> list[int]:
    """Take a member who deletes their account out of every edition. Call it before their
    articles move to the former author or go. With `remove_articles` the items of their articles
    leave every edition; otherwise the frozen copies of editions that went out name
    `replacement`, and so does an edition's subject or introduction that names them. Editions that
    went out are rendered again, so their stored HTML and text (what
    the archive and the desk show) no longer hold the name. Only the member or an administrator
    may do this (raises PermissionDenied). Returns the ids of the editions rendered again."""
    if by.pk != user.pk and not by.has_perm("accounts.delete_user"):
        raise PermissionDenied("Only the member or an administrator may do this.")
    theirs = Q(article__author=user)
    if user.display_name:
        # A frozen copy whose article was deleted earlier still carries the name.
        theirs |= Q(article__isnull=True, author_name=user.display_name)
    touched = set(EditionItem.objects.filter(theirs).values_list("edition_id", flat=True))
    # The articles they co-wrote stay with their author: the frozen bylines lose their name.
    cowritten = list(
        EditionItem.objects.filter(
            article__coauthors__user=user, article__coauthors__state=CoAuthor.State.ACCEPTED
        )
        .exclude(author_name="")
        .select_related("article__author")
        .prefetch_related(byline_prefetch("article__"))
    )
    for item in cowritten:
        assert item.article is not None
        item.author_name = join_names(
            [p.display_name for p in item.article.authors if p.pk != user.pk and p.display_name]
        )
        touched.add(item.edition_id)
    EditionItem.objects.bulk_update(cowritten, ["author_name"])
    # An editor's subject or introduction may name them too ("this week: <name> on ...").
    if user.display_name:
        naming = Edition.objects.filter(
            Q(subject__icontains=user.display_name) | Q(intro__icontains=user.display_name)
        )
        touched |= set(naming.values_list("pk", flat=True))
        erasure.replace_in(naming, ["subject", "intro"], [user.display_name], replacement)
    if not touched:
        return []
    if remove_articles:
        EditionItem.objects.filter(article__author=user).delete()
    EditionItem.objects.filter(theirs).exclude(author_name="").update(author_name=replacement)
    rendered = []
    frozen = Edition.objects.select_for_update().filter(
        pk__in=touched, status__in=[Edition.Status.SENDING, Edition.Status.SENT]
    )
    for edition in frozen:
        edition.html, edition.text = render_edition(edition, edition_items(edition))
        edition.save(update_fields=["html", "text"])
        rendered.append(edition.pk)
    return rendered
