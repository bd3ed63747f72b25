"""A member's role is a column, `User.role`: a contributor (everyone who signs up), an editor (the
desk) or an administrator (the desk and the admin). These names are the only place they are
spelled; `User.is_editor` answers from the row already loaded, without a query."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User

P = ParamSpec("P")
R = TypeVar("R")


class Role(models.TextChoices):
    CONTRIBUTOR = "contributor", _("contributor")
    EDITOR = "editor", _("editor")
    ADMINISTRATOR = "administrator", _("administrator")


EDITORS = Role.EDITOR
ADMINISTRATORS = Role.ADMINISTRATOR
# The roles that reach the editors' desk.
DESK = (Role.EDITOR, Role.ADMINISTRATOR)


def holds_any(user_id: int, names: tuple[str, ...]) -> bool:
    """Whether the member with this id holds one of the roles `names` (for a loaded user, read
    `user.role` or `user.is_editor` instead: no query)."""
    from .models import User

    return User.objects.filter(pk=user_id, role__in=names).exists()


def require_editor(by: User | AnonymousUser, message: str | Promise = "") -> None:
    """Raise PermissionDenied (with `message`, or a general one) unless `by` reaches the desk."""
    if not by.is_authenticated or not by.is_editor:
        raise PermissionDenied(str(message or gettext("Only editors can do this.")))


def editors_only(
    message: str | Promise = "",
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """The guard of a service only editors may call: the acting user is its keyword argument
    `by`; anyone else gets PermissionDenied(`message`) before the service runs (and before its
    transaction opens). Pass a lazy message: it is read in the language of the request."""

    def decorate(service: Callable[P, R]) -> Callable[P, R]:
        @wraps(service)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
            by = kwargs.get("by")
            if by is None:
                raise TypeError(f"{service.__name__}() needs the acting user as by=")
            require_editor(by, message)  # type: ignore[arg-type]
            return service(*args, **kwargs)

        return guarded

    return decorate
