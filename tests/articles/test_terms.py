"""Terms at submission: the author's own work, the editors' licence (versioned) and the use of AI
tools, recorded with the revision they apply to; shown on the review page, and to readers when
parts were generated."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from podium.accounts.models import User
from podium.articles import conversation, services, terms
from podium.articles.models import Article, Licence, SubmissionTerms
from tests.podium_helpers import ArticleBuilder, nothing_written, statement

State = Article.State
pytestmark = pytest.mark.django_db


def test_submission_records_the_statement_with_its_revision(
    make_article: ArticleBuilder, contributor: User
) -> None:
    draft = make_article(contributor)
    article = services.submit_article(
        article=draft,
        by=contributor,
        terms=statement("generated", "De samenvatting is met een taalmodel gemaakt."),
    )
    recorded = SubmissionTerms.objects.get()
    assert recorded.revision == article.revisions.get()
    assert recorded.licence == Licence.objects.get(version=1)
    assert (recorded.is_own_work, recorded.ai_use) == (True, "generated")
    assert recorded.ai_explanation == "De samenvatting is met een taalmodel gemaakt."
    assert Article.objects.get(pk=article.pk).ai_use == "generated"


@pytest.mark.parametrize(
    "answer",
    [
        None,
        terms.Terms(is_own_work=False, licence_version=1, ai_use="none"),
        terms.Terms(is_own_work=True, licence_version=1, ai_use="none", grants_licence=False),
        terms.Terms(is_own_work=True, licence_version=1, ai_use="aid"),
        terms.Terms(is_own_work=True, licence_version=1, ai_use="maybe"),
        terms.Terms(is_own_work=True, licence_version=7, ai_use="none"),
    ],
    ids=["nothing", "not-own", "no-grant", "aid-unexplained", "unknown-use", "old-licence"],
)
def test_a_first_submission_without_a_full_statement_is_refused(
    answer: terms.Terms | None, make_article: ArticleBuilder, contributor: User
) -> None:
    draft = make_article(contributor)
    with nothing_written(draft), pytest.raises(ValidationError):
        services.submit_article(article=draft, by=contributor, terms=answer)


def test_a_resubmission_carries_the_statement_over_until_the_licence_changes(
    make_article: ArticleBuilder, contributor: User, editor: User
) -> None:
    article = make_article(contributor, State.CHANGES_REQUESTED)
    conversation.resubmit(article=article, by=contributor, note="Korter.")
    assert SubmissionTerms.objects.count() == 2
    services.request_changes(article=article, by=editor, message="Nog één keer.")
    terms.set_licence(text="Nieuwe voorwaarden: online, nieuwsbrief, druk.", by=editor)
    with nothing_written(article), pytest.raises(ValidationError):
        conversation.resubmit(article=article, by=contributor)
    conversation.resubmit(article=article, by=contributor, terms=statement())
    assert SubmissionTerms.objects.order_by("-pk").first().licence.version == 2  # type: ignore[union-attr]


def test_only_editors_change_the_licence_and_each_change_is_a_version(
    contributor: User, editor: User
) -> None:
    with pytest.raises(PermissionDenied):
        terms.set_licence(text="Alles is van ons.", by=contributor)
    terms.set_licence(text="Versie twee.", by=editor)
    with pytest.raises(ValidationError):
        terms.set_licence(text="Versie twee.", by=editor)  # unchanged
    assert [licence.version for licence in terms.licence_history()] == [2, 1]
    assert terms.current_licence().text == "Versie twee."


def test_the_editor_page_asks_for_the_statement(
    make_article: ArticleBuilder, contributor: User, contributor_client: Client
) -> None:
    draft = make_article(contributor)
    url = reverse("articles:edit", kwargs={"pk": draft.pk})
    page = contributor_client.get(url).content.decode()
    assert "Deze tekst is mijn eigen werk." in page and terms.current_licence().text[:40] in page
    fields = {
        "title": draft.title,
        "lead": draft.lead,
        "body": draft.body,
        "topics": [t.pk for t in draft.topics.all()],
        "version": draft.version,
        "submit": "",
    }
    refused = contributor_client.post(url, {**fields, "ai_use": "aid"})
    assert refused.status_code == 200
    assert "Leg kort uit hoe u AI-hulpmiddelen gebruikte." in refused.content.decode()
    assert Article.objects.get(pk=draft.pk).state == State.DRAFT
    done = contributor_client.post(
        url,
        {
            **fields,
            "is_own_work": "on",
            "grants_licence": "on",
            "licence_version": "1",
            "ai_use": "generated",
            "ai_explanation": "Een tussenkop.",
        },
    )
    assert done.status_code == 302
    assert Article.objects.get(pk=draft.pk).state == State.SUBMITTED


def test_editors_see_the_statement_and_readers_the_ai_line(
    make_article: ArticleBuilder,
    contributor: User,
    editor: User,
    editor_client: Client,
    anonymous_client: Client,
) -> None:
    article = services.submit_article(
        article=make_article(contributor),
        by=contributor,
        terms=statement("generated", "De inleiding kwam van een taalmodel."),
    )
    review = editor_client.get(reverse("editorial:review", kwargs={"pk": article.pk}))
    html = review.content.decode()
    assert "De inleiding kwam van een taalmodel." in html
    assert "licentieversie 1" in html
    article = services.publish_article(article=article, by=editor)
    public = anonymous_client.get(article.get_absolute_url()).content.decode()
    assert "Delen van deze tekst zijn met AI-hulpmiddelen gemaakt." in public
    other = services.publish_article(
        article=services.submit_article(
            article=make_article(contributor), by=contributor, terms=statement("aid", "Spelling.")
        ),
        by=editor,
    )
    assert (
        "AI-hulpmiddelen gemaakt"
        not in anonymous_client.get(other.get_absolute_url()).content.decode()
    )


def test_the_desk_edits_the_licence(editor_client: Client) -> None:
    url = reverse("editorial:licence")
    assert editor_client.get(url).status_code == 200
    response = editor_client.post(url, {"text": "Nieuwe licentie."})
    assert response.status_code == 302
    assert terms.current_licence().text == "Nieuwe licentie."
    assert editor_client.post(url, {"text": ""}).status_code == 400
