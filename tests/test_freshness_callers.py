"""Where "readers see a change" is announced from: one place per kind of change (issue #15).

`podium.core.freshness.readers_see_change_on_commit()` is how the domain tells the delivery layer
that what readers see changed. Each kind of change says so from one function, through that
kind's writer (the article's lifecycle writer, the featured area's lock, …), never from a view.
A new caller fails here: route the change through its kind's writer, or add the new kind below
with its reason."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "src" / "podium"
ANNOUNCE = "readers_see_change_on_commit"

# (file under src/podium, function): the kind of change it speaks for.
CALLERS = {
    ("articles/lifecycle.py", "readers_see_article_change"): (
        "a public article: every state change and editor's edit (lifecycle.record), a new header "
        "image, a share card, a picture it shows"
    ),
    ("editorial/services.py", "_lock_area"): "the home page's featured area",
    ("topics/services.py", "save_topic"): "a topic's name, on its page and its articles",
    ("topics/services.py", "delete_topic"): "a topic leaves its page and its articles",
    ("accounts/services.py", "update_profile"): "a byline and 'Over de auteur'",
    ("privacy/services.py", "_delete"): "an erased author's bylines and articles",
    ("newsletter/sending.py", "finish_if_done"): "a sent edition in the public archive",
    ("delivery/pagecache.py", "_after_write"): "anything saved in the admin",
    ("core/management/commands/serve.py", "handle"): "a server start (new code or data)",
    ("demo/seed.py", "seed"): "a seeded site",
}


def callers() -> Iterator[tuple[str, str]]:
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Call) and (
                    (isinstance(node.func, ast.Attribute) and node.func.attr == ANNOUNCE)
                    or (isinstance(node.func, ast.Name) and node.func.id == ANNOUNCE)
                ):
                    yield str(path.relative_to(SOURCE)), function.name


def test_readers_see_a_change_from_one_place_per_kind() -> None:
    found = sorted({caller for caller in callers() if caller[0] != "core/freshness.py"})
    assert found == sorted(CALLERS)


def test_no_view_announces_a_change() -> None:
    assert not [caller for caller in callers() if "views" in caller[0]]
