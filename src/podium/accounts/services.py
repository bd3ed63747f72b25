"""Writes on accounts and profiles."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils.text import slugify
from django.utils.translation import gettext as _

from podium.core import freshness, hooks
from podium.topics.models import Topic

from . import audit, roles
from .models import AuditEvent, Session, TrustChange, User
from .sessions import forget_cached

EMAIL_CHANGE_UNDO_DAYS = 7  # the old address's link to undo a change of address works this long

PROFILE_FIELDS = ("display_name", "job_title", "organisation", "bio", "website", "linkedin")
# What a byline (and an article's share card) shows of a member.
BYLINE_FIELDS = ("display_name", "organisation", "photo")


def _unique_slug(user: User) -> str:
    base = slugify(user.display_name)[:100] or f"auteur-{user.pk}"
    slug, n = base, 2
    while User.objects.filter(slug=slug).exclude(pk=user.pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def set_notification_preferences(*, user: User, by: User, notify: str, email_language: str) -> User:
    """How often `user` hears of messages on their articles (User.Notify) and in which language
    Podium writes to them. Only the member themselves. Raises PermissionDenied or ValidationError."""
    if by.pk != user.pk:
        raise PermissionDenied(_("Only the owner may change these settings."))
    if notify not in User.Notify.values:
        raise ValidationError(_("Choose how often you want to hear from us."), code="notify")
    if email_language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Choose a language."), code="language")
    User.objects.filter(pk=user.pk).update(notify=notify, email_language=email_language)
    user.notify, user.email_language = notify, email_language
    return user


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
    # From the row: a ModelForm bound to `user` has already set the new values on it.
    before = byline_of(User.objects.get(pk=user.pk))
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
        user.photo.save("photo.jpg", photo, save=False)  # named by photo_name
    if user.display_name and not user.slug:
        user.slug = _unique_slug(user)
    user.save()
    if expertise is not None:
        user.expertise.set(expertise)
    announce_byline_changes(user=user, before=before)
    freshness.readers_see_change_on_commit()  # the byline and "Over de auteur" show on public pages
    return user


def byline_of(user: User) -> tuple[str, ...]:
    """The values of `BYLINE_FIELDS` (the photo by its storage name, which a new photo changes)."""
    return tuple(str(getattr(user, field) or "") for field in BYLINE_FIELDS)


def announce_byline_changes(*, user: User, before: tuple[str, ...]) -> None:
    """After `user` was saved (site or admin), given `byline_of` the row before: a changed display
    name is announced inside the caller's transaction (the search index re-indexes their
    articles in it), and any change of name, organisation or photo once it commits (their share
    cards are drawn again, under new URLs)."""
    after = byline_of(user)
    if after == before:
        return
    if after[0] != before[0]:
        hooks.announce_in_transaction(hooks.AUTHOR_RENAMED, user_id=user.pk)
    hooks.announce_on_commit(hooks.AUTHOR_BYLINE_CHANGED, user_id=user.pk)


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


# --- Sessions -------------------------------------------------------------------------------------


def end_sessions(*, user: User, keep: str | None = None) -> int:
    """Sign `user` out everywhere except the session `keep` (the one making a change of their
    own): after a new password, a new e-mail address or a new role, a session opened before it
    (perhaps by someone else) must sign in again. Returns the number of sessions ended."""
    sessions = Session.objects.filter(user_id=user.pk)
    if keep:
        sessions = sessions.exclude(session_key=keep)
    forget_cached(list(sessions.values_list("session_key", flat=True)))
    deleted, _by_model = sessions.delete()
    return deleted


# --- Changes an administrator makes ---------------------------------------------------------------


def _keep_for(user: User, by: User, session_key: str | None) -> str | None:
    """The session to keep when `by` changes `user`: their own one when they change themselves."""
    return session_key if by.pk == user.pk else None


@transaction.atomic
def set_email(*, user: User, email: str, by: User, session_key: str | None = None) -> User:
    """An administrator (the admin's change permission on users) sets `user`'s address: it becomes
    the verified primary address and every other address of the person goes, so that an old one
    can no longer sign in or receive a password reset. The person's sessions are ended (except
    `session_key`, the administrator's own, when they change themselves). Raises PermissionDenied."""
    if not by.has_perm("accounts.change_user"):
        raise PermissionDenied(_("Only an administrator can change this address."))
    before = User.objects.select_for_update().values_list("email", flat=True).get(pk=user.pk)
    EmailAddress.objects.filter(user_id=user.pk).exclude(email__iexact=email).delete()
    address = EmailAddress.objects.filter(user_id=user.pk, email__iexact=email).first()
    if address is None:
        address = EmailAddress(user=user, email=email)
    address.verified = True
    address.primary = True
    address.save()
    user.email = address.email
    user.save(update_fields=["email"])
    if before.lower() != email.lower():
        audit.record(
            action=AuditEvent.Action.EMAIL_CHANGED,
            subject=user,
            by=by,
            **{"from": before, "to": address.email},
        )
    end_sessions(user=user, keep=_keep_for(user, by, session_key))
    return user


def _held(role: str) -> set[str]:
    """The roles beyond contributor that a member holds, as the audit log names them."""
    return set() if role == roles.Role.CONTRIBUTOR else {role}


@transaction.atomic
def set_role(*, user: User, role: str, by: User, session_key: str | None = None) -> User:
    """An administrator (the admin's change permission on users) gives `user` the role `role`
    (`roles.Role`). The role taken and the role given are recorded in the audit log, and every
    session of the person ends (except `session_key`, the administrator's own, when they change
    themselves): a new role takes effect at the next sign-in, which asks staff for a second
    factor. Nothing is written when the role is already held. Raises PermissionDenied."""
    if not by.has_perm("accounts.change_user"):
        raise PermissionDenied(_("Only an administrator can change a role."))
    if role not in roles.Role.values:
        raise ValueError(f"Unknown role {role!r}")
    before = User.objects.select_for_update().values_list("role", flat=True).get(pk=user.pk)
    user.role = role
    if before == role:
        return user
    User.objects.filter(pk=user.pk).update(role=role)
    for name in sorted(_held(role) - _held(before)):
        audit.record(action=AuditEvent.Action.ROLE_ADDED, subject=user, by=by, role=name)
    for name in sorted(_held(before) - _held(role)):
        audit.record(action=AuditEvent.Action.ROLE_REMOVED, subject=user, by=by, role=name)
    end_sessions(user=user, keep=_keep_for(user, by, session_key))
    return user


# --- Undoing an e-mail change ----------------------------------------------------------------------

UNDO_SALT = "podium.accounts.undo-email-change"


class UndoRefused(ValidationError):
    """The undo link is not (or no longer) valid; nothing was changed."""


def record_email_change(*, user: User, from_email: str, to_email: str) -> AuditEvent:
    """Record that `user`'s address changed (by themselves, through allauth's e-mail page). The
    record is what the undo link in the notice to the old address refers to."""
    return audit.record(
        action=AuditEvent.Action.EMAIL_CHANGED,
        subject=user,
        by=user,
        **{"from": from_email, "to": to_email},
    )


def undo_token(change: AuditEvent) -> str:
    """The signed, dated token of the undo link: it names the change (its audit record), not the
    addresses, so that server logs that see the link learn nothing about the person."""
    return signing.dumps(change.pk, salt=UNDO_SALT)


def _change_for(token: str) -> AuditEvent:
    max_age = EMAIL_CHANGE_UNDO_DAYS * 24 * 3600
    try:
        change_id = signing.loads(token, salt=UNDO_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise UndoRefused(
            _("This link has expired. Please ask the editors to secure your account."),
            code="expired",
        ) from None
    except signing.BadSignature:
        raise UndoRefused(_("This link is not valid."), code="invalid") from None
    change = (
        AuditEvent.objects.select_related("subject")
        .filter(pk=change_id, action=AuditEvent.Action.EMAIL_CHANGED, subject__isnull=False)
        .first()
    )
    if change is None:
        raise UndoRefused(_("This link is not valid."), code="invalid")
    return change


def email_change_for_undo(*, token: str) -> AuditEvent:
    """The change an undo link refers to, or UndoRefused (invalid, expired, already undone)."""
    change = _change_for(token)
    if AuditEvent.objects.filter(
        action=AuditEvent.Action.EMAIL_CHANGE_UNDONE, details__change=change.pk
    ).exists():
        raise UndoRefused(_("This change has already been undone."), code="undone")
    return change


@transaction.atomic
def undo_email_change(*, token: str) -> User:
    """Undo the e-mail change of the undo link `token` (sent to the old address) and secure the
    account: the old address is the verified primary address again and the other addresses go,
    the password no longer works (the owner chooses a new one through the reset e-mail), and
    every session is signed out. Raises UndoRefused and changes nothing when the link is not
    valid, has expired or was used, or when another account has taken the old address since."""
    change = email_change_for_undo(token=token)
    assert change.subject_id is not None  # email_change_for_undo asks for a subject
    user = User.objects.select_for_update().get(pk=change.subject_id)
    # Asked again under the lock: two clicks on the link undo once.
    email_change_for_undo(token=token)
    old = str(change.details["from"])
    if (
        User.objects.filter(email__iexact=old).exclude(pk=user.pk).exists()
        or EmailAddress.objects.filter(email__iexact=old).exclude(user_id=user.pk).exists()
    ):
        raise UndoRefused(
            _("Your old address now belongs to another account. Please contact the editors."),
            code="taken",
        )
    EmailAddress.objects.filter(user_id=user.pk).exclude(email__iexact=old).delete()
    address, _created = EmailAddress.objects.get_or_create(
        user=user, email__iexact=old, defaults={"email": old}
    )
    address.verified = True
    address.primary = True
    address.save()
    user.email = address.email
    user.set_unusable_password()
    user.save(update_fields=["email", "password"])
    end_sessions(user=user)
    audit.record(
        action=AuditEvent.Action.EMAIL_CHANGE_UNDONE,
        subject=user,
        by=None,
        change=change.pk,
        restored=address.email,
        removed=change.details.get("to", ""),
    )
    return user
