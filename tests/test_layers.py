"""The README's import order, enforced.

The README states the floors once, between `<!-- layers -->` and `<!-- /layers -->`: one line per
floor, the top floor first. An app may use the apps on the floors below its own, never one on its
own floor (sideways) or above (upward). "Use" means any of:

- a Python import of `podium.<app>` (module level or inside a function) anywhere under the app;
- a template's `{% extends %}` or `{% include %}` of another app's template, `{% load %}` of another
  app's tag library, or `{% url "<namespace>:…" %}` of another app's URL;
- a URL name in Python (`reverse`, `reverse_lazy`, `redirect`, `resolve_url`, podium's `slug_url`).

The project shell (`src/podium/*.py`, `src/podium/templates/` and packages that are not apps, such
as the date formats) sits above every app and is not checked. A use that breaks the order today is listed in `KNOWN` with its reason; the list may only
shrink: a new edge fails, and so does an entry that no longer occurs.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "podium"
README = ROOT / "README.md"

TEMPLATE_TAG = re.compile(r"""{%\s*(extends|include|url)\s+["']([^"']+)["']""")
TEMPLATE_LOAD = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")
PYTHON_URL_NAME = re.compile(
    r"""\b(?:reverse|reverse_lazy|redirect|resolve_url|slug_url)\(\s*["']([a-z_]+):[^"']+["']"""
)
APP_NAME = re.compile(r"""^app_name\s*=\s*["']([^"']+)["']""", re.MULTILINE)

# (file under src/podium, app it uses): why the order allows it for now.
KNOWN: dict[tuple[str, str], str] = {
    ("accounts/models.py", "web"): "get_absolute_url: an author's public page is the site's",
    ("articles/models.py", "web"): "get_absolute_url: an article's public page is the site's",
    ("topics/models.py", "web"): "get_absolute_url: a topic's public page is the site's",
    (
        "accounts/templates/accounts/profile.html",
        "newsletter",
    ): "the profile shows the member's newsletter subscription box",
    (
        "articles/templates/articles/dashboard.html",
        "bestof",
    ): "the dashboard tells a contributor their article is in a compilation",
    (
        "articles/templates/articles/dashboard.html",
        "editorial",
    ): "the dashboard tells a contributor the editors placed or picked their article",
    ("moderation/views.py", "editorial"): "handling a report returns the editor to the desk",
    ("accounts/adapter.py", "editorial"): "an editor who signs in lands on the desk",
    (
        "editorial/templates/editorial/desk_base.html",
        "bestof",
    ): "the desk's menu links to every desk page, the compilations' included",
    (
        "editorial/templates/editorial/desk_base.html",
        "newsletter",
    ): "the desk's menu links to every desk page, the newsletter's included",
    (
        "accounts/templates/accounts/profile.html",
        "privacy",
    ): "the profile page links to the reader's data page",
    (
        "articles/templates/articles/dashboard.html",
        "stats",
    ): "a contributor's dashboard links to the reading figures of their article",
    (
        "articles/templates/articles/email/to_editors.html",
        "editorial",
    ): "the submission e-mail to the editors links to the desk",
    (
        "articles/templates/articles/email/to_editors.txt",
        "editorial",
    ): "the submission e-mail to the editors links to the desk",
    (
        "articles/templates/articles/email/notifications.html",
        "editorial",
    ): "a conversation e-mail to an editor links to the review page on the desk",
    (
        "articles/templates/articles/email/notifications.txt",
        "editorial",
    ): "a conversation e-mail to an editor links to the review page on the desk",
    (
        "editorial/templates/editorial/review.html",
        "web",
    ): "the review shows the submission as the public article page renders it",
    (
        "moderation/templates/moderation/desk_queue.html",
        "editorial",
    ): "the reports queue links back to the desk",
    (
        "newsletter/templates/newsletter/my_data.html",
        "privacy",
    ): "a subscriber's data page links to the data request form",
}


@dataclass(frozen=True)
class Edge:
    source: str  # file, relative to the package root
    app: str  # the app that file belongs to
    target: str  # the app it uses
    how: str  # "import podium.x", "{% url ... %}", ...

    def __str__(self) -> str:
        return f"{self.source}: {self.app} -> {self.target} ({self.how})"


def floors(readme: Path = README) -> list[list[str]]:
    """The floors of the README's layers block, top floor first."""
    text = readme.read_text()
    match = re.search(r"<!-- layers -->(.*?)<!-- /layers -->", text, re.DOTALL)
    assert match, "README.md has no <!-- layers --> block"
    result = []
    for line in match.group(1).splitlines():
        line = line.split("#", 1)[0].strip().strip("`")
        if line:
            result.append([name.strip() for name in line.split(",")])
    return result


def apps_of(package: Path) -> set[str]:
    """Podium's installed apps (for a test fixture: every package in it)."""
    if package == PACKAGE:
        from django.conf import settings

        return {
            name.split(".")[1] for name in settings.INSTALLED_APPS if name.startswith("podium.")
        }
    return {p.name for p in package.iterdir() if (p / "__init__.py").exists()}


def url_namespaces(package: Path) -> dict[str, str]:
    namespaces = {}
    for urls in package.glob("*/*urls.py"):
        for name in APP_NAME.findall(urls.read_text()):
            namespaces[name] = urls.parent.name
    return namespaces


def tag_libraries(package: Path) -> dict[str, str]:
    return {
        module.stem: module.parent.parent.name
        for module in package.glob("*/templatetags/*.py")
        if module.stem != "__init__"
    }


def template_apps(package: Path) -> dict[str, str]:
    """The first path segment of a template name -> the app whose templates/ holds it."""
    return {
        folder.name: folder.parent.parent.name
        for folder in package.glob("*/templates/*")
        if folder.is_dir()
    }


def edges(package: Path = PACKAGE) -> Iterator[Edge]:
    apps = apps_of(package)
    namespaces = url_namespaces(package)
    libraries = tag_libraries(package)
    templates = template_apps(package)
    for path in sorted(package.rglob("*")):
        relative = path.relative_to(package)
        app = relative.parts[0]
        if app not in apps or not path.is_file():
            continue
        source = relative.as_posix()
        if path.suffix == ".py":
            text = path.read_text()
            for module in _imports(ast.parse(text, filename=str(path))):
                parts = module.split(".")
                target = parts[1] if parts[0] == "podium" and len(parts) > 1 else None
                if target in apps and target != app:
                    yield Edge(source, app, target, f"import {module}")
            for namespace in PYTHON_URL_NAME.findall(text):
                target = namespaces.get(namespace)
                if target and target != app:
                    yield Edge(source, app, target, f"URL name {namespace}:…")
        elif "templates" in relative.parts and path.suffix in {".html", ".txt", ".xml"}:
            text = path.read_text()
            for kind, name in TEMPLATE_TAG.findall(text):
                if kind == "url":
                    target = namespaces.get(name.split(":")[0]) if ":" in name else None
                else:
                    target = templates.get(name.split("/")[0])
                if target and target != app:
                    yield Edge(source, app, target, f"{{% {kind} {name} %}}")
            for loaded in TEMPLATE_LOAD.findall(text):
                for library in loaded.split():
                    target = libraries.get(library)
                    if target and target != app:
                        yield Edge(source, app, target, f"{{% load {library} %}}")


def _imports(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
            if node.module == "podium":
                yield from (f"podium.{alias.name}" for alias in node.names)


def breaks(package: Path = PACKAGE, order: list[list[str]] | None = None) -> list[Edge]:
    """Every edge that points to the same floor or a higher one."""
    order = floors() if order is None else order
    floor = {app: level for level, names in enumerate(order) for app in names}
    return [edge for edge in edges(package) if floor[edge.target] <= floor[edge.app]]


def test_every_app_has_a_floor_in_the_readme():
    named = [app for names in floors() for app in names]
    assert len(named) == len(set(named)), "an app is named on two floors"
    assert sorted(apps_of(PACKAGE)) == sorted(named)


def test_no_app_uses_one_on_its_own_floor_or_above():
    found = {(edge.source, edge.target): edge for edge in breaks()}
    new = [str(edge) for key, edge in sorted(found.items()) if key not in KNOWN]
    assert not new, "against the README's order:\n" + "\n".join(new)


def test_every_known_exception_still_occurs():
    found = {(edge.source, edge.target) for edge in breaks()}
    stale = [f"{source} -> {target}" for source, target in KNOWN if (source, target) not in found]
    assert not stale, "no longer needed; remove from KNOWN:\n" + "\n".join(stale)


@pytest.fixture
def tiny_project(tmp_path: Path) -> Path:
    package = tmp_path / "podium"
    for app in ("core", "articles", "web"):
        (package / app / "templates" / app).mkdir(parents=True)
        (package / app / "__init__.py").write_text("")
    (package / "web" / "urls.py").write_text('app_name = "web"\n')
    (package / "core" / "templatetags").mkdir()
    (package / "core" / "templatetags" / "chrome.py").write_text("")
    (package / "articles" / "models.py").write_text("from podium.core import mail\n")
    (package / "web" / "views.py").write_text(
        "def view():\n    from podium.articles import models\n"
    )
    (package / "web" / "templates" / "web" / "page.html").write_text(
        '{% load chrome %}{% include "articles/teaser.html" %}'
    )
    return package


ORDER = [["web"], ["articles"], ["core"]]


def test_a_downward_project_has_no_breaks(tiny_project: Path):
    assert breaks(tiny_project, ORDER) == []
    assert len(list(edges(tiny_project))) == 4


def test_an_upward_import_inside_a_function_breaks_the_order(tiny_project: Path):
    (tiny_project / "core" / "mail.py").write_text(
        "def send():\n    from podium.web.views import view\n"
    )
    assert [str(edge) for edge in breaks(tiny_project, ORDER)] == [
        "core/mail.py: core -> web (import podium.web.views)"
    ]


def test_a_sideways_import_breaks_the_order(tiny_project: Path):
    (tiny_project / "articles" / "feeds.py").write_text("import podium.web.views\n")
    order = [["web", "articles"], ["core"]]
    assert sorted(edge.source for edge in breaks(tiny_project, order)) == [
        "articles/feeds.py",
        "web/templates/web/page.html",
        "web/views.py",
    ]


def test_an_upward_template_include_url_or_load_breaks_the_order(tiny_project: Path):
    (tiny_project / "core" / "templates" / "core" / "shell.html").write_text(
        '{% include "web/page.html" %}{% url "web:home" %}'
    )
    (tiny_project / "core" / "views.py").write_text('redirect("web:home")\n')
    (tiny_project / "articles" / "templates" / "articles" / "teaser.html").write_text(
        "{% load chrome i18n %}"
    )
    assert sorted(str(edge) for edge in breaks(tiny_project, ORDER)) == [
        "core/templates/core/shell.html: core -> web ({% include web/page.html %})",
        "core/templates/core/shell.html: core -> web ({% url web:home %})",
        "core/views.py: core -> web (URL name web:…)",
    ]
