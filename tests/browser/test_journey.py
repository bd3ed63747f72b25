"""The whole path a newcomer walks, in a real browser: sign up → verify the e-mail → fill the
profile → write an article with two subheadings and a numbered list → submit → the editor asks
for changes → the author revises and resubmits → the editor publishes → the article is on the
home page, and its page shows the author box."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from PIL import Image

from podium.accounts import roles
from podium.accounts.models import User
from podium.articles.models import Article
from podium.topics.models import Topic
from tests.podium_helpers import make_user

from .support import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "nieuwe.auteur@example.org"
PASSWORD = "Een-sterk-wachtwoord-2026"


def _portrait(tmp_path: Any) -> str:
    path = tmp_path / "portret.png"
    buffer = io.BytesIO()
    Image.new("RGB", (600, 600), (40, 90, 140)).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def _button(page: Any, command: str) -> Any:
    return page.locator(f'.rte-toolbar button[data-command="{command}"]')


def test_from_sign_up_to_a_published_article_on_the_home_page(
    open_page: Any, live_server: Any, tmp_path: Any
) -> None:
    topic = Topic.objects.create(name="Arbeidsmarkt", slug="arbeidsmarkt")
    editor = make_user("eindredacteur@example.org", display_name="Eva Eindredacteur")
    editor.role = roles.EDITORS
    editor.save(update_fields=["role"])
    url = live_server.url

    # 1. Sign up.
    author_page = open_page()
    author_page.goto(url + reverse("account_signup"))
    assert author_page.locator("html").get_attribute("lang") == "nl"
    screenshot(author_page, "journey-01-signup")
    author_page.fill("input[name=email]", EMAIL)
    author_page.fill("input[name=password1]", PASSWORD)
    author_page.fill("input[name=password2]", PASSWORD)
    author_page.locator("form.account-form button[type=submit]").click()
    author_page.wait_for_url(re.compile(r"/account/confirm-email/$"))
    screenshot(author_page, "journey-02-verification-sent")

    # 2. Verify the e-mail address with the link from the message.
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [EMAIL]
    link = re.search(r"https?://\S+/account/confirm-email/\S+/", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    author_page.goto(url + re.sub(r"^https?://[^/]+", "", link.group(0)))
    author_page.locator("form.account-form button[type=submit]").click()
    author = User.objects.get(email=EMAIL)
    assert author.emailaddress_set.get().verified

    # 3. Fill the profile (name and bio are needed before anything can be submitted).
    author_page.goto(url + reverse("accounts:profile"))
    author_page.fill("#id_display_name", "Noor Nieuwenhuis")
    author_page.fill("#id_job_title", "Directeur")
    author_page.fill("#id_organisation", "Werkplaats Talent")
    author_page.fill("#id_bio", "Noor Nieuwenhuis is directeur van Werkplaats Talent in Utrecht.")
    author_page.set_input_files("#id_photo", _portrait(tmp_path))
    author_page.fill("#id_linkedin", "https://www.linkedin.com/in/noor-nieuwenhuis")
    screenshot(author_page, "journey-03-profile")
    author_page.locator("#profile-form button[type=submit]").click()
    author_page.wait_for_url(re.compile(r"/profiel/$"))
    author.refresh_from_db()
    assert author.display_name == "Noor Nieuwenhuis" and author.photo

    # 4. Write the article in the rich-text editor: two subheadings and a numbered list.
    author_page.goto(url + reverse("articles:dashboard"))
    author_page.locator(f'a[href="{reverse("articles:create")}"]').first.click()
    author_page.fill("#id_title", "Talent zit vaak al in huis")
    author_page.fill("#id_lead", "Wie zijn eigen mensen beter kent, hoeft minder vaak te werven.")
    area = author_page.locator("#body-editor")
    area.click()
    author_page.keyboard.type("Organisaties zoeken ver weg wat dichtbij ligt.")
    author_page.keyboard.press("Enter")
    _button(author_page, "h2").click()
    author_page.keyboard.type("Wat weet u van uw eigen mensen?")
    author_page.keyboard.press("Enter")
    author_page.keyboard.type("Vaak minder dan u denkt. Een gesprek helpt.")
    author_page.keyboard.press("Enter")
    _button(author_page, "h2").click()
    author_page.keyboard.type("Drie stappen")
    author_page.keyboard.press("Enter")
    _button(author_page, "numbered").click()
    for step in (
        "Vraag naar ambities.",
        "Maak vaardigheden zichtbaar.",
        "Geef ruimte om te groeien.",
    ):
        author_page.keyboard.type(step)
        author_page.keyboard.press("Enter")
    author_page.keyboard.press("Enter")  # leave the list
    author_page.keyboard.type("Zo wordt werven de uitzondering.")
    author_page.check(f'input[name=topics][value="{topic.pk}"]')
    screenshot(author_page, "journey-04-editor")
    # The statement at submission: own work, the licence granted, no AI tools.
    author_page.check("input[name=is_own_work]")
    author_page.check("input[name=grants_licence]")
    author_page.check("input[name=ai_use][value=none]")
    author_page.locator("button[name=submit]").click()
    author_page.wait_for_url(re.compile(r"/activiteiten/$"))
    screenshot(author_page, "journey-05-submitted")

    article = Article.objects.get(author=author)
    assert article.state == Article.State.SUBMITTED
    assert article.body.count("<h2>") == 2
    assert "<ol><li>Vraag naar ambities.</li>" in article.body

    # 5. The editor asks for changes.
    editor_page = open_page(editor)
    editor_page.goto(url + reverse("editorial:desk"))
    editor_page.get_by_role("link", name="Talent zit vaak al in huis").click()
    screenshot(editor_page, "journey-06-review")
    editor_page.fill(
        "#id_changes-message", "Mooi stuk. Kunt u de derde stap met een voorbeeld uitwerken?"
    )
    editor_page.locator(
        f'form[action="{reverse("editorial:request_changes", args=[article.pk])}"] button'
    ).click()
    editor_page.wait_for_url(re.compile(rf"/redactie/artikel/{article.pk}/$"))
    article.refresh_from_db()
    assert article.state == Article.State.CHANGES_REQUESTED

    # 6. The author sees the message, revises and resubmits.
    author_page.goto(url + reverse("articles:dashboard"))
    assert "derde stap met een voorbeeld" in author_page.content()
    screenshot(author_page, "journey-07-changes-requested")
    author_page.get_by_role("link", name="Talent zit vaak al in huis").click()
    area = author_page.locator("#body-editor")
    area.locator("p").last.click()
    author_page.keyboard.press("End")
    author_page.keyboard.type(" Een stagiair van vorig jaar leidt nu ons grootste project.")
    author_page.locator("button[name=submit]").click()
    author_page.wait_for_url(re.compile(r"/activiteiten/$"))
    article.refresh_from_db()
    assert article.state == Article.State.SUBMITTED
    assert article.revisions.count() == 2

    # 7. The editor sees what changed and publishes.
    editor_page.goto(url + reverse("editorial:review", args=[article.pk]))
    assert editor_page.locator(".diff ins").filter(has_text="stagiair").count() == 1
    screenshot(editor_page, "journey-08-review-diff")
    editor_page.locator(
        f'form[action="{reverse("editorial:publish", args=[article.pk])}"] button[type=submit]'
    ).click()
    editor_page.wait_for_url(re.compile(rf"/redactie/artikel/{article.pk}/$"))
    article.refresh_from_db()
    assert article.state == Article.State.PUBLISHED

    # 8. A reader finds it on the home page, and the article page has the author box.
    reader = open_page()
    reader.goto(url + "/")
    reader.get_by_role("link", name="Talent zit vaak al in huis").first.click()
    reader.wait_for_url(re.compile(r"/podium/talent-zit-vaak-al-in-huis/$"))
    box = reader.locator(".author-box")
    assert "Noor Nieuwenhuis" in box.inner_text()
    assert "directeur van Werkplaats Talent" in box.inner_text()
    assert box.locator("img").count() == 1
    assert reader.locator(".article-body h2").count() == 2
    assert reader.locator(".article-body ol li").count() == 3
    screenshot(reader, "journey-09-article")
    reader.goto(url + "/")
    screenshot(reader, "journey-10-home")
    for page in (author_page, editor_page, reader):
        assert page.js_errors == [], page.js_errors
