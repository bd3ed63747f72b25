"""Views imported on their first request, for views whose modules import heavy libraries that
most processes never need (allauth's second-factor pages import fido2 and cryptography, about
11 MB per process): a worker that serves no such page never loads them."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import import_string


def lazy_view(dotted_path: str) -> Callable[..., HttpResponse]:
    """The view at `dotted_path` ("package.module.view"), imported when first asked for.

    Only for views without attributes that Django reads before calling them (`csrf_exempt`,
    `login_not_required`): those would be seen only on the real view. tests/core/test_lazyviews.py
    checks every lazy view in the URLconf for them."""
    load = functools.cache(lambda: import_string(dotted_path))

    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = load()(request, *args, **kwargs)
        return response

    view.lazy_view_path = dotted_path  # type: ignore[attr-defined]
    view.__name__ = dotted_path.rpartition(".")[2]
    view.__qualname__ = view.__name__
    view.__module__ = dotted_path.rpartition(".")[0]
    return view
