""" "Read more" under an article ("Lees verder"): recent publications that share its topics or the
telling words of its title and lead.

Computed when it matters, never on a reader's request: when an article is published, or edited
while published in what its lines are computed from (`inputs`; `lifecycle.record` enqueues the
`compute_related` task, which calls `store`),
and for the articles whose list named one that is taken down (`refresh_lists_naming`). The
result is a short list of lines (`RelatedArticle`) stored with the article; `backfill` computes
them in bulk for existing articles (`podium related`, the seed). The computation looks only at
the most recent publications (RELATED_WINDOW, found through indexes).

A render reads the stored lines with their articles in one indexed query (`stored_articles`) and
shows only those published now, so an article taken down disappears from every "read more" at
once. An article whose lines are not computed yet shows the newest articles of its topics
(`fallback_articles`: one bounded query), never the computation.

The words are looked up in the search index (`search.similar_matches`, the one place that knows
each database's SQL); the weighing is done here, the same on both databases."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from . import pagereads, search
from .models import BYLINE_ROWS, Article, RelatedArticle, byline_column

RELATED_WINDOW = 3000  # candidates: the most recent articles (by id, i.e. by creation)
RELATED_CANDIDATES = 9  # lines kept per article: room for take-downs before a list runs short
REFRESH_LIMIT = 500  # lists computed again when an article they name is taken down


def inputs(article: Article) -> tuple[str, str, frozenset[int]]:
    """What `article`'s own lines are computed from besides its being published: its title and
    lead (the words looked up) and its topics (`related_article_ids`). An edit of a published
    article that changes none of them (its body, its pictures) leaves its lines as they are."""
    return article.title, article.lead, frozenset(article.topics.values_list("pk", flat=True))


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
        _add_weighted(score, found)
    return sorted(score, key=lambda pk: (-score[pk], -pk))[:limit]


def _add_weighted(score: dict[int, float], found: Sequence[int]) -> None:
    """Add one shared word's weight (its rarity within the window) to each article holding it."""
    weight = math.log(1 + RELATED_WINDOW / len(found))
    for pk in found:
        score[pk] = score.get(pk, 0.0) + weight


def _mix(shared: Sequence[tuple[int, int]], similar: Sequence[int], limit: int) -> list[int]:
    """The shared-topics ranking ((id, topics shared), best first) and the similar-text one (ids,
    best first) mixed into one list of ids, best first."""
    score: dict[int, float] = {pk: float(count) for pk, count in shared}
    for position, pk in enumerate(similar):
        score[pk] = score.get(pk, 0.0) + 1.5 * (len(similar) - position) / len(similar)
    return sorted(score, key=lambda pk: (-score[pk], -pk))[:limit]


def related_article_ids(article: Article, *, limit: int = RELATED_CANDIDATES) -> list[int]:
    """Compute, uncached: recent published articles sharing the most topics with `article`
    and those with the most similar text, mixed, best first; never `article` itself. A fixed
    number of queries, each bounded by RELATED_WINDOW whatever the number of articles."""
    topic_ids = [t.pk for t in article.topics.all()]
    floor = _window_floor()
    shared_rows: list[tuple[int, int]] = []
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
        shared_rows = [(row["article_id"], row["shared"]) for row in shared]
    return _mix(shared_rows, similar_article_ids(article, limit=10, floor=floor), limit)


def _write(lines: dict[int, list[int]], *, computed: bool = True) -> None:
    """Replace the stored lines of each article of `lines` by its ids, in order, and mark them
    computed (or, with `computed=False`, not: an article that is no longer published)."""
    with transaction.atomic():
        Article.objects.filter(pk__in=list(lines)).update(
            related_at=timezone.now() if computed else None
        )
        RelatedArticle.objects.filter(article_id__in=list(lines)).delete()
        # One prepared statement for all the lines: the ORM's bulk_create built a model instance
        # and SQL for each, most of the backfill's time at 100,000 articles.
        meta = RelatedArticle._meta
        quote = connection.ops.quote_name
        fields = {field.name: str(field.column) for field in meta.concrete_fields}
        columns = ", ".join(quote(fields[name]) for name in ("article", "related", "position"))
        with connection.cursor() as cursor:
            cursor.executemany(
                # Names from the model, values as parameters.
                f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES (%s, %s, %s)",  # noqa: S608
                [
                    (pk, other, position)
                    for pk, ids in lines.items()
                    for position, other in enumerate(ids)
                ],
            )


