"""WCAG 2.2 AA on the pages readers, contributors and editors use, checked by axe-core in
Debian's Chromium; keyboard-only use of the editor and the desk; screenshots at phone and desktop
width (test-artifacts/screenshots/).

axe-core is vendored in tests/browser/vendor/axe-core/ (see the README there): the product never
serves it. Any violation at the levels below fails the test, with axe's explanation per element.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from podium.accounts import roles
from podium.accounts.models import User
from podium.articles import services
from podium.articles.models import Article
from podium.articles.services import ArticleText
from podium.topics.models import Topic
from tests.podium_helpers import statement

from .support import screenshot

sync_api = pytest.importorskip("playwright.sync_api")

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
NEWSLETTER_PATH = "/nieuwsbrief/"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

BODY = (
    "<p>De arbeidsmarkt verandert sneller dan onze organisaties. Wie vandaag talent zoekt, moet "
    "anders kijken naar werk en naar de mensen die het doen.</p><h2>Wat betekent dit voor uw team?</h2>"
    "<p>Teams die leren, winnen. Teams die wachten, verliezen hun beste mensen aan de buren.</p>"
)


@pytest.fixture
def site(db: None) -> dict[str, Any]:
    """A small magazine: two authors with published work, a draft, a submission and an editor."""
    topics = [
        Topic.objects.create(name=n, slug=n.lower())
        for n in ("Arbeidsmarkt", "Leiderschap", "Zorg")
    ]
    editor = User.objects.create_user(
        "redactie@example.org", "een-lang-wachtwoord-42", display_name="Eva Redacteur"
    )
    editor.role = roles.EDITORS
    editor.save(update_fields=["role"])
    editor = User.objects.get(pk=editor.pk)
    authors = [
        User.objects.create_user(
            f"{slug}@example.org",
            "een-lang-wachtwoord-42",
            display_name=name,
            slug=slug,
            bio=f"{name} is adviseur arbeidsmarkt bij Voorbeeld & Co.",
            job_title="Adviseur",
            organisation="Voorbeeld & Co.",
        )
        for slug, name in (("anna-de-vries", "Anna de Vries"), ("bram-jansen", "Bram Jansen"))
    ]
    published = []
    for i, title in enumerate(
        [
            "Werk verandert sneller dan organisaties",
            "Leiderschap in de zorg vraagt om lef",
            "Samenwerken met leveranciers",
            "Talent vind je niet, dat maak je",
        ]
    ):
        author = authors[i % 2]
        draft = services.save_draft(
            by=author,
            text=ArticleText(
                title=title,
                lead="Wie vandaag talent zoekt, moet anders kijken naar werk.",
                body=BODY,
                topics=topics[i % 3 : i % 3 + 2],
            ),
        )
        submitted = services.submit_article(article=draft, by=author, terms=statement())
        published.append(services.publish_article(article=submitted, by=editor))
    draft = services.save_draft(
        by=authors[0],
        text=ArticleText(title="Een concept", lead="Nog niet af.", body=BODY, topics=topics[:1]),
    )
    submission = services.submit_article(
        article=services.save_draft(
            by=authors[1],
            text=ArticleText(
                title="Ingezonden stuk", lead="Ter beoordeling.", body=BODY, topics=topics[:1]
            ),
        ),
        by=authors[1],
        terms=statement(),
    )
    return {
        "editor": editor,
        "authors": authors,
        "published": published,
        "draft": draft,
        "submission": submission,
    }


def _page(
    browser: Any,
    live_server: Any,
    user: User | None = None,
    *,
    width: int = 1280,
    height: int = 900,
) -> Any:
    # bypass_csp: axe is injected as an inline script, which the site's CSP rightly refuses.
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="nl-NL", bypass_csp=True
    )
    if user is not None:
        client = Client()
        client.force_login(user)
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _axe_violations(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']}\n    "
        + "\n    ".join(f"{node['target']}: {node['failureSummary']}" for node in v["nodes"][:5])
        for v in result["violations"]
    ]


def _pages(site: dict[str, Any]) -> list[tuple[str, str, User | None]]:
    author, editor = site["authors"][0], site["editor"]
    return [
        ("home", "/", None),
        ("article", site["published"][0].get_absolute_url(), None),
        ("search", reverse("web:search") + "?q=werk", None),
        ("search-nothing", reverse("web:search") + "?q=de+het", None),
        ("author", author.get_absolute_url(), None),
        ("activiteiten", reverse("articles:dashboard"), author),
        ("editor", reverse("articles:edit", args=[site["draft"].pk]), author),
        ("desk", reverse("editorial:desk"), editor),
        ("review", reverse("editorial:review", args=[site["submission"].pk]), editor),
    ]


@pytest.mark.parametrize("width", [1280, 375])
def test_pages_have_no_wcag_violations(
    browser: Any, live_server: Any, site: dict[str, Any], width: int
) -> None:
    failures = {}
    for name, path, user in _pages(site):
        page = _page(browser, live_server, user, width=width)
        response = page.goto(live_server.url + path)
        assert response.status == 200, (name, path, response.status)
        violations = _axe_violations(page)
        if violations:
            failures[name] = violations
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
        if overflow:
            failures.setdefault(name, []).append(f"scrolls sideways at {width} px")
        page.context.close()
    assert not failures, "\n".join(f"{name}:\n  " + "\n  ".join(v) for name, v in failures.items())


def test_newsletter_signup_has_no_wcag_violations(
    browser: Any, live_server: Any, site: dict[str, Any]
) -> None:
    try:
        resolve(NEWSLETTER_PATH)
    except Resolver404:
        pytest.skip(
            f"{NEWSLETTER_PATH} does not resolve yet (the newsletter is being built elsewhere)"
        )
    for width in (1280, 375):
        page = _page(browser, live_server, width=width)
        response = page.goto(live_server.url + NEWSLETTER_PATH)
        assert response.status == 200
        violations = _axe_violations(page)
        assert not violations, "\n".join(violations)
        page.context.close()


def _focus_path(page: Any, steps: int) -> list[dict[str, Any]]:
    """Press Tab `steps` times; describe each focused element and whether focus is visible."""
    seen = []
    for _ in range(steps):
        page.keyboard.press("Tab")
        seen.append(
            page.evaluate(
                """() => {
                  const el = document.activeElement;
                  const style = getComputedStyle(el);
                  const box = el.getBoundingClientRect();
                  return {tag: el.tagName.toLowerCase(), name: el.name || el.id || '',
                          text: (el.innerText || el.value || '').trim().slice(0, 40),
                          outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
                          shadow: style.boxShadow !== 'none',
                          visible: box.width > 0 && box.height > 0};
                }"""
            )
        )
    return seen


def test_editor_works_with_the_keyboard_only(
    browser: Any, live_server: Any, site: dict[str, Any]
) -> None:
    author = site["authors"][0]
    page = _page(browser, live_server, author)
    page.goto(live_server.url + reverse("articles:create"))
    path = _focus_path(page, 60)
    assert path[0]["text"] in ("Naar de inhoud", "Skip to content")  # the skip link comes first
    hidden = [f for f in path if not f["visible"]]
    assert not hidden, f"focus on invisible elements: {hidden}"
    unmarked = [f for f in path if f["tag"] != "body" and not (f["outline"] or f["shadow"])]
    assert not unmarked, f"focus not visible on: {unmarked}"
    # Now write and save an article without the mouse.
    page.goto(live_server.url + reverse("articles:create"))
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # skip link: focus to the main content
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "title":
            break
    page.keyboard.type("Met het toetsenbord geschreven")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "lead":
            break
    page.keyboard.type("Geen muis nodig.")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate(
            "document.activeElement.isContentEditable || document.activeElement.name === 'body'"
        ):
            break
    page.keyboard.type("Alles met Tab en Enter.")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "save":
            break
    assert page.evaluate("document.activeElement.name") == "save"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    article = Article.objects.get(author=author, title="Met het toetsenbord geschreven")
    assert article.lead == "Geen muis nodig."
    assert "Alles met Tab en Enter." in article.body
    page.context.close()


def test_desk_works_with_the_keyboard_only(
    browser: Any, live_server: Any, site: dict[str, Any]
) -> None:
    page = _page(browser, live_server, site["editor"])
    page.goto(live_server.url + reverse("editorial:desk"))
    path = _focus_path(page, 40)
    unmarked = [f for f in path if f["tag"] != "body" and not (f["outline"] or f["shadow"])]
    assert not unmarked, f"focus not visible on: {unmarked}"
    review_url = reverse("editorial:review", args=[site["submission"].pk])
    page.goto(live_server.url + reverse("editorial:desk"))
    for _ in range(80):
        page.keyboard.press("Tab")
        if (page.evaluate("document.activeElement.getAttribute('href')") or "") == review_url:
            break
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{review_url}")
    for _ in range(120):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.innerText.trim()") in ("Publiceren", "Publish"):
            break
    assert page.evaluate("document.activeElement.innerText.trim()") in ("Publiceren", "Publish")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert Article.objects.get(pk=site["submission"].pk).state == Article.State.PUBLISHED
    page.context.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_screenshots_of_home_and_article(
    browser: Any, live_server: Any, site: dict[str, Any], width: int
) -> None:
    for name, path in (("home", "/"), ("article", site["published"][0].get_absolute_url())):
        page = _page(browser, live_server, width=width, height=800)
        page.goto(live_server.url + path)
        assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
        screenshot(page, f"{name}-{width}")
        page.context.close()
