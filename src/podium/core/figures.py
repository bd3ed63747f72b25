"""What an app hands the editors' statistics page through the ``DESK_FIGURES`` hook: a titled
group of labelled counts, already translated, which the page shows as a table."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    label: str
    value: int


@dataclass(frozen=True)
class FigureGroup:
    title: str
    figures: tuple[Figure, ...]
    note: str = ""  # how the figures are counted, in a sentence
    link: str = ""  # the app's own desk page, for the details
    link_text: str = ""
