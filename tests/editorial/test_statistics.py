"""The editors' statistics page (/redactie/statistieken/): reading, review and newsletter figures
for the last 7, 30 or 90 days. Editors only, decided in the selectors; every sum in the database."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from podium.accounts.models import User
from podium.articles.models import Article, ArticleEvent
from podium.editorial import selectors
from podium.newsletter import selectors as newsletter_selectors
from podium.newsletter import services as newsletter
from podium.newsletter.models import Subscriber
from podium.stats import selectors as stats
from podium.stats.models import DailyArticleStats
from podium.topics.models import Topic
from tests.podium_helpers import ArticleBuilder, make_user, sign_in

pytestmark = pytest.mark.django_db

URL = "/redactie/statistieken/"


@pytest.fixture
def reader(db: None) -> User:
    """Signed in, has never written anything."""
    return make_user("lezer@example.org", display_name="Lotte Lezer")


def _read(article: Article, days_ago: int, views: int, read_throughs: int = 0) -> None:
    DailyArticleStats.objects.create(
        article=article,
        day=timezone.localdate() - datetime.timedelta(days=days_ago),
        views=views,
        read_throughs=read_throughs,
    )


def _wait(article: Article, action: str, hours: float) -> None:
    """Let the editors' `action` on `article` come `hours` after its submission."""
    submit = ArticleEvent.objects.get(article=article, action=ArticleEvent.Action.SUBMIT)
    ArticleEvent.objects.filter(article=article, action=action).update(
        at=submit.at + datetime.timedelta(hours=hours)
    )


# --- Who may see it -----------------------------------------------------------------------------


def test_the_url_is_the_desks() -> None:
    assert reverse("editorial:statistics") == URL


def test_anonymous_visitor_is_sent_to_sign_in(anonymous_client: Client) -> None:
    response = anonymous_client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_reader_gets_403(reader: User) -> None:
    assert sign_in(Client(), reader).get(URL).status_code == 403


def test_contributor_gets_403(contributor_client: Client) -> None:
    assert contributor_client.get(URL).status_code == 403


def test_editor_sees_the_page(editor_client: Client) -> None:
    response = editor_client.get(URL)
    assert response.status_code == 200
    assert "<h1>Statistieken</h1>" in response.content.decode()


def test_administrator_sees_the_page(admin_client: Client) -> None:
    assert admin_client.get(URL).status_code == 200


