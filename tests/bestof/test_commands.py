from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from podium.bestof.models import Compilation

pytestmark = pytest.mark.django_db


def test_list_shows_each_compilation(make_compilation: Any) -> None:
    compilation = make_compilation(n=2)
    out = StringIO()
    call_command("bestof", "list", stdout=out)
    assert f"{compilation.pk}" in out.getvalue() and "2 articles" in out.getvalue()


def test_build_of_an_unknown_id_says_how_to_find_one(db: None) -> None:
    with pytest.raises(CommandError, match="bestof list"):
        call_command("bestof", "build", "999")


def test_build_of_an_empty_compilation_says_what_to_fix(make_compilation: Any) -> None:
    compilation = make_compilation(n=0)
    with pytest.raises(CommandError, match="nog geen artikelen"):
        call_command("bestof", "build", str(compilation.pk), "--format", "epub")


def test_build_writes_the_chosen_format_to_the_output_file(
    make_compilation: Any, tmp_path: Path
) -> None:
    compilation = make_compilation(n=2, words=150)
    target = tmp_path / "uit" / "bundel.epub"
    out = StringIO()
    call_command(
        "bestof",
        "build",
        str(compilation.pk),
        "--format",
        "epub",
        "--output",
        str(target),
        stdout=out,
    )
    assert target.read_bytes()[:2] == b"PK" and str(target) in out.getvalue()


def test_demo_compilation_is_created_once(
    make_compilation: Any, editor: Any, settings_private: Any
) -> None:
    from podium.accounts.models import User

    User.objects.filter(pk=editor.pk).update(email="redactie@podium.example")
    make_compilation(n=2, title="Een andere bundel")
    call_command("bestof", "demo", stdout=StringIO())
    call_command("bestof", "demo", stdout=StringIO())
    demo = Compilation.objects.get(title="Het beste van Podium")
    assert demo.entries.count() == 2
