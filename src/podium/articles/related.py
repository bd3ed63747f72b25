""" "Read more" under an article ("Lees verder"): recent publications that share its topics or the
telling words of its title and lead.

It must not cost a page render more at 100,000 articles than at 100. The computation looks only at
the most recent publications (RELATED_WINDOW, found through indexes) and its result is a short list
of ids, which the delivery layer keeps per article for hours (`podium.delivery.reads`). A render
re-reads those ids through one indexed query of what is published now (`live_articles`), so an
article taken down disappears from every "read more" at once; a new article joins the lists as
they expire.

The words are looked up in the search index (`search.similar_matches`, the one place that knows
each database's SQL); the weighing is done here, the same on both databases."""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.db import connection
from django.db.models import Count, Q, prefetch_related_objects
from django.utils import timezone

from . import search
from .models import BYLINE_ROWS, Article, byline_column

RELATED_WINDOW = 3000  # candidates: the most recent articles (by id, i.e. by creation)
RELATED_CANDIDATES = 9  # ids kept per article: room for take-downs before a list runs short


def _window_floor() -> int:
    """The lowest article id among the RELATED_WINDOW most recent ones (0 when there are fewer)."""
    row = Article.objects.order_by("-pk").values_list("pk", flat=True)[
        RELATED_WINDOW - 1 : RELATED_WINDOW
    ]
    return next(iter(row), 0)


def similar_article_ids(
    article: Article, *, limit: int = 10, floor: int | None = None
) -> list[int]:
    """Recent published articles (id ≥ `floor`, by default the RELATED_WINDOW most recent) whose
    title, lead, author and topics share the most telling words of `article`'s title and lead,
    best first; never `article` itself.

    Each shared word counts by its rarity within the window (the same idea as bm25's IDF), summed
    per article; the same words and weights on both databases. Bounded by the window, not by the
    size of the index."""
    terms = [t for t in search.query_terms(article.title + " " + article.lead) if len(t.word) >= 4][
        :8
    ]
    if not terms:
        return []
    if floor is None:
        floor = _window_floor()
    matches: dict[int, list[int]] = {}
    for index, pk in search.similar_matches(
        [t.stem for t in terms], floor=floor, exclude=article.pk
    ):
        matches.setdefault(index, []).append(pk)
    score: dict[int, float] = {}
    for found in matches.values():
        weight = math.log(1 + RELATED_WINDOW / len(found))
        for pk in found:
            score[pk] = score.get(pk, 0.0) + weight
    return sorted(score, key=lambda pk: (-score[pk], -pk))[:limit]


def related_article_ids(article: Article, *, limit: int = RELATED_CANDIDATES) -> list[int]:
    """Compute, uncached: recent published articles sharing the most topics with `article`
    and those with the most similar text, mixed, best first; never `article` itself. A fixed
    number of queries, each bounded by RELATED_WINDOW whatever the number of articles."""
    topic_ids = [t.pk for t in article.topics.all()]
    floor = _window_floor()
    score: dict[int, float] = {}
    if topic_ids:
        # Bounded by the window, not by how many articles a topic has. SQLite probes the (article,
        # topic) index for each of the most recent publications (found through a covering index).
        # PostgreSQL would rather read all the topics' rows and hash them against that list, so
        # there the window is the id window of the text half: the (article, topic) index from its
        # lowest id on, each row's article checked by primary key.
        if connection.vendor == "postgresql":
            in_window = Q(
                article_id__gte=floor,
                article__state=Article.State.PUBLISHED,
                article__published_at__lte=timezone.now(),
            )
        else:
            recent = Article.objects.published().order_by("-published_at").values("pk")
            in_window = Q(article_id__in=recent[:RELATED_WINDOW])
        shared = (
            Article.topics.through.objects.filter(in_window, topic_id__in=topic_ids)
            .exclude(article_id=article.pk)
            .values("article_id")
            .annotate(shared=Count("topic_id"))
            .order_by("-shared", "-article_id")[:20]
        )
        for row in shared:
            score[row["article_id"]] = float(row["shared"])
    similar = similar_article_ids(article, limit=10, floor=floor)
    for position, pk in enumerate(similar):
        score[pk] = score.get(pk, 0.0) + 1.5 * (len(similar) - position) / len(similar)
    return sorted(score, key=lambda pk: (-score[pk], -pk))[:limit]


def live_articles(
    ids: list[int], *, limit: int, topics_along: Sequence[Article] = ()
) -> list[Article]:
    """The articles of `ids` that are published now, in that order, at most `limit`, ready for
    teasers (author, header image, co-authors and topics loaded): one indexed query with their
    co-authors in their rows, their topics in one more (together with those of `topics_along`,
    the article they are shown under, whose page needs its topics too), so nothing taken down is
    ever shown, however old the list of ids."""
    if not ids:
        prefetch_related_objects(list(topics_along), "topics")
        return []
    # By primary key, then "published now" checked on the rows: given `state` and `published_at`
    # in the WHERE clause, SQLite's planner prefers their index and scans every publication.
    found = (
        Article.objects.select_related("author", "header_image")
        .annotate(**{BYLINE_ROWS: byline_column()})  # the co-authors, in the same query
        .defer("body")
        .in_bulk(ids)
    )
    live: list[Article] = [found[pk] for pk in ids if pk in found and found[pk].is_live][:limit]
    prefetch_related_objects([*topics_along, *live], "topics")
    return live
