"""Comments and suggestions in a real browser (issue 18): an editor selects passages on the review
page, comments on one and suggests two changes, and asks for changes; the author, with the
keyboard only, answers the comment, accepts one suggestion, rejects the other and resubmits with
a note; the desk shows the thread and the note. Screenshots at 1280 and 375 px."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from podium.accounts import roles
from podium.annotations.models import Thread
from podium.articles import services
from podium.articles.models import Article, Revision
from podium.articles.services import ArticleText
from podium.topics.models import Topic
from tests.podium_helpers import make_user, statement

from .support import assert_no_csp_violations, screenshot, watch_csp_console
from .test_accessibility import _axe_violations, _page

sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = (
    "<p>De arbeidsmarkt verandert sneller dan onze organisaties. Wie vandaag talent zoekt, "
    "moet anders kijken naar werk.</p>"
    "<h2>Wat betekent dit voor uw team?</h2>"
    "<p>Teams die leren, winnen. Teams die wachten, verliezen hun beste mensen aan de buren.</p>"
    "<p>Begin daarom klein: een uur per week om samen iets nieuws te leren.</p>"
)


def _select(page: Any, passage: str) -> None:
    """Select `passage` in the article's text as a reader's mouse would (a DOM selection)."""
    page.evaluate(
        """(passage) => {
          const body = document.querySelector('.review-article .article-body');
          const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.data.indexOf(passage);
            if (at === -1) continue;
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + passage.length);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            return;
          }
          throw new Error('not found: ' + passage);
        }""",
        passage,
    )
    page.locator("[data-annotate-toolbar]").wait_for(state="visible")


def _tab_to(page: Any, test: str, limit: int = 250) -> None:
    """Press Tab until the focused element passes the JavaScript `test` (given `el`)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!({test}); }})()"):
            return
    raise AssertionError(f"Tab never reached {test}")


