"""{% chrome "name" %}…{% endchrome %}: the site's frame (header, footer), rendered once per
process for each kind of reader, with the few per-request values put in afterwards.

A frame is the same for every reader of one kind: the key is the name, the active language,
whether the reader is signed in and whether they are an editor. What differs per request is
rendered as a marker and replaced after rendering:

- the CSRF token: a fresh masked token of this request's secret from ``get_token()``, which is
  exactly what ``{% csrf_token %}`` would have put there (and, like it, marks the request as using
  a token, so the page cache never stores such a page);
- ``chrome_path``: the current path with its query (the language form's "next"), escaped;
- ``search_query``: the search box's text, escaped.

Nothing else inside a frame may depend on the request or the reader: no name, no message, no
per-reader link. tests/core/test_chrome.py pins that two readers' frames differ only in those
places. With DEBUG on, frames are rendered every time, so template edits show at once."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.middleware.csrf import get_token
from django.template.base import NodeList, Parser, Token
from django.template.context import Context
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

CSRF_HOLE = "podium-csrf-hole-5e1d"
PATH_HOLE = "podium-path-hole-5e1d"
QUERY_HOLE = "podium-query-hole-5e1d"
MAX_FRAMES = 64  # names × languages × (anonymous, signed in, editor): a handful in practice

_frames: dict[tuple[str, str, bool, bool], str] = {}


def clear() -> None:
    _frames.clear()


class ChromeNode(template.Node):
    def __init__(self, name: str, nodelist: NodeList) -> None:
        self.name = name
        self.nodelist = nodelist

    def render(self, context: Context) -> SafeString:
        request = context.get("request")
        if request is None or settings.DEBUG:
            with context.push(chrome_path=request.get_full_path() if request else ""):
                return self.nodelist.render(context)
        user = context.get("user")
        signed_in = bool(user is not None and user.is_authenticated)
        editor = bool(signed_in and getattr(user, "is_editor", False))
        key = (self.name, translation.get_language() or "", signed_in, editor)
        frame = _frames.get(key)
        if frame is None:
            with context.push(csrf_token=CSRF_HOLE, chrome_path=PATH_HOLE, search_query=QUERY_HOLE):
                frame = self.nodelist.render(context)
            if len(_frames) < MAX_FRAMES:
                _frames[key] = frame
        if CSRF_HOLE in frame:
            frame = frame.replace(CSRF_HOLE, get_token(request))  # letters and digits only
        if PATH_HOLE in frame:
            frame = frame.replace(PATH_HOLE, escape(request.get_full_path()))
        if QUERY_HOLE in frame:
            frame = frame.replace(QUERY_HOLE, escape(context.get("search_query") or ""))
        # The engine's own (autoescaped) output with escaped values put in its markers.
        return mark_safe(frame)  # noqa: S308


@register.tag("chrome")
def chrome(parser: Parser, token: Token) -> ChromeNode:
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('Use {% chrome "name" %}…{% endchrome %}')
    nodelist = parser.parse(("endchrome",))
    parser.delete_first_token()
    return ChromeNode(bits[1][1:-1], nodelist)
