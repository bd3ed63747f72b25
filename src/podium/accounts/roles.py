"""A member's role is a column, `User.role`: a contributor (everyone who signs up), an editor (the
desk) or an administrator (the desk and the admin). These names are the only place they are
spelled; `User.is_editor` answers from the row already loaded, without a query."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
