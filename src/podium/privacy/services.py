"""A person's data: everything Podium holds about them as a zip, and deleting the account.

What happens to a deleted contributor's published articles is a setting
(DELETED_AUTHOR_ARTICLES): "keep" moves them to the shared "former author" account,
without name or photo; "remove" deletes them with the account. Drafts and everything else
personal always go. Rows elsewhere that must keep an actor (revisions, events, editions) point to
the former-author account afterwards; rows that only mention the person are removed. Copies made
from the person (the search index, sent editions and their archive, compilation files, the
assistant's reports, the logs) are rewritten in the same transaction; see `delete_account`.
Members delete their own account (with their password); administrators delete one through the
admin (`erase_account`, privacy/admin.py)."""

from __future__ import annotations

import io
import json
import secrets
import zipfile
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import ForeignObjectRel, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from podium.accounts import audit, selectors
from podium.accounts.models import AuditEvent, Session, User
from podium.accounts.sessions import forget_cached
from podium.articles.models import Article, CoAuthor
from podium.core import erasure, freshness, storage

# A deleted author's published articles stay under "former author" ("keep") or go ("remove"); how
# long unconfirmed sign-ups, former subscribers and technical records are kept.
DELETED_AUTHOR_ARTICLES = "keep"
RETAIN_UNVERIFIED_DAYS = 14
RETAIN_UNSUBSCRIBED_DAYS = 30  # then deleted, but for a keyed hash on the suppression list
RETAIN_TASK_RESULTS_DAYS = 30

FORMER_AUTHOR_EMAIL = "voormalig-auteur@podium.invalid"


class WrongPassword(Exception):
    """The password given to confirm the deletion was not right; nothing was deleted."""


