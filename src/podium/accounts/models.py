"""Users log in with their e-mail address; the profile (the byline and "Over de auteur") lives on
the same row, so that every article listing gets its author with one join."""

from __future__ import annotations

import posixpath
import secrets
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from podium.core.storage import private_storage
from podium.core.urls import slug_url
from podium.topics.models import Topic

from . import roles


def photo_name(instance: object, filename: str) -> str:
    """photos/<random>.jpg: nothing in the name says whose photo it is, and a new upload gets a
    new name (so a cached copy of the old one never shows as the new one)."""
    return f"photos/{secrets.token_urlsafe(18)}.jpg"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    class Notify(models.TextChoices):
        """How often a member hears by e-mail of messages on the articles they take part in."""

        IMMEDIATE = "immediate", _("Right away (at most one e-mail per article per quarter hour)")
        DAILY = "daily", _("Once a day, in one e-mail")
        NONE = "none", _("Never: I look on the site")

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)

    display_name = models.CharField(_("name"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, null=True, blank=True)
    job_title = models.CharField(_("function"), max_length=100, blank=True)
    organisation = models.CharField(_("organisation"), max_length=100, blank=True)
    bio = models.TextField(_("about the author"), max_length=600, blank=True)
    # A private file (issue #19): a random name, and served only by web's checking view where the
    # owner's public page shows it, or to the owner and the editors.
    photo = models.ImageField(
        _("photo"), upload_to=photo_name, storage=private_storage, blank=True, db_index=True
    )
    website = models.URLField(_("website"), max_length=300, blank=True)
    linkedin = models.URLField(_("LinkedIn"), max_length=300, blank=True)
    expertise = models.ManyToManyField(
        Topic, blank=True, related_name="experts", verbose_name=_("topics of expertise")
    )
    role = models.CharField(
        _("role"),
        max_length=16,
        choices=roles.Role.choices,
        default=roles.Role.CONTRIBUTOR,
        db_index=True,
        help_text=_("Editors work at the desk; administrators also manage the site in the admin."),
    )
    is_trusted = models.BooleanField(
        _("trusted contributor"),
        default=False,
        help_text=_(
            "Submissions of trusted contributors are published at once and reviewed afterwards."
        ),
    )

    notify = models.CharField(
        _("e-mails about messages"),
        max_length=10,
        choices=Notify.choices,
        default=Notify.IMMEDIATE,
    )
    # The language of the e-mails Podium writes to this member (the site's until they choose).
    email_language = models.CharField(
        _("language of e-mails"), max_length=8, choices=settings.LANGUAGES, default="nl"
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # The stubs type AbstractUser.objects as Django's username-based UserManager; this model has no
    # username, so its manager is its own (e-mail based) BaseUserManager.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        # The contributor directory walks the accounts by name (web: /auteurs/).
        indexes = [models.Index(fields=["display_name", "id"], name="user_directory_idx")]

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_absolute_url(self) -> str:
        return slug_url("web:author", self.slug) if self.slug else ""

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name

    @property
    def byline(self) -> str:
        """ "Function, organisation" as shown under the author's name."""
        return ", ".join(part for part in (self.job_title, self.organisation) if part)

    @property
    def is_editor(self) -> bool:
        """Reaches the editors' desk: an active editor, administrator or superuser."""
        return self.is_active and (self.is_superuser or self.role in roles.DESK)

    @property
    def is_administrator(self) -> bool:
        """Manages the site in the admin: an active administrator or superuser."""
        return self.is_active and (self.is_superuser or self.role == roles.Role.ADMINISTRATOR)

    @property
    def photo_url(self) -> str:
        """Where a page shows the photo: the checking view (web), never the file itself."""
        if not self.photo:
            return ""
        return reverse("web:photo", kwargs={"name": posixpath.basename(str(self.photo.name))})

    def missing_profile_fields(self) -> list[str]:
        """What the profile still needs before its owner may submit an article."""
        missing = []
        if not self.display_name.strip():
            missing.append("display_name")
        if not self.bio.strip():
            missing.append("bio")
        return missing


class TrustChange(models.Model):
    """Every change of a contributor's trust, automatic or by an editor, with its reason."""

    class Source(models.TextChoices):
        AUTOMATIC = "automatic", _("Automatic (the contributor's record)")
        EDITOR = "editor", _("By an editor")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="trust_changes")
    is_trusted = models.BooleanField(_("trusted"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    changed_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("trust change")
        verbose_name_plural = _("trust changes")
        indexes = [models.Index(fields=["user", "-changed_at"], name="trust_change_user_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(source="automatic") | Q(changed_by__isnull=False),
                name="trust_change_editor_named",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {'trusted' if self.is_trusted else 'not trusted'} ({self.changed_at:%Y-%m-%d})"


class AuditEvent(models.Model):
    """Who changed what about an account's power: roles, trust, second factors. Written by the
    services and admin actions that make those changes; read by administrators in the admin."""

    class Action(models.TextChoices):
        ROLE_ADDED = "role_added", _("Role added")
        ROLE_REMOVED = "role_removed", _("Role removed")
        STAFF_CHANGED = "staff_changed", _("Admin access changed")
        TRUST_CHANGED = "trust_changed", _("Trust changed")
        MFA_ADDED = "mfa_added", _("Second factor added")
        MFA_REMOVED = "mfa_removed", _("Second factor removed")
        MFA_RESET = "mfa_reset", _("Second factors reset")
        ACCOUNT_DELETED = "account_deleted", _("Account deleted")
        EMAIL_CHANGED = "email_changed", _("E-mail address changed")
        EMAIL_CHANGE_UNDONE = "email_change_undone", _("E-mail address change undone")

    actor = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    subject = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
        verbose_name=_("account"),
    )
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    details = models.JSONField(_("details"), default=dict, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.at:%Y-%m-%d %H:%M})"


class Session(AbstractBaseSession):
    """A browser's session (Django's session row) with the member signed in to it, so that their
    sessions are found by an index, and go with the account, without decoding every row."""

    user = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sessions",
        # A session saved at the end of a request whose account was deleted meanwhile is an
        # orphan that expires, not an error for that request.
        db_constraint=False,
        verbose_name=_("member"),
    )

    @classmethod
    def get_session_store_class(cls) -> type[SessionBase]:
        from .sessions import SessionStore

        return SessionStore
