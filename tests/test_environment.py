"""The environment is for deployment: fewer than 40 variables, each documented in the README's
"Configuration" table. Product rules that no deployment sets differently are constants in the
settings module."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "podium"


def variables_read(source: Path = SOURCE) -> set[str]:
    """Every environment variable the code reads by name (env_* helpers and os.environ)."""
    names = set()
    for path in source.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            first = node.args[0]
            if not (
                isinstance(first, ast.Constant)
                and isinstance(first.value, str)
                and re.fullmatch(r"[A-Z][A-Z0-9_]*", first.value)
            ):
                continue
            function = ast.unparse(node.func)
            if function.startswith("env_") or function in ("os.environ.get", "os.getenv"):
                names.add(first.value)
        for match in re.finditer(
            r"""os\.environ\[\s*["']([A-Z_0-9]+)["']\s*\]""", path.read_text()
        ):
            names.add(match.group(1))
    return names


def documented() -> set[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Configuration (environment variables)", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([A-Z_0-9]+)`", section, re.MULTILINE))


def test_fewer_than_40_variables() -> None:
    names = variables_read()
    assert 20 < len(names) < 40, sorted(names)


def test_every_variable_is_documented_and_every_documented_one_is_read() -> None:
    assert sorted(variables_read() - documented()) == []
    assert sorted(documented() - variables_read()) == []


def test_the_scan_sees_each_way_of_reading(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(
        'X = env_int("A_ONE", 3)\nY = os.environ.get("A_TWO")\nZ = os.environ["A_THREE"]\n'
        'W = os.getenv("A_FOUR")\nV = settings.get("NOT_ONE")\n'
    )
    assert variables_read(tmp_path) == {"A_ONE", "A_TWO", "A_THREE", "A_FOUR"}
