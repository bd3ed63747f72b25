"""Pictures end to end in Debian's Chromium: a contributor uploads a header image, sets its focal
point by clicking in it, inserts a figure in the editor and submits; an editor publishes; the
public page, at phone and desktop width, loads every <picture>, has no horizontal scroll, no
layout shift (Chromium's PerformanceObserver, type layout-shift, buffered) and no WCAG 2.2 AA
violation (axe). Screenshots in test-artifacts/screenshots/pictures-*.png."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage
from PIL import ImageDraw

from podium.accounts import roles
from podium.accounts.models import User
from podium.articles import services
from podium.articles.models import Article
from podium.images.models import Image
from podium.topics.models import Topic
from tests.images.pictures import photo

from .support import screenshot
from .test_accessibility import _axe_violations

sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER_ALT = "Een zaal vol mensen luistert naar een spreker op het podium"
CHART_ALT = "Staafdiagram: vacatures per sector in 2026, de zorg het hoogst"
PARAGRAPHS = "".join(
    f"<p>{sentence}</p>"
    for sentence in [
        "De arbeidsmarkt verandert sneller dan onze organisaties. Wie vandaag talent zoekt, moet "
        "anders kijken naar werk en naar de mensen die het doen.",
        "Teams die leren, winnen. Teams die wachten, verliezen hun beste mensen aan de buren. Dat "
        "geldt in de zorg net zo goed als in de techniek en in het onderwijs.",
        "Wie de cijfers naast elkaar legt, ziet een patroon: waar de vraag het hoogst is, blijven "
        "vacatures het langst open, en daar wordt het minst geïnvesteerd in opleiding.",
    ]
)
# Sums the shifts the page had (buffered: also those before this observer was made), as
# Chromium reports them; shifts right after input do not count toward the score.
LAYOUT_SHIFT = """
window.__layoutShift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__layoutShift += entry.value;
  }
}).observe({type: "layout-shift", buffered: true});
"""


def _chart() -> bytes:
    """A bar chart as a PNG (what contributors put in the text)."""
    image = PILImage.new("RGB", (1200, 700), (253, 252, 249))
    draw = ImageDraw.Draw(image)
    for n, value in enumerate((520, 310, 440, 260, 380)):
        left = 120 + n * 210
        draw.rectangle((left, 640 - value, left + 140, 640), fill=(138, 28, 43))
    draw.line((80, 640, 1140, 640), fill=(27, 27, 31), width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def people(db: None) -> dict[str, Any]:
    author = User.objects.create_user(
        "schrijver@example.org",
        "een-lang-wachtwoord-42",
        display_name="Sanne Schrijver",
        bio="Sanne Schrijver is adviseur arbeidsmarkt bij Voorbeeld & Co.",
        organisation="Voorbeeld & Co",
        slug="sanne-schrijver",
    )
    EmailAddress.objects.create(user=author, email=author.email, verified=True, primary=True)
    editor = User.objects.create_user(
        "redactie@example.org", "een-lang-wachtwoord-42", display_name="Eva Redacteur"
    )
    editor.role = roles.EDITORS
    editor.save(update_fields=["role"])
    topic = Topic.objects.create(name="Arbeidsmarkt", slug="arbeidsmarkt")
    article = services.save_draft(
        by=author,
        text=services.ArticleText(
            title="Talent zoeken in een krappe markt",
            lead="Wie vandaag talent zoekt, moet anders kijken naar werk.",
            body=PARAGRAPHS,
            topics=[topic],
        ),
    )
    return {"author": author, "editor": User.objects.get(pk=editor.pk), "article": article}


def _page(browser: Any, live_server: Any, user: User | None, *, width: int = 1280) -> Any:
    # bypass_csp only for the public page, where axe is injected (an inline script).
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="nl-NL", bypass_csp=user is None
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
    page.set_default_timeout(20_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if msg.type == "error" else None,
    )
    page.js_errors = errors
    return page


def _upload_header_image_and_set_the_focal_point(
    browser: Any, live_server: Any, author: User, article: Article
) -> None:
    page = _page(browser, live_server, author)
    page.goto(live_server.url + reverse("articles:edit", args=[article.pk]))
    page.get_by_role(
        "link", name=re.compile("header image|openingsbeeld|afbeelding", re.I)
    ).first.click()
    page.wait_for_url(re.compile(r"/afbeelding/"))
    page.set_input_files(
        "#picture-upload input[type=file]",
        {"name": "zaal.jpg", "mimeType": "image/jpeg", "buffer": photo(2400, 1500)},
    )
    page.fill("#picture-upload [name=alt_text]", HEADER_ALT)
    page.fill("#picture-upload [name=credit]", "Fotograaf Jan Smit")
    page.locator("#picture-upload button[type=submit]").click()
    sync_api.expect(page.locator(".focal-picture")).to_be_visible()

    # The subject sits at the right, a third from the top: click there.
    picture = page.locator(".focal-picture")
    box = picture.bounding_box()
    picture.click(position={"x": box["width"] * 0.75, "y": box["height"] * 0.3})
    sync_api.expect(page.locator("[data-focal-marker]")).to_be_visible()
    assert abs(float(page.input_value("#id_focal_x")) - 75) <= 1
    assert abs(float(page.input_value("#id_focal_y")) - 30) <= 1
    screenshot(page, "pictures-focal-point", full_page=False)
    page.locator("#picture-details button[type=submit]").click()
    sync_api.expect(page.locator(".focal-preview")).to_be_visible()
    assert page.js_errors == []
    page.context.close()

    article.refresh_from_db()
    image = article.header_image
    assert image is not None and image.alt_text == HEADER_ALT
    assert (round(image.focal_x, 2), round(image.focal_y, 2)) == (0.75, 0.3)
    assert image.has_variants


def _insert_a_figure_and_submit(
    browser: Any, live_server: Any, author: User, article: Article
) -> None:
    page = _page(browser, live_server, author)
    page.goto(live_server.url + reverse("articles:edit", args=[article.pk]))
    # The cursor after the second paragraph.
    page.locator("#body-editor p").nth(1).click()
    page.keyboard.press("End")
    page.locator('.rte-toolbar button[data-command="picture"]').click()
    dialog = page.locator("#figure-dialog")
    sync_api.expect(dialog).to_be_visible()
    page.set_input_files(
        "#id_figure-file", {"name": "grafiek.png", "mimeType": "image/png", "buffer": _chart()}
    )
    page.fill("#id_figure-alt_text", CHART_ALT)
    page.fill("#id_figure-caption", "Vacatures per sector, 2026")
    page.fill("#id_figure-credit", "CBS, bewerking Podium")
    dialog.locator("button[type=submit]").click()
    sync_api.expect(dialog).to_be_hidden()
    # The figure is a block of its own after the paragraph, picture and caption together.
    figure = page.locator("#body-editor > figure")
    sync_api.expect(figure.locator("img")).to_have_count(1)
    sync_api.expect(figure.locator("figcaption")).to_have_text("Vacatures per sector, 2026")
    assert page.locator("#body-editor p img").count() == 0
    screenshot(page, "pictures-editor-figure", full_page=False)
    # The statement at submission: own work, the licence granted, no AI tools.
    page.check("input[name=is_own_work]")
    page.check("input[name=grants_licence]")
    page.check("input[name=ai_use][value=none]")
    page.locator("button[name=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.js_errors == []
    page.context.close()

    article.refresh_from_db()
    assert article.state == Article.State.SUBMITTED, article.state
    [figure] = article.figure_images.all()
    assert figure.alt_text == CHART_ALT
    # Inserted where the cursor was: between the second and the third paragraph.
    assert article.body.index("<figure>") < article.body.index("Wie de cijfers")


def _publish(browser: Any, live_server: Any, editor: User, article: Article) -> None:
    page = _page(browser, live_server, editor)
    page.goto(live_server.url + reverse("editorial:review", args=[article.pk]))
    review = page.locator("form[action$='/publiceren/']")
    review.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    page.context.close()
    article.refresh_from_db()
    assert article.state == Article.State.PUBLISHED


def _check_public_page(browser: Any, live_server: Any, article: Article, width: int) -> None:
    page = _page(browser, live_server, None, width=width)
    page.add_init_script(LAYOUT_SHIFT)
    page.goto(live_server.url + article.get_absolute_url())
    page.wait_for_load_state("networkidle")
    pictures = page.locator("main picture img, article picture img")
    count = pictures.count()
    assert count >= 2, f"expected the header image and the figure, found {count} <picture>s"
    # Scroll through the page (lazy pictures load on the way), then back to the top.
    height = page.evaluate("document.documentElement.scrollHeight")
    for _ in range(0, height, 300):
        page.mouse.wheel(0, 300)
        page.wait_for_timeout(60)
    for n in range(count):
        image = pictures.nth(n)
        image.scroll_into_view_if_needed()
        sync_api.expect(image).to_have_js_property("complete", True)
        assert image.evaluate("img => img.naturalWidth") > 0, image.evaluate("i => i.currentSrc")
        assert image.evaluate("img => img.currentSrc").split("?")[0].endswith((".avif", ".webp"))
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(300)
    assert not page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    assert page.evaluate("window.__layoutShift") == 0
    assert _axe_violations(page) == []
    assert page.js_errors == []
    screenshot(page, f"pictures-article-{width}")
    page.context.close()


def test_upload_focal_point_figure_publish_and_the_public_page(
    browser: Any, live_server: Any, people: dict[str, Any]
) -> None:
    author, editor, article = people["author"], people["editor"], people["article"]

    _upload_header_image_and_set_the_focal_point(browser, live_server, author, article)
    _insert_a_figure_and_submit(browser, live_server, author, article)
    _publish(browser, live_server, editor, article)

    assert Image.objects.count() == 2
    for width in (375, 1280):
        _check_public_page(browser, live_server, article, width)
