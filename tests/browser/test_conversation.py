"""The conversation in a browser, without JavaScript for the author: the editor takes the
submission on, asks a question and writes an internal note on the review page; the author reads
the question (not the note) under Activiteiten, answers, and the desk filters on "mine".
Screenshots at 1280 and 375 px."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from podium.accounts import roles
from podium.accounts.models import User
from podium.articles import services
from podium.articles.models import Article, Message
from podium.articles.services import ArticleText
from podium.topics.models import Topic
from tests.podium_helpers import make_user, sign_in, statement

from .support import screenshot

sync_api = pytest.importorskip("playwright.sync_api")

BODY = "<p>Wie vandaag talent zoekt, moet anders kijken naar werk. Teams die leren, winnen.</p>"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _without_javascript(browser: Any, live_server: Any, user: User, width: int) -> Any:
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="nl-NL", java_script_enabled=False
    )
    client = sign_in(Client(), user)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def test_the_conversation_without_javascript(
    browser: Any, open_page: Any, live_server: Any, transactional_db: None
) -> None:
    editor = make_user("eva@example.org", display_name="Eva Redacteur", role=roles.EDITORS)
    author = make_user(
        "anna@example.org", display_name="Anna de Vries", bio="Anna schrijft.", slug="anna"
    )
    topic = Topic.objects.create(name="Arbeidsmarkt", slug="arbeidsmarkt")
    article = services.submit_article(
        article=services.save_draft(
            by=author,
            text=ArticleText(
                title="Talent zit vaak al in huis",
                lead="Kijk eerst binnen.",
                body=BODY,
                topics=[topic],
            ),
        ),
        by=author,
        terms=statement("aid", "Spellingcontrole."),
    )

    desk = open_page(editor)
    desk.goto(live_server.url + reverse("editorial:review", args=[article.pk]))
    assert "Spellingcontrole." in desk.content()  # the author's statement
    desk.get_by_role("button", name="Ik neem het in behandeling").click()
    assert "In behandeling bij Eva Redacteur." in desk.content()
    desk.locator("textarea[name=message-body]").fill("Kunt u een voorbeeld uit de zorg geven?")
    desk.get_by_role("button", name="Naar de auteur sturen").click()
    desk.locator("textarea[name=note-body]").fill("Interne twijfel: lijkt op een stuk van mei.")
    desk.get_by_role("button", name="Interne notitie toevoegen").click()
    thread = desk.locator("#gesprek").inner_text()
    assert "Kunt u een voorbeeld uit de zorg geven?" in thread
    assert "Interne twijfel" in thread
    screenshot(desk, "conversation-01-review-1280")
    assert desk.js_errors == []

    for width in (1280, 375):
        page = _without_javascript(browser, live_server, author, width)
        page.goto(live_server.url + reverse("articles:conversation", args=[article.pk]))
        content = page.content()
        assert "Kunt u een voorbeeld uit de zorg geven?" in content
        assert "Interne twijfel" not in content and "behandeling" not in content
        screenshot(page, f"conversation-02-author-{width}")
        page.context.close()

    page = _without_javascript(browser, live_server, author, 1280)
    page.goto(live_server.url + reverse("articles:conversation", args=[article.pk]))
    page.locator("textarea[name=body]").fill("Ja, ik voeg een alinea over een ziekenhuis toe.")
    page.get_by_role("button", name="Naar de redactie sturen").click()
    assert "Uw bericht is naar de redactie gestuurd." in page.content()
    assert Message.objects.filter(author=author).count() == 1
    page.context.close()

    desk.goto(live_server.url + reverse("editorial:desk") + "?mine=on")
    assert "Talent zit vaak al in huis" in desk.content()
    assert "in behandeling bij Eva Redacteur" in desk.content()
    screenshot(desk, "conversation-03-desk-mine-1280")
    desk.set_viewport_size({"width": 375, "height": 800})
    desk.goto(live_server.url + reverse("editorial:review", args=[article.pk]) + "#gesprek")
    screenshot(desk, "conversation-04-review-375")
    assert Article.objects.get(pk=article.pk).claimed_by == editor
