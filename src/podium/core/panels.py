"""Panels: how a higher app shows its part of a lower app's page without the lower app importing it.

The article editor belongs to `articles`, yet the comments and suggestions beside the text belong
to `annotations`, a floor above. So the editor's view asks for the panels registered under
`ARTICLE_EDITOR` and puts their HTML where its template says; `annotations` registers its panel in
its `AppConfig.ready()`. Like `hooks`, one module lists every panel name and a panel is a plain
function: `panel(request, obj) -> str` (safe HTML, usually a rendered template, "" for nothing).

Panels:

- ``ARTICLE_EDITOR`` — beside the text in the author's article editor, and below it on the
  author's preview (where a submitted article is shown). ``obj`` is the article (never None: a
  new, unsaved article has no panels).
- ``DESK_STATISTICS`` — on the editors' statistics page (`editorial`), after the desk's own
  figures: the newsletter's figures for the same period. ``obj`` is the chosen period
  (`podium.stats.selectors.Period`). The page is the desk's, so only editors reach it; the panel's
  selector checks that again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

ARTICLE_EDITOR = "article_editor"
DESK_STATISTICS = "desk_statistics"
PANELS = frozenset({ARTICLE_EDITOR, DESK_STATISTICS})

Panel = Callable[[HttpRequest, Any], str]
_panels: dict[str, list[Panel]] = defaultdict(list)


def register(name: str, panel: Panel) -> None:
    """Show `panel` wherever `name` is rendered (registering twice is a no-op)."""
    if name not in PANELS:
        raise ValueError(f"Unknown panel {name!r}; known panels: {sorted(PANELS)}")
    if panel not in _panels[name]:
        _panels[name].append(panel)


def render(name: str, request: HttpRequest, obj: Any) -> SafeString:
    """The HTML of every panel registered under `name`, in registration order."""
    if name not in PANELS:
        raise ValueError(f"Unknown panel {name!r}")
    return mark_safe("".join(panel(request, obj) for panel in _panels[name]))  # noqa: S308 (panels return rendered templates)