def test_editor_comments_and_suggests_the_author_answers_by_keyboard(
    open_page: Any, live_server: Any
) -> None:
    topic = Topic.objects.create(name="Arbeidsmarkt", slug="arbeidsmarkt")
    author = make_user(
        "anna@example.org", display_name="Anna de Vries", bio="Anna schrijft.", slug="anna"
    )
    editor = make_user("eva@example.org", display_name="Eva Redacteur", role=roles.EDITORS)
    draft = services.save_draft(
        by=author,
        text=ArticleText(
            title="Werk verandert sneller dan organisaties",
            lead="Wie vandaag talent zoekt, moet anders kijken.",
            body=BODY,
            topics=[topic],
        ),
    )
    article = services.submit_article(article=draft, by=author, terms=statement())
    review = live_server.url + reverse("editorial:review", args=[article.pk])

    # The editor: a comment and two suggestions, each on a selected passage.
    desk = open_page(editor)
    console = watch_csp_console(desk)
    desk.goto(review)
    _select(desk, "Teams die leren, winnen.")
    # From the keyboard: Ctrl+Alt+M takes the selection to the buttons, Enter picks "Opmerking".
    desk.keyboard.press("Control+Alt+M")
    # Waited for with Playwright's retrying expectations: wait_for_function evaluates a string in
    # the page when it polls, which the site's CSP (no 'unsafe-eval') rightly refuses.
    expect(desk.locator("*:focus")).to_have_text("Opmerking")
    desk.keyboard.press("Enter")
    expect(desk.locator("#id_comment-body")).to_be_focused()
    expect(desk.locator("[data-annotate-status]")).to_contain_text("Teams die leren")
    assert desk.locator("#id_comment-quote").input_value() == "Teams die leren, winnen."
    desk.locator("#id_comment-body").fill("Kunt u dit met een voorbeeld onderbouwen?")
    desk.get_by_role("button", name="Opmerking plaatsen").click()
    desk.wait_for_load_state()
    assert "Uw opmerking is geplaatst." in desk.locator(".messages").inner_text()

    _select(desk, "verliezen hun beste mensen aan de buren")
    desk.get_by_role("button", name="Voorstel", exact=True).click()
    desk.locator("#id_suggestion-replacement").fill("zien hun beste mensen vertrekken")
    desk.locator("#id_suggestion-body").fill("Minder dramatisch.")
    desk.get_by_role("button", name="Voorstel plaatsen").click()
    desk.wait_for_load_state()

    _select(desk, "een uur per week")
    desk.get_by_role("button", name="Voorstel", exact=True).click()
    desk.locator("#id_suggestion-replacement").fill("twee uur per week")
    desk.get_by_role("button", name="Voorstel plaatsen").click()
    desk.wait_for_load_state()
    assert Thread.objects.filter(article=article).count() == 3
    assert desk.locator(".notes-list > .note").count() == 3
    assert desk.evaluate("CSS.highlights.get('podium-note').size") == 3
    screenshot(desk, "annotations-01-review-1280")
    desk.set_viewport_size({"width": 375, "height": 800})
    screenshot(desk, "annotations-02-review-375")
    desk.set_viewport_size({"width": 1280, "height": 900})

    desk.locator("#id_changes-message").fill("Zie de opmerking en de voorstellen naast de tekst.")
    desk.get_by_role("button", name="Wijzigingen vragen").click()
    desk.wait_for_load_state()
    assert Article.objects.get(pk=article.pk).state == Article.State.CHANGES_REQUESTED

    # WCAG 2.2 AA with the threads and the open forms, at both widths.
    for width in (1280, 375):
        checked = _page(desk.context.browser, live_server, editor, width=width)
        checked.goto(review)
        checked.locator("#new-comment summary").click()
        checked.locator("#new-suggestion summary").click()
        assert _axe_violations(checked) == [], width
        checked.context.close()

    # The author, keyboard only.
    comment, keep, drop = Thread.objects.filter(article=article).order_by("pk")
    page = open_page(author)
    page.goto(live_server.url + reverse("articles:edit", args=[article.pk]))
    screenshot(page, "annotations-03-editor-1280")
    _tab_to(page, f"el.id === 'reply-{comment.pk}'")
    page.keyboard.type("Ja: bij Van Dijk leerden teams elke vrijdag samen.")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Uw antwoord is geplaatst." in page.locator(".messages").inner_text()

    _tab_to(page, f"el.closest('form')?.action.endsWith('/voorstel/{keep.pk}/aannemen/')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Voorstel aangenomen" in page.locator(".messages").inner_text()
    _tab_to(page, f"el.closest('form')?.action.endsWith('/voorstel/{drop.pk}/afwijzen/')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Voorstel afgewezen" in page.locator(".messages").inner_text()
    assert "zien hun beste mensen vertrekken" in page.locator(".rte-area").inner_text()
    screenshot(page, "annotations-04-editor-decided-1280")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "annotations-05-editor-decided-375")
    page.set_viewport_size({"width": 1280, "height": 900})

    for width in (1280, 375):
        checked = _page(desk.context.browser, live_server, author, width=width)
        checked.goto(live_server.url + reverse("articles:edit", args=[article.pk]))
        assert _axe_violations(checked) == [], width
        checked.context.close()

    # Resubmitted with a note for the editors (the conversation's field in the editor).
    _tab_to(page, "el.name === 'note'")
    page.keyboard.type("Voorbeeld toegevoegd; het tweede voorstel liever niet.")
    _tab_to(page, "el.name === 'submit'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    article.refresh_from_db()
    assert article.state == Article.State.SUBMITTED
    assert "zien hun beste mensen vertrekken" in article.body
    assert "een uur per week" in article.body
    kinds = list(article.revisions.order_by("number").values_list("kind", "proposed_by"))
    assert kinds == [
        (Revision.Kind.SUBMISSION, None),
        (Revision.Kind.SUGGESTION, editor.pk),
        (Revision.Kind.SUBMISSION, None),
    ]
    assert article.revisions.latest("number").note == (
        "Voorbeeld toegevoegd; het tweede voorstel liever niet."
    )
    assert page.js_errors == []

    # The desk shows the thread, and the diff the accepted suggestion.
    desk.goto(review + "?a=1&b=2")
    thread = desk.locator(f"#thread-{comment.pk}")
    assert "bij Van Dijk leerden teams" in thread.inner_text()
    assert "Voorbeeld toegevoegd; het tweede voorstel liever niet." in desk.content()
    inserted = " ".join(desk.locator(".diff ins").all_inner_texts())
    removed = " ".join(desk.locator(".diff del").all_inner_texts())
    assert "vertrekken" in inserted and "buren" in removed and "uur" not in inserted
    screenshot(desk, "annotations-06-desk-thread-1280")
    desk.set_viewport_size({"width": 375, "height": 800})
    screenshot(desk, "annotations-07-desk-thread-375")
    assert desk.js_errors == []
    assert_no_csp_violations(desk, console)
