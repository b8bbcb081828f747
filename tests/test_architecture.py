"""The functional core stays pure: no HTTP, no YAML parser, no environment."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "reconciler"
PURE = [
    "engine",
    "domain",
    "config/model.py",
    "config/checks.py",
    "config/reads.py",
    "config/endpoints.py",
    "config/guarded.py",
    "config/issues.py",
    "config/messages.py",
    "config/locations.py",
    "config/matrix.py",
    "scaffold/index_file.py",
    "config/schema.py",
    "config/schema_extra.py",
    "config/suggest.py",
    "http/error_text.py",
    "render",
]
FORBIDDEN_MODULES = (
    "httpx",
    "ruamel",
    "os",
    "subprocess",
    "socket",
    "requests",
    "reconciler.sources",
    "reconciler.targets",
    "reconciler.github",
    "reconciler.sandbox",
)


def _modules(entry: str) -> list[Path]:
    path = PACKAGE / entry
    return sorted(path.rglob("*.py")) if path.is_dir() else [path]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _uses_environ(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(
        (isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv"))
        or (isinstance(node, ast.Name) and node.id in ("environ", "getenv"))
        for node in ast.walk(tree)
    )


@pytest.mark.parametrize(
    "path",
    [p for entry in PURE for p in _modules(entry)],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_pure_module_does_no_io(path: Path) -> None:
    bad = {
        name
        for name in _imports(path)
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN_MODULES)
    }
    assert bad == set()
    assert not _uses_environ(path)


def test_only_the_diff_module_imports_deepdiff() -> None:
    users = {
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if any(n.startswith("deepdiff") for n in _imports(p))
    }
    assert users <= {"engine/diff.py"}
