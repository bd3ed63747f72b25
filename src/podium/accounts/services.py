"""Writes on accounts and profiles."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils.text import slugify
from django.utils.translation import gettext as _

from podium.core import pagecache
from podium.topics.models import Topic

from . import audit
from .models import AuditEvent, TrustChange, User

PROFILE_FIELDS = ("display_name", "job_title", "organisation", "bio", "website", "linkedin")


def _unique_slug(user: User) -> str:
    base = slugify(user.display_name)[:100] or f"auteur-{user.pk}"
    slug, n = base, 2
    while User.objects.filter(slug=slug).exclude(pk=user.pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def update_profile(
    *, user: User, by: User, data: dict[str, Any], expertise: Iterable[Topic] | None = None
) -> User:
    """Store the profile fields in `data` (already validated by the profile's rules,
    `forms.ProfileRules`: the profile form, the admin's user form). A photo value of False removes
    the photo, a file replaces it, None keeps it. The owner changes their own profile; an
    administrator (the admin's change permission on users) anyone's. Raises PermissionDenied."""
    if by.pk != user.pk and not by.has_perm("accounts.change_user"):
        raise PermissionDenied(_("Only the owner may change this profile."))
    for field in PROFILE_FIELDS:
        if field in data:
            setattr(user, field, data[field])
    photo = data.get("photo")
    if photo is False:
        if user.photo:
            user.photo.delete(save=False)
        user.photo = ""  # type: ignore[assignment]
    elif photo is not None and not isinstance(photo, FieldFile):
        if user.photo:
            user.photo.delete(save=False)
        user.photo.save(f"{user.pk}.jpg", photo, save=False)
    if user.display_name and not user.slug:
        user.slug = _unique_slug(user)
    user.save()
    if expertise is not None:
        user.expertise.set(expertise)
    pagecache.bump_on_commit()  # the byline and "Over de auteur" show on public pages
    return user


class TrustUnchanged(Exception):
    """The contributor already has the requested trust; nothing was written."""


@transaction.atomic
def set_trust(
    *,
    user: User,
    is_trusted: bool,
    reason: str,
    by: User | None,
    source: str = TrustChange.Source.EDITOR,
) -> TrustChange:
    """Grant or revoke a contributor's trust and record the change. An editor's change needs an
    editor and a reason; an automatic one (source AUTOMATIC, by=None) states the rule it met.
    Raises PermissionDenied, ValidationError (no reason) or TrustUnchanged; writes nothing then."""
    reason = (reason or "").strip()
    if source == TrustChange.Source.EDITOR:
        if by is None or not by.is_editor:
            raise PermissionDenied(_("Only editors can change a contributor's trust."))
    elif by is not None:
        raise ValueError("Automatic trust changes have no acting user.")
    if not reason:
        raise ValidationError(_("Give a reason for this change."), code="reason_required")
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.is_trusted == is_trusted:
        raise TrustUnchanged(
            _("%(name)s is already a trusted contributor.") % {"name": locked}
            if is_trusted
            else _("%(name)s is not a trusted contributor.") % {"name": locked}
        )
    locked.is_trusted = is_trusted
    locked.save(update_fields=["is_trusted"])
    user.is_trusted = is_trusted
    change = TrustChange.objects.create(
        user=locked, is_trusted=is_trusted, source=source, reason=reason, changed_by=by
    )
    audit.record(
        action=AuditEvent.Action.TRUST_CHANGED,
        subject=locked,
        by=by,
        is_trusted=is_trusted,
        source=source,
        reason=reason,
    )
    return change
