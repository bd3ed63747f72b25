"""Writes on the newsletter: subscribing, confirming, leaving, composing and sending editions.

Every write here is a named function with keyword-only arguments; editor actions take the acting
user as `by=` and check the role themselves."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from podium.accounts.models import User
from podium.accounts.roles import editors_only, require_editor
from podium.articles.models import Article
from podium.core import erasure
from podium.editorial.selectors import picks_between

from . import addresses, conf, suppression, tokens
from .models import Delivery, Edition, EditionItem, Subscriber
from .rendering import item_snapshot, render_edition

CONSENT_TEXT = gettext_lazy(
    "Yes, send me Podium's newsletter by e-mail with the editors' picks, about once a week. "
    "I can unsubscribe with one click in every edition."
)
RESUBSCRIBE_TEXT = gettext_lazy("Subscribe me again to Podium's newsletter.")
CONFIRMATION_RESEND_AFTER = datetime.timedelta(minutes=10)


# --- Subscribers -----------------------------------------------------------------------------


@transaction.atomic
def subscribe(
    *, email: str, source: str, consent_text: str, language: str = ""
) -> Subscriber | None:
    """Record a sign-up and send the confirmation e-mail (double opt-in).

    The caller shows the same answer whatever happens here, so nobody learns whether an address
    is known. A confirmed address stays as it is; a pending one gets the e-mail again at most
    once every ten minutes. Raises ValidationError for an address that is not acceptable."""
    email = addresses.check(email)
    now = timezone.now()
    subscriber = _get_or_create_locked(email)
    if subscriber.status == Subscriber.Status.CONFIRMED:
        return subscriber
    if (
        subscriber.status == Subscriber.Status.PENDING
        and subscriber.confirmation_sent_at
        and now - subscriber.confirmation_sent_at < CONFIRMATION_RESEND_AFTER
    ):
        return subscriber
    subscriber.status = Subscriber.Status.PENDING
    subscriber.consent_at = now
    subscriber.consent_source = source
    subscriber.consent_text = consent_text
    subscriber.confirmation_sent_at = now
    subscriber.language = language or translation.get_language() or settings.LANGUAGE_CODE
    subscriber.save()
    from .tasks import send_confirmation

    transaction.on_commit(lambda: send_confirmation.enqueue(subscriber.pk))
    return subscriber


def _get_or_create_locked(email: str) -> Subscriber:
    found = Subscriber.objects.select_for_update().filter(email=email).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Subscriber.objects.create(email=email)
    except IntegrityError:
        return Subscriber.objects.select_for_update().get(email=email)


@transaction.atomic
def confirm(*, token: str) -> Subscriber:
    """Confirm the address the token was made for. Raises tokens.BadToken for a tampered or
    expired link, or for one made for an address that has changed since."""
    subscriber_id, fingerprint = tokens.read_confirm_token(token)
    subscriber = Subscriber.objects.select_for_update().filter(pk=subscriber_id).first()
    if subscriber is None or not constant_time_compare(
        tokens.address_fingerprint(subscriber.email), fingerprint
    ):
        raise tokens.BadToken(expired=False)
    if subscriber.status in (Subscriber.Status.PENDING, Subscriber.Status.UNSUBSCRIBED):
        now = timezone.now()
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.confirmed_at = now
        subscriber.left_at = None
        subscriber.bounce_score = 0
        subscriber.suppressed_reason = ""
        subscriber.save()
        suppression.forget(subscriber.email)  # a fresh, confirmed consent
    return subscriber


def subscriber_for_unsubscribe_token(token: str) -> Subscriber:
    """Raises tokens.BadToken for a tampered or expired link or a deleted subscriber."""
    subscriber = Subscriber.objects.filter(pk=tokens.read_unsubscribe_token(token)).first()
    if subscriber is None:
        raise tokens.BadToken(expired=False)
    return subscriber


@transaction.atomic
def unsubscribe(*, subscriber: Subscriber) -> Subscriber:
    """Stop all editions to the subscriber at once, including those being sent now."""
    locked = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if locked.status in (Subscriber.Status.CONFIRMED, Subscriber.Status.PENDING):
        locked.status = Subscriber.Status.UNSUBSCRIBED
        locked.left_at = timezone.now()
        locked.save(update_fields=["status", "left_at"])
    return locked


@transaction.atomic
def resubscribe(*, subscriber: Subscriber, consent_text: str) -> Subscriber:
    """Undo an unsubscribe from the personal link (which proves the address)."""
    locked = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if locked.status != Subscriber.Status.UNSUBSCRIBED:
        return locked
    now = timezone.now()
    locked.status = Subscriber.Status.CONFIRMED
    locked.consent_at = now
    locked.consent_source = Subscriber.Source.RESUBSCRIBE
    locked.consent_text = consent_text
    locked.confirmed_at = now
    locked.left_at = None
    locked.save()
    return locked


def subscription_of(user: User) -> Subscriber | None:
    return Subscriber.objects.filter(email=addresses.normalise(user.email)).first()


@transaction.atomic
def subscribe_user(*, by: User, consent_text: str) -> Subscriber:
    """A signed-in user subscribes from the profile: the account's address is verified already
    (allauth's mandatory verification), so no confirmation e-mail is needed."""
    if not by.is_authenticated:
        raise PermissionDenied
    email = addresses.normalise(by.email)
    subscriber = _get_or_create_locked(email)
    if subscriber.status != Subscriber.Status.CONFIRMED:
        now = timezone.now()
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.user = by
        subscriber.consent_at = now
        subscriber.consent_source = Subscriber.Source.PROFILE
        subscriber.consent_text = consent_text
        subscriber.confirmed_at = now
        subscriber.left_at = None
        subscriber.bounce_score = 0
        subscriber.suppressed_reason = ""
        subscriber.language = translation.get_language() or settings.LANGUAGE_CODE
        subscriber.save()
        suppression.forget(email)
    return subscriber


@transaction.atomic
def unsubscribe_user(*, by: User) -> Subscriber | None:
    subscriber = subscription_of(by)
    if subscriber is None:
        return None
    return unsubscribe(subscriber=subscriber)


@transaction.atomic
def suppress(*, email: str, reason: str) -> int:
    """A provider reported a bounce or a complaint: no more editions to this address. For an
    address whose data has been deleted since, only its hash goes on the suppression list."""
    email = addresses.normalise(email)
    changed = Subscriber.objects.filter(
        email=email, status__in=[Subscriber.Status.CONFIRMED, Subscriber.Status.PENDING]
    ).update(
        status=Subscriber.Status.SUPPRESSED, left_at=timezone.now(), suppressed_reason=reason[:200]
    )
    if not changed and not Subscriber.objects.filter(email=email).exists():
        suppression.remember(email)
    return changed


# --- Import ------------------------------------------------------------------------------------

IMPORT_COLUMNS = ["email", "status", "consent_at", "consent_source", "consent_text", "confirmed_at"]


@dataclass
class ImportReport:
    imported: int = 0
    skipped: list[tuple[int, str, str]] = field(default_factory=list)  # (row, address, reason)


def _parse_time(raw: str) -> datetime.datetime | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        value = parse_datetime(raw)
        if value is None:
            value = datetime.datetime.combine(datetime.date.fromisoformat(raw), datetime.time())
    except ValueError:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


@editors_only()
@transaction.atomic
def import_subscribers(*, data: bytes, by: User) -> ImportReport:
    """Add confirmed subscribers from a CSV export (columns as `IMPORT_COLUMNS`; `email`,
    `consent_at` and `consent_text` required). Only rows with a recorded consent are kept; every
    other row is reported with the reason. Raises ValidationError for a file that is no CSV."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again."), code="encoding"
        ) from None
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    fields = [name.strip().lower() for name in (reader.fieldnames or [])]
    if "email" not in fields:
        raise ValidationError(
            _("The file has no “email” column. The first line must name the columns: %(columns)s.")
            % {"columns": ", ".join(IMPORT_COLUMNS)},
            code="columns",
        )
    reader.fieldnames = fields
    report = ImportReport()
    seen: dict[str, int] = {}
    rows: list[tuple[int, dict[str, str]]] = []
    for number, raw in enumerate(reader, start=2):
        row = {key: (value or "").strip() for key, value in raw.items() if key}
        rows.append((number, row))
    given = [addresses.normalise(r.get("email", "")) for _, r in rows]
    existing = set(Subscriber.objects.filter(email__in=given).values_list("email", flat=True))
    # Addresses whose owners had their data deleted: an old list must not bring them back.
    suppressed = suppression.suppressed_among(e for e in given if e)
    new: list[Subscriber] = []
    for number, row in rows:
        raw_email = row.get("email", "")
        try:
            email = addresses.check(raw_email)
        except ValidationError as exc:
            report.skipped.append((number, raw_email, exc.messages[0]))
            continue
        if email in seen:
            report.skipped.append(
                (number, raw_email, _("Same address as row %(row)s.") % {"row": seen[email]})
            )
            continue
        seen[email] = number
        if email in existing:
            report.skipped.append((number, raw_email, _("Already in the subscriber list.")))
            continue
        if email in suppressed:
            report.skipped.append(
                (
                    number,
                    raw_email,
                    _(
                        "This address asked us to delete its data or to send nothing more; it is not added again."
                    ),
                )
            )
            continue
        status = row.get("status", "").lower() or Subscriber.Status.CONFIRMED
        if status != Subscriber.Status.CONFIRMED:
            report.skipped.append(
                (
                    number,
                    raw_email,
                    _("Not a confirmed subscriber (status “%(status)s”).") % {"status": status},
                )
            )
            continue
        consent_at = _parse_time(row.get("consent_at", ""))
        consent_text = row.get("consent_text", "")
        if consent_at is None or not consent_text:
            report.skipped.append(
                (
                    number,
                    raw_email,
                    _(
                        "No recorded consent: the consent time and the text agreed to are both needed."
                    ),
                )
            )
            continue
        source = row.get("consent_source", "")
        new.append(
            Subscriber(
                email=email,
                status=Subscriber.Status.CONFIRMED,
                consent_at=consent_at,
                consent_source=source
                if source in Subscriber.Source.values
                else Subscriber.Source.IMPORT,
                consent_text=consent_text,
                confirmed_at=_parse_time(row.get("confirmed_at", "")) or consent_at,
            )
        )
    Subscriber.objects.bulk_create(new, batch_size=1000)
    report.imported = len(new)
    return report


def export_rows(queryset: Iterable[Subscriber]) -> Iterable[list[str]]:
    yield [*IMPORT_COLUMNS, "left_at", "bounce_score"]
    for s in queryset:
        yield [
            s.email,
            s.status,
            s.consent_at.isoformat() if s.consent_at else "",
            s.consent_source,
            s.consent_text,
            s.confirmed_at.isoformat() if s.confirmed_at else "",
            s.left_at.isoformat() if s.left_at else "",
            str(s.bounce_score),
        ]


# --- Editions ----------------------------------------------------------------------------------


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
    return list(edition.items.select_related("article__author").order_by("position", "pk"))


@editors_only()
def send_test(*, edition: Edition, by: User) -> int:
    """Send the edition as it is now to the editor's own address, marked as a test."""
    from .rendering import build_message

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
    EditionItem.objects.bulk_update(items, ["title", "lead", "author_name", "url"])
    now = timezone.now()
    locked.html, locked.text = render_edition(locked, items)
    locked.status = Edition.Status.SENDING
    locked.started_at = now
    locked.sent_by = by or locked.sent_by
    locked.save()
    _create_deliveries(locked, now)
    from .tasks import enqueue_senders

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
    from .tasks import enqueue_scheduled

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
