"""Charts are correct SVG in both languages (a decimal point in every coordinate, never a decimal
comma) and look sensible with no, one or two days of data."""

from __future__ import annotations

import datetime
import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from podium.newsletter.chart import line_chart
from podium.stats.charts import bar_chart
from podium.stats.selectors import DayCount

DAY = datetime.date(2026, 12, 2)
NUMERIC_ATTRIBUTE = re.compile(r'\s(x|y|x1|x2|y1|y2|cx|cy|r|width|height|points)="([^"]*)"')


def _series(n: int) -> list[tuple[datetime.date, int]]:
    return [(DAY - datetime.timedelta(days=n - 1 - i), 100 + 7 * i) for i in range(n)]


def _render(chart: object, language: str) -> str:
    with translation.override(language):
        return render_to_string(
            "newsletter/editor/index.html",
            {"chart": chart, "counts": {}, "editions": [], "history": []},
        )


def _svg(page: str) -> str:
    match = re.search(r"<svg.*?</svg>", page, re.S)
    assert match, "no chart drawn"
    return match.group(0)


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("days", [2, 90])
def test_every_coordinate_uses_a_decimal_point(language: str, days: int) -> None:
    svg = _svg(_render(line_chart(_series(days)), language))
    assert NUMERIC_ATTRIBUTE.findall(svg)
    # points="x,y x,y": each pair is two dotted numbers, never "176,0,52,5"
    for points in re.findall(r'points="([^"]*)"', svg):
        for pair in points.split():
            assert re.fullmatch(r"-?\d+(\.\d)?,-?\d+(\.\d)?", pair), pair
    for name, value in NUMERIC_ATTRIBUTE.findall(svg):
        if name != "points":
            assert re.fullmatch(r"-?\d+(\.\d)?(%)?", value), (name, value)


def test_labels_spread_over_the_width_in_dutch() -> None:
    chart = line_chart(_series(90))
    xs = [float(x) for x, _ in chart.x_labels]
    assert xs == sorted(xs) and xs[0] < 100 and xs[-1] > 500
    with translation.override("nl"):
        labels = [label for _, label in line_chart(_series(3)).x_labels]
    assert labels == ["30 nov.", "1 dec.", "2 dec."]


def test_one_day_is_a_dot_in_the_middle_with_axes() -> None:
    chart = line_chart(_series(1))
    svg = _svg(_render(chart, "nl"))
    assert "<circle" in svg and "<polygon" not in svg
    ((cx, _cy),) = chart.dots
    assert abs(float(cx) - (48 + (640 - 48 - 16) / 2)) < 1
    assert svg.count('class="tick"') >= 4  # three values and the day


def test_two_days_are_a_line_from_edge_to_edge() -> None:
    chart = line_chart(_series(2))
    first, last = chart.points.split()
    assert float(first.split(",")[0]) == 48 and float(last.split(",")[0]) == 640 - 16
    assert len(chart.dots) == 2 and len(chart.x_labels) == 2


def test_no_data_says_so_instead_of_an_empty_frame() -> None:
    page = _render(line_chart([]), "nl")
    assert "<svg" not in page.split("subscribers-title", 1)[1].split("</figure>")[0]
    assert "Nog geen abonnees" in page


def test_the_views_chart_with_one_day_is_a_slim_bar_on_a_baseline() -> None:
    svg = str(bar_chart([DayCount(day=DAY, views=12, read_throughs=3)], label="x", width=300))
    (width,) = re.findall(r'<rect x="[^"]*" y="[^"]*" width="([^"]*)"', svg)
    assert float(width) < 300 / 10
    assert "<line" in svg
    assert "," not in "".join(re.findall(r'="(\d[^"]*)"', svg))
