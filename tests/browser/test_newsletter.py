"""The newsletter in a real browser: sign up in the footer, confirm, receive an edition, leave
with one click. The live server runs in this process, so its e-mails land in mail.outbox."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from podium.accounts.models import User
from podium.editorial.services import pick_article
from podium.newsletter import services
from podium.newsletter.models import Subscriber
from podium.topics.models import Topic

from ..podium_helpers import bulk_publish
from .support import screenshot

sync_api = pytest.importorskip("playwright.sync_api")


pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_sign_up_confirm_receive_and_unsubscribe_with_one_click(
    browser: Any,
    live_server: Any,
    settings: Any,
    contributor: User,
    topics: list[Topic],
) -> None:
    settings.SITE_URL = live_server.url
    # An administrator counts as an editor and needs no group row (transactional flushes remove those).
    editor = User.objects.create_superuser("hoofdredactie@example.org", "een-lang-wachtwoord-42")
    page = browser.new_page(viewport={"width": 375, "height": 800})

    # Sign up with the form in the footer of the home page.
    page.goto(live_server.url + "/")
    page.fill("#footer-newsletter-email", "Lezer@Example.net")
    page.locator(".newsletter-signup button[type=submit]").click()
    page.wait_for_selector("h1")
    assert "Kijk in uw inbox" in page.inner_text("h1")
    screenshot(page, "newsletter-1-check-inbox")

    # Confirm with the link from the e-mail (a button press, not the GET alone).
    (confirmation,) = mail.outbox
    link = re.search(r"http\S+/nieuwsbrief/bevestigen/\S+/", confirmation.body).group(0)  # type: ignore[union-attr]
    page.goto(link)
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING
    page.get_by_role("button", name="Ja, meld mij aan").click()
    page.wait_for_selector("text=U bent aangemeld")
    screenshot(page, "newsletter-2-confirmed")
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED

    # The editors send an edition: it arrives in the outbox.
    for article in bulk_publish(contributor, topics, 2, prefix="browser"):
        pick_article(article=article, kind="newsletter", by=editor)
    edition = services.create_edition(by=editor)
    services.update_edition(
        edition=edition, subject="De week van Podium", intro="Twee stukken.", by=editor
    )
    mail.outbox.clear()
    services.start_sending(edition=edition, by=editor)
    (issue,) = mail.outbox
    assert issue.to == ["lezer@example.net"] and issue.subject == "De week van Podium"
    unsubscribe = issue.extra_headers["List-Unsubscribe"].strip("<>")

    # One click on the personal link's button unsubscribes, without logging in.
    page.goto(unsubscribe)
    screenshot(page, "newsletter-3-unsubscribe")
    page.get_by_role("button", name="Afmelden").click()
    page.wait_for_selector("text=U bent afgemeld")
    screenshot(page, "newsletter-4-unsubscribed")
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED
    assert page.get_by_role("button", name="Opnieuw abonneren").is_visible()
    page.close()
