"""Articles, their revisions and their events. State changes go through `lifecycle`, never here."""

from __future__ import annotations

import functools
import math
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models, router
from django.db.models import Aggregate, JSONField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import JSONArray
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from podium.articles import rules as article_rules
from podium.core.urls import slug_url
from podium.images.models import Image
from podium.topics.models import Topic

if TYPE_CHECKING:
    from podium.accounts.models import User


BYLINE_ATTR = "accepted_coauthors"
# The co-authors as a column of the article's own row (`byline_column`): what a byline shows of
# each co-author's account; anything else is read from the database when asked for.
BYLINE_ROWS = "byline_rows"
BYLINE_USER_FIELDS = ("display_name", "slug", "email")
# The topics as a column of the article's own row (`topics_column`): what a card shows of each
# topic; anything else is read from the database when asked for.
TOPIC_ROWS = "topic_rows"
TOPIC_FIELDS = ("name", "name_en", "slug")


def join_names(names: list[str]) -> str:
    """["A", "B", "C"] → "A, B en C" (in the active language)."""
    if len(names) < 2:
        return "".join(names)
    return gettext("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


def byline_prefetch(through: str = "") -> Prefetch:
    """The co-authors a byline names (accepted, with their accounts), in the order they joined;
    `through` reaches the article from another model ("article__")."""
    return Prefetch(
        f"{through}coauthors",
        queryset=CoAuthor.objects.filter(state=CoAuthor.State.ACCEPTED)
        .select_related("user")
        .order_by("answered_at", "pk"),
        to_attr=BYLINE_ATTR,
    )


class _JSONRows(Aggregate):
    """The grouped rows' values as one JSON array (jsonb on PostgreSQL, so that JSONField decodes
    it as it decodes its own column; JSON text on SQLite)."""

    function = "JSONB_AGG"
    output_field = JSONField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return super().as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)


@functools.cache
def byline_column(article: str = "pk") -> Subquery:
    """A column for a query of articles: its accepted co-authors as a JSON array of [co-author
    id, answered at, account id, *BYLINE_USER_FIELDS] (NULL without any), so a list reads its
    bylines with its articles instead of in a query of their own. `Article.authors` turns it into
    the byline, in the order the co-authors joined. `article` names the article's id in a query
    of another model ("article_id"); then `with_byline_column` hands the column to the article.

    Built once per process: building it (a queryset with a join and a JSON aggregate) cost more
    than a millisecond of every list page's CPU; a query that uses it resolves its own copy."""
    rows = (
        CoAuthor.objects.filter(article=OuterRef(article), state=CoAuthor.State.ACCEPTED)
        .order_by()
        .values("article")
        .annotate(
            rows=_JSONRows(
                JSONArray(
                    "pk", "answered_at", "user_id", *(f"user__{f}" for f in BYLINE_USER_FIELDS)
                )
            )
        )
        .values("rows")
    )
    return Subquery(rows, output_field=JSONField())


@functools.cache
def topics_column(article: str = "pk") -> Subquery:
    """A column for a query of articles: its topics as a JSON array of [topic id,
    *TOPIC_FIELDS] (NULL without any), so that a list reads its cards' topics with its articles
    instead of in a query of their own (and without building a queryset per list: a prefetch
    cost about 3 ms of a list page's CPU). `Article.card_topics` turns it into topics. The
    topics' current names are read with every list: nothing is copied, nothing goes stale.
    `article` names the article's id in a query of another model ("article_id"); then
    `with_topics_column` hands the column to the article."""
    through = Article.topics.through
    rows = (
        through.objects.filter(article=OuterRef(article))
        .order_by()
        .values("article")
        .annotate(rows=_JSONRows(JSONArray("topic_id", *(f"topic__{f}" for f in TOPIC_FIELDS))))
        .values("rows")  # type: ignore[misc]
    )
    return Subquery(rows, output_field=JSONField())


def with_topics_column[M: models.Model](rows: list[M], name: str) -> list[M]:
    """`rows` of another model read with `topics_column("article_id")` annotated as `name`, their
    article (`row.article`) given that column, as if it had been read with its own."""
    for row in rows:
        row.article.__dict__[TOPIC_ROWS] = row.__dict__.pop(name)  # type: ignore[attr-defined]
    return rows


def with_byline_column[M: models.Model](rows: list[M], name: str = BYLINE_ROWS) -> list[M]:
    """`rows` of another model read with `byline_column("article_id")` annotated as `name`, their
    article (`row.article`) given that column, as if it had been read with its own."""
    for row in rows:
        row.article.__dict__[BYLINE_ROWS] = row.__dict__.pop(name)  # type: ignore[attr-defined]
    return rows


