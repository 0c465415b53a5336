"""The demo is the top floor: it may import every app, and no app imports it."""

from __future__ import annotations

import ast
from pathlib import Path

import tessera

SOURCE = Path(tessera.__file__).parent


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in names if name == "tessera.demo" or name.startswith("tessera.demo.")}


def test_no_app_imports_the_demo() -> None:
    offenders = {
        str(path.relative_to(SOURCE)): sorted(_imports(path))
        for path in SOURCE.rglob("*.py")
        if path.relative_to(SOURCE).parts[0] != "demo" and _imports(path)
    }
    assert offenders == {}