def store(article_id: int) -> int:
    """Compute and store `article_id`'s "read more" (the `compute_related` task): its lines when it
    is published, none when it is not (any more). Returns the number of lines stored."""
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        return 0
    published = article.state == Article.State.PUBLISHED
    ids = related_article_ids(article) if published else []
    _write({article_id: ids}, computed=published)
    return len(ids)


def refresh_lists_naming(article_id: int) -> int:
    """`article_id` was taken down (or withdrawn): compute again the lists that name it (the most
    recent REFRESH_LIMIT), so they do not run short. Readers never saw it in them meanwhile:
    `stored_articles` shows only what is published now. Returns the number of lists computed."""
    naming = (
        RelatedArticle.objects.filter(related_id=article_id)
        .order_by("-article_id")
        .values_list("article_id", flat=True)[:REFRESH_LIMIT]
    )
    ids = list(naming)
    for pk in ids:
        store(pk)
    return len(ids)


def stored_articles(
    article: Article, *, limit: int, topics_along: Sequence[Article] = ()
) -> list[Article] | None:
    """The stored "read more" of `article` that is published now, in order, at most `limit`, ready
    for teasers (as `live_articles`, their topics in their rows for `card_topics`): its lines and
    their articles in one query by the lines' (article, position) index; the topics of
    `topics_along` in one more. None when none is shown and its lines were not computed yet (an
    instance read before they were, and kept, still finds lines stored since)."""
    # One statement built once per process (`pagereads.related_teasers`), driven by the lines'
    # index on both databases (each line's article then checked by primary key), so only the
    # `limit` rows shown are read and built; their topics ride in their rows.
    live = pagereads.related_teasers(article.pk, limit=limit)
    if not live and article.related_at is None:
        return None
    if topics_along:
        prefetch_related_objects(list(topics_along), "topics")
    return live


def fallback_articles(
    article: Article, *, limit: int, topics_along: Sequence[Article] = ()
) -> list[Article]:
    """Before `article`'s "read more" is computed: the newest publications of its topics (the most
    recent of their article-topic rows, by the (topic, article) index), or the newest publications
    when it has none. One bounded query (two without topics) and one for the topics."""
    through = Article.topics.through.objects
    own_topics = through.filter(article_id=article.pk).values("topic_id")
    newest = (
        through.filter(topic_id__in=own_topics)
        .exclude(article_id=article.pk)
        .order_by("-article_id")
        .values("article_id")[: RELATED_CANDIDATES * 3]
    )
    candidates = Article.objects.published().exclude(pk=article.pk)
    live = list(_teasers(candidates.filter(pk__in=newest)).order_by("-published_at", "-pk")[:limit])
    if not live:  # no topics (or none of theirs published): the newest publications
        live = list(_teasers(candidates).order_by("-published_at", "-pk")[:limit])
    prefetch_related_objects([*topics_along, *live], "topics")
    return live


def _teasers(articles: QuerySet[Article]) -> QuerySet[Article]:
    """`articles` with what a teaser shows (author, header image, co-authors in the row)."""
    return (
        articles.select_related("author", "header_image")
        .annotate(**{BYLINE_ROWS: byline_column()})  # the co-authors, in the same query
        .defer("body")
    )


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


