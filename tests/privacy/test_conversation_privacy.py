"""The conversation through the privacy doors: the author's export holds their conversation but no
internal note and no word of who handles the submission; an erased author's name leaves the
messages and the waiting e-mails of the articles that stay."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest

from podium.accounts import roles
from podium.accounts.models import User
from podium.articles import conversation
from podium.articles.models import Article, Message, Notification
from podium.privacy import services as privacy
from tests.podium_helpers import ArticleBuilder, make_user

pytestmark = pytest.mark.django_db


def _export(user: User) -> dict[str, Any]:
    archive = zipfile.ZipFile(io.BytesIO(privacy.export_user_data(user)))
    return json.loads(archive.read("data.json"))


def test_author_export_has_the_conversation_but_no_internal_note(
    make_article: ArticleBuilder, contributor: User, editor: User
) -> None:
    article = make_article(contributor, Article.State.SUBMITTED)
    conversation.claim(article=article, by=editor)
    conversation.write_message(article=article, by=editor, body="Mooi stuk, één vraag.")
    conversation.write_message(article=article, by=contributor, body="Graag!")
    conversation.write_message(article=article, by=editor, body="Intern: twijfel", internal=True)
    data = _export(contributor)
    dumped = json.dumps(data, ensure_ascii=False)
    assert "Intern: twijfel" not in dumped
    assert "claim" not in {e["action"] for a in data["articles"] for e in a["events"]}
    (exported,) = [a for a in data["articles"] if a["id"] == article.pk]
    assert [m["body"] for m in exported["messages"]] == ["Mooi stuk, één vraag.", "Graag!"]
    # The editor's own export holds the note they wrote, and what they were sent.
    assert "Intern: twijfel" in json.dumps(_export(editor), ensure_ascii=False)


def test_erased_authors_name_leaves_the_conversation(
    make_article: ArticleBuilder, contributor: User, editor: User, admin_user: User
) -> None:
    article = make_article(contributor, Article.State.PUBLISHED)
    conversation.write_message(
        article=article, by=editor, body="Dank, Anna de Vries, het staat online."
    )
    colleague = make_user("joost@example.org", display_name="Joost", role=roles.EDITORS)
    conversation.write_message(
        article=article, by=colleague, body="Anna de Vries schrijft vaker.", internal=True
    )
    privacy.erase_account(user=contributor, by=admin_user)
    assert not Message.objects.filter(body__contains="Anna de Vries").exists()
    assert not Notification.objects.filter(text__contains="Anna de Vries").exists()
