"""The article editor in a real browser: toolbar, counter, autosave, and the browser's own copy.

Drives Debian's Chromium through Playwright against pytest-django's live server. Screenshots go
to test-artifacts/screenshots/ for a person to look at.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from podium.accounts.models import Session, User
from podium.accounts.sessions import forget_cached
from podium.articles import rules as article_rules
from podium.articles import services
from podium.articles.models import Article
from podium.topics.models import Topic

from .support import screenshot

sync_api = pytest.importorskip("playwright.sync_api")

SAVED = re.compile(r"Saved at|Opgeslagen om")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def author(db: None) -> User:
    user = User.objects.create_user(
        "schrijver@example.org",
        "een-lang-wachtwoord-42",
        display_name="Sanne Schrijver",
        bio="Sanne Schrijver is adviseur bij Voorbeeld & Co.",
        slug="sanne-schrijver",
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def some_topics(db: None) -> list[Topic]:
    return [
        Topic.objects.create(name="Arbeidsmarkt", slug="arbeidsmarkt"),
        Topic.objects.create(name="Leiderschap", slug="leiderschap"),
    ]


def _page_for(
    browser: Any,
    live_server: Any,
    user: User,
    *,
    width: int = 1280,
    height: int = 900,
    javascript: bool = True,
) -> Any:
    """A page logged in as `user`: the session cookie of a force-logged-in test client."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="nl-NL", java_script_enabled=javascript
    )
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # Script errors only (a missing favicon is not the editor's concern).
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and not msg.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.js_errors = errors  # type: ignore[attr-defined]
    return page


def _toolbar_button(page: Any, command: str) -> Any:
    return page.locator(f'.rte-toolbar button[data-command="{command}"]')


def _wait_for_article(page: Any, author: User, done: Any, timeout: float = 25.0) -> Article:
    """Poll the database until the author's latest article satisfies `done` (autosave is debounced
    and, on a busy machine, may first save part of what was typed)."""
    deadline = time.monotonic() + timeout
    while True:
        article = Article.objects.filter(author=author).order_by("-pk").first()
        if article is not None and done(article):
            return article
        if time.monotonic() > deadline:
            raise AssertionError(
                f"autosave did not store the expected text: {article and article.body!r}"
            )
        page.wait_for_timeout(250)


def _counter_numbers(page: Any) -> tuple[int, int]:
    text = page.locator("#body-counter").inner_text()
    numbers = [int(n.replace(".", "").replace(",", "")) for n in re.findall(r"\d[\d.,]*", text)]
    return numbers[0], numbers[1]  # words, characters