def _partial(model: type[models.Model], db: str | None, values: dict[str, Any]) -> Any:
    """An instance of `model` as loaded from `db` with only `values`' fields: the others are
    deferred (read when asked for), never a default that could be taken for the real value."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(db, names, [values[name] for name in names])


class ArticleQuerySet(models.QuerySet["Article"]):
    def published(self) -> ArticleQuerySet:
        """What readers may see now: published, with a publication time that has come."""
        return self.filter(state=Article.State.PUBLISHED, published_at__lte=timezone.now())

    def for_listing(self) -> ArticleQuerySet:
        """Everything a teaser needs (author, co-authors, header image, topics) in one query:
        the articles with their co-authors (`byline_column`) and their topics (`topics_column`)
        as columns; `authors` and `card_topics` read them."""
        return (
            self.select_related("author", "header_image")
            .annotate(**{BYLINE_ROWS: byline_column(), TOPIC_ROWS: topics_column()})
            .defer("body")
        )

    def with_byline(self) -> ArticleQuerySet:
        """The author and the co-authors who accepted, in byline order (one query more)."""
        return self.select_related("author").prefetch_related(byline_prefetch())

    def by_author(self, user: User) -> ArticleQuerySet:
        """Articles whose byline names `user`: as author or as a co-author who accepted."""
        return self.filter(
            Q(author=user)
            | Q(
                pk__in=CoAuthor.objects.filter(user=user, state=CoAuthor.State.ACCEPTED).values(
                    "article_id"
                )
            )
        )

    def newest_first(self) -> ArticleQuerySet:
        return self.order_by("-published_at", "-pk")


class Article(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        OFFLINE = "offline", _("Offline")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="articles",
        verbose_name=_("author"),
    )
    title = models.CharField(_("title"), max_length=120, blank=True)
    slug = models.SlugField(_("slug"), max_length=140, unique=True, null=True, blank=True)
    lead = models.TextField(_("lead"), max_length=400, blank=True)
    body = models.TextField(_("body"), blank=True)
    topics = models.ManyToManyField(
        Topic, related_name="articles", blank=True, verbose_name=_("topics")
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    header_image = models.ForeignKey(
        Image,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("header image"),
    )
    # The pictures the text shows as figures, kept in step with the body by the services.
    figure_images = models.ManyToManyField(
        Image, related_name="+", blank=True, verbose_name=_("pictures in the text")
    )
    # The generated 1200×627 share card (storage name, which changes with the card), or "".
    share_card = models.CharField(max_length=200, blank=True, default="")
    word_count = models.PositiveIntegerField(_("words"), default=0)
    char_count = models.PositiveIntegerField(_("characters"), default=0)
    # Bumped on every save of the text: an autosave or an edit based on an older version is refused
    # instead of silently overwriting a newer one.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # The editor who handles the submission ("in behandeling bij Eva"), set by conversation.claim.
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claimed_articles",
        verbose_name=_("handled by"),
    )
    published_at = models.DateTimeField(_("publication time"), null=True, blank=True, db_index=True)
    # The author's statement on AI tools with their latest submission (SubmissionTerms.AiUse), on
    # the row so the article page tells readers without another query; "" before any submission.
    ai_use = models.CharField(_("use of AI tools"), max_length=12, blank=True, default="")
    # When its "read more" (`RelatedArticle` lines) was last computed; None until it is (then the
    # page shows the newest of its topics instead: `related.fallback_articles`).
    related_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="published") | Q(published_at__isnull=False),
                name="article_published_has_time",
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | ~Q(slug=None),
                name="article_beyond_draft_has_slug",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "-published_at"], name="article_state_pub_idx"),
            models.Index(fields=["state", "submitted_at"], name="article_state_sub_idx"),
            models.Index(
                fields=["author", "state", "-published_at"], name="article_author_pub_idx"
            ),
            # The desk's author filter lists everyone who has submitted: one index probe each.
            models.Index(fields=["author", "submitted_at"], name="article_author_sub_idx"),
            # Whether readers may see a search match yet, without reading its (wide) row: SQLite's
            # search asks it of a thousand matches per query (search/sqlite.py, INDEXED BY).
            models.Index(fields=["id", "state", "published_at"], name="article_visible_idx"),
        ]

    def __str__(self) -> str:
        return self.title or str(_("(untitled)"))

    def get_absolute_url(self) -> str:
        return slug_url("web:article", self.slug)

    @property
    def reading_minutes(self) -> int:
        return max(1, math.ceil(self.word_count / article_rules.WORDS_PER_MINUTE))

    @property
    def is_editable_by_author(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.CHANGES_REQUESTED)

    @property
    def is_live(self) -> bool:
        return (
            self.state == self.State.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        return (
            self.state == self.State.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def authors(self) -> list[User]:
        """The byline: the author, then the co-authors who accepted, in the order they joined.
        Lists read it with their articles (`for_listing()`'s column) or prefetched
        (`with_byline()`); otherwise one query, once."""
        rows: Any = getattr(self, BYLINE_ATTR, None)
        if rows is None:
            if BYLINE_ROWS in self.__dict__:
                rows = self._byline_from_column(self.__dict__[BYLINE_ROWS] or [])
            else:
                rows = list(byline_prefetch().queryset.filter(article=self))  # type: ignore[union-attr]
            setattr(self, BYLINE_ATTR, rows)
        return [self.author, *(row.user for row in rows)]

    def _byline_from_column(self, column: list[list[Any]]) -> list[CoAuthor]:
        """`byline_column`'s rows as the co-authorships `byline_prefetch` would have read."""
        db = router.db_for_read(type(self), instance=self)  # the database this row came from
        rows = []
        for pk, answered, user_id, *fields in column:
            user = _partial(
                self._meta.get_field("author").related_model,  # type: ignore[arg-type]
                db,
                {"id": user_id, **dict(zip(BYLINE_USER_FIELDS, fields, strict=True))},
            )
            row = _partial(
                CoAuthor,
                db,
                {
                    "id": pk,
                    "article_id": self.pk,
                    "user_id": user_id,
                    "state": CoAuthor.State.ACCEPTED,
                    "answered_at": parse_datetime(answered) if answered else None,
                },
            )
            row.user = user
            row.article = self
            rows.append(row)
        # In the order they joined, as byline_prefetch orders them (answered_at is set on every
        # accepted row: a constraint).
        rows.sort(key=lambda row: (row.answered_at is None, row.answered_at or 0, row.pk))
        return rows

    @property
    def byline_text(self) -> str:
        """The byline's names as one line ("Anna de Vries en Bram Jansen"), for feeds, e-mails,
        the search index and books."""
        return join_names([person.display_name for person in self.authors if person.display_name])

    @property
    def coauthor_ids(self) -> set[int]:
        return {user.pk for user in self.authors[1:]}

    def is_coauthored_by(self, user: User) -> bool:
        return user.pk in self.coauthor_ids

    def is_written_by(self, user: User) -> bool:
        """Whether the byline names `user`: the author or a co-author who accepted."""
        return user.pk in {person.pk for person in self.authors}

    @property
    def card_topics(self) -> list[Topic]:
        """The topics a card shows, by name (Topic's order): from `for_listing()`'s column when
        the article was read with it, otherwise `topics.all()` (prefetched, or one query)."""
        if TOPIC_ROWS not in self.__dict__:
            return list(self.topics.all())
        db = router.db_for_read(Topic, instance=self)
        topics = [
            _partial(Topic, db, {"id": pk, **dict(zip(TOPIC_FIELDS, fields, strict=True))})
            for pk, *fields in self.__dict__[TOPIC_ROWS] or []
        ]
        topics.sort(key=lambda topic: (topic.name, topic.pk))
        return topics

    def pictures(self) -> list[Image]:
        """The header image and the pictures in the text (header first)."""
        found = [self.header_image] if self.header_image is not None else []
        found += [i for i in self.figure_images.all() if i.pk != self.header_image_id]
        return found


class RelatedArticle(models.Model):
    """One line of "read more" under an article ("Lees verder"): computed in the background when
    the article is published or edited (`related.store`, through a task), never on a reader's
    request. Readers see only the lines whose article is published now (`related.live_articles`),
    so a line to an article taken down is never shown; the lists that name it are computed again
    (`related.refresh_lists_naming`), and a deleted article takes its lines with it."""

    # The (article, position) constraint is the index a page reads its lines by.
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="related_rows", db_index=False
    )
    related = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_from")
    position = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "position"], name="related_article_position_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.related_id}"


