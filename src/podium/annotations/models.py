"""Threads anchored to a passage of an article's text, their comments, and suggestions.

A thread is either a comment thread or a suggestion (a comment thread that also proposes a
change to its passage). Writes go through `services`, who may through `rules`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from podium.articles.models import Article, Revision

from .anchoring import Anchor

QUOTE_MAX = 2000
BODY_MAX = 4000


class ThreadQuerySet(models.QuerySet["Thread"]):
    def for_panel(self) -> ThreadQuerySet:
        """Everything a thread's card shows, in a fixed number of queries."""
        return (
            self.select_related("created_by", "resolved_by", "decided_by", "revision")
            .prefetch_related(
                models.Prefetch(
                    "comments", queryset=Comment.objects.select_related("author").order_by("pk")
                )
            )
            .order_by("position", "pk")
        )


class Thread(models.Model):
    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        SUGGESTION = "suggestion", _("Suggestion")

    class Change(models.TextChoices):
        REPLACE = "replace", _("Replace the passage")
        INSERT = "insert", _("Insert after the passage")
        DELETE = "delete", _("Delete the passage")

    class Decision(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="threads", verbose_name=_("article")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.COMMENT)
    # The anchor (see anchoring): the passage, its surroundings, where it was, and on which version.
    quote = models.TextField(_("passage"), max_length=QUOTE_MAX)
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    position = models.PositiveIntegerField(default=0)
    revision = models.ForeignKey(
        Revision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    # A suggestion's change; empty for a comment thread.
    change = models.CharField(_("change"), max_length=10, choices=Change.choices, blank=True)
    replacement = models.TextField(_("new text"), max_length=QUOTE_MAX, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # The revision an accepted suggestion became.
    applied_revision = models.ForeignKey(
        Revision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ThreadQuerySet.as_manager()

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        indexes = [models.Index(fields=["article", "position"], name="thread_article_pos_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True, resolved_by__isnull=True)
                | Q(resolved_at__isnull=False, resolved_by__isnull=False),
                name="thread_resolved_by_and_at",
            ),
            models.CheckConstraint(
                condition=Q(kind="comment", change="", decision="", replacement="")
                | Q(kind="suggestion", change__in=["replace", "insert", "delete"])
                & Q(decision__in=["open", "accepted", "rejected"]),
                name="thread_suggestion_has_change",
            ),
            models.CheckConstraint(
                condition=Q(decision__in=["", "open"], decided_at__isnull=True)
                | Q(decision__in=["accepted", "rejected"], decided_at__isnull=False),
                name="thread_decided_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.quote[:40]}"

    @property
    def anchor(self) -> Anchor:
        return Anchor(self.quote, self.prefix, self.suffix, self.position)

    @property
    def is_suggestion(self) -> bool:
        return self.kind == self.Kind.SUGGESTION

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None

    @property
    def is_open_suggestion(self) -> bool:
        return self.is_suggestion and self.decision == self.Decision.OPEN


class Comment(models.Model):
    """One message in a thread, plain text (shown escaped, line breaks kept)."""

    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="comments", verbose_name=_("thread")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    body = models.TextField(_("comment"), max_length=BODY_MAX)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["thread", "pk"]

    def __str__(self) -> str:
        return self.body[:40]
