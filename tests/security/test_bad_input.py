"""Bad input gets a 4xx and a friendly page, never a 500, and nothing is written."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from podium.accounts.models import User
from podium.articles.models import Article
from podium.moderation import services as moderation_services

from ..podium_helpers import ArticleBuilder, written_rows

pytestmark = pytest.mark.django_db

FRIENDLY = "error-page"


def _article_form(topics: list[Any], **extra: Any) -> dict[str, Any]:
    return {
        "title": "Titel",
        "lead": "Lead.",
        "body": "<p>Tekst.</p>",
        "topics": [topics[0].pk],
        **extra,
    }


def test_a_post_without_csrf_token_is_refused_with_a_friendly_page(
    contributor: User, topics: list[Any]
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(contributor)
    before = written_rows()
    response = client.post(reverse("articles:create"), _article_form(topics))
    assert response.status_code == 403
    assert FRIENDLY in response.content.decode()
    assert written_rows() == before


def test_an_oversized_body_is_refused(
    contributor_client: Client, topics: list[Any], settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    before = written_rows()
    response = contributor_client.post(
        reverse("articles:create"), _article_form(topics, body="x" * 20_000)
    )
    assert response.status_code == 400
    assert written_rows() == before


def test_too_many_fields_are_refused(contributor_client: Client, topics: list[Any]) -> None:
    before = written_rows()
    data = _article_form(topics, **{f"f{i}": "x" for i in range(1100)})
    response = contributor_client.post(reverse("articles:create"), data)
    assert response.status_code == 400
    assert written_rows() == before


def test_too_many_files_are_refused(contributor_client: Client) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = {f"file{i}": SimpleUploadedFile(f"{i}.txt", b"x") for i in range(120)}
    before = User.objects.get(email="anna@example.org").photo.name
    response = contributor_client.post("/profiel/", files)
    assert response.status_code == 400
    assert User.objects.get(email="anna@example.org").photo.name == before


@pytest.mark.parametrize("field", ["title", "lead", "body"])
def test_nul_bytes_are_a_form_error_not_a_500(
    contributor_client: Client, topics: list[Any], field: str
) -> None:
    before = written_rows()
    response = contributor_client.post(
        reverse("articles:create"), _article_form(topics, **{field: "Hallo\x00wereld"})
    )
    assert response.status_code in (200, 400)
    assert written_rows() == before


def test_nul_bytes_in_the_query_string_do_not_break_search(client: Client) -> None:
    assert client.get("/zoeken/", {"q": "a\x00b"}).status_code in (200, 400)


def test_invalid_utf8_is_not_a_500(contributor_client: Client) -> None:
    before = written_rows()
    response = contributor_client.post(
        reverse("articles:create"),
        b"title=\xff\xfe&lead=\xc3\x28&body=x",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert FRIENDLY in response.content.decode()
    assert written_rows() == before


def test_invalid_utf8_in_the_query_string_is_a_400(client: Client) -> None:
    assert client.get("/zoeken/?q=%ff%fe").status_code == 400


def test_valid_utf8_forms_pass(contributor_client: Client, topics: list[Any]) -> None:
    response = contributor_client.post(
        reverse("articles:create"), _article_form(topics, title="Één café, naïef")
    )
    assert response.status_code == 302
    assert Article.objects.get().title == "Één café, naïef"


def test_invalid_utf8_in_the_path_is_a_404(client: Client) -> None:
    assert client.get("/artikel/%ff%fe/").status_code in (400, 404)


@pytest.mark.parametrize(
    "value", ["99999-01-01T10:00", "2026-13-45T25:61", "0000-00-00T00:00", "x" * 500]
)
def test_out_of_range_dates_are_a_form_error(
    value: str, editor_client: Client, contributor: User, make_article: ArticleBuilder
) -> None:
    article = make_article.submitted(contributor)
    before = written_rows()
    response = editor_client.post(
        reverse("editorial:publish", args=[article.pk]), {"when": "later", "publish_at": value}
    )
    assert response.status_code < 500
    assert written_rows() == before
    assert Article.objects.get(pk=article.pk).state == Article.State.SUBMITTED


def test_a_forged_host_header_is_a_400(client: Client) -> None:
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert FRIENDLY in response.content.decode()


def test_a_forged_x_forwarded_for_changes_nothing(
    monkeypatch: pytest.MonkeyPatch,
    client: Client,
    contributor: User,
    make_article: ArticleBuilder,
    settings: Any,
) -> None:
    article = make_article(contributor, Article.State.PUBLISHED)
    monkeypatch.setattr(moderation_services, "REPORTS_PER_HOUR", 1)
    url = reverse("moderation:report", args=[article.slug])
    assert client.post(url, {"reason": "other"}, HTTP_X_FORWARDED_FOR="1.1.1.1").status_code == 302
    # A different forwarded address does not get the reader a fresh allowance.
    assert client.post(url, {"reason": "other"}, HTTP_X_FORWARDED_FOR="2.2.2.2").status_code == 429


def test_a_forged_x_forwarded_host_is_ignored(client: Client) -> None:
    response = client.get("/", HTTP_X_FORWARDED_HOST="evil.example")
    assert response.status_code == 200
    assert "evil.example" not in response.content.decode()
