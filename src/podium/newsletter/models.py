"""Subscribers, editions and deliveries.

A delivery is one (edition, subscriber) pair, unique in the database. Workers claim deliveries
with a conditional update (`claimed_by`, `claimed_until`); see `sending.py` for the protocol."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from podium.articles.models import Article


class SubscriberQuerySet(models.QuerySet["Subscriber"]):
    def confirmed(self) -> SubscriberQuerySet:
        return self.filter(status=Subscriber.Status.CONFIRMED)


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        SUPPRESSED = "suppressed", _("Suppressed (bounces or complaints)")

    class Source(models.TextChoices):
        FOOTER = "footer", _("Sign-up form in the page footer")
        PAGE = "page", _("Sign-up page")
        PROFILE = "profile", _("Profile page")
        RESUBSCRIBE = "resubscribe", _("Resubscribe link")
        IMPORT = "import", _("Import")

    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    language = models.CharField(max_length=10, default="nl")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # The consent: when, through which form, and the exact text agreed to.
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    consent_source = models.CharField(
        _("consent form"), max_length=20, choices=Source.choices, blank=True
    )
    consent_text = models.TextField(_("consent text"), blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True, db_index=True)
    left_at = models.DateTimeField(_("left"), null=True, blank=True, db_index=True)
    bounce_score = models.PositiveIntegerField(_("bounce score"), default=0)
    suppressed_reason = models.CharField(_("suppression reason"), max_length=200, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["email"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="confirmed")
                | Q(confirmed_at__isnull=False, consent_at__isnull=False),
                name="subscriber_confirmed_has_consent",
            ),
            models.CheckConstraint(
                condition=Q(email=Lower("email")), name="subscriber_email_lower"
            ),
        ]
        indexes = [models.Index(fields=["status"], name="subscriber_status_idx")]

    def __str__(self) -> str:
        return self.email

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED


class EditionQuerySet(models.QuerySet["Edition"]):
    def sent(self) -> EditionQuerySet:
        return self.filter(status=Edition.Status.SENT)


class Edition(models.Model):
    """One newsletter. Draft and scheduled editions can be changed; from `sending` on it is frozen:
    the message is rendered once into `html`/`text` and the items keep a copy of their texts."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    subject = models.CharField(_("subject"), max_length=150, blank=True)
    intro = models.TextField(_("introduction"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Picks up to this moment belong to this edition; the next one starts after it.
    picks_until = models.DateTimeField(default=timezone.now)
    scheduled_at = models.DateTimeField(_("send at"), null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    html = models.TextField(blank=True)
    text = models.TextField(blank=True)

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(scheduled_at__isnull=False),
                name="edition_scheduled_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["sending", "sent"]) | Q(started_at__isnull=False),
                name="edition_sending_has_start",
            ),
        ]

    def __str__(self) -> str:
        return self.subject or str(_("(no subject yet)"))

    def get_absolute_url(self) -> str:
        return reverse("newsletter:archive_edition", kwargs={"pk": self.pk})

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.SCHEDULED)


class EditionItem(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="items")
    article = models.ForeignKey(Article, null=True, on_delete=models.SET_NULL, related_name="+")
    position = models.PositiveIntegerField(default=0)
    # Copied when sending starts, so the archive shows what went out.
    title = models.CharField(max_length=200, blank=True)
    lead = models.TextField(blank=True)
    author_name = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=500, blank=True)
    # The header image as the e-mail shows it (rendering.email_picture), copied with the rest.
    image_url = models.URLField(max_length=500, blank=True)
    image_width = models.PositiveIntegerField(null=True, blank=True)
    image_height = models.PositiveIntegerField(null=True, blank=True)
    image_alt = models.CharField(max_length=250, blank=True)

    class Meta:
        ordering = ["edition", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "article"], name="edition_item_once")
        ]

    def __str__(self) -> str:
        return self.title or str(self.article)


class Delivery(models.Model):
    """One edition to one subscriber. `status` moves pending → sent | failed exactly once, by the
    worker holding the claim."""

    class Status(models.TextChoices):
        PENDING = "pending", _("To go")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped (left before it was sent)")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # Not before this moment: the send rate spreads due times; retries push it back.
    due_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_by = models.CharField(max_length=80, blank=True, default="")
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "subscriber"], name="delivery_once_per_subscriber"
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="delivery_sent_has_time",
            ),
        ]
        indexes = [models.Index(fields=["edition", "status", "due_at"], name="delivery_claim_idx")]

    def __str__(self) -> str:
        return f"{self.edition_id} → {self.subscriber_id}: {self.status}"


class SuppressedAddress(models.Model):
    """An address whose owner had their newsletter data deleted (or that bounced or complained
    after it was deleted), kept only as a keyed hash: enough to refuse it in a later import, not
    enough to read the address back. See `suppression.py`."""

    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")

    def __str__(self) -> str:
        return self.digest[:12]
