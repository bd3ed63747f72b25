"""A small line chart as inline SVG, drawn on the server (no JavaScript, no library).

Every number in the SVG is written here, with a decimal point, as SVG requires: left to the
template, Django would localise 176.0 to "176,0" on a Dutch page and the browser would drop the
coordinate. The template only places these strings."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from podium.core import dates


def svg_number(value: float) -> str:
    """A coordinate as SVG reads it: "176", "52.5" (never "176,0")."""
    return f"{value:.1f}".removesuffix(".0")


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    points: str
    area: str
    y_max: int
    y_ticks: list[tuple[str, int]]
    x_labels: list[tuple[str, str]]
    last: int
    tick_x: str  # where the y labels end
    plot_left: str
    plot_right: str
    baseline: str
    label_y: str
    dots: list[tuple[str, str]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.points


def _nice_max(value: int) -> int:
    if value <= 5:
        return 5
    magnitude = 10 ** (len(str(value)) - 1)
    for step in (1, 2, 2.5, 5, 10):
        top = int(step * magnitude)
        if top >= value:
            return top
    return value


def line_chart(
    series: list[tuple[datetime.date, int]], width: int = 640, height: int = 200
) -> Chart:
    """The chart of a daily series. With one day the point sits in the middle (a dot, no line);
    with none the chart is empty (is_empty) and the template says so instead."""
    pad_left, pad_bottom, pad_top, pad_right = 48, 24, 8, 16
    plot_w, plot_h = width - pad_left - pad_right, height - pad_top - pad_bottom
    values = [v for _, v in series] or [0]
    y_max = _nice_max(max(values))
    count = len(series)

    def x(i: int) -> float:
        if count == 1:
            return pad_left + plot_w / 2
        return pad_left + plot_w * i / max(count - 1, 1)

    def y(v: int) -> float:
        return pad_top + plot_h * (1 - v / y_max)

    coords = [f"{svg_number(x(i))},{svg_number(y(v))}" for i, (_, v) in enumerate(series)]
    base = pad_top + plot_h
    area = ""
    if count >= 2:
        area = (
            f"{svg_number(x(0))},{svg_number(base)} "
            + " ".join(coords)
            + f" {svg_number(x(count - 1))},{svg_number(base)}"
        )
    ticks = [(svg_number(y(int(y_max * f))), int(y_max * f)) for f in (0, 0.5, 1)]
    step = max(-(-count // 6), 1)  # at most about six labels
    shown = [i for i in range(count) if i % step == 0]
    if count and shown[-1] != count - 1:
        if (count - 1) - shown[-1] < step / 2:
            shown.pop()  # keep the last day's label clear of its neighbour
        shown.append(count - 1)
    labels = [(svg_number(x(i)), dates.short_date(series[i][0], year=False)) for i in shown]
    dots = [(svg_number(x(i)), svg_number(y(v))) for i, (_, v) in enumerate(series) if count <= 31]
    return Chart(
        width=width,
        height=height,
        points=" ".join(coords),
        area=area,
        y_max=y_max,
        y_ticks=ticks,
        x_labels=labels,
        last=values[-1],
        tick_x=svg_number(pad_left - 6),
        plot_left=svg_number(pad_left),
        plot_right=svg_number(width - pad_right),
        baseline=svg_number(base),
        label_y=svg_number(height - 4),
        dots=dots,
    )