def backfill(
    *, only_missing: bool = True, batch: int = 2000, report: Callable[[str], None] | None = None
) -> int:
    """Compute and store "read more" for every published article (only those without lines, by
    default) in bulk: for existing articles (`podium related`) and seeded ones (`podium seed`).

    The same weighing as `related_article_ids`, over the same window, but with the window read
    once into memory (its words, their stems and its topics) instead of queried per article: a
    few queries per `batch` articles and a fraction of a millisecond of CPU each. The words are
    those of the title, lead, author and topics (what the search index's title and meta hold,
    without its compound parts), and the window of the shared topics is the id window on both
    databases (as on PostgreSQL in `related_article_ids`). Returns the number of articles given
    lines."""
    floor = _window_floor()
    now = timezone.now()
    window = Article.objects.filter(
        pk__gte=floor, state=Article.State.PUBLISHED, published_at__lte=now
    )
    through = Article.topics.through.objects
    topic_rows = list(
        through.filter(article_id__in=window.values("pk")).values_list(
            "article_id", "topic__name", "topic_id"
        )
    )
    names: dict[int, list[str]] = {}
    by_topic: dict[int, list[int]] = {}
    for pk, name, topic_id in topic_rows:
        names.setdefault(pk, []).append(name)
        by_topic.setdefault(topic_id, []).append(pk)
    # Each stem's articles as the bits of an int, one bit per article of the window in id order
    # (the highest bit the newest): an article's neighbours by text are then found with a few
    # dozen operations on these ints instead of a sum per article holding each word.
    ids = list(window.order_by("pk").values_list("pk", flat=True))
    bit = {pk: 1 << position for position, pk in enumerate(ids)}
    by_stem: dict[str, int] = {}
    for pk, title, lead, author in window.values_list(
        "pk", "title", "lead", "author__display_name"
    ):
        text = " ".join([title, lead, author, *names.get(pk, [])])
        for found in {search.stem(word) for word in search.words(text)}:
            by_stem[found] = by_stem.get(found, 0) | bit[pk]
    everyone = (1 << len(ids)) - 1
    by_topic_set: dict[frozenset[int], list[tuple[int, int]]] = {}

    def shared_topics(pk: int, topic_ids: frozenset[int]) -> list[tuple[int, int]]:
        if topic_ids not in by_topic_set:  # the same for every article with these topics
            counts: dict[int, int] = {}
            for topic_id in topic_ids:
                for other in by_topic.get(topic_id, ()):
                    counts[other] = counts.get(other, 0) + 1
            best = sorted(counts.items(), key=lambda row: (-row[1], -row[0]))[:21]
            by_topic_set[topic_ids] = best
        return [row for row in by_topic_set[topic_ids] if row[0] != pk][:20]

    def similar(pk: int, title: str, lead: str) -> list[int]:
        """`similar_article_ids(article, limit=10)` from the window's bits: the articles split
        into groups by which of the article's words they hold (at most 2⁸), each group's score
        the sum of its words' weights, the best groups' newest articles first."""
        terms = [t for t in search.query_terms(title + " " + lead) if len(t.word) >= 4][:8]
        others = everyone & ~bit.get(pk, 0)
        groups: list[tuple[float, int]] = [(0.0, others)]  # (score, articles)
        for term in terms:
            holders = by_stem.get(term.stem, 0) & others
            if not holders:
                continue
            weight = math.log(1 + RELATED_WINDOW / holders.bit_count())
            split: list[tuple[float, int]] = []
            for score, members in groups:
                if members & holders:
                    split.append((score + weight, members & holders))
                if members & ~holders:
                    split.append((score, members & ~holders))
            groups = split
        best: list[int] = []
        ranked: dict[float, int] = {}
        for score, members in groups:
            if score > 0:  # equal scores (words of equal weight) are one group, by id
                key = round(score, 9)
                ranked[key] = ranked.get(key, 0) | members
        for key in sorted(ranked, reverse=True):
            members = ranked[key]
            while members and len(best) < 10:
                top = members.bit_length() - 1
                best.append(ids[top])
                members &= ~(1 << top)
            if len(best) == 10:
                break
        return best

    targets = Article.objects.filter(state=Article.State.PUBLISHED)
    if only_missing:
        targets = targets.filter(related_at=None)
    done = 0
    last = 0
    while True:
        rows = list(
            targets.filter(pk__gt=last).order_by("pk").values_list("pk", "title", "lead")[:batch]
        )
        if not rows:
            return done
        last = rows[-1][0]
        topics_of: dict[int, set[int]] = {}
        for pk, topic_id in through.filter(article_id__in=[row[0] for row in rows]).values_list(
            "article_id", "topic_id"
        ):
            topics_of.setdefault(pk, set()).add(topic_id)
        lines = {
            pk: _mix(
                shared_topics(pk, frozenset(topics_of.get(pk, ()))),
                similar(pk, title, lead),
                RELATED_CANDIDATES,
            )
            for pk, title, lead in rows
        }
        _write(lines)
        done += len(lines)
        if report:
            report(f"  read more: {done:,} articles")
