"""Request types for the type checker."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from podium.accounts.models import User


class SignedInRequest(HttpRequest):
    """The request of a view only signed-in members reach (behind login_required or
    editor_required, which send anonymous visitors to log in first): its user is a Podium User,
    never an AnonymousUser. For type checking only: Django still hands the view an HttpRequest.
    Never use it for a view anonymous visitors can reach."""

    user: User
