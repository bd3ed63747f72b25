"""A service's refusal reaches the user as its own sentences, in the messages or on the form."""

from __future__ import annotations

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from podium.core import refusals


class NoteForm(forms.Form):
    note = forms.CharField()


def test_a_validation_error_gives_each_of_its_sentences() -> None:
    refusal = ValidationError(["Te lang.", ValidationError("Al verstuurd.", code="sent")])
    assert refusals.reasons(refusal) == ["Te lang.", "Al verstuurd."]


def test_other_refusals_give_their_text() -> None:
    assert refusals.reasons(PermissionDenied("Alleen redacteuren.")) == ["Alleen redacteuren."]


def test_show_puts_every_sentence_in_the_messages() -> None:
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    refusals.show(request, ValidationError(["Eén.", "Twee."]))
    assert [str(m) for m in get_messages(request)] == ["Eén.", "Twee."]


def test_to_form_keeps_what_was_typed_and_adds_the_reason() -> None:
    form = NoteForm({"note": "mijn tekst"})
    assert form.is_valid()
    refusals.to_form(form, ValidationError("Niet nu."))
    refusals.to_form(form, PermissionDenied("Niet jij."), "note")
    assert form.non_field_errors() == ["Niet nu."]
    assert form.errors["note"] == ["Niet jij."]
    assert form["note"].value() == "mijn tekst"
