"""Preview links: one version of an article, read-only, for someone without an account ("for the
approval of our legal department").

- A link names one version (a `Revision`). Sharing a draft keeps its text as it is now as a
  revision of its own (kind "shared"), so the reader sees exactly what was shared however the
  author goes on writing; a new version needs a new link.
- The token has 256 bits from `secrets`; only its SHA-256 is stored, so the database (or a backup
  of it) holds no usable link. The author sees the link once, when it is made.
- A link expires (rules.PREVIEW_LINK_DAYS unless the author says otherwise, never later than
  rules.PREVIEW_LINK_MAX_DAYS) and can be revoked. Opening it is counted (first, last, how often)
  with one conditional UPDATE.
- Whatever is wrong with a link (unknown, tampered with, expired, revoked, another version in the
  address) is the same 404 as any other page: nothing tells a guesser which part was wrong.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from podium.accounts.models import User

from . import lifecycle, rules
from .models import Article, PreviewLink
from .sanitize import clean_text

Permission = lifecycle.Permission
TOKEN_BYTES = 32  # 256 bits; the issue asks for at least 128


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewLink:
    """A link just made: the row, and the token that is shown to the author this once."""

    link: PreviewLink
    token: str


@transaction.atomic
def create_preview_link(
    *, article: Article, by: User, label: str = "", days: int | None = None
) -> NewLink:
    """A link to the article's text as it is now, valid `days` days (default
    rules.PREVIEW_LINK_DAYS, 1 to rules.PREVIEW_LINK_MAX_DAYS). Raises PermissionDenied,
    TransitionNotAllowed or ValidationError; nothing is written then."""
    locked = Article.objects.select_for_update().get(pk=article.pk)
    lifecycle.check(locked, Permission.CREATE_PREVIEW_LINK, by=by)
    days = rules.PREVIEW_LINK_DAYS if days is None else days
    if not 1 <= days <= rules.PREVIEW_LINK_MAX_DAYS:
        raise ValidationError(
            _("A preview link is valid for 1 to %(max)s days.")
            % {"max": rules.PREVIEW_LINK_MAX_DAYS},
            code="days",
        )
    if not locked.title or not locked.body:
        raise ValidationError(_("Write a title and some text before sharing it."), code="empty")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = timezone.now()
    link = PreviewLink.objects.create(
        article=locked,
        revision=lifecycle.shared_revision(locked, by=by),
        token_hash=_hash(token),
        label=clean_text(label)[:100],
        created_by=by,
        created_at=now,
        expires_at=now + datetime.timedelta(days=days),
    )
    return NewLink(link=link, token=token)


@transaction.atomic
def revoke_preview_link(*, link: PreviewLink, by: User) -> PreviewLink:
    """The link stops working at once. Raises PermissionDenied or TransitionNotAllowed."""
    article = Article.objects.select_for_update().get(pk=link.article_id)
    lifecycle.check(article, Permission.REVOKE_PREVIEW_LINK, by=by)
    locked = PreviewLink.objects.select_for_update().get(pk=link.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
    return locked


def open_preview_link(token: str, number: int) -> PreviewLink:
    """The link a reader opened, with its article and version, counted as opened. Any link that
    does not show version `number` now (unknown token, expired, revoked, another version) is a
    404, whichever part is wrong."""
    if not token or len(token) > 100:
        raise Http404
    now = timezone.now()
    found = PreviewLink.objects.filter(
        token_hash=_hash(token),
        revision__number=number,
        revoked_at__isnull=True,
        expires_at__gt=now,
    )
    # Counted only while still valid: a link revoked a moment ago is neither shown nor counted.
    if not found.update(
        open_count=F("open_count") + 1,
        first_opened_at=Coalesce(F("first_opened_at"), now),
        last_opened_at=now,
    ):
        raise Http404
    return PreviewLink.objects.select_related("article", "revision", "created_by").get(
        token_hash=_hash(token)
    )


def preview_links_of(article: Article) -> list[PreviewLink]:
    return list(article.preview_links.select_related("revision").order_by("-created_at", "-pk"))