@pytest.mark.parametrize("persona", ["anonymous", "reader", "contributor"])
def test_the_selectors_refuse_anyone_but_editors(
    persona: str, reader: User, contributor: User
) -> None:
    from django.contrib.auth.models import AnonymousUser

    by: Any = {"anonymous": AnonymousUser(), "reader": reader, "contributor": contributor}[persona]
    period = stats.Period.last(30)
    calls = [
        lambda: selectors.desk_statistics(by=by, days=30),
        lambda: selectors.review_funnel(by=by, period=period),
        lambda: selectors.new_contributors(by=by, period=period),
        lambda: stats.daily_totals(by=by, period=period),
        lambda: stats.top_articles(by=by, period=period),
        lambda: stats.topic_readings(by=by, period=period),
        lambda: newsletter_selectors.desk_figures(by=by, start=period.start),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()


@pytest.mark.parametrize("persona", ["editor", "admin_user"])
def test_editors_and_administrators_pass_the_selectors(persona: str, request: Any) -> None:
    by = request.getfixturevalue(persona)
    assert selectors.desk_statistics(by=by, days=7).period.days == 7


def test_the_desk_navigation_leads_to_it_and_marks_it(editor_client: Client) -> None:
    page = editor_client.get(URL).content.decode()
    nav = page.split('class="desk-nav"', 1)[1].split("</nav>", 1)[0]
    assert f'<a href="{URL}" aria-current="page">Statistieken</a>' in nav
    assert nav.count('aria-current="page"') == 1
    desk = editor_client.get("/redactie/").content.decode()
    assert f'<a href="{URL}">Statistieken</a>' in desk


# --- What it shows -----------------------------------------------------------------------------


def test_reading_figures_of_the_period(
    make_article: ArticleBuilder,
    contributor: User,
    other_contributor: User,
    topics: list[Topic],
    editor: User,
) -> None:
    popular = make_article(contributor, Article.State.PUBLISHED, topics=topics[:2])
    quiet = make_article(other_contributor, Article.State.PUBLISHED, topics=topics[1:2])
    offline = make_article(contributor, Article.State.OFFLINE, topics=topics[:1])
    _read(popular, 0, 30, 12)
    _read(popular, 5, 10, 3)
    _read(popular, 20, 100, 50)  # outside the 7 days
    _read(quiet, 1, 5, 5)
    _read(offline, 1, 999)  # taken offline: no longer counted

    figures = selectors.desk_statistics(by=editor, days=7)

    assert [r.article for r in figures.top_articles] == [popular, quiet]
    assert (figures.top_articles[0].views, figures.top_articles[0].read_throughs) == (40, 15)
    assert figures.views == 45 and figures.read_throughs == 20
    assert len(figures.days) == 7 and figures.days[-1].views == 30
    by_topic = {t.topic.name if t.topic else None: (t.articles, t.views) for t in figures.topics}
    assert by_topic == {"Arbeidsmarkt": (1, 40), "Financiën": (2, 45)}
    assert [t.topic.name for t in figures.topics if t.topic] == ["Financiën", "Arbeidsmarkt"]

    month = selectors.desk_statistics(by=editor, days=30)
    assert month.views == 145 and month.top_articles[0].views == 140


def test_a_cowritten_article_names_every_author(
    make_article: ArticleBuilder,
    contributor: User,
    other_contributor: User,
    editor: User,
    editor_client: Client,
) -> None:
    from podium.articles import coauthors, services
    from tests.podium_helpers import statement

    draft = make_article(contributor, title="Samen geschreven")
    invitation = coauthors.invite_coauthor(
        article=draft, by=contributor, email=other_contributor.email, language="nl"
    )
    coauthors.accept_invitation(invitation=invitation, by=other_contributor)
    services.submit_article(article=draft, by=contributor, terms=statement())
    services.publish_article(article=draft, by=editor)
    _read(draft, 0, 7)

    page = editor_client.get(URL).content.decode()

    row = page.split("Samen geschreven", 1)[1].split("</tr>", 1)[0]
    assert reverse("editorial:contributor", args=[contributor.pk]) in row
    assert reverse("editorial:contributor", args=[other_contributor.pk]) in row
    assert "Anna de Vries</a> en <a" in row


def test_the_funnel_counts_events_and_times_decisions(
    make_article: ArticleBuilder, contributor: User, trusted_contributor: User, editor: User
) -> None:
    fast = make_article(contributor, Article.State.PUBLISHED)
    _wait(fast, ArticleEvent.Action.PUBLISH, 2)
    slow = make_article(contributor, Article.State.REJECTED)
    _wait(slow, ArticleEvent.Action.REJECT, 60)
    middle = make_article(contributor, Article.State.CHANGES_REQUESTED)
    _wait(middle, ArticleEvent.Action.REQUEST_CHANGES, 20)
    make_article(contributor, Article.State.SUBMITTED)
    make_article(trusted_contributor, Article.State.PUBLISHED)
    old = make_article(contributor, Article.State.REJECTED)
    ArticleEvent.objects.filter(article=old).update(at=timezone.now() - datetime.timedelta(days=40))
    Article.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - datetime.timedelta(3))

    funnel = selectors.review_funnel(by=editor, period=stats.Period.last(30))

    assert funnel.submitted == 5  # four for review, one trusted
    assert (funnel.published, funnel.published_at_once) == (1, 1)
    assert (funnel.changes_requested, funnel.rejected, funnel.withdrawn) == (1, 1, 0)
    assert funnel.decisions == 3 and funnel.within_promise == 2
    assert funnel.median_hours == 20 and funnel.within_promise_percent == 67
    assert (funnel.waiting_now, funnel.overdue_now) == (1, 0)


def test_the_median_of_an_even_number_of_decisions_is_the_mean_of_the_middle_two(
    make_article: ArticleBuilder, contributor: User, editor: User
) -> None:
    for hours in (1, 10, 30, 100):
        _wait(
            make_article(contributor, Article.State.PUBLISHED), ArticleEvent.Action.PUBLISH, hours
        )
    funnel = selectors.review_funnel(by=editor, period=stats.Period.last(7))
    assert funnel.median_hours == 20 and funnel.decisions == 4 and funnel.within_promise == 3


def test_a_resubmission_is_timed_from_the_new_submission(
    make_article: ArticleBuilder, contributor: User, editor: User
) -> None:
    from podium.articles import services
    from tests.podium_helpers import statement

    article = make_article(contributor, Article.State.CHANGES_REQUESTED)
    first = ArticleEvent.objects.get(article=article, action=ArticleEvent.Action.SUBMIT)
    ArticleEvent.objects.filter(pk=first.pk).update(at=timezone.now() - datetime.timedelta(days=5))
    article = services.submit_article(article=article, by=contributor, terms=statement())
    services.publish_article(article=article, by=editor)
    funnel = selectors.review_funnel(by=editor, period=stats.Period.last(7))
    assert funnel.decisions == 2
    assert funnel.within_promise == 1  # the request for changes came five days after the first


