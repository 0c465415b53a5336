"""The engine stays a pure NumPy package: no Django, no I/O libraries, no catch-all helper modules."""

from __future__ import annotations

import ast
from pathlib import Path

import tessera.engine

ENGINE = Path(tessera.engine.__file__).parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_django_or_sklearn_under_engine() -> None:
    sources = sorted(ENGINE.rglob("*.py"))
    assert sources
    for source in sources:
        roots = {name.split(".")[0] for name in imported_modules(source)}
        assert not roots & {"django", "sklearn", "pandas", "requests"}, source


def test_no_catch_all_modules() -> None:
    assert not [path for path in ENGINE.rglob("*.py") if path.stem in {"utils", "helpers"}]