class FormerSlug(models.Model):
    """An address a published article had before its title changed. Links to it keep working:
    the article page answers 301 to the current address. Unique across articles, and never a
    current slug (services._unique_slug checks both)."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="former_slugs", verbose_name=_("article")
    )
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    retired_at = models.DateTimeField(_("retired"), default=timezone.now)

    class Meta:
        verbose_name = _("former address")
        verbose_name_plural = _("former addresses")

    def __str__(self) -> str:
        return self.slug


class Revision(models.Model):
    """A kept version of the text: every submission, every editor's edit and every suggestion of
    the editors that the author accepted (made by the author, proposed by the editor)."""

    class Kind(models.TextChoices):
        SUBMISSION = "submission", _("Submitted by the author")
        EDITOR_EDIT = "editor_edit", _("Edited by the editors")
        SUGGESTION = "suggestion", _("Suggestion accepted by the author")
        # A draft's text as it was when the author shared it through a preview link.
        SHARED = "shared", _("Shared for reading")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=120)
    lead = models.TextField()
    body = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)
    # The editor whose suggestion this version applies (with created_by, the author who accepted).
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["article", "number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_number_unique")
        ]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")

    def __str__(self) -> str:
        return f"{self.article_id} v{self.number}"


class ArticleEvent(models.Model):
    """The audit trail of the article's life: who did what, when, with which message."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("Submitted")
        WITHDRAW_SUBMISSION = "withdraw_submission", _("Submission withdrawn")
        PUBLISH = "publish", _("Published")
        AUTO_PUBLISH = "auto_publish", _("Published without review (trusted contributor)")
        REQUEST_CHANGES = "request_changes", _("Changes requested")
        REJECT = "reject", _("Rejected")
        WITHDRAW = "withdraw", _("Taken offline by the author")
        TAKE_DOWN = "take_down", _("Taken down by the editors")
        REOPEN = "reopen", _("Reopened as a draft")
        EDITOR_EDIT = "editor_edit", _("Edited by the editors")
        SUGGESTION_ACCEPTED = "suggestion_accepted", _("Suggestion of the editors accepted")
        CLAIM = "claim", _("Taken on by an editor")
        TAKE_OVER = "take_over", _("Taken over by another editor")
        COAUTHOR_JOINED = "coauthor_joined", _("Co-author joined")
        COAUTHOR_LEFT = "coauthor_left", _("Co-author left")
        COAUTHOR_REMOVED = "coauthor_removed", _("Co-author removed")

    # Events only the editors see in the conversation (who handles a submission is the desk's).
    DESK_ONLY = frozenset({Action.CLAIM, Action.TAKE_OVER})

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    from_state = models.CharField(max_length=20, choices=Article.State.choices)
    to_state = models.CharField(max_length=20, choices=Article.State.choices)
    message = models.TextField(blank=True)
    revision = models.ForeignKey(
        Revision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Whom a co-author event is about (the actor is who did it); gone with their account.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("person"),
    )

    class Meta:
        ordering = ["article", "at", "pk"]
        indexes = [
            models.Index(fields=["article", "-at"], name="event_article_at_idx"),
            # The desk's "published without review" queue starts from the auto-publish events.
            models.Index(fields=["action", "article"], name="event_action_article_idx"),
        ]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.at:%Y-%m-%d %H:%M})"


