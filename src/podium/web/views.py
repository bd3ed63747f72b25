"""The public site: home, articles, topics and authors. Every page runs a fixed number of queries."""

from __future__ import annotations

from collections.abc import Sized
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from podium.accounts.models import User
from podium.articles import listing, search
from podium.articles import rules as article_rules
from podium.articles.models import Article
from podium.articles.selectors import (
    contributor_cards,
    contributor_directory,
    has_published,
    listed_by_author,
    listed_in_topic,
    moved_article_url,
    topics_with_counts,
)
from podium.delivery import reads
from podium.delivery.reads import Bounded, Listing, ListingPaginator
from podium.editorial.selectors import home_placements, picks
from podium.stats import selectors as stats_selectors
from podium.stats.selectors import most_read
from podium.topics.models import Topic

from .forms import SearchForm

PAGE_SIZE = 12  # articles per page of a listing
AUTHORS_PAGE_SIZE = 24  # contributors per page of the directory (/auteurs/)
# The directory counts its contributors up to this many ("more than 500 contributors"): one
# index probe per account counted.
CONTRIBUTORS_COUNT_LIMIT = 500
TOPIC_COUNT_LIMIT = 100  # the topics page counts each topic's articles up to this many


def _page(request: HttpRequest, articles: Listing | search.SearchResults) -> Page[Any]:
    # Listing and SearchResults offer count(), len() and slicing, all that Paginator uses; the
    # stubs' protocol also asks for iteration and integer indexing, which Paginator never does.
    # A listing's count may stop at its limit: ListingPaginator pages on past it.
    paginator: Paginator[Any] = (
        ListingPaginator(articles, PAGE_SIZE)
        if isinstance(articles, Listing)
        else Paginator(articles, PAGE_SIZE)  # type: ignore[arg-type]
    )
    return paginator.get_page(request.GET.get("pagina"))


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The editors' placements first (lead slot on top), then the latest publications not already
    shown, then the most read of the last two weeks. Read fresh on every request: a change on the
    desk shows at once."""
    featured = [placement.article for placement in home_placements()]
    shown = [article.pk for article in featured]
    latest = listing.page(listing.Selection(exclude=tuple(shown)), 0, PAGE_SIZE)
    if not featured and latest:
        featured, latest = latest[:1], latest[1:]
    return render(
        request,
        "web/home.html",
        {
            "lead_article": featured[0] if featured else None,
            "featured": featured[1:],
            "articles": latest,
            "most_read": list(most_read(limit=5)),
            "most_read_days": stats_selectors.MOST_READ_DAYS,
            "topics": list(Topic.objects.all()),
        },
    )


@require_GET
def article_list(request: HttpRequest) -> HttpResponse:
    page = _page(request, Listing(listing.Selection(), name="articles"))
    return render(request, "web/article_list.html", {"page": page})


def _topics(article: Article, related: Sized) -> list[Topic]:
    # Read with the related articles' topics, in one query, and prefetched onto the article: the
    # JSON-LD reads article.topics too. Both are needed by the same page fragments, which are
    # rendered together, so whichever is asked first reads both.
    len(related)
    return list(article.topics.all())


@require_GET
def article(request: HttpRequest, slug: str) -> HttpResponse:
    """The article and its "read more". Their HTML is the same for every reader (the template
    marks it as a page fragment), so the topics and the related articles are read lazily: only
    when that part has to be rendered."""
    try:
        article = reads.published_article(slug)
    except Http404:
        # A retitled article's earlier address: readers' links and search engines follow it on.
        moved_to = moved_article_url(slug)
        if moved_to is None:
            raise
        return redirect(moved_to, permanent=True)
    related = SimpleLazyObject(lambda: reads.related_articles(article, with_own_topics=True))
    return render(
        request,
        "web/article.html",
        {
            "article": article,
            "author": article.author,
            "topics": SimpleLazyObject(lambda: _topics(article, related)),
            "related": related,
        },
    )


@require_GET
def topic_list(request: HttpRequest) -> HttpResponse:
    """Every topic with its number of articles, counted up to TOPIC_COUNT_LIMIT ("more than 100
    articles" beyond it): the page costs the same at 1,000 and at 100,000 articles."""
    topics = topics_with_counts(TOPIC_COUNT_LIMIT)
    # By the name the reader sees: English pages list the English names alphabetically.
    ordered = sorted(topics, key=lambda t: t.label.casefold())
    return render(
        request, "web/topic_list.html", {"topics": ordered, "count_limit": TOPIC_COUNT_LIMIT}
    )


@require_GET
def topic(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic, slug=slug)
    page = _page(request, Listing(listed_in_topic(topic.pk), name=f"topic:{topic.pk}"))
    return render(request, "web/topic.html", {"topic": topic, "page": page})


@require_GET
def author_list(request: HttpRequest) -> HttpResponse:
    """The contributor directory: everyone with published work, by name, paged (counted up to
    CONTRIBUTORS_COUNT_LIMIT); `?onderwerp=` narrows it to the contributors who name that topic
    as their expertise."""
    topics = sorted(Topic.objects.all(), key=lambda t: t.label.casefold())
    chosen = request.GET.get("onderwerp", "")
    topic = next((t for t in topics if t.slug == chosen), None)
    if chosen and topic is None:
        raise Http404
    directory = Bounded[User](
        contributor_directory(topic),
        name=f"contributors:{topic.pk if topic else ''}",
        limit=CONTRIBUTORS_COUNT_LIMIT,
        rows=contributor_cards,
    )
    page = ListingPaginator(directory, AUTHORS_PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = f"onderwerp={topic.slug}&" if topic else ""
    return render(
        request,
        "web/author_list.html",
        {"page": page, "topics": topics, "topic": topic, "page_query": query},
    )


@require_GET
def author(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        author = User.objects.get(slug=slug, is_active=True)
    except User.DoesNotExist:
        raise Http404 from None
    page = _page(request, Listing(listed_by_author(author), name=f"author:{author.pk}"))
    if not page.object_list and not has_published(author):
        # Profiles become public with their first publication.
        raise Http404
    return render(
        request,
        "web/author.html",
        {"author": author, "page": page, "expertise": list(author.expertise.all())},
    )


@require_GET
def photo(request: HttpRequest, name: str) -> FileResponse:
    """A profile photo (a private file, issue #19): to anyone where the owner's public page shows
    it (an active author with a published article), otherwise only to the owner and the editors;
    404 for everyone else, so the address says nothing about whose photo it is."""
    owner = get_object_or_404(User.objects.only("pk", "photo", "is_active"), photo=f"photos/{name}")
    public = owner.is_active and has_published(owner)
    viewer = request.user
    if not public and not (
        viewer.is_authenticated and (viewer.pk == owner.pk or getattr(viewer, "is_editor", False))
    ):
        raise Http404
    try:
        handle = owner.photo.storage.open(str(owner.photo.name), "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    # The name changes with every upload, but whether it may be shown can change (a withdrawn
    # last article, a deleted account): browsers keep it an hour, shared caches a minute.
    response["Cache-Control"] = (
        "public, max-age=3600, s-maxage=60" if public else "private, max-age=300"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox; frame-ancestors 'none'"
    return response


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    """/zoeken/?q=…: ranked results with highlighted snippets, filtered by topic and period. Odd
    queries find nothing rather than fail; a filter the reader garbled is dropped and said so."""
    data = request.GET.copy()
    data["q"] = data.get("q", "").replace("\x00", " ")  # a form would refuse it; search ignores it
    form = SearchForm(data)
    form.is_valid()
    query = str(form.value("q") or "")
    topic = form.value("onderwerp")
    filters = search.Filters(topic_id=getattr(topic, "pk", None), since=form.since())
    results = reads.search_results(query, filters)
    page = _page(request, results) if query else None
    params = request.GET.copy()
    params.pop("pagina", None)
    return render(
        request,
        "web/search.html",
        {
            "form": form,
            "query": query,
            "search_query": query,
            "has_terms": search.has_terms(query),
            "has_more": query and results.has_more,
            "page": page,
            "page_query": params.urlencode(),
            "topics": list(Topic.objects.all()) if query and not results.count() else [],
        },
    )


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in ROBOTS_DISALLOW),
        f"Sitemap: {settings.SITE_URL}{reverse('web:sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def write_for_podium(request: HttpRequest) -> HttpResponse:
    """What Podium is, who writes, what the editors look for and how the review goes, with three
    example articles (the editors' latest picks, else the latest publications); then sign up."""
    examples = [pick.article for pick in picks("newsletter").reverse()[:3]]
    if len(examples) < 3:
        shown = [a.pk for a in examples]
        examples += list(
            Article.objects.published()
            .exclude(pk__in=shown)
            .select_related("author")
            .newest_first()[: 3 - len(examples)]
        )
    return render(
        request,
        "web/write_for_podium.html",
        {
            "examples": examples,
            "review_days": max(1, -(-article_rules.REVIEW_SLA_HOURS // 24)),
            "max_chars": article_rules.BODY_MAX_CHARS,
        },
    )


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask /favicon.ico whatever the page says: send them to the static file."""
    return redirect(static("podium/icons/favicon.ico"), permanent=True)


@require_GET
def web_manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest (name, colours, icons) for "add to home screen"."""
    icons = [
        {"src": static("podium/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("podium/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("podium/icons/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    manifest = {
        "name": "Podium",
        "short_name": "Podium",
        "description": str(_("Podium: professionals write about developments in their field.")),
        "lang": get_language() or settings.LANGUAGE_CODE,
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#fdfcf9",
        "theme_color": "#8a1c2b",
        "icons": icons,
    }
    return JsonResponse(
        manifest,
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


# Personal and editorial pages, and search results (endless, thin pages), stay out of indexes.
ROBOTS_DISALLOW = ["/profiel/", "/redactie/", "/beheer/", "/account/", "/zoeken/", "/inzage/"]
