"""A small line chart as inline SVG, drawn on the server (no JavaScript, no library)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass
class Chart:
    width: int
    height: int
    points: str
    area: str
    y_max: int
    y_ticks: list[tuple[float, int]]
    x_labels: list[tuple[float, str]]
    last: int
    pad_left: int
    pad_bottom: int


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
    pad_left, pad_bottom, pad_top, pad_right = 48, 24, 8, 8
    plot_w, plot_h = width - pad_left - pad_right, height - pad_top - pad_bottom
    values = [v for _, v in series] or [0]
    y_max = _nice_max(max(values))
    n = max(len(series) - 1, 1)

    def x(i: int) -> float:
        return round(pad_left + plot_w * i / n, 1)

    def y(v: int) -> float:
        return round(pad_top + plot_h * (1 - v / y_max), 1)

    coords = [f"{x(i)},{y(v)}" for i, (_, v) in enumerate(series)]
    base = pad_top + plot_h
    area = f"{x(0)},{base} " + " ".join(coords) + f" {x(len(series) - 1)},{base}" if coords else ""
    ticks = [(y(int(y_max * f)), int(y_max * f)) for f in (0, 0.5, 1)]
    labels = [
        (x(i), day.strftime("%d-%m"))
        for i, (day, _) in enumerate(series)
        if i % max(len(series) // 6, 1) == 0
    ]
    return Chart(
        width,
        height,
        " ".join(coords),
        area,
        y_max,
        ticks,
        labels,
        values[-1],
        pad_left,
        pad_bottom,
    )