def test_write_with_the_toolbar_autosave_and_reload(
    browser: Any, live_server: Any, author: User, some_topics: list[Topic]
) -> None:
    page = _page_for(browser, live_server, author)
    dialogs: list[str] = []

    def accept(dialog: Any) -> None:
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", accept)

    page.goto(live_server.url + reverse("articles:dashboard"))
    page.locator(f'a[href="{reverse("articles:create")}"]').first.click()
    page.wait_for_url(re.compile(r"/nieuw/$"))

    # Enhanced: the textarea is hidden, the editing area and its toolbar are there.
    area = page.locator("#body-editor")
    assert page.locator("textarea[name=body]").is_hidden()
    assert area.get_attribute("role") == "textbox"
    assert area.get_attribute("aria-multiline") == "true"
    assert area.get_attribute("aria-labelledby") == "body-label"
    assert "body-counter" in (area.get_attribute("aria-describedby") or "")
    assert page.locator(".rte-toolbar[role=toolbar] button").count() == 12
    assert _toolbar_button(page, "picture").count() == 1  # figures: the editor has the dialog

    page.fill("#id_title", "Talent zoeken in een krappe markt")
    page.fill("#id_lead", "Wie vandaag talent zoekt, moet anders kijken naar werk.")
    assert _counter_numbers(page) == (0, 0)

    area.click()
    page.keyboard.type("De arbeidsmarkt verandert sneller dan onze organisaties.")
    page.keyboard.press("Enter")

    # First subheading with the mouse.
    _toolbar_button(page, "h2").click()
    assert _toolbar_button(page, "h2").get_attribute("aria-pressed") == "true"
    page.keyboard.type("Wat betekent dit voor uw team?")
    page.keyboard.press("Enter")
    assert _toolbar_button(page, "h2").get_attribute("aria-pressed") == "false"
    page.keyboard.type("Teams die leren, winnen.")
    page.keyboard.press("Enter")

    # Second subheading with the keyboard: Shift+Tab into the toolbar, arrows, Enter.
    page.keyboard.press("Shift+Tab")
    focused = page.evaluate("document.activeElement.dataset.command")
    assert focused == "paragraph"  # the toolbar is one tab stop; the first button has it
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.dataset.command") == "h2"
    screenshot(
        page,
        "editor-toolbar-focus",
        full_page=False,
        clip={"x": 0, "y": 0, "width": 1280, "height": 900},
    )
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "body-editor"
    page.keyboard.type("Wat kunt u morgen doen?")
    page.keyboard.press("Enter")

    # A numbered list, again with the keyboard (roving focus remembers the last button).
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.dataset.command") == "h2"
    page.keyboard.press("End")  # redo
    for _ in range(4):  # undo, picture, quote, numbered list
        page.keyboard.press("ArrowLeft")
    assert page.evaluate("document.activeElement.dataset.command") == "numbered"
    page.keyboard.press("Space")
    page.keyboard.type("Kijk naar vaardigheden.")
    page.keyboard.press("Enter")
    page.keyboard.type("Bied ruimte om te leren.")
    assert _toolbar_button(page, "numbered").get_attribute("aria-pressed") == "true"

    page.check(f'input[name=topics][value="{some_topics[0].pk}"]')

    # The counter follows the text: words and characters as the server counts them.
    # Polled from here: wait_for_function evaluates a string in the page, which the site's CSP
    # (no 'unsafe-eval') rightly refuses.
    sync_api.expect(page.locator("#body-counter")).to_have_text(
        re.compile(r"^\D*([2-9]\d|\d{3,})\b")
    )
    words, chars = _counter_numbers(page)
    assert words > 20
    assert (
        "8.000" in page.locator("#body-counter").inner_text()
        or "8,000" in page.locator("#body-counter").inner_text()
    )
    assert not page.locator("#body-counter.over").count()

    # Autosave: the first one creates the article and moves the address to its edit page.
    status = page.locator("#autosave-status")
    article = _wait_for_article(
        page, author, lambda a: "Bied ruimte om te leren." in a.body and a.topics.exists()
    )
    sync_api.expect(status).to_have_text(SAVED)
    # The page has taken in the answer to that last autosave.
    sync_api.expect(page.locator("input[name=version]")).to_have_value(str(article.version))
    page.wait_for_url(re.compile(r"/activiteiten/\d+/$"))
    assert Article.objects.filter(author=author).count() == 1  # later autosaves update it
    screenshot(page, "editor-autosaved")

    assert article.title == "Talent zoeken in een krappe markt"
    assert article.body.count("<h2>") == 2
    assert (
        "<ol><li>Kijk naar vaardigheden.</li><li>Bied ruimte om te leren.</li></ol>" in article.body
    )
    assert list(article.topics.all()) == [some_topics[0]]
    assert (article.word_count, article.char_count) == (words, chars)

    # Reload: no "leave the page?" question (everything was saved), and the text comes back
    # from the server, with no restore offer.
    page.reload()
    assert "beforeunload" not in dialogs
    sync_api.expect(page.locator("#body-editor h2")).to_have_count(2)
    sync_api.expect(page.locator("#body-editor ol li")).to_have_count(2)
    assert page.input_value("#id_title") == "Talent zoeken in een krappe markt"
    assert page.locator(".restore-notice").count() == 0
    assert _counter_numbers(page) == (words, chars)
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('podium-'))") == []
    assert page.js_errors == []  # type: ignore[attr-defined]
    page.context.close()


