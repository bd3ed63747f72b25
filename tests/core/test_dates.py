"""Dates as each language writes them, in Europe/Amsterdam time: "2 december 2026" and
"2 dec. 2026" in Dutch, "2 December 2026" and "2 Dec 2026" in English; never "2 Dec 2026" or
"29 Okt 2026" on a Dutch page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from podium.articles.models import Article
from podium.core import dates
from tests.podium_helpers import ArticleBuilder

UTC = dt.UTC
# 1 December 2026, 23:30 UTC is already 2 December in Amsterdam (UTC+1).
LATE_EVENING = dt.datetime(2026, 12, 1, 23, 30, tzinfo=UTC)
# Django's "M": capitalised three letters in every language ("Dec", "Okt", "Mei", "Mrt").
DJANGO_M = re.compile(r"\b\d{1,2} (Jan|Feb|Mrt|Mar|Apr|Mei|May|Jun|Jul|Aug|Sep|Okt|Oct|Nov|Dec)\b")

DUTCH_MONTH = re.compile(
    r"\b\d{1,2} (januari|februari|maart|mei|juni|juli|augustus|oktober|[a-z]{3}\.)"
)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", ["2 dec. 2026", "2 december 2026", "2 december 2026, 00:30", "2 dec. 2026, 00:30"]),
        ("en", ["2 Dec 2026", "2 December 2026", "2 December 2026, 00:30", "2 Dec 2026, 00:30"]),
    ],
)
def test_dates_in_each_language_in_amsterdam_time(language: str, expected: list[str]) -> None:
    with translation.override(language):
        got = [
            dates.short_date(LATE_EVENING),
            dates.long_date(LATE_EVENING),
            dates.long_datetime(LATE_EVENING),
            dates.short_datetime(LATE_EVENING),
        ]
    assert got == expected


def test_dutch_abbreviations_follow_dutch_usage() -> None:
    with translation.override("nl"):
        months = [dates.short_date(dt.date(2026, m, 2)) for m in range(1, 13)]
    assert months == [
        "2 jan. 2026", "2 feb. 2026", "2 mrt. 2026", "2 apr. 2026", "2 mei 2026", "2 jun. 2026",
        "2 jul. 2026", "2 aug. 2026", "2 sep. 2026", "2 okt. 2026", "2 nov. 2026", "2 dec. 2026",
    ]  # fmt: skip


def test_template_filters_convert_to_local_time() -> None:
    template = Template(
        '{{ t|short_date }}|{{ t|short_date:"no-year" }}|{{ t|short_datetime }}|{{ t|date:"DATE_FORMAT" }}'
    )
    with translation.override("nl"):
        text = template.render(Context({"t": LATE_EVENING}))
    assert text == "2 dec. 2026|2 dec.|2 dec. 2026, 00:30|2 december 2026"


@pytest.mark.django_db
def test_no_page_shows_djangos_capitalised_month_abbreviations(
    make_article: ArticleBuilder,
    contributor: Any,
    contributor_client: Client,
    editor_client: Client,
    anonymous_client: Client,
) -> None:
    published = make_article(contributor, Article.State.PUBLISHED)
    submitted = make_article(contributor, Article.State.SUBMITTED)
    changed = make_article(contributor, Article.State.CHANGES_REQUESTED)
    pages = [
        (contributor_client, reverse("articles:dashboard")),
        (contributor_client, reverse("articles:edit", args=[changed.pk])),
        (editor_client, reverse("editorial:desk")),
        (editor_client, reverse("editorial:review", args=[submitted.pk])),
        (editor_client, reverse("editorial:contributor", args=[contributor.pk])),
        (anonymous_client, published.get_absolute_url()),
        (anonymous_client, reverse("web:home")),
    ]
    for client, url in pages:
        for language in ("nl", "en"):
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            page = client.get(url, follow=True)  # an English reader goes to /en/ if there is one
            assert page.status_code == 200, url
            text = re.sub(r"<[^>]+>", " ", page.content.decode())
            if language == "nl":
                assert not DJANGO_M.search(text), (url, DJANGO_M.search(text))
            else:
                assert not DUTCH_MONTH.search(text), (url, DUTCH_MONTH.search(text))
