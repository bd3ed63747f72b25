"""The panel beside the text, on the review page (editors) and in the article editor (author):
the forms work without JavaScript, a refusal keeps what was typed, hostile input stays inert, and
the review page runs the same number of queries with 50 comments as with a few."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from podium.accounts.models import User
from podium.annotations import services
from podium.annotations.models import Comment, Thread
from podium.articles import services as articles
from podium.articles.models import Article
from tests.podium_helpers import ArticleBuilder, assert_inert, tags_in
from tests.web.test_xss import CORPUS, IDS

pytestmark = pytest.mark.django_db

PASSAGE = "Teams die leren, winnen."


@pytest.fixture
def submission(make_article: ArticleBuilder, contributor: User) -> Article:
    return make_article(contributor, Article.State.SUBMITTED)


def _review(pk: int) -> str:
    return reverse("editorial:review", kwargs={"pk": pk})


def _edit(pk: int) -> str:
    return reverse("articles:edit", kwargs={"pk": pk})


def test_an_editor_comments_and_suggests_without_javascript(
    submission: Article, editor_client: Client
) -> None:
    review = _review(submission.pk)
    response = editor_client.post(
        reverse("annotations_desk:comment", kwargs={"pk": submission.pk}),
        {"next": review, "comment-quote": PASSAGE, "comment-body": "Mooi gezegd."},
    )
    thread = Thread.objects.get()
    assert response["Location"] == f"{review}#thread-{thread.pk}"
    response = editor_client.post(
        reverse("annotations_desk:suggest", kwargs={"pk": submission.pk}),
        {
            "next": review,
            "suggestion-quote": "Teams die wachten",
            "suggestion-change": "replace",
            "suggestion-replacement": "Wie wacht",
        },
    )
    assert response.status_code == 302
    page = editor_client.get(review).content.decode()
    assert "Mooi gezegd." in page
    assert "<del>Teams die wachten</del> <ins>Wie wacht</ins>" in page
    assert 'id="new-suggestion"' in page


def test_a_refused_comment_comes_back_with_what_was_typed_and_why(
    submission: Article, editor_client: Client
) -> None:
    review = _review(submission.pk)
    editor_client.post(
        reverse("annotations_desk:comment", kwargs={"pk": submission.pk}),
        {
            "next": review,
            "comment-quote": "Niet in de tekst",
            "comment-body": "Mijn lange opmerking",
        },
    )
    page = editor_client.get(review).content.decode()
    assert not Thread.objects.exists()
    assert "Deze passage staat niet in de opgeslagen tekst" in page
    assert "Mijn lange opmerking</textarea>" in page
    assert '<details class="notes-new" id="new-comment" open>' in page


def test_the_author_answers_accepts_and_rejects_in_the_editor(
    submission: Article, contributor: User, editor: User, contributor_client: Client
) -> None:
    comment = services.comment_on(article=submission, by=editor, quote=PASSAGE, body="Waarom?")
    keep = services.suggest(
        article=submission,
        by=editor,
        quote="Teams die wachten",
        change="replace",
        replacement="Wie wacht",
    )
    drop = services.suggest(article=submission, by=editor, quote="de buren", change="delete")
    articles.request_changes(article=submission, by=editor, message="Zie de voorstellen.")
    edit = _edit(submission.pk)
    page = contributor_client.get(edit).content.decode()
    assert "Opmerkingen en voorstellen" in page and "Waarom?" in page
    assert page.count(">Aannemen</button>") == 2
    for url, data in [
        (
            reverse("annotations:reply", kwargs={"pk": comment.pk}),
            {f"reply-{comment.pk}-body": "Daarom."},
        ),
        (reverse("annotations:accept", kwargs={"pk": keep.pk}), {}),
        (reverse("annotations:reject", kwargs={"pk": drop.pk}), {}),
    ]:
        response = contributor_client.post(url, {"next": edit, **data})
        assert response.status_code == 302 and response["Location"].startswith(edit + "#thread-")
    body = Article.objects.get(pk=submission.pk).body
    assert "Wie wacht, verliezen" in body and "de buren" in body
    assert list(comment.comments.values_list("body", flat=True)) == ["Waarom?", "Daarom."]
    page = contributor_client.get(edit).content.decode()
    assert "2 afgehandelde draden" in page


def test_the_author_cannot_use_the_desk_side_nor_the_editor_the_authors(
    submission: Article, editor: User, contributor_client: Client, editor_client: Client
) -> None:
    thread = services.suggest(article=submission, by=editor, quote="de buren", change="delete")
    data = {"comment-quote": PASSAGE, "comment-body": "Hoi"}
    desk = reverse("annotations_desk:comment", kwargs={"pk": submission.pk})
    assert contributor_client.post(desk, data).status_code == 404
    mine = reverse("annotations:comment", kwargs={"pk": submission.pk})
    assert editor_client.post(mine, data).status_code == 404
    assert (
        editor_client.post(reverse("annotations:accept", kwargs={"pk": thread.pk})).status_code
        == 404
    )
    assert not Comment.objects.exists()


@pytest.mark.parametrize("payload", CORPUS, ids=IDS)
def test_hostile_comments_replies_and_suggestions_stay_inert(
    payload: str,
    submission: Article,
    contributor: User,
    editor: User,
    editor_client: Client,
    contributor_client: Client,
) -> None:
    review = _review(submission.pk)
    editor_client.post(
        reverse("annotations_desk:comment", kwargs={"pk": submission.pk}),
        {"next": review, "comment-quote": PASSAGE, "comment-body": payload},
    )
    editor_client.post(
        reverse("annotations_desk:suggest", kwargs={"pk": submission.pk}),
        {
            "next": review,
            "suggestion-quote": "Teams die wachten",
            "suggestion-change": "replace",
            "suggestion-replacement": payload,
            "suggestion-body": payload,
        },
    )
    # A row holding raw HTML (an old row, the admin) is shown escaped all the same.
    thread = services.comment_on(article=submission, by=editor, quote="de buren", body="x")
    Comment.objects.create(thread=thread, author=contributor, body=payload)
    Thread.objects.filter(pk=thread.pk).update(quote=payload)
    articles.request_changes(article=submission, by=editor, message="Graag.")
    for comment in Comment.objects.exclude(body=payload):
        assert tags_in(comment.body) == [], comment.body
    for stored in Thread.objects.exclude(pk=thread.pk).values_list("replacement", flat=True):
        assert tags_in(stored) == [], stored
    for client, url in [(editor_client, review), (contributor_client, _edit(submission.pk))]:
        response = client.get(url)
        assert response.status_code == 200
        assert_inert(response.content.decode())


def _threads(article: Article, editor: User, author: User, n: int) -> None:
    """`n` threads with a reply each, half of them suggestions, a few resolved."""
    for i in range(n):
        if i % 2:
            thread = services.suggest(
                article=article,
                by=editor,
                quote="Teams",
                change="replace",
                replacement=f"Ploeg {i}",
            )
        else:
            thread = services.comment_on(article=article, by=editor, quote=PASSAGE, body=f"Nr. {i}")
        services.reply(thread=thread, by=author, body="Antwoord.")
        if i % 5 == 0:
            services.resolve(thread=thread, by=editor)


def _review_queries(client: Client, url: str, django_assert_num_queries: Any, n: int) -> None:
    with django_assert_num_queries(n):
        assert client.get(url).status_code == 200


# The whole review page; the comments panel's own share is three (the article's co-authors, whom
# the rules ask about, threads, comments), the conversation's two (messages, events: the events
# were read for the history before) and the author's statement at submission one (who handles
# it comes with the article).
REVIEW_QUERIES = 15


def test_the_review_page_runs_a_fixed_number_of_queries_with_50_comments(
    submission: Article,
    editor: User,
    contributor: User,
    editor_client: Client,
    django_assert_num_queries: Any,
) -> None:
    url = _review(submission.pk)
    _threads(submission, editor, contributor, 3)
    editor_client.get(url)  # the assistant's report is computed and stored on first sight
    _review_queries(editor_client, url, django_assert_num_queries, REVIEW_QUERIES)
    _threads(submission, editor, contributor, 47)
    assert Thread.objects.count() == 50 and Comment.objects.count() == 76
    _review_queries(editor_client, url, django_assert_num_queries, REVIEW_QUERIES)


def test_while_it_is_submitted_the_author_reads_and_answers_below_the_preview(
    submission: Article, editor: User, contributor_client: Client
) -> None:
    thread = services.comment_on(article=submission, by=editor, quote=PASSAGE, body="Waarom?")
    suggestion = services.suggest(article=submission, by=editor, quote="de buren", change="delete")
    preview = reverse("articles:preview", kwargs={"pk": submission.pk})
    page = contributor_client.get(preview).content.decode()
    assert "Waarom?" in page and f'id="reply-{thread.pk}"' in page
    assert ">Aannemen</button>" not in page  # deciding waits until the text is the author's again
    response = contributor_client.post(
        reverse("annotations:reply", kwargs={"pk": thread.pk}),
        {"next": preview, f"reply-{thread.pk}-body": "Daarom."},
    )
    assert response["Location"] == f"{preview}#thread-{thread.pk}"
    assert thread.comments.count() == 2
    assert Thread.objects.get(pk=suggestion.pk).decision == "open"
