from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse


def editor_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors are sent to log in; signed-in non-editors get a 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_editor:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def editor_or_404(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For a private file: anyone who is not an editor, anonymous visitors included, gets a 404,
    so that the address reveals nothing, not even that there is a file to sign in for."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated or not request.user.is_editor:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
