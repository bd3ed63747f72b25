"""Reads for public pages, kept by the delivery layer: the web views ask these as they would ask a
selector, and never see a cache, a generation or a size.

Everything here is kept under the page cache's generation of the request being served
(`pagecache.kept`), so it is computed once per change of what readers see, not once per request;
outside a request, or with the page cache off, it is simply computed. "Read more" is the
exception: its lines are stored with the article when it is published (`articles.related`), and
re-read as what is published now on every render."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet

from podium.articles import listing, related, search
from podium.articles.models import Article
from podium.articles.selectors import get_published_article

from . import pagecache


def published_article(slug: str) -> Article:
    """`get_published_article(slug)` (Http404 for anything not published), kept in this process's
    memory only: a model instance with its author's account is never pickled into the shared
    store. Any change readers could see starts a new generation, so the row is read once per
    generation in each process, not on every signed-in request."""
    return pagecache.kept(
        f"published-article:{slug}",
        lambda: get_published_article(slug, with_topics=False),
        shared=False,
        size=lambda found: len(found.body) + len(found.lead) + 4096,
    )


# A listing counts its articles up to this many (50 pages of 12): counting is then bounded work
# at any size (a topic's count walks about six times as many index entries, ~1-3 ms on
# PostgreSQL), and a longer listing says "page 3 of more than 50". Its deeper pages are still
# there (an index walk to the page), only their number is not counted.
LISTING_COUNT_LIMIT = 600


class Counted[T]:
    """A list for `ListingPaginator`: counted up to `limit` (`has_more` says whether there are
    more), so counting is bounded work however long it is. The count is the same for every page
    and is kept under the generation (counted once per change rather than once per page), and
    read once per instance. `name` says which list it is (one count per name). Subclasses count
    (`_count_up_to`) and slice."""

    def __init__(self, *, name: str, limit: int) -> None:
        self.name = name
        self.limit = limit
        self._count: int | None = None

    def _count_up_to(self, limit: int) -> int:
        """The number of rows, counted up to `limit`."""
        raise NotImplementedError

    def expect(self, start: int, stop: int) -> None:
        """The rows from `start` to `stop` are what will be asked for (`ListingPaginator`): a
        list that can read them with its count does so, if it has to count."""

    def _counted(self) -> int:
        """The number of rows, counted up to one past the limit."""
        if self._count is None:
            limit = self.limit
            self._count = pagecache.kept(
                f"count:{self.name}:{limit}", lambda: self._count_up_to(limit + 1)
            )
        return self._count

    def count(self) -> int:
        """The number of rows, at most `limit`."""
        return min(self._counted(), self.limit)

    @property
    def has_more(self) -> bool:
        """More rows than `count()` says."""
        return self._counted() > self.limit

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: slice) -> list[T]:
        raise NotImplementedError


class Bounded[T](Counted[T]):
    """A queryset for `ListingPaginator`, counted up to `limit` (see `Counted`)."""

    def __init__(
        self,
        queryset: QuerySet[Any],
        *,
        name: str,
        limit: int,
        rows: Callable[[QuerySet[Any]], QuerySet[Any]] | None = None,
    ) -> None:
        super().__init__(name=name, limit=limit)
        self.queryset = queryset
        # Given the page's ids (a subquery), the page's rows with whatever they show: what only
        # the page shows is then computed for its rows alone, not for every row walked past.
        self.rows = rows

    def _count_up_to(self, limit: int) -> int:
        return self.queryset.order_by().values("pk")[:limit].count()

    def __getitem__(self, key: slice) -> list[T]:
        if not isinstance(key, slice):
            raise TypeError(f"{type(self).__name__} only supports slicing")
        if self.rows is None:
            return list(self.queryset[key])
        ordering = self.queryset.query.order_by
        return list(self.rows(self.queryset.values("pk")[key]).order_by(*ordering))


class Listing(Counted[Article]):
    """Published articles in their listing order (a `listing.Selection`: all, a topic's, an
    author's), paged by `ListingPaginator`: the page's ids are taken in a subquery that only
    walks indexes (state + publication time, and for a topic the topic table's (topic, article)
    index), and only those rows are read; the rows skipped over are never loaded. Counted up to
    LISTING_COUNT_LIMIT, so a listing costs the same at 1,000 and at 100,000 articles. Both
    statements' SQL is built once per process (`articles.listing`)."""

    def __init__(self, selection: listing.Selection, *, name: str) -> None:
        super().__init__(name=name, limit=LISTING_COUNT_LIMIT)
        self.selection = selection
        self._expected: tuple[int, int] | None = None
        self._read: tuple[int, int, list[Article]] | None = None

    def expect(self, start: int, stop: int) -> None:
        self._expected = (start, stop)

    def _count_up_to(self, limit: int) -> int:
        if self._expected is not None and self._read is None:
            # Counting (the page cache is off, or the count is not kept): the expected page is
            # read in the same statement, one round trip for both.
            start, stop = self._expected
            rows, counted = listing.page_and_count(self.selection, start, stop, limit)
            self._read = (start, stop, rows)
            return counted
        return listing.count(self.selection, limit)

    def __getitem__(self, key: slice) -> list[Article]:
        if not isinstance(key, slice) or key.step is not None:
            raise TypeError("Listing only supports slicing")
        start, stop = key.start or 0, key.stop
        if stop is None or start < 0 or stop < 0:
            raise TypeError("Listing only supports slices with a start and a stop")
        if self._read is not None:
            read_start, read_stop, rows = self._read
            if start == read_start and stop <= read_stop:
                return rows[: stop - start]
        return listing.page(self.selection, start, stop)


if TYPE_CHECKING:
    _Page = Page[Any]
    _Paginator = Paginator[Any]
else:  # not subscriptable at run time
    _Page, _Paginator = Page, Paginator


class ListingPage(_Page):
    """A page of a `Counted` list; past the counted pages, whether a next page follows is read
    with the page (one row more)."""

    def __init__(self, rows: list[Any], number: int, paginator: ListingPaginator) -> None:
        per_page = paginator.per_page
        self.older = len(rows) > per_page
        super().__init__(rows[:per_page], number, paginator)

    def has_next(self) -> bool:
        if self.number >= self.paginator.num_pages and self.paginator.more:  # type: ignore[attr-defined]
            return self.older
        return super().has_next()


class ListingPaginator(_Paginator):
    """Django's Paginator over a `Counted` list whose count may stop at its limit: then `more`
    is true, `num_pages` is the number of full pages counted ("page 3 of more than 50"),
    and any page past them that has articles is served (a reader following "Older", an old
    link); a page past the end falls back to the last counted page, as Django's `get_page`
    falls back to the last page."""

    def __init__(self, listing: Counted[Any], per_page: int) -> None:
        super().__init__(listing, per_page)  # type: ignore[arg-type]
        self.listing = listing

    @property
    def more(self) -> bool:
        return self.listing.has_more

    @property
    def num_pages(self) -> int:
        if self.more:
            return self.count // self.per_page
        return super().num_pages

    def validate_number(self, number: Any) -> int:
        if not self.more:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def get_page(self, number: Any) -> ListingPage:  # type: ignore[override]
        try:
            expected = int(number) if number is not None else 1
        except (TypeError, ValueError):
            expected = 1  # what an address that is not a page number gets
        if expected >= 1:
            # The page (one row more, as past the counted pages) can come with the count.
            bottom = (expected - 1) * self.per_page
            self.listing.expect(bottom, bottom + self.per_page + 1)
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self.page(max(self.num_pages, 1))

    def page(self, number: Any) -> ListingPage:  # type: ignore[override]
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = self.listing[bottom : bottom + self.per_page + (1 if self.more else 0)]
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return ListingPage(rows, number, self)


def search_results(query: str, filters: search.Filters) -> search.SearchResults:
    """`search.search`, with the ordering and each page's snippets kept under the generation: the
    next page and the next reader with the same query cost one cache read."""
    return search.search(query, filters, keep=pagecache.kept)


def related_articles(
    article: Article, *, limit: int = 3, with_own_topics: bool = False
) -> list[Article]:
    """Published articles a reader of `article` may want next ("Lees verder"), ready for teasers:
    the stored lines read as what is published now, so nothing taken down is ever shown; the
    newest of its topics until they are computed (never the computation itself). With
    `with_own_topics`, `article`'s own topics are read in the same query as theirs."""
    along = [article] if with_own_topics else []
    stored = related.stored_articles(article, limit=limit, topics_along=along)
    if stored is None:
        return related.fallback_articles(article, limit=limit, topics_along=along)
    return stored
