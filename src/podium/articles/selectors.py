"""Reads on articles, and the access helpers that decide who may see what (404 otherwise)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import (
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.http import Http404
from django.utils import timezone

from podium.accounts.models import User
from podium.topics.models import Topic

from . import pagereads
from .listing import Selection
from .models import (
    BYLINE_ATTR,
    BYLINE_ROWS,
    Article,
    ArticleEvent,
    CoAuthor,
    FormerSlug,
    Revision,
    byline_column,
    byline_prefetch,
)

EDITORIAL_ACTIONS = [
    ArticleEvent.Action.REQUEST_CHANGES,
    ArticleEvent.Action.REJECT,
    ArticleEvent.Action.TAKE_DOWN,
    ArticleEvent.Action.EDITOR_EDIT,
    ArticleEvent.Action.PUBLISH,
]


def get_article_for_author(user: User, pk: int) -> Article:
    """The user's own article, whatever its state; anyone else's is a 404, not a 403."""
    try:
        return Article.objects.select_related("author").get(pk=pk, author_id=user.pk)
    except (Article.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_article_for_writer(user: User, pk: int) -> Article:
    """An article `user` writes: as its author or as a co-author who accepted; else a 404."""
    try:
        article = Article.objects.with_byline().get(pk=pk)
    except (Article.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if article.author_id != user.pk and not article.is_coauthored_by(user):
        raise Http404
    return article


def get_article_for_editor(user: User, pk: int) -> Article:
    """Editors see every article that has been submitted at least once; drafts stay private."""
    if not user.is_editor:
        raise Http404
    try:
        return (
            Article.objects.select_related("author", "claimed_by")
            .prefetch_related("topics")
            .exclude(state=Article.State.DRAFT)
            .get(pk=pk)
        )
    except (Article.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_article_for_pictures(user: User, pk: int, *, desk: bool = False) -> Article:
    """The article whose header image `user` may manage: under Activiteiten their own; on the
    desk (`desk=True`, behind its second factor) any article that has been submitted at least
    once, for editors. Anyone else gets a 404."""
    try:
        article = Article.objects.select_related("author", "header_image").get(pk=pk)
    except (Article.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if desk:
        if user.is_editor and article.state != Article.State.DRAFT:
            return article
    elif article.author_id == user.pk:
        return article
    raise Http404


def get_published_article(slug: str, *, with_topics: bool = True) -> Article:
    """The published article with everything its page shows. Whether it has co-authors rides
    with the article's row, so the common single-author article costs no co-author query (the
    signed-in article page reads this row on every request when it is not kept in memory). One
    statement built once per process (`pagereads.published_article`)."""
    found = pagereads.published_article(slug)
    if found is None:
        raise Http404
    article, co_written = found
    if with_topics:
        prefetch_related_objects([article], "topics")
    if co_written:
        prefetch_related_objects([article], byline_prefetch())
    else:
        setattr(article, BYLINE_ATTR, [])
    return article


def _live_articles_of_outer_user() -> tuple[QuerySet[Article, Any], QuerySet[Article, Any]]:
    """The pks of the published articles of the account of the outer query (`OuterRef("pk")`):
    those it wrote, and those it co-wrote (an accepted invitation), unordered, for subqueries."""
    live = Article.objects.published()
    own = live.filter(author=OuterRef("pk")).order_by().values("pk")
    co_written = (
        live.filter(coauthors__user=OuterRef("pk"), coauthors__state=CoAuthor.State.ACCEPTED)
        .order_by()
        .values("pk")
    )
    return own, co_written


def contributor_directory(topic: Topic | None = None) -> QuerySet[User]:
    """Contributors with at least one article readers can see, by name; with `topic`, only
    those who name it as their expertise. `contributor_cards` reads a page of them.

    Whether someone has published is asked per account, walking the accounts by name (their
    (display_name, id) index), one index probe each (their newest live article, then a live
    co-written one): a page, and a bounded count, cost what they look at, never a pass over
    every published article (an EXISTS here is planned as exactly that pass, hashed)."""
    own, co_written = _live_articles_of_outer_user()
    authors = User.objects.filter(is_active=True).exclude(slug="")
    if topic is not None:
        authors = authors.filter(expertise=topic)
    return (
        # Scalar subqueries (LIMIT 1), not EXISTS: PostgreSQL probes them account by account.
        authors.alias(one_own=Subquery(own[:1]), one_co_written=Subquery(co_written[:1]))
        .filter(Q(one_own__isnull=False) | Q(one_co_written__isnull=False))
        .order_by("display_name", "pk")
    )


def contributor_cards(ids: QuerySet[Any]) -> QuerySet[User]:
    """The directory's accounts of `ids` (a page of `contributor_directory`), each with
    `n_published` (their own and those they co-wrote), counted for these rows only; their
    expertise is prefetched (one query)."""
    own, co_written = _live_articles_of_outer_user()
    return (
        User.objects.filter(pk__in=ids)
        .annotate(
            n_published=_CountOf(own, output_field=IntegerField())
            + _CountOf(co_written, output_field=IntegerField())
        )
        .prefetch_related("expertise")
    )


def moved_article_url(former_slug: str) -> str | None:
    """The current address of the published article that used to live at `former_slug`."""
    former = (
        FormerSlug.objects.filter(slug=former_slug, article__in=Article.objects.published())
        .select_related("article")
        .first()
    )
    return former.article.get_absolute_url() if former else None


def dashboard_articles(user: User) -> QuerySet[Article]:
    """The contributor's own and co-authored articles with the editors' last message, in one
    query with their co-authors as a column (+ topics)."""
    last_message = (
        ArticleEvent.objects.filter(article=OuterRef("pk"), action__in=EDITORIAL_ACTIONS)
        .exclude(message="")
        .order_by("-at", "-pk")
    )
    return (
        Article.objects.by_author(user)
        .select_related("author")
        .annotate(
            **{BYLINE_ROWS: byline_column()},
            last_message=Subquery(last_message.values("message")[:1]),
            last_message_action=Subquery(last_message.values("action")[:1]),
            last_message_at=Subquery(last_message.values("at")[:1]),
        )
        .prefetch_related("topics")
        .defer("body")
        .order_by("-updated_at", "-pk")
    )


def article_revisions(article: Article) -> list[Revision]:
    return list(article.revisions.select_related("created_by").order_by("number"))


def revisions_to_compare(
    revisions: list[Revision], a: str | None, b: str | None
) -> tuple[Revision | None, Revision | None]:
    """The two versions to compare: `a` and `b` by number (from the page's query), else the last
    two. (None, None) while there is only one."""
    by_number = {r.number: r for r in revisions}
    try:
        old, new = by_number.get(int(a or "")), by_number.get(int(b or ""))
    except ValueError:
        old = new = None
    if old and new:
        return old, new
    if len(revisions) >= 2:
        return revisions[-2], revisions[-1]
    return None, None


def article_events(article: Article, *, desk: bool = False) -> list[ArticleEvent]:
    """The article's history; who handles it at the desk only with `desk=True` (editors)."""
    events = article.events.select_related("actor", "person").order_by("at", "pk")
    if not desk:
        events = events.exclude(action__in=ArticleEvent.DESK_ONLY)
    return list(events)


def _cowritten(author: User) -> list[int]:
    return list(
        CoAuthor.objects.filter(user=author, state=CoAuthor.State.ACCEPTED).values_list(
            "article_id", flat=True
        )
    )


def published_by_author(author: User) -> QuerySet[Article]:
    """What readers see of `author`: the published articles whose byline names them (their own
    and those they co-wrote). The co-written ones are looked up first (one small query), so an
    author who co-wrote nothing is listed through the (author, state, publication time) index
    alone, however deep the page."""
    cowritten = _cowritten(author)
    mine = Q(author=author) | Q(pk__in=cowritten) if cowritten else Q(author=author)
    return Article.objects.published().filter(mine).for_listing().newest_first()


def listed_by_author(author: User) -> Selection:
    """`published_by_author` for a list page (`delivery.reads.Listing`)."""
    return Selection(author_id=author.pk, also=tuple(_cowritten(author)))


def has_published(author: User) -> bool:
    """Whether readers can see anything of `author` (their public page and photo exist then)."""
    return Article.objects.published().by_author(author).exists()


class _CountOf(Subquery):
    """The number of rows of a (sliced) subquery."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()


def topics_with_counts(limit: int) -> QuerySet[Topic]:
    """Every topic with `n_articles`, its published articles counted up to `limit` + 1 (more than
    `limit` stands for "more than `limit`"): bounded work per topic however many articles there
    are, through the topic table's (topic, article) index."""
    published = (
        Article.objects.published()
        .filter(topics=OuterRef("pk"))
        .order_by()
        .values("pk")[: limit + 1]
    )
    return Topic.objects.annotate(n_articles=_CountOf(published))


def published_in_topic(topic_id: int) -> QuerySet[Article]:
    return Article.objects.published().filter(topics=topic_id).for_listing().newest_first()


def listed_in_topic(topic_id: int) -> Selection:
    """`published_in_topic` for a list page (`delivery.reads.Listing`)."""
    return Selection(topic_id=topic_id)


def next_scheduled_publication() -> datetime.datetime | None:
    """When the earliest article published "later" appears (`freshness.changes_at`)."""
    return Article.objects.filter(
        state=Article.State.PUBLISHED, published_at__gt=timezone.now()
    ).aggregate(at=Min("published_at"))["at"]
