"""The editors' compilation pages, per role, and the download that never goes through MEDIA_URL."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from podium.bestof import services
from podium.bestof.models import Compilation

pytestmark = pytest.mark.django_db

PAGES = [
    "/redactie/beste-van/",
    "/redactie/beste-van/{pk}/",
    "/redactie/beste-van/{pk}/artikelen/",
    "/redactie/beste-van/{pk}/voorbeeld/",
    "/redactie/beste-van/{pk}/status/",
]


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_is_sent_to_log_in(
    make_compilation: Any, anonymous_client: Any, page: str
) -> None:
    response = anonymous_client.get(page.format(pk=make_compilation(n=1).pk))
    assert response.status_code == 302 and "/account/login/" in response["Location"]


@pytest.mark.parametrize("page", PAGES)
def test_contributor_is_refused(make_compilation: Any, contributor_client: Any, page: str) -> None:
    assert contributor_client.get(page.format(pk=make_compilation(n=1).pk)).status_code == 403


@pytest.mark.parametrize("client_name", ["editor_client", "admin_client"])
@pytest.mark.parametrize("page", PAGES)
def test_editors_and_administrators_see_the_pages(
    make_compilation: Any, request: Any, client_name: str, page: str, admin_user: Any
) -> None:

    from podium.accounts import roles

    admin_user.role = roles.EDITORS

    admin_user.save(update_fields=["role"])
    client = request.getfixturevalue(client_name)
    assert client.get(page.format(pk=make_compilation(n=2).pk)).status_code == 200


def test_editor_creates_a_compilation_and_a_bad_period_keeps_what_was_typed(
    editor_client: Any,
) -> None:
    data = {
        "title": "Het beste van Podium",
        "subtitle": "Voorjaar",
        "foreword": "Mijn voorwoord",
        "period_start": "2026-03-31",
        "period_end": "2026-01-01",
    }
    response = editor_client.post("/redactie/beste-van/nieuw/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "De periode moet eindigen op of na de dag waarop ze begint." in page
    assert "Mijn voorwoord" in page and 'value="Voorjaar"' in page
    data["period_end"] = "2026-06-30"
    response = editor_client.post("/redactie/beste-van/nieuw/", data)
    compilation = Compilation.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(
        f"/{compilation.pk}/artikelen/"
    )


def test_a_new_compilation_starts_with_the_editors_picks_of_its_period(
    make_compilation: Any, editor: Any, editor_client: Any
) -> None:
    from podium.editorial.services import pick_article

    earlier = make_compilation(n=3)
    a, _b, c = [e.article for e in earlier.entries.order_by("position")]
    pick_article(article=c, kind="bestof", by=editor)
    pick_article(article=a, kind="bestof", by=editor)
    today = timezone.localdate()
    response = editor_client.post(
        "/redactie/beste-van/nieuw/",
        {
            "title": "Het beste van het kwartaal",
            "period_start": (today - datetime.timedelta(days=30)).isoformat(),
            "period_end": today.isoformat(),
        },
        follow=True,
    )
    created = Compilation.objects.exclude(pk=earlier.pk).get()
    assert [e.article_id for e in created.entries.order_by("position")] == [c.pk, a.pk]
    assert "met de 2 artikelen die de redactie voor deze periode koos" in response.content.decode()


def test_candidates_show_picks_first_then_reader_signals(
    make_compilation: Any, editor: Any, editor_client: Any
) -> None:
    from podium.editorial.services import pick_article
    from podium.stats.models import DailyArticleStats

    compilation = make_compilation(n=3)
    a, b, c = [e.article for e in compilation.entries.order_by("position")]
    services.set_articles(compilation=compilation, article_ids=[], by=editor)
    pick_article(article=c, kind="bestof", by=editor)
    DailyArticleStats.objects.create(
        article=b, day=timezone.localdate(), views=40, read_throughs=30
    )
    DailyArticleStats.objects.create(article=a, day=timezone.localdate(), views=10, read_throughs=1)
    page = editor_client.get(f"/redactie/beste-van/{compilation.pk}/artikelen/").content.decode()
    assert page.index(c.title) < page.index(b.title) < page.index(a.title)
    assert "Gekozen door de redactie" in page and "30 (75%)" in page


def test_editor_chooses_and_orders_articles_with_position_numbers(
    make_compilation: Any, editor_client: Any
) -> None:
    compilation = make_compilation(n=3)
    a, _b, c = [e.article for e in compilation.entries.order_by("position")]
    response = editor_client.post(
        f"/redactie/beste-van/{compilation.pk}/artikelen/",
        {"articles": [a.pk, c.pk], f"position-{a.pk}": "2", f"position-{c.pk}": "1"},
    )
    assert response.status_code == 302
    assert [e.article_id for e in compilation.entries.order_by("position")] == [c.pk, a.pk]


def test_bad_position_is_explained_and_the_ticks_are_kept(
    make_compilation: Any, editor_client: Any
) -> None:
    compilation = make_compilation(n=2)
    a, b = [e.article for e in compilation.entries.order_by("position")]
    response = editor_client.post(
        f"/redactie/beste-van/{compilation.pk}/artikelen/",
        {"articles": [b.pk], f"position-{b.pk}": "eerste"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Een plaats is een heel getal" in page and 'value="eerste"' in page
    assert (
        f'value="{b.pk}" id="choose-{b.pk}" checked' in page
        and f'value="{a.pk}" id="choose-{a.pk}">' in page
    )


def test_list_page_query_count_does_not_grow_with_compilations(
    editor: Any, editor_client: Any
) -> None:
    def make(n: int) -> None:
        for i in range(n):
            services.create_compilation(
                by=editor,
                title=f"Bundel {i}",
                period_start=datetime.date(2026, 1, 1),
                period_end=datetime.date(2026, 3, 31),
            )

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert editor_client.get("/redactie/beste-van/").status_code == 200
        return len(ctx.captured_queries)

    make(5)
    five = count()
    make(45)
    assert count() == five


def test_candidates_page_query_count_does_not_grow_with_articles(
    make_compilation: Any, editor_client: Any, editor: Any
) -> None:
    from ..podium_helpers import bulk_publish

    compilation = make_compilation(n=1)
    author = compilation.entries.first().article.author
    topics = list(__import__("podium.topics.models", fromlist=["Topic"]).Topic.objects.all())
    if len(topics) < 2:
        from podium.topics.models import Topic

        topics = [Topic.objects.create(name=f"T{i}", slug=f"t{i}") for i in range(2)]

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert (
                editor_client.get(f"/redactie/beste-van/{compilation.pk}/artikelen/").status_code
                == 200
            )
        return len(ctx.captured_queries)

    bulk_publish(author, topics, 5, prefix="vijf")
    five = count()
    bulk_publish(author, topics, 45, prefix="meer")
    assert count() == five


def test_building_page_refreshes_without_javascript_and_polls_with_it(
    make_compilation: Any, editor_client: Any
) -> None:
    compilation = make_compilation(n=1)
    Compilation.objects.filter(pk=compilation.pk).update(
        build_status="running", build_progress=40, build_step="De pdf voor de drukker wordt gebouwd"
    )
    page = editor_client.get(f"/redactie/beste-van/{compilation.pk}/").content.decode()
    assert '<noscript><meta http-equiv="refresh"' in page and "bestof/build-status.js" in page
    assert '<progress class="build-progress" max="100" value="40">' in page
    status = editor_client.get(f"/redactie/beste-van/{compilation.pk}/status/").json()
    assert (
        status["is_building"]
        and status["progress"] == 40
        and status["step"] == "De pdf voor de drukker wordt gebouwd"
    )


def test_files_are_downloaded_by_editors_only_and_have_no_media_url(
    make_compilation: Any,
    editor_client: Any,
    contributor_client: Any,
    anonymous_client: Any,
    settings: Any,
) -> None:
    compilation = make_compilation(n=1)
    compilation.pdf_a4.save("proef.pdf", ContentFile(b"%PDF-1.7 proef"), save=True)
    url = f"/redactie/beste-van/{compilation.pk}/download/a4/"
    response = editor_client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.7 proef"
    # A private file: no sign-in page and no 403 that would tell there is something to have.
    assert contributor_client.get(url).status_code == 404
    assert anonymous_client.get(url).status_code == 404
    # The desk's other pages still send an anonymous visitor to sign in.
    desk = anonymous_client.get(f"/redactie/beste-van/{compilation.pk}/")
    assert desk.status_code == 302 and desk["Location"].startswith("/account/login/")
    assert (
        editor_client.get(f"/redactie/beste-van/{compilation.pk}/download/epub/").status_code == 404
    )
    assert (
        editor_client.get(f"/redactie/beste-van/{compilation.pk}/download/exe/").status_code == 404
    )
    assert not str(compilation.pdf_a4.path).startswith(str(settings.MEDIA_ROOT))


def test_build_and_finalise_are_post_only(make_compilation: Any, editor_client: Any) -> None:
    compilation = make_compilation(n=1)
    assert editor_client.get(f"/redactie/beste-van/{compilation.pk}/bouwen/").status_code == 405
    assert editor_client.get(f"/redactie/beste-van/{compilation.pk}/definitief/").status_code == 405


def test_finalising_an_unbuilt_compilation_says_what_to_do(
    make_compilation: Any, editor_client: Any
) -> None:
    compilation = make_compilation(n=1)
    response = editor_client.post(f"/redactie/beste-van/{compilation.pk}/definitief/", follow=True)
    assert "Bouw de bundel eerst met succes" in response.content.decode()


def test_preview_names_what_stops_the_build(make_compilation: Any, editor_client: Any) -> None:
    compilation = make_compilation(n=0)
    page = editor_client.get(f"/redactie/beste-van/{compilation.pk}/voorbeeld/").content.decode()
    assert "Deze bundel heeft nog geen artikelen" in page


def test_other_contributor_sees_no_notice_of_a_compilation_without_their_article(
    other_client: Any,
) -> None:
    assert "gedrukte bundel" not in other_client.get("/profiel/activiteiten/").content.decode()


def test_editor_fills_in_the_colophon_on_the_edit_page(
    make_compilation: Any, editor_client: Any
) -> None:
    compilation = make_compilation(n=1, printer="")
    page = editor_client.get(f"/redactie/beste-van/{compilation.pk}/bewerken/").content.decode()
    assert "drukker (colofon)" in page.lower() and "rechten (colofon)" in page.lower()
    data = {
        "title": compilation.title,
        "subtitle": compilation.subtitle,
        "foreword": compilation.foreword,
        "period_start": compilation.period_start.isoformat(),
        "period_end": compilation.period_end.isoformat(),
        "colophon_editors": "Eva Smit\r\nJoris de Wit\r\n",
        "licence": "CC BY-NC-ND 4.0",
        "printer": "Drukkerij De Bij, Utrecht",
    }
    response = editor_client.post(f"/redactie/beste-van/{compilation.pk}/bewerken/", data)
    assert response.status_code == 302
    compilation.refresh_from_db()
    assert compilation.colophon_editors == "Eva Smit\r\nJoris de Wit"
    assert (compilation.licence, compilation.printer) == (
        "CC BY-NC-ND 4.0",
        "Drukkerij De Bij, Utrecht",
    )
