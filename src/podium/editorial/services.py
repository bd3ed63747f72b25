"""Writes on curation: picks (and, in time, placements)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from podium.accounts.models import User
from podium.articles.models import Article

from .models import Pick


@transaction.atomic
def pick_article(*, article: Article, kind: str, by: User) -> Pick:
    """Pick a live article for the newsletter or the compilation. Picking twice is refused."""
    if not by.is_editor:
        raise PermissionDenied(_("Only editors can pick articles."))
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if not locked.is_live:
        raise ValidationError(_("Only published articles can be picked."), code="not_published")
    try:
        with transaction.atomic():
            return Pick.objects.create(article=locked, kind=kind, picked_by=by)
    except IntegrityError:
        raise ValidationError(_("This article has already been picked."), code="already_picked") from None


@transaction.atomic
def unpick_article(*, article: Article, kind: str, by: User) -> None:
    if not by.is_editor:
        raise PermissionDenied(_("Only editors can change picks."))
    Pick.objects.filter(article=article, kind=kind).delete()