class Message(models.Model):
    """A message in the article's conversation between its author and the editors; an internal
    note (`is_internal`) is the editors' alone: no page, e-mail or export shows it to the author.
    Plain text (cleaned by the services)."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="messages", verbose_name=_("article")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )
    body = models.TextField(_("message"), max_length=4000)
    is_internal = models.BooleanField(_("internal note"), default=False)
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        ordering = ["article", "created_at", "pk"]
        indexes = [models.Index(fields=["article", "created_at"], name="message_article_at_idx")]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.article_id}: {self.body[:40]}"


class Notification(models.Model):
    """Something a person should hear about an article, waiting for its e-mail. The e-mail gathers
    every waiting notification of one person (see `notifications`): at most one per person and
    article per quarter hour, or one a day, as the person chose (User.notify)."""

    class Kind(models.TextChoices):
        MESSAGE = "message", _("message")
        INTERNAL_NOTE = "internal_note", _("internal note")
        TAKE_OVER = "take_over", _("taken over")
        COMMENT = "comment", _("comment")
        REPLY = "reply", _("reply")
        SUGGESTION = "suggestion", _("suggestion")
        RESOLVED = "resolved", _("resolved")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField(blank=True)  # plain text, an excerpt of what was written
    # Whether only editors may hear of it (an internal note): checked again when sending.
    is_internal = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(db_index=True)
    # Claimed by one sending (a random token) before its e-mail goes; a second worker finds none.
    batch = models.CharField(max_length=32, blank=True, default="")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["recipient", "created_at", "pk"]
        indexes = [
            models.Index(
                fields=["recipient", "article", "sent_at"], name="notification_pending_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}/{self.article_id}: {self.kind}"


class Licence(models.Model):
    """The right to publish that an author grants the magazine with each submission, in the
    editors' words. A version is never changed: the editors' edit writes the next one, and the
    newest is the one authors agree to."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    text = models.TextField(_("licence text"), max_length=4000)
    # None: the first version, written with the site (migration 0012).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("licence")
        verbose_name_plural = _("licences")

    def __str__(self) -> str:
        return f"v{self.version}"


