"""The XSS corpus through co-author names: stored raw (as the Django admin could), every page and
e-mail that shows a co-author, an inviter or an invited address stays inert."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from podium.accounts.models import User
from podium.articles import coauthors, services
from podium.articles.models import Article

from ..podium_helpers import assert_inert, make_user, sign_in, statement
from ..web.test_xss import CORPUS, IDS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("payload", CORPUS, ids=IDS)
def test_coauthor_names_stay_inert(
    payload: str, make_article: Any, contributor: User, django_capture_on_commit_callbacks: Any
) -> None:
    coauthor = make_user("cor@example.org", display_name="Cor", bio="Cor.", slug="cor")
    draft = make_article(contributor)
    pending = make_article(contributor)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = coauthors.invite_coauthor(
            article=draft, by=contributor, email=coauthor.email, language="nl"
        )
        coauthors.accept_invitation(invitation=invitation, by=coauthor)
        open_one = coauthors.invite_coauthor(
            article=pending, by=contributor, email=coauthor.email, language="en"
        )
    services.submit_article(article=draft, by=contributor, terms=statement())
    services.publish_article(article=draft, by=make_article.editor)
    for person in (coauthor, contributor):  # the co-author's name and the inviter's
        User.objects.filter(pk=person.pk).update(
            display_name=f"{person.display_name} {payload}"[:100], job_title=payload[:100]
        )
    article = Article.objects.get(pk=draft.pk)
    token = coauthors.invitation_token(open_one)
    anonymous = Client()
    author = sign_in(Client(), contributor)
    cowriter = sign_in(Client(), coauthor)
    pages = {
        "article": anonymous.get(article.get_absolute_url()),
        "home": anonymous.get("/"),
        "coauthor's page": anonymous.get(coauthor.get_absolute_url()),
        "directory": anonymous.get("/auteurs/"),
        "feed": anonymous.get("/feed/"),
        "dashboard": author.get("/profiel/activiteiten/"),
        "co-author's dashboard": cowriter.get("/profiel/activiteiten/"),
        "co-authors": author.get(f"/profiel/activiteiten/{article.pk}/coauteurs/"),
        "invitation": cowriter.get(f"/profiel/activiteiten/uitnodiging/{token}/"),
        "invitation, anonymous": anonymous.get(f"/profiel/activiteiten/uitnodiging/{token}/"),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        if name != "feed":
            assert_inert(response.content.decode())
        else:
            assert b"<script" not in response.content
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        coauthors.invite_coauthor(
            article=make_article(contributor), by=contributor, email="x@example.net", language="nl"
        )
        coauthors.leave_article(article=article, by=coauthor)
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert_inert(message.alternatives[0][0])
