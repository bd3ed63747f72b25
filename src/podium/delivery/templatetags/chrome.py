"""{% chrome "name" %}…{% endchrome %}: the site's frame (header, footer), rendered once per
process for each kind of reader, with the few per-request values put in afterwards.

A frame is the same for every reader of one kind: the key is the name, the active language,
whether the reader is signed in and whether they are an editor. What differs per request is
rendered as a marker and replaced after rendering:

- the CSRF token: the page's masked token of this request's secret (the ``csrf_token`` of
  the context, ``get_token()`` without one), which is exactly what ``{% csrf_token %}`` would have
  put there (and, like it, marks the request as using
  a token, so the page cache never stores such a page);
- ``chrome_path``: the current path with its query (the language form's "next"), escaped;
- ``search_query``: the search box's text, escaped.

Everything else personal is filled in per request, whatever the template says: a frame is first
rendered with the reader reduced to their kind (``user.is_authenticated``, ``user.is_editor``)
and every other value of the page's context out of reach. If the template touches any of them
(the reader's name, ``request``, ``messages``, a view's variable), that frame is personal: it is
never kept, and is rendered in full for each request from then on. tests/delivery/test_chrome.py
adds a reader's name to the header and checks that every reader sees only their own. With DEBUG
on, frames are rendered every time, so template edits show at once."""

from __future__ import annotations

from typing import Any

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

# Values a shared frame may use: the kind of reader is part of the key, the rest is the same
# for every request (the holes are filled in per request).
SHARED = frozenset(
    {"True", "False", "None", "LANGUAGE_CODE", "LANGUAGES", "LANGUAGE_BIDI", "SITE_URL"}
    | {"DEFAULT_MESSAGE_LEVELS", "csrf_token", "chrome_path", "search_query", "user"}
)
KIND = frozenset({"is_authenticated", "is_anonymous", "is_editor"})

Key = tuple[str, str, bool, bool]
_frames: dict[Key, str] = {}
_personal: set[Key] = set()


def clear() -> None:
    _frames.clear()
    _personal.clear()


class _Personal(Exception):
    """The frame being rendered for sharing used something of this request or reader."""


class _OutOfReach:
    """A context value a shared frame may not use: any use ends the shared render."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        raise _Personal(f"{self._name}.{attribute}")

    def __getitem__(self, item: Any) -> Any:
        raise _Personal(f"{self._name}[{item!r}]")

    def __str__(self) -> str:
        raise _Personal(self._name)

    def __bool__(self) -> bool:
        raise _Personal(self._name)

    def __iter__(self) -> Any:
        raise _Personal(self._name)

    def __len__(self) -> int:
        raise _Personal(self._name)


class _KindOfReader:
    """The reader as a shared frame sees them: signed in or not, editor or not; nothing else."""

    def __init__(self, user: Any) -> None:
        self._user = user

    def __getattr__(self, attribute: str) -> Any:
        if attribute in KIND:
            return getattr(self._user, attribute)
        raise _Personal(f"user.{attribute}")

    def __getitem__(self, item: Any) -> Any:
        raise TypeError  # the template engine then asks for the attribute

    def __str__(self) -> str:
        raise _Personal("user")


def _shared_render(nodelist: NodeList, context: Context, user: Any) -> str | None:
    """The frame for every reader of this kind, with holes for the per-request values; None
    when the template uses anything personal."""
    out_of_reach = {
        str(name): _OutOfReach(str(name)) for name in context.flatten() if name not in SHARED
    }
    with context.push(
        out_of_reach,
        user=_KindOfReader(user),
        csrf_token=CSRF_HOLE,
        chrome_path=PATH_HOLE,
        search_query=QUERY_HOLE,
    ):
        try:
            return nodelist.render(context)
        except _Personal:
            return None


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
        if frame is None and key not in _personal:
            frame = _shared_render(self.nodelist, context, user)
            if frame is None:
                _personal.add(key)
            elif len(_frames) < MAX_FRAMES:
                _frames[key] = frame
        if frame is None:
            with context.push(chrome_path=request.get_full_path()):
                return self.nodelist.render(context)
        if CSRF_HOLE in frame:
            # The page's own lazy token (Django's csrf context processor: masked once per page,
            # as every {% csrf_token %} of the page shares it), else a fresh one.
            token = context.get("csrf_token") or get_token(request)
            frame = frame.replace(CSRF_HOLE, str(token))  # letters and digits only
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