class SubmissionTerms(models.Model):
    """What the author stated with one submission, kept with the revision it applies to: the text
    is their own, the licence (this version) is granted, and how AI tools were used."""

    class AiUse(models.TextChoices):
        NONE = "none", _("I did not use AI tools")
        AID = "aid", _("I used AI tools as an aid (for example for spelling, research or ideas)")
        GENERATED = "generated", _("Parts of the text were generated with AI tools")

    revision = models.OneToOneField(
        Revision, on_delete=models.CASCADE, related_name="terms", verbose_name=_("revision")
    )
    licence = models.ForeignKey(
        Licence, on_delete=models.PROTECT, related_name="+", verbose_name=_("licence")
    )
    is_own_work = models.BooleanField(_("the text is the author's own"))
    ai_use = models.CharField(_("use of AI tools"), max_length=12, choices=AiUse.choices)
    ai_explanation = models.TextField(_("how AI tools were used"), max_length=500, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    agreed_at = models.DateTimeField(_("agreed"), default=timezone.now)

    class Meta:
        verbose_name = _("terms of a submission")
        verbose_name_plural = _("terms of submissions")
        constraints = [
            models.CheckConstraint(condition=Q(is_own_work=True), name="terms_own_work"),
            models.CheckConstraint(
                condition=Q(ai_use="none") | ~Q(ai_explanation=""),
                name="terms_ai_use_explained",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.revision} ({self.licence})"


class CoAuthor(models.Model):
    """An invitation to share an article's byline, and, once accepted, the co-authorship itself.

    The author invites by e-mail address; the invitee (who may have no account yet) answers
    through a signed link before `expires_at`. Only accepted rows are in the byline; every other
    state is kept so the author sees what became of an invitation. Written only by
    `articles.coauthors`."""

    class State(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACCEPTED = "accepted", _("Co-author")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Invitation withdrawn")
        LEFT = "left", _("Left")
        REMOVED = "removed", _("Removed by the author")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="coauthors", verbose_name=_("article")
    )
    email = models.EmailField(_("invited address"))
    # Set when the invitation is accepted; an account deleted later takes its co-authorships
    # with it, and so leaves every byline (privacy).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="coauthorships",
        verbose_name=_("co-author"),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.INVITED
    )
    # PROTECT: an author who deletes their account leaves a kept article's co-authors in place
    # (privacy moves the row to the former-author account).
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField(_("invited"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # The language of the invitation for someone without an account (the author chooses it);
    # members get it in the language they chose for Podium's e-mails.
    language = models.CharField(max_length=8, default="nl")

    class Meta:
        verbose_name = _("co-author")
        verbose_name_plural = _("co-authors")
        ordering = ["article", "invited_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="accepted") | Q(user__isnull=False, answered_at__isnull=False),
                name="coauthor_accepted_has_user",
            ),
            # One open invitation or co-authorship per address, one co-authorship per person.
            models.UniqueConstraint(
                fields=["article", "email"],
                condition=Q(state__in=["invited", "accepted"]),
                name="coauthor_one_open_per_address",
            ),
            models.UniqueConstraint(
                fields=["article", "user"],
                condition=Q(state="accepted"),
                name="coauthor_one_per_person",
            ),
        ]
        indexes = [models.Index(fields=["user", "state"], name="coauthor_user_state_idx")]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_state_display()})"

    @property
    def is_expired(self) -> bool:
        return self.state == self.State.INVITED and self.expires_at <= timezone.now()

    @property
    def is_open(self) -> bool:
        """An invitation that can still be answered."""
        return self.state == self.State.INVITED and not self.is_expired


class PreviewLink(models.Model):
    """A read-only link to one version (revision) of an article for someone without an account,
    such as the legal department that must approve it. Only a SHA-256 hash of the token is
    stored; the token itself is shown to the author once. Written only by `articles.previews`."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="preview_links", verbose_name=_("article")
    )
    revision = models.ForeignKey(
        Revision, on_delete=models.CASCADE, related_name="preview_links", verbose_name=_("version")
    )
    token_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(_("for whom"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    first_opened_at = models.DateTimeField(_("first opened"), null=True, blank=True)
    last_opened_at = models.DateTimeField(_("last opened"), null=True, blank=True)
    open_count = models.PositiveIntegerField(_("times opened"), default=0)

    class Meta:
        verbose_name = _("preview link")
        verbose_name_plural = _("preview links")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.revision_id} ({self.label})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
