"""Importeer uit Word of tekst, in a real browser: a contributor brings a Word document along,
checks what was recognised and submits it.

Drives Debian's Chromium through Playwright against pytest-django's live server. Screenshots go
to test-artifacts/screenshots/ for a person to look at.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from podium.accounts.models import User
from podium.articles.models import Article
from podium.topics.models import Topic
from tests.articles import import_samples as samples

from .support import screenshot

sync_api = pytest.importorskip("playwright.sync_api")

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def writer(db: None) -> User:
    """A contributor whose profile is complete, so a submission is only about the article."""
    user = User.objects.create_user(
        "importeur@example.org",
        "een-lang-wachtwoord-42",
        display_name="Ilse Importeur",
        bio="Ilse Importeur is adviseur bij Voorbeeld & Co.",
        slug="ilse-importeur",
    )
    user.emailaddress_set.create(email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def topic(db: None) -> Topic:
    return Topic.objects.create(name="Arbeidsmarkt", slug="arbeidsmarkt")


def _page_for(browser: Any, live_server: Any, user: User) -> Any:
    """A page logged in as `user`: the session cookie of a force-logged-in test client. In English,
    so the test reads the source strings whatever translations exist."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            },
            # The site follows only the language cookie, not the browser's locale.
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url},
        ]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: dialog.accept())
    page.js_errors = errors  # type: ignore[attr-defined]
    return page


def _import_link(page: Any) -> Any:
    return page.get_by_role("link", name="Import from Word or text")


def test_import_a_word_document_from_the_editor_check_it_and_submit(
    browser: Any, live_server: Any, writer: User, topic: Topic
) -> None:
    page = _page_for(browser, live_server, writer)

    page.goto(live_server.url + reverse("articles:create"))
    _import_link(page).click()
    page.wait_for_url(re.compile(r"/nieuw/importeren/$"))
    page.set_input_files(
        "input[name=file]",
        {"name": "opinie.docx", "mimeType": DOCX_MIME, "buffer": samples.full_article_docx()},
    )
    screenshot(page, "import-1-upload")
    page.locator("form.import-form button[type=submit]").click()

    # The new draft opens in the editor, with what was recognised above it.
    page.wait_for_url(re.compile(r"/activiteiten/\d+/$"))
    summary = page.locator(".import-summary")
    assert summary.is_visible()
    summary_text = summary.inner_text()
    assert f"Title: “{samples.TITLE}”" in summary_text
    assert "3 subheadings" in summary_text and "2 lists" in summary_text
    assert (
        "Removed: “Schrijf je in voor onze nieuwsbrief op example.org/nieuwsbrief”" in summary_text
    )
    assert page.input_value("#id_title") == samples.TITLE
    assert page.input_value("#id_lead") == samples.LEAD
    body = (
        page.locator("#body-editor")
        if page.locator("#body-editor").count()
        else page.locator("textarea[name=body]")
    )
    assert (
        "Wat betekent dit voor uw team?" in body.inner_text()
        or "Wat betekent dit voor uw team?" in body.input_value()
    )
    screenshot(page, "import-2-editor-with-summary")

    # The contributor picks a topic and submits the imported text as it is.
    page.check(f'input[name=topics][value="{topic.pk}"]')
    # The statement at submission: own work, the licence granted, no AI tools.
    page.check("input[name=is_own_work]")
    page.check("input[name=grants_licence]")
    page.check("input[name=ai_use][value=none]")
    page.locator("button[name=submit]").click()
    page.wait_for_url(re.compile(r"/activiteiten/$"))
    page.locator("table.dashboard .state-submitted").wait_for()
    screenshot(page, "import-3-submitted")

    article = Article.objects.get(author=writer)
    assert article.state == Article.State.SUBMITTED
    assert article.title == samples.TITLE
    assert "<h2>Wat betekent dit voor uw team?</h2>" in article.body
    assert "<ol><li>Begin klein.</li>" in article.body
    assert page.js_errors == []  # type: ignore[attr-defined]


def test_replace_a_draft_after_seeing_what_was_recognised(
    browser: Any, live_server: Any, writer: User, topic: Topic
) -> None:
    from podium.articles import services
    from podium.articles.services import ArticleText

    draft = services.save_draft(
        by=writer,
        text=ArticleText(
            title="Oude titel", lead="Oude lead.", body="<p>Oude tekst.</p>", topics=[topic]
        ),
    )
    page = _page_for(browser, live_server, writer)

    page.goto(live_server.url + reverse("articles:edit", args=[draft.pk]))
    _import_link(page).click()
    page.fill("textarea[name=text]", samples.WRAPPED_TXT)
    page.locator("form.import-form button[type=submit]").click()

    # Nothing changes before the contributor confirms.
    page.get_by_role("heading", name="Replace the text?").wait_for()
    assert "2 subheadings" in page.locator(".import-summary").inner_text()
    screenshot(page, "import-4-confirm-replace")
    draft.refresh_from_db()
    assert draft.title == "Oude titel"

    page.locator("button[name=confirm]").click()
    page.wait_for_url(re.compile(rf"/activiteiten/{draft.pk}/$"))
    assert page.input_value("#id_title") == "Werk verandert sneller dan organisaties"
    draft.refresh_from_db()
    assert draft.title == "Werk verandert sneller dan organisaties"
    assert list(draft.topics.all()) == [topic]
    assert page.js_errors == []  # type: ignore[attr-defined]
