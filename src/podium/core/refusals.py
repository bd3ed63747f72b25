"""How a view tells the user that a service said no.

Services refuse by raising: `ValidationError` (the input or the state does not allow it; may carry
several sentences), `PermissionDenied` (this user may not) or an exception of their own whose
text is one sentence for the user (`lifecycle.TransitionNotAllowed`). The sentences are already
in the user's language; a view only decides where they go: the page's messages (`show`) or the
top of the form being sent back (`to_form`), so that nothing the user typed is lost. A view whose
only answer is a message either way lets `attempt` run the service."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def reasons(refusal: Exception) -> list[str]:
    """The sentences of a service's refusal, for the user."""
    if isinstance(refusal, ValidationError):
        return [str(message) for message in refusal.messages]
    return [str(refusal)]


def show(request: HttpRequest, refusal: Exception) -> None:
    """Put the refusal's sentences among the messages the next page shows."""
    for reason in reasons(refusal):
        messages.error(request, reason)


def to_form(form: forms.BaseForm, refusal: Exception, field: str | None = None) -> None:
    """Show the refusal on the form that is sent back with what the user typed: above it, or at
    `field` when the refusal is about that one field."""
    for reason in reasons(refusal):
        form.add_error(field, reason)


def attempt(
    request: HttpRequest,
    call: Callable[[], object],
    done: str | None,
    *,
    refused: tuple[type[Exception], ...],
) -> bool:
    """Run a service call for a view: a refusal (one of `refused`) goes among the messages
    (`show`), otherwise `done` does (when there is one: the page shows the change itself). True
    when the service went through."""
    try:
        call()
    except refused as exc:
        show(request, exc)
        return False
    if done:
        messages.success(request, done)
    return True