def test_a_newer_copy_in_this_browser_is_offered_for_restore(
    browser: Any, live_server: Any, author: User, some_topics: list[Topic]
) -> None:
    article = services.save_draft(
        by=author,
        text=services.ArticleText(title="Op de server", lead="Lead.", body="<p>Serverversie.</p>"),
    )
    edit_url = live_server.url + reverse("articles:edit", args=[article.pk])
    page = _page_for(browser, live_server, author, width=375, height=812)
    page.goto(edit_url)
    sync_api.expect(page.locator("#body-editor")).to_contain_text("Serverversie.")

    # What a crashed tab left behind: newer than the server's text, based on the same version.
    key = f"podium-draft-{author.pk}-{article.pk}"
    copy = {
        "title": "Lokale titel",
        "lead": "Lead.",
        "body": "<h2>Lokale kop</h2><p>Lokale versie, nooit opgeslagen.</p>",
        "topics": [str(some_topics[1].pk)],
        "version": article.version,
    }
    page.evaluate(
        "([key, copy]) => localStorage.setItem(key, JSON.stringify({...copy, time: Date.now()}))",
        [key, copy],
    )
    page.reload()

    notice = page.locator(".restore-notice")
    sync_api.expect(notice).to_be_visible()
    screenshot(page, "editor-restore-offer-375")
    assert page.input_value("#id_title") == "Op de server"  # nothing is replaced unasked

    notice.get_by_role("button", name=re.compile("Restore|Herstel")).click()
    sync_api.expect(notice).to_have_count(0)
    assert page.input_value("#id_title") == "Lokale titel"
    sync_api.expect(page.locator("#body-editor h2")).to_have_text("Lokale kop")
    assert page.is_checked(f'input[name=topics][value="{some_topics[1].pk}"]')
    assert page.evaluate("document.activeElement.id") == "body-editor"

    # The restored text is autosaved like any other change.
    sync_api.expect(page.locator("#autosave-status")).to_have_text(SAVED, timeout=20_000)
    article.refresh_from_db()
    assert article.title == "Lokale titel"
    assert article.body == "<h2>Lokale kop</h2><p>Lokale versie, nooit opgeslagen.</p>"
    assert article.version == 2
    screenshot(page, "editor-restored-375")
    assert json.loads(page.evaluate(f"JSON.stringify(localStorage.getItem('{key}'))")) is None
    assert page.js_errors == []  # type: ignore[attr-defined]
    page.context.close()