def former_author() -> User:
    # Named in the site's language, whichever language the first deleting member reads.
    with translation.override(settings.LANGUAGE_CODE):
        name = _("former author")
    user, created = User.objects.get_or_create(
        email=FORMER_AUTHOR_EMAIL, defaults={"display_name": name, "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _row(obj: models.Model, exclude: set[str] = frozenset()) -> dict[str, Any]:  # type: ignore[assignment]
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude:
            continue
        value = getattr(obj, field.attname)
        data[field.name] = str(value) if isinstance(value, models.fields.files.FieldFile) else value
    return data


def export_user_data(user: User) -> bytes:
    """A zip: data.json (profile, articles with revisions, events and messages, trust changes,
    newsletter subscription with consent and deliveries, reports, comments beside texts with the
    passage each is about, the conversation about their articles without the editors' internal
    notes), each article as HTML, and the photo."""
    from podium.annotations.models import Comment
    from podium.articles.models import ArticleEvent, Message, Notification
    from podium.moderation.models import ArticleReport
    from podium.newsletter import subscriber_data

    articles = Article.objects.filter(author=user).prefetch_related("revisions", "events", "topics")
    # Internal notes, and who handles a submission at the desk, are the editors' and never go to
    # the author: not here either. What a person wrote themselves is theirs.
    data = {
        "exported_at": timezone.now(),
        "profile": {
            **_row(user, exclude={"password"}),
            "expertise": [t.name for t in user.expertise.all()],
        },
        "email_addresses": [_row(e) for e in EmailAddress.objects.filter(user=user)],
        "articles": [
            {
                **_row(a),
                "topics": [t.name for t in a.topics.all()],
                "revisions": [_row(r) for r in a.revisions.all()],
                "events": [
                    _row(e) for e in a.events.all() if e.action not in ArticleEvent.DESK_ONLY
                ],
                "messages": [
                    _row(m)
                    for m in Message.objects.filter(article=a, is_internal=False).order_by("pk")
                ],
            }
            for a in articles
        ],
        "messages_written": [
            _row(m) for m in Message.objects.filter(author=user).exclude(article__author=user)
        ],
        "notifications": [
            _row(n, exclude={"batch"})
            for n in Notification.objects.filter(recipient=user).exclude(
                is_internal=True, article__author=user
            )
        ],
        "trust_changes": [_row(t) for t in user.trust_changes.all()],
        "account_log": [_row(e) for e in AuditEvent.objects.filter(subject=user)],
        "newsletter": [subscriber_data.export(s) for s in subscriber_data.subscriptions_of(user)],
        "reports_sent": [_row(r) for r in ArticleReport.objects.filter(reporter=user)],
        "comments_beside_texts": [
            {**_row(c), "passage": c.thread.quote}
            for c in Comment.objects.filter(author=user).select_related("thread")
        ],
        # Invitations to write together that reached them or that they answered, with the
        # article's title (its text is its author's).
        "coauthorships": [
            {**_row(c), "article_title": c.article.title}
            for c in CoAuthor.objects.filter(Q(user=user) | Q(email__iexact=user.email))
            .select_related("article")
            .order_by("invited_at", "pk")
        ],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        )
        for article in articles:
            name = article.slug or f"concept-{article.pk}"
            html = (
                f'<!doctype html><html lang="nl"><meta charset="utf-8"><title>{_esc(article.title)}</title>'
                f"<h1>{_esc(article.title)}</h1><p><strong>{_esc(article.lead)}</strong></p>{article.body}</html>"
            )
            archive.writestr(f"articles/{name}.html", html)
        if user.photo:
            photo_name = user.photo.name
            assert photo_name is not None  # a set FieldFile has a name
            with user.photo.open("rb") as photo:
                archive.writestr(f"photo/{photo_name.rsplit('/', 1)[-1]}", photo.read())
    return buffer.getvalue()


def _esc(text: str) -> str:
    from django.utils.html import escape

    return escape(text)


@transaction.atomic
def delete_account(*, user: User, by: User, password: str, policy: str | None = None) -> None:
    """Delete `user`'s account and personal data, and take them out of every copy Podium made,
    all in one transaction: the search index, sent newsletter editions (their frozen items and
    stored HTML and text, which the public archive shows), compilations (files dropped and
    rebuilt under the former author), the assistant's reports, the admin's log. The person
    confirms with their password. Raises WrongPassword (nothing deleted) or PermissionError
    (someone else's account)."""
    if by.pk != user.pk:
        raise PermissionError("Only the owner may delete this account.")
    if not user.check_password(password):
        raise WrongPassword(_("That password is not right."))
    _delete(user=user, by=by, policy=policy)


@transaction.atomic
def erase_account(*, user: User, by: User, policy: str | None = None) -> None:
    """An administrator deletes `user`'s account (a person's request that reached the editors,
    through the admin): everything `delete_account` does, without the owner's password. Raises
    PermissionDenied for anyone without the admin's permission to delete users, and for the
    former-author account, which holds the articles that stay."""
    if not by.is_active or not by.has_perm("accounts.delete_user"):
        raise PermissionDenied(_("Only administrators may delete someone else's account."))
    if user.email == FORMER_AUTHOR_EMAIL:
        raise PermissionDenied(_("The former author's account holds kept articles; it stays."))
    _delete(user=user, by=by, policy=policy)


def _delete(*, user: User, by: User, policy: str | None) -> None:
    from podium.articles import search
    from podium.articles.tasks import purge_search_index
    from podium.bestof import selectors as bestof_selectors
    from podium.bestof import services as bestof_services
    from podium.newsletter import services as newsletter_services

    policy = policy or DELETED_AUTHOR_ARTICLES
    remove = policy == "remove"
    placeholder = former_author()
    owned = Article.objects.filter(author=user)
    owned_ids = list(owned.values_list("pk", flat=True))
    cowritten_ids = list(
        CoAuthor.objects.filter(user=user, state=CoAuthor.State.ACCEPTED).values_list(
            "article_id", flat=True
        )
    )
    # Found while the articles are still theirs: what shows them besides the articles.
    compilation_ids = bestof_selectors.compilations_showing(user)
    newsletter_services.forget_author(
        user=user, by=by, replacement=placeholder.display_name, remove_articles=remove
    )
    _scrub_assistant_reports(owned_ids, replacement=placeholder.display_name, removed=remove)
    if remove:
        for article in owned:
            _delete_article(article)
    else:
        owned.exclude(published_at__isnull=False).delete()
        kept = list(owned.values_list("pk", flat=True))
        owned.update(author=placeholder)
        _scrub_messages(kept, user, replacement=placeholder.display_name)
        _keep_fingerprints(kept, placeholder)
    # Same transaction: from the commit on, no search for their name finds anything; after it,
    # the old terms leave the index's storage as well.
    search.reindex_articles(owned_ids)
    transaction.on_commit(purge_search_index.enqueue)
    bestof_services.rebuild_without_author(compilation_ids=compilation_ids, user=user, by=by)
    _scrub_logs(user)
    # Invitations to their address go; their co-authorships went with the account (the rows
    # cascade), so the bylines of what they co-wrote and the search index no longer name them.
    CoAuthor.objects.filter(email__iexact=user.email).delete()
    _erase(user, placeholder)
    search.reindex_articles(cowritten_ids)
    freshness.readers_see_change_on_commit()  # the author page and the bylines change for readers


def _delete_article(article: Article) -> None:
    # Whatever protects an article (placements, picks, compilation entries) goes with it.
    for relation in Article._meta.get_fields(include_hidden=True):
        # Only reverse relations (ForeignObjectRel) carry on_delete.
        if (
            isinstance(relation, ForeignObjectRel)
            and relation.one_to_many
            and relation.on_delete is models.PROTECT
        ):
            relation.related_model._default_manager.filter(
                **{relation.field.name: article}
            ).delete()
    article.delete()


def _scrub_messages(article_ids: list[int], user: User, *, replacement: str) -> None:
    """Editors' messages, the author's notes, the conversation and the comments beside the text on
    the articles that stay may address them."""
    from podium.annotations.models import Comment
    from podium.articles.models import ArticleEvent, Message, Notification, Revision

    needles = [user.display_name, user.email]
    events = ArticleEvent.objects.filter(article_id__in=article_ids)
    erasure.replace_in(events, ["message"], needles, replacement)
    revisions = Revision.objects.filter(article_id__in=article_ids)
    erasure.replace_in(revisions, ["note"], needles, replacement)
    comments = Comment.objects.filter(thread__article_id__in=article_ids)
    erasure.replace_in(comments, ["body"], needles, replacement)
    conversation = Message.objects.filter(article_id__in=article_ids)
    erasure.replace_in(conversation, ["body"], needles, replacement)
    waiting = Notification.objects.filter(article_id__in=article_ids)
    erasure.replace_in(waiting, ["text"], needles, replacement)


def _keep_fingerprints(article_ids: list[int], placeholder: User) -> None:
    """The originality check keeps knowing the texts that stay (the rows cascade with the user)."""
    from podium.editorial.models import Fingerprint

    Fingerprint.objects.filter(article_id__in=article_ids).update(author=placeholder)


def _scrub_assistant_reports(article_ids: list[int], *, replacement: str, removed: bool) -> None:
    """The assistant's reports name the author of the closest texts, and hold the own domain of
    the author of each report's revision."""
    from podium.editorial.models import AssistantReport

    ids = set(article_ids)
    naming = AssistantReport.objects.filter(
        Q(revision__article_id__in=ids)
        | Q(data__originality__published__article_id__in=ids)
        | Q(data__originality__same_author__article_id__in=ids)
    )
    for report in naming:
        data = report.data
        if report.revision.article_id in ids and isinstance(data.get("links"), dict):
            data["links"]["own_domain"] = ""
        originality = data.get("originality") or {}
        for kind in ("published", "same_author"):
            match = originality.get(kind)
            if isinstance(match, dict) and match.get("article_id") in ids:
                originality[kind] = None if removed else {**match, "author": replacement}
        report.save(update_fields=["data"])


def _scrub_logs(user: User) -> None:
    """The admin's log names the objects it changed (a user or subscriber by address or name);
    the audit log's details may quote them; CSP reports hold the URLs of their author page."""
    from podium.security.models import CSPViolation

    # Also the addresses the account had before (the audit log of address changes names them).
    needles = [user.display_name, user.email, *selectors.former_addresses(user)]
    erasure.scrub_admin_log(needles)
    erasure.replace_in(
        AuditEvent.objects.filter(subject=user), ["details"], needles, erasure.deleted_label()
    )
    if user.slug:
        CSPViolation.objects.filter(
            Q(document_uri__contains=user.slug) | Q(blocked_uri__contains=user.slug)
        ).delete()


def _erase(user: User, placeholder: User) -> None:
    from podium.newsletter import subscriber_data

    # The subscription goes too; only a keyed hash of the address stays on the suppression list.
    subscriber_data.erase_for_user(user)
    _delete_stored_files_on_commit(user)
    # Rows that must keep an actor (revisions, events, editions) point to the former author.
    for relation in User._meta.get_fields(include_hidden=True):
        if not (relation.one_to_many or relation.one_to_one) or not relation.auto_created:
            continue
        if isinstance(relation, ForeignObjectRel) and relation.on_delete is models.PROTECT:
            relation.related_model._default_manager.filter(**{relation.field.name: user}).update(
                **{relation.field.name: placeholder}
            )
    # Their sessions go with the account (accounts.Session.user cascades), their cached copies
    # with them: signed out everywhere.
    forget_cached(
        list(Session.objects.filter(user_id=user.pk).values_list("session_key", flat=True))
    )
    audit.record(
        action=AuditEvent.Action.ACCOUNT_DELETED, subject=None, by=None, account_id=user.pk
    )
    user.delete()


EXPORTS_FOLDER = "exports"
EXPORT_KEEP = timedelta(days=1)  # a data export waits this long in the private storage


def _exports_of(user_id: int) -> str:
    return f"{EXPORTS_FOLDER}/{user_id}"


def store_export(*, user: User, data: bytes) -> str:
    """Keep the member's data export as a private file (so any web machine can hand it out, and
    a presigned link can point to it); earlier exports of theirs go. Returns the file's name."""
    from django.core.files.base import ContentFile

    from podium.core.downloads import dated_name

    store = storage.private_storage()
    storage.delete_folder(store, _exports_of(user.pk))
    name = (
        f"{_exports_of(user.pk)}/{secrets.token_urlsafe(12)}/{dated_name('podium-gegevens', 'zip')}"
    )
    return store.save(name, ContentFile(data))


def _delete_stored_files_on_commit(user: User) -> None:
    """Once the account's deletion has committed, its files go from the store, through the
    storage API (local folders or the object store alike): the photo and any data export."""
    photo = str(user.photo.name) if user.photo else ""
    photo_storage = user.photo.storage
    user_id = user.pk

    def delete() -> None:
        if photo:
            photo_storage.delete(photo)
        storage.delete_folder(storage.private_storage(), _exports_of(user_id))

    transaction.on_commit(delete)


def _delete_old_exports(*, before: Any) -> int:
    store = storage.private_storage()
    old = [
        name
        for name in storage.walk(store, EXPORTS_FOLDER)
        if store.get_modified_time(name) < before
    ]
    for name in old:
        store.delete(name)
    return len(old)


def retention_cutoffs() -> dict[str, Any]:
    now = timezone.now()
    return {
        "unverified_accounts": now - timedelta(days=RETAIN_UNVERIFIED_DAYS),
        "unconfirmed_subscribers": now - timedelta(days=RETAIN_UNVERIFIED_DAYS),
        "former_subscribers": now - timedelta(days=RETAIN_UNSUBSCRIBED_DAYS),
        "task_results": now - timedelta(days=RETAIN_TASK_RESULTS_DAYS),
        "csp_reports": now - timedelta(days=RETAIN_TASK_RESULTS_DAYS),
    }


@transaction.atomic
def enforce_retention() -> dict[str, int]:
    """Delete what the privacy statement says is kept only for a while. Returns counts."""
    from django_tasks_db.models import DBTaskResult

    from podium.newsletter.models import Subscriber
    from podium.security.models import CSPViolation

    cut = retention_cutoffs()
    unverified = (
        User.objects.filter(
            date_joined__lt=cut["unverified_accounts"], last_login__isnull=True, is_staff=False
        )
        .exclude(emailaddress__verified=True)
        .exclude(email=FORMER_AUTHOR_EMAIL)
        .filter(articles__isnull=True)
    )
    counts = {"unverified_accounts": unverified.delete()[0]}
    counts["unconfirmed_subscribers"] = Subscriber.objects.filter(
        status=Subscriber.Status.PENDING, created_at__lt=cut["unconfirmed_subscribers"]
    ).delete()[0]
    counts.update(_delete_former_subscribers(before=cut["former_subscribers"]))
    counts["task_results"] = DBTaskResult.objects.filter(
        finished_at__lt=cut["task_results"]
    ).delete()[0]
    counts["csp_reports"] = CSPViolation.objects.filter(
        received_at__lt=cut["csp_reports"]
    ).delete()[0]
    # Sessions past their expiry (SESSION_COOKIE_AGE after their last save): Django never
    # deletes them by itself.
    counts["expired_sessions"] = Session.objects.filter(expire_date__lt=timezone.now()).delete()[0]
    counts["data_exports"] = _delete_old_exports(before=timezone.now() - EXPORT_KEEP)
    return counts


FORMER_SUBSCRIBERS_CHUNK = 1000  # subscribers per round: one query's worth of parameters


def _delete_former_subscribers(*, before: Any) -> dict[str, int]:
    """Subscribers who left before `before`: they unsubscribed, or sending stopped because of
    bounces or a complaint. The row (address, consent, history) and every delivery to them go;
    only a keyed hash of the address stays on the suppression list (as when they delete their
    newsletter data themselves), so an old export cannot sign them up again by import."""
    from podium.newsletter import suppression
    from podium.newsletter.models import Delivery, Subscriber, SuppressedAddress

    former = Subscriber.objects.filter(
        status__in=[Subscriber.Status.UNSUBSCRIBED, Subscriber.Status.SUPPRESSED]
    ).filter(Q(left_at__lt=before) | Q(left_at__isnull=True, created_at__lt=before))
    counts = {"former_subscribers": 0, "former_subscriber_deliveries": 0}
    last_pk = 0
    while True:
        # Locked until the end of the transaction: a resubscribe waits, then finds no row.
        batch = list(
            former.filter(pk__gt=last_pk)
            .select_for_update()
            .order_by("pk")
            .values_list("pk", "email")[:FORMER_SUBSCRIBERS_CHUNK]
        )
        if not batch:
            return counts
        last_pk = batch[-1][0]
        pks = [pk for pk, _ in batch]
        erasure.forget_in_admin_log(Subscriber, pks)
        SuppressedAddress.objects.bulk_create(
            [SuppressedAddress(digest=suppression.digest(email)) for _, email in batch],
            ignore_conflicts=True,
        )
        counts["former_subscriber_deliveries"] += Delivery.objects.filter(
            subscriber_id__in=pks
        ).delete()[0]
        counts["former_subscribers"] += Subscriber.objects.filter(pk__in=pks).delete()[0]
