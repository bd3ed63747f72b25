"""Every form's errors read Dutch on a Dutch page: no "This password is too short", no "Enter a
valid date". Each form of Podium (and the allauth forms a member meets) is filled in with empty,
malformed and oversized values; every error it gives must be Dutch."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.account import forms as allauth_forms
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.utils import translation

import podium
from podium.accounts.models import User
from podium.articles.models import Article

pytestmark = pytest.mark.django_db

# Words that occur in Django's and allauth's English error messages and not in Dutch ones.
ENGLISH = re.compile(
    r"\b(the|this|that|must|field|enter|valid|please|characters?|ensure|value|select|choice|"
    r"required|number|least|should|only|contains?|your|you|with|already|password|too|short|"
    r"common|entirely|numeric|similar|available|image|file|submitted|empty|date|time|"
    r"whole|exists?|invalid|has|have|are|and|or|not|at)\b",
    re.IGNORECASE,
)
BAD_VALUES: list[dict[str, Any]] = [
    {},  # everything missing
    {"*": "x" * 20000},  # far too long
    {"*": "-1"},
    {"*": "geen geldige waarde @@ 31-13-2026"},
]


def podium_form_classes() -> Iterator[type[forms.BaseForm]]:
    for module_info in pkgutil.walk_packages(podium.__path__, "podium."):
        if not module_info.name.rsplit(".", 1)[-1].startswith("forms"):
            continue
        module = importlib.import_module(module_info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, forms.BaseForm)
                and cls.__module__ == module.__name__
                and cls not in (forms.Form, forms.ModelForm)
                and "base_fields" in dir(cls)
                and cls.base_fields
            ):
                yield cls


# Constructor arguments some forms need besides the data.
EXTRA_KWARGS: dict[str, dict[str, Any]] = {
    "ArticlesForm": {"candidate_ids": [1, 2]},
    "AddArticleForm": {"articles": Article.objects.none()},
}


def _data_for(
    form: forms.BaseForm, values: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    data: dict[str, Any] = {}
    files: dict[str, Any] = {}
    for name, field in form.fields.items():
        if "*" not in values:
            continue
        if isinstance(field, forms.FileField):
            files[name] = SimpleUploadedFile("x.jpg", b"not an image at all", "image/jpeg")
        elif isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            data[name] = ["999999", values["*"][:20]]
        else:
            data[name] = values["*"]
    return data, files


def _errors(form: forms.BaseForm) -> list[str]:
    form.is_valid()
    return [str(message) for messages in form.errors.values() for message in messages]


def _english(messages: list[str]) -> list[str]:
    return [m for m in messages if ENGLISH.search(re.sub(r"\s+", " ", m))]


def test_there_are_forms_to_check() -> None:
    assert len(list(podium_form_classes())) >= 15


@pytest.mark.parametrize("form_class", list(podium_form_classes()), ids=lambda c: c.__name__)
def test_a_podium_forms_errors_are_dutch(
    form_class: type[forms.BaseForm], contributor: User
) -> None:
    kwargs = dict(EXTRA_KWARGS.get(form_class.__name__, {}))
    seen: list[str] = []
    with translation.override("nl"):
        for values in BAD_VALUES:
            probe = form_class(**kwargs)
            data, files = _data_for(probe, values)
            form = form_class(data=data, files=files, **kwargs)
            seen += _errors(form)
    assert _english(seen) == []


@pytest.mark.parametrize(
    "password",
    ["kort", "1234567890123", "password123", "nieuw@example.org", "nieuwexample"],
)
def test_sign_up_password_errors_are_dutch(password: str) -> None:
    request = RequestFactory().post("/account/signup/")
    with translation.override("nl"):
        form = allauth_forms.SignupForm(
            data={"email": "nieuw@example.org", "password1": password, "password2": password + "x"}
        )
        form.request = request  # type: ignore[attr-defined]
        messages = _errors(form)
    assert messages
    assert _english(messages) == []


def test_allauth_forms_a_member_meets_are_dutch(contributor: User) -> None:
    request = RequestFactory().post("/")
    request.user = contributor
    request.session = {}  # type: ignore[assignment]
    cases: list[forms.BaseForm] = [
        allauth_forms.LoginForm(data={"login": "geen-adres", "password": ""}, request=request),
        allauth_forms.ResetPasswordForm(data={"email": "geen adres"}),
        allauth_forms.ChangePasswordForm(
            data={"oldpassword": "fout", "password1": "kort", "password2": "anders"},
            user=contributor,
        ),
        allauth_forms.AddEmailForm(data={"email": contributor.email}, user=contributor),
        allauth_forms.AddEmailForm(data={"email": "geen adres"}, user=contributor),
    ]
    with translation.override("nl"):
        messages = [m for form in cases for m in _errors(form)]
    assert messages
    assert _english(messages) == []
