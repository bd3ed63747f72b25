"""Home page placements, picks and their notices: per role, with the impossible requests refused."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from podium.accounts.models import User
from podium.articles.models import Article
from podium.editorial import selectors, services
from podium.editorial.models import CurationNotice, Pick, Placement
from tests.podium_helpers import ArticleBuilder, give_header_images

pytestmark = pytest.mark.django_db
State = Article.State
NOW = timezone.now


def _three(make_article: ArticleBuilder, author: User) -> list[Article]:
    return [make_article(author, State.PUBLISHED) for _ in range(3)]


# --- Placing --------------------------------------------------------------------------------


def test_editor_places_an_article_and_the_author_is_told(
    published_article: Article, editor: User, django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        placement = services.place_on_home(article=published_article, by=editor)
    assert placement.position == 0 and placement.placed_by == editor
    notice = CurationNotice.objects.get(article=published_article)
    assert notice.kind == CurationNotice.Kind.FEATURED
    assert [m.to for m in mail.outbox] == [[published_article.author.email]]
    assert published_article.title in mail.outbox[0].body


@pytest.mark.parametrize("persona", ["contributor", "other_contributor", "trusted_contributor"])
def test_non_editors_cannot_place(
    persona: str, published_article: Article, request: pytest.FixtureRequest
) -> None:
    with pytest.raises(PermissionDenied):
        services.place_on_home(article=published_article, by=request.getfixturevalue(persona))
    assert not Placement.objects.exists()


def test_admin_can_place(published_article: Article, admin_user: User) -> None:
    assert services.place_on_home(article=published_article, by=admin_user).pk


@pytest.mark.parametrize("state", [State.DRAFT, State.SUBMITTED, State.REJECTED, State.OFFLINE])
def test_unpublished_articles_cannot_be_placed(
    state: str, make_article: ArticleBuilder, contributor: User, editor: User
) -> None:
    article = make_article(contributor, state)
    with pytest.raises(ValidationError) as exc:
        services.place_on_home(article=article, by=editor)
    assert exc.value.code == "not_published"
    assert not Placement.objects.exists()


def test_placement_that_ends_before_it_starts_is_refused(
    published_article: Article, editor: User
) -> None:
    start = NOW() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as exc:
        services.place_on_home(
            article=published_article,
            by=editor,
            starts_at=start,
            ends_at=start - datetime.timedelta(hours=1),
        )
    assert exc.value.code == "ends_before_start"
    with pytest.raises(ValidationError):
        services.place_on_home(
            article=published_article, by=editor, ends_at=NOW() - datetime.timedelta(minutes=1)
        )
    assert not Placement.objects.exists()


def test_placing_twice_is_refused(published_article: Article, editor: User) -> None:
    services.place_on_home(article=published_article, by=editor)
    with pytest.raises(ValidationError) as exc:
        services.place_on_home(article=published_article, by=editor)
    assert exc.value.code == "already_placed"


def test_place_view_shows_the_error_and_keeps_the_input(
    published_article: Article, editor_client: Client
) -> None:
    response = editor_client.post(
        reverse("editorial:place", args=[published_article.pk]),
        {"placement-starts_at": "2030-05-02T10:00", "placement-ends_at": "2030-05-01T10:00"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "2030-05-01T10:00" in html
    assert not Placement.objects.exists()


def test_place_view_for_contributor_is_403(
    published_article: Article, contributor_client: Client
) -> None:
    response = contributor_client.post(reverse("editorial:place", args=[published_article.pk]))
    assert response.status_code == 403


# --- Ordering -------------------------------------------------------------------------------


def test_reorder_with_the_order_seen(
    make_article: ArticleBuilder, contributor: User, editor: User
) -> None:
    a, b, c = (
        services.place_on_home(article=x, by=editor) for x in _three(make_article, contributor)
    )
    services.reorder_placements(order=[c.pk, a.pk, b.pk], seen=[a.pk, b.pk, c.pk], by=editor)
    assert services.current_order() == [c.pk, a.pk, b.pk]


def test_reorder_based_on_an_old_order_is_refused(
    make_article: ArticleBuilder, contributor: User, editor: User
) -> None:
    a, b, c = (
        services.place_on_home(article=x, by=editor) for x in _three(make_article, contributor)
    )
    services.reorder_placements(order=[b.pk, a.pk, c.pk], seen=[a.pk, b.pk, c.pk], by=editor)
    with pytest.raises(services.StaleOrder) as exc:
        services.reorder_placements(order=[c.pk, b.pk, a.pk], seen=[a.pk, b.pk, c.pk], by=editor)
    assert exc.value.current == [b.pk, a.pk, c.pk]
    assert services.current_order() == [b.pk, a.pk, c.pk]


def test_reorder_must_name_every_placement_once(
    make_article: ArticleBuilder, contributor: User, editor: User
) -> None:
    a, b, _c = (
        services.place_on_home(article=x, by=editor) for x in _three(make_article, contributor)
    )
    seen = services.current_order()
    with pytest.raises(ValidationError):
        services.reorder_placements(order=[a.pk, a.pk, b.pk], seen=seen, by=editor)


def test_move_buttons_without_javascript(
    make_article: ArticleBuilder, contributor: User, editor: User, editor_client: Client
) -> None:
    a, b, c = (
        services.place_on_home(article=x, by=editor) for x in _three(make_article, contributor)
    )
    seen = f"{a.pk},{b.pk},{c.pk}"
    response = editor_client.post(
        reverse("editorial:move", args=[c.pk]), {"direction": "up", "seen": seen}
    )
    assert response.status_code == 302
    assert services.current_order() == [a.pk, c.pk, b.pk]
    # The same button on the now stale page: refused with a message, nothing changes.
    response = editor_client.post(
        reverse("editorial:move", args=[c.pk]), {"direction": "up", "seen": seen}, follow=True
    )
    assert (
        "Another editor changed the home page" in response.content.decode()
        or "Een andere redacteur" in response.content.decode()
    )
    assert services.current_order() == [a.pk, c.pk, b.pk]


def test_reorder_view_with_garbled_order(editor_client: Client) -> None:
    response = editor_client.post(
        reverse("editorial:reorder"), {"order": "1,x", "seen": ""}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("editorial:home_page")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous_client", 302),
        ("contributor_client", 403),
        ("editor_client", 200),
        ("admin_client", 200),
    ],
)
def test_home_page_desk_per_role(persona: str, status: int, request: pytest.FixtureRequest) -> None:
    client: Client = request.getfixturevalue(persona)
    assert client.get(reverse("editorial:home_page")).status_code == status


def test_remove_and_change_times(
    published_article: Article, editor: User, editor_client: Client
) -> None:
    placement = services.place_on_home(article=published_article, by=editor)
    response = editor_client.post(
        reverse("editorial:placement_times", args=[placement.pk]),
        {"placement-starts_at": "", "placement-ends_at": "2000-01-01T10:00"},
    )
    assert response.status_code == 200 and "placement-ends_at" in response.content.decode()
    editor_client.post(
        reverse("editorial:placement_times", args=[placement.pk]),
        {"placement-ends_at": "2099-01-01T10:00"},
    )
    placement.refresh_from_db()
    assert placement.ends_at is not None and placement.ends_at.year == 2099
    editor_client.post(reverse("editorial:unplace", args=[placement.pk]))
    assert not Placement.objects.exists()


# --- The home page --------------------------------------------------------------------------


def test_home_page_shows_placements_then_latest_then_most_read(
    make_article: ArticleBuilder, contributor: User, editor: User, anonymous_client: Client
) -> None:
    old, middle, newest = _three(make_article, contributor)
    services.place_on_home(article=old, by=editor)
    services.place_on_home(article=middle, by=editor)
    seen = services.current_order()
    services.reorder_placements(order=list(reversed(seen)), seen=seen, by=editor)
    response = anonymous_client.get(reverse("web:home"))
    context = response.context
    assert context["lead_article"] == middle
    assert context["featured"] == [old]
    assert context["articles"] == [newest]  # not repeating what is featured
    html = response.content.decode()
    assert html.index(middle.title) < html.index(old.title) < html.index(newest.title)


def test_home_page_leaves_out_ended_future_and_offline_placements(
    make_article: ArticleBuilder, contributor: User, editor: User, anonymous_client: Client
) -> None:
    ended, future, offline, current = (make_article(contributor, State.PUBLISHED) for _ in range(4))
    services.place_on_home(article=future, by=editor, starts_at=NOW() + datetime.timedelta(days=1))
    p = services.place_on_home(article=ended, by=editor)
    Placement.objects.filter(pk=p.pk).update(ends_at=NOW() - datetime.timedelta(minutes=1))
    services.place_on_home(article=offline, by=editor)
    services.place_on_home(article=current, by=editor)
    from podium.articles.services import withdraw_article

    withdraw_article(article=offline, by=contributor)
    assert [p.article for p in selectors.home_placements()] == [current]
    assert anonymous_client.get(reverse("web:home")).context["lead_article"] == current


def test_home_page_without_placements_leads_with_the_latest(
    make_article: ArticleBuilder, contributor: User, anonymous_client: Client
) -> None:
    first, second = (
        make_article(contributor, State.PUBLISHED),
        make_article(contributor, State.PUBLISHED),
    )
    context = anonymous_client.get(reverse("web:home")).context
    assert context["lead_article"] == second
    assert context["articles"] == [first]


def test_home_page_query_count_with_placements_and_most_read(
    make_article: ArticleBuilder,
    contributor: User,
    editor: User,
    anonymous_client: Client,
    django_assert_num_queries: Any,
) -> None:
    from podium.stats.models import DailyArticleStats

    articles = [make_article(contributor, State.PUBLISHED) for _ in range(4)]
    give_header_images(articles, contributor)  # the cards' pictures are joined, not looked up
    for article in articles[:2]:
        services.place_on_home(article=article, by=editor)
    for article in articles:
        DailyArticleStats.objects.create(article=article, day=timezone.localdate(), views=3)
    # placements (article + author joined); latest; most read (the window's ranking from the
    # daily rows, then the winners' rows with their authors: the list shows no topics); topics.
    # The co-authors and the topics of each list ride in its articles' rows
    # (articles.models.byline_column, topics_column): no query of their own (they were one per
    # list each before).
    with django_assert_num_queries(5):
        response = anonymous_client.get(reverse("web:home"))
    assert len(response.context["most_read"]) == 4
    page = response.content.decode()
    assert page.count('class="teaser-picture"') == page.count('<article class="teaser') == 4


# --- Picks ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [Pick.Kind.NEWSLETTER, Pick.Kind.BESTOF])
def test_pick_records_who_and_when_and_tells_the_author(
    kind: str, published_article: Article, editor: User, django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        pick = services.pick_article(article=published_article, kind=kind, by=editor)
    assert pick.picked_by == editor and pick.picked_at is not None
    assert CurationNotice.objects.get(article=published_article).kind == kind
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [published_article.author.email]
    assert list(selectors.picks(kind)) == [pick]


def test_pick_of_an_unpublished_article_is_refused(
    make_article: ArticleBuilder, contributor: User, editor: User
) -> None:
    article = make_article(contributor, State.SUBMITTED)
    with pytest.raises(ValidationError):
        services.pick_article(article=article, kind=Pick.Kind.NEWSLETTER, by=editor)
    assert not Pick.objects.exists() and not CurationNotice.objects.exists()


def test_pick_views_per_role(
    published_article: Article, editor_client: Client, contributor_client: Client
) -> None:
    url = reverse("editorial:pick", args=[published_article.pk, "newsletter"])
    assert contributor_client.post(url).status_code == 403
    assert editor_client.post(url).status_code == 302
    response = editor_client.post(url, follow=True)  # twice: a clear message, still one pick
    assert Pick.objects.count() == 1
    assert response.status_code == 200
    assert (
        editor_client.post(
            reverse("editorial:pick", args=[published_article.pk, "nonsense"])
        ).status_code
        == 404
    )
    unpick = reverse("editorial:unpick", args=[published_article.pk, "newsletter"])
    assert contributor_client.post(unpick).status_code == 403
    assert (
        editor_client.post(
            reverse("editorial:unpick", args=[published_article.pk, "nonsense"])
        ).status_code
        == 404
    )
    assert Pick.objects.count() == 1
    editor_client.post(unpick)
    assert not Pick.objects.exists()


def test_pick_and_unpick_say_what_they_did_for_which_stage(
    published_article: Article, editor_client: Client
) -> None:
    def message(name: str) -> list[str]:
        url = reverse(name, args=[published_article.pk, "newsletter"])
        return [str(m) for m in editor_client.post(url, follow=True).context["messages"]]

    with translation.override("nl"):
        stage = Pick.Kind.NEWSLETTER.label
        assert message("editorial:pick") == [
            gettext("Picked for %(stage)s; the author has been told.") % {"stage": stage}
        ]
        assert message("editorial:unpick") == [
            gettext("The pick for %(stage)s is undone.") % {"stage": stage}
        ]


def test_review_page_shows_stage_and_assistant(
    published_article: Article, editor_client: Client
) -> None:
    html = editor_client.get(
        reverse("editorial:review", args=[published_article.pk])
    ).content.decode()
    assert reverse("editorial:place", args=[published_article.pk]) in html
    assert reverse("editorial:pick", args=[published_article.pk, "bestof"]) in html
    assert 'id="assistant-title"' in html
    assert "Flesch" in html


def test_notices_show_on_the_contributors_dashboard(
    published_article: Article, editor: User, contributor_client: Client, other_client: Client
) -> None:
    services.pick_article(article=published_article, kind=Pick.Kind.BESTOF, by=editor)
    html = contributor_client.get(reverse("articles:dashboard")).content.decode()
    assert 'id="notices-title"' in html and published_article.title in html
    assert (
        'id="notices-title"' not in other_client.get(reverse("articles:dashboard")).content.decode()
    )