def test_paste_is_cleaned_and_the_counter_warns_over_the_limit(
    browser: Any, live_server: Any, author: User, settings: Any
) -> None:
    page = _page_for(browser, live_server, author)
    page.goto(live_server.url + reverse("articles:create"))
    area = page.locator("#body-editor")
    area.click()
    pasted = (
        '<meta charset="utf-8"><b style="font-weight:normal" id="docs-internal-guid-1">'
        '<p style="color:red" class="MsoNormal"><span style="font-weight:700">Vet</span> en '
        '<i>schuin</i> en <u>onderstreept</u> <a href="javascript:alert(1)">geen link</a> '
        '<a href="https://example.org/" onclick="x()">wel een link</a></p>'
        "<h1>Kop</h1><div><br></div><img src=x onerror=\"document.title='xss'\">"
        "<script>document.title='xss'</script><table><tr><td>Cel</td></tr></table></b>"
    )
    page.evaluate(
        """(html) => {
            const data = new DataTransfer();
            data.setData('text/html', html);
            data.setData('text/plain', 'plain');
            document.querySelector('#body-editor').dispatchEvent(
                new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        pasted,
    )
    sync_api.expect(area.locator("h2")).to_have_text("Kop")
    page.wait_for_timeout(300)
    body = page.input_value("textarea[name=body]")
    assert body == (
        "<p><strong>Vet</strong> en <em>schuin</em> en onderstreept geen link "
        '<a href="https://example.org/">wel een link</a></p><h2>Kop</h2><p>Cel</p>'
    )
    assert page.title() != "xss"

    # Over the limit: the counter turns red and says by how much.
    limit = article_rules.BODY_MAX_CHARS
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.insert_text("x" * limit)
    counter = page.locator("#body-counter")
    sync_api.expect(counter).to_have_class(re.compile(r"\bover\b"))
    over = _counter_numbers(page)[1] - limit
    assert over > 0
    assert f"{over} " in counter.inner_text()
    counter.scroll_into_view_if_needed()
    screenshot(page, "editor-over-limit", full_page=False)
    assert page.js_errors == []  # type: ignore[attr-defined]
    page.context.close()


def test_inline_formatting_links_quotes_and_undo(
    browser: Any, live_server: Any, author: User
) -> None:
    page = _page_for(browser, live_server, author)
    answers = iter(["javascript:alert(1)", "www.example.org/stuk"])
    dialogs: list[str] = []

    def answer(dialog: Any) -> None:
        dialogs.append(dialog.type)
        if dialog.type == "prompt":
            dialog.accept(next(answers))
        else:
            dialog.accept()

    page.on("dialog", answer)
    page.goto(live_server.url + reverse("articles:create"))
    page.locator("#body-editor").click()
    page.keyboard.type("Dit is ")
    page.keyboard.press("Control+b")
    page.keyboard.type("vet")
    page.keyboard.press("Control+b")
    page.keyboard.type(" en ")
    _toolbar_button(page, "italic").click()
    page.keyboard.type("schuin")
    assert _toolbar_button(page, "italic").get_attribute("aria-pressed") == "true"
    _toolbar_button(page, "italic").click()
    page.keyboard.type(" met ")
    # Select the word "bron" and link it: a javascript: address is refused, a bare domain is
    # accepted as https.
    page.keyboard.type("bron")
    for _ in range(4):
        page.keyboard.press("Shift+ArrowLeft")
    _toolbar_button(page, "link").click()  # refused
    assert dialogs == ["prompt", "alert"]
    _toolbar_button(page, "link").click()
    page.keyboard.press("End")
    page.keyboard.type(".")
    page.keyboard.press("Enter")
    _toolbar_button(page, "quote").click()
    page.keyboard.type("Een citaat.")
    page.keyboard.press("Control+u")  # underline is not part of Podium's set
    page.keyboard.type(" Zonder onderstreping.")
    page.wait_for_timeout(300)
    expected = (
        "<p>Dit is <strong>vet</strong> en <em>schuin</em> met "
        '<a href="https://www.example.org/stuk">bron</a>.</p>'
        "<blockquote><p>Een citaat. Zonder onderstreping.</p></blockquote>"
    )
    assert page.input_value("textarea[name=body]") == expected

    # Undo takes the last typing back, redo restores it.
    _toolbar_button(page, "undo").click()
    page.wait_for_timeout(300)
    assert page.input_value("textarea[name=body]") != expected
    _toolbar_button(page, "redo").click()
    page.wait_for_timeout(300)
    assert page.input_value("textarea[name=body]") == expected
    screenshot(page, "editor-formatting", full_page=False)
    assert page.js_errors == []  # type: ignore[attr-defined]
    page.context.close()


def test_autosave_stops_on_a_newer_version_and_reports_a_lost_session(
    browser: Any, live_server: Any, author: User
) -> None:
    article = services.save_draft(
        by=author, text=services.ArticleText(title="Titel", lead="Lead.", body="<p>Een.</p>")
    )
    page = _page_for(browser, live_server, author)
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.goto(live_server.url + reverse("articles:edit", args=[article.pk]))

    # Saved elsewhere in the meantime (another tab, another device).
    services.save_draft(
        by=author,
        article=article,
        text=services.ArticleText(title="Titel", lead="Lead.", body="<p>Elders.</p>"),
    )
    page.locator("#body-editor").click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" Twee.")
    status = page.locator("#autosave-status")
    sync_api.expect(status).to_have_class(re.compile(r"\berror\b"), timeout=20_000)
    assert "newer version" in status.inner_text() or "nieuwere versie" in status.inner_text()
    assert len(posts) == 1
    page.keyboard.type(" Drie.")
    page.wait_for_timeout(3_000)
    assert len(posts) == 1  # stopped until the page is reloaded
    # The text is kept in this browser.
    key = f"podium-draft-{author.pk}-{article.pk}"
    copy = json.loads(page.evaluate(f"localStorage.getItem('{key}')"))
    assert "Twee. Drie." in copy["body"]
    page.context.close()

    # A session that ended: the text stays in the browser, and the author is told so.
    page = _page_for(browser, live_server, author)
    page.goto(live_server.url + reverse("articles:create"))
    # Sessions are cached (cached_db): ending them drops the cached copies too, as
    # accounts.services.end_sessions does.
    forget_cached(list(Session.objects.values_list("session_key", flat=True)))
    Session.objects.all().delete()
    page.fill("#id_title", "Na het verlopen van de sessie")
    status = page.locator("#autosave-status")
    sync_api.expect(status).to_have_class(re.compile(r"\berror\b"), timeout=20_000)
    assert "logged in" in status.inner_text() or "ingelogd" in status.inner_text()
    key = f"podium-draft-{author.pk}-new"
    copy = json.loads(page.evaluate(f"localStorage.getItem('{key}')"))
    assert copy["title"] == "Na het verlopen van de sessie"
    page.context.close()


def test_without_javascript_the_textarea_takes_plain_text(
    browser: Any, live_server: Any, author: User
) -> None:
    page = _page_for(browser, live_server, author, width=375, height=812, javascript=False)
    page.goto(live_server.url + reverse("articles:create"))
    assert page.locator("textarea[name=body]").is_visible()
    assert page.locator(".rte-toolbar").count() == 0
    page.fill("#id_title", "Zonder script")
    page.fill("textarea[name=body]", "Eerste alinea,\nnog een regel.\n\nTweede alinea.")
    page.locator("button[name=save]").click()
    page.wait_for_url(re.compile(r"/activiteiten/\d+/$"))
    article = Article.objects.get(author=author)
    assert article.body == "<p>Eerste alinea,<br>nog een regel.</p><p>Tweede alinea.</p>"
    page.context.close()