def test_new_contributors_are_those_who_signed_up_in_the_period_and_submitted(
    make_article: ArticleBuilder,
    contributor: User,
    other_contributor: User,
    incomplete_contributor: User,
    editor: User,
) -> None:
    User.objects.filter(pk=other_contributor.pk).update(
        date_joined=timezone.now() - datetime.timedelta(days=60)
    )
    published = make_article(contributor, Article.State.PUBLISHED)
    make_article(contributor, Article.State.SUBMITTED)
    make_article(other_contributor, Article.State.SUBMITTED)  # joined long ago
    _read(published, 0, 12)

    rows = selectors.new_contributors(by=editor, period=stats.Period.last(30))

    assert [(r.contributor, r.submitted, r.published, r.views) for r in rows] == [
        (contributor, 2, 1, 12)
    ]  # the one who signed up and wrote nothing is not listed, nor is the editor


def test_newsletter_figures_come_from_the_subscribers_rows(editor: User) -> None:
    now = timezone.now()
    long_ago = now - datetime.timedelta(days=100)
    rows = [
        ("nieuw@example.org", Subscriber.Status.CONFIRMED, now, None, "page"),
        ("oud@example.org", Subscriber.Status.CONFIRMED, long_ago, None, "page"),
        ("weg@example.org", Subscriber.Status.UNSUBSCRIBED, long_ago, now, "page"),
        ("kapot@example.org", Subscriber.Status.SUPPRESSED, long_ago, now, "page"),
        ("lijst@example.org", Subscriber.Status.CONFIRMED, long_ago, None, "import"),
    ]
    for email, status, confirmed_at, left_at, source in rows:
        Subscriber.objects.create(
            email=email,
            status=status,
            consent_at=confirmed_at,
            confirmed_at=confirmed_at,
            left_at=left_at,
            consent_source=source,
        )
    Subscriber.objects.create(email="wacht@example.org", consent_at=now)

    figures = newsletter_selectors.desk_figures(by=editor, start=now - datetime.timedelta(days=7))

    assert figures == newsletter_selectors.ListFigures(
        confirmed=1,  # the import keeps the moment of its original consent, long ago
        pending=1,
        unsubscribed=1,
        suppressed=1,
        imported=1,  # made now
        editions_sent=0,
        confirmed_now=3,
    )


def test_the_page_shows_every_section_in_dutch_with_captions(
    make_article: ArticleBuilder, contributor: User, editor: User, editor_client: Client
) -> None:
    article = make_article(contributor, Article.State.PUBLISHED, title="Een veelgelezen stuk")
    _read(article, 1, 25, 10)
    newsletter.subscribe_user(by=contributor, consent_text="Ja")

    page = editor_client.get(URL, {"days": "7"}).content.decode()

    assert 'value="7" id="id_days_0" required checked' in page  # the form shows the choice
    assert "Een veelgelezen stuk" in page and "Anna de Vries" in page
    assert page.count("<caption") >= 5
    assert 'role="img" aria-label="Weergaven per dag' in page
    assert "Ingediend" in page and "Nieuwsbrief" in page
    assert "Nieuwe abonnees (bevestigd)" in page  # the newsletter's panel
    assert "Bevestigde abonnees nu: 1." in page
    assert "geopend" in page  # says plainly that opens are not tracked
    assert "40% uitgelezen" in page


def test_the_period_choices_follow_the_language_of_the_request(
    editor_client: Client, settings: Any
) -> None:
    """The choices are translated per request, not once when the form class is defined."""
    assert "Laatste 7 dagen" in editor_client.get(URL).content.decode()
    editor_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = editor_client.get(URL).content.decode()
    assert "Last 7 days" in english and "Laatste" not in english
    assert "<h1>Statistics</h1>" in english and "Subscribers and editions" in english


def test_an_unknown_period_falls_back_to_30_days(editor_client: Client) -> None:
    response = editor_client.get(URL, {"days": "5"})
    assert response.status_code == 200
    assert response.context["figures"].period.days == 30


def test_the_page_runs_a_fixed_number_of_queries(
    make_article: ArticleBuilder,
    contributor: User,
    other_contributor: User,
    editor_client: Client,
    topics: list[Topic],
    django_assert_max_num_queries: Any,
) -> None:
    def more(n: int) -> None:
        for i in range(n):
            author = contributor if i % 2 else other_contributor
            article = make_article(
                author, Article.State.PUBLISHED, topics=topics[i % 3 : i % 3 + 2]
            )
            _read(article, i % 7, 10 + i, i)
            make_article(author, Article.State.REJECTED)
            Subscriber.objects.create(
                email=f"lezer{Subscriber.objects.count()}@example.org", consent_at=timezone.now()
            )

    more(4)
    editor_client.get(URL)
    with django_assert_max_num_queries(16) as captured:
        editor_client.get(URL)
    few = len(captured.captured_queries)
    more(8)
    with django_assert_max_num_queries(few):
        editor_client.get(URL)
