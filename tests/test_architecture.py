"""The functional core stays pure (no HTTP, no YAML parser, no environment), and the
package's imports run one way down through its floors, with no circle.

The floors, top to bottom (docs/architecture.md draws them). A module may import its
own floor's modules and those of any floor below, never one above; an import inside a
function or under ``TYPE_CHECKING`` counts like any other. The checker itself is
tested on small graphs made up for the purpose, so a broken checker cannot pass.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
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


FLOORS: tuple[tuple[str, ...], ...] = (
    ("reconciler.__main__", "reconciler.main"),
    ("reconciler.cli",),
    ("reconciler.commands",),
    ("reconciler.sandbox",),
    ("reconciler.pipeline", "reconciler.warmup", "reconciler.error_handler"),
    (
        "reconciler.github",
        "reconciler.sources",
        "reconciler.targets",
        "reconciler.scaffold",
        "reconciler.artifacts",
    ),
    ("reconciler.http", "reconciler.concurrency", "reconciler.git_command"),
    ("reconciler.render",),
    ("reconciler.engine",),
    ("reconciler.config",),
    ("reconciler.domain",),
    ("reconciler", "reconciler.errors", "reconciler.release", "reconciler._build"),
)
"""Entry; the parsers; the verbs; the emulators; the orchestration (the pipeline, and
errors to exit codes); the clients and the files a run leaves; what every client
shares; rendering; the engine; the config model; the domain; the ground."""

Graph = Mapping[str, frozenset[str]]


def floor_of(module: str, floors: tuple[tuple[str, ...], ...] = FLOORS) -> int | None:
    """The floor (0 is the top) of the longest name that holds ``module``; ``None``: none.

    A dotted name holds its submodules; the bare package name holds only itself."""
    best: tuple[int, int] | None = None
    for number, names in enumerate(floors):
        for name in names:
            holds = module == name or ("." in name and module.startswith(name + "."))
            if holds and (best is None or len(name) > best[1]):
                best = (number, len(name))
    return None if best is None else best[0]


def upward(graph: Graph, floors: tuple[tuple[str, ...], ...] = FLOORS) -> list[str]:
    """Every import that points to a higher floor, or from or to a module on no floor."""
    found: list[str] = []
    for module, targets in sorted(graph.items()):
        here = floor_of(module, floors)
        for target in sorted(targets):
            there = floor_of(target, floors)
            if here is None or there is None or there < here:
                found.append(f"{module} -> {target}")
    return found


def circles(graph: Graph) -> list[list[str]]:
    """Every group of modules that import each other, directly or round a circle: the
    strongly connected components (Tarjan) of more than one module, or of one module
    importing itself."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = stack[stack.index(node) :]
            del stack[stack.index(node) :]
            if len(group) > 1 or node in graph.get(node, ()):
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _targets(path: Path, module: str, known: set[str]) -> set[str]:
    """The package's modules ``path`` imports, wherever the import statement stands."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*parts, *([node.module] if node.module else [])])
            for alias in node.names:
                child = f"{base}.{alias.name}"
                found.add(child if child in known else base)
    return {name for name in found if name in known and name != module}


def package_graph() -> dict[str, frozenset[str]]:
    """The package's own imports: module -> the package modules it imports."""
    paths = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    known = set(paths)
    return {name: frozenset(_targets(path, name, known)) for name, path in paths.items()}


def test_imports_point_one_way_down_the_floors() -> None:
    assert upward(package_graph()) == []


def test_no_modules_import_each_other() -> None:
    assert circles(package_graph()) == []


def _graph(edges: Iterable[tuple[str, str]]) -> dict[str, frozenset[str]]:
    graph: dict[str, set[str]] = {}
    for source, target in edges:
        graph.setdefault(source, set()).add(target)
        graph.setdefault(target, set())
    return {name: frozenset(targets) for name, targets in graph.items()}


def test_the_checker_reports_an_arrow_upward() -> None:
    graph = _graph(
        [
            ("reconciler.commands.plan", "reconciler.engine.plan"),
            ("reconciler.engine.plan", "reconciler.domain.employee"),
            ("reconciler.engine.values", "reconciler.commands.plan"),
            ("reconciler.domain.employee", "reconciler.nowhere"),
        ]
    )
    assert upward(graph, FLOORS) == [
        "reconciler.domain.employee -> reconciler.nowhere",
        "reconciler.engine.values -> reconciler.commands.plan",
    ]
    assert circles(graph) == []


def test_the_checker_reports_a_circle_even_on_one_floor() -> None:
    graph = _graph(
        [
            ("reconciler.commands.apply", "reconciler.commands.merge"),
            ("reconciler.commands.merge", "reconciler.commands.manual"),
            ("reconciler.commands.manual", "reconciler.commands.apply"),
            ("reconciler.commands.plan", "reconciler.commands.plan"),
            ("reconciler.commands.sync", "reconciler.commands.plan"),
        ]
    )
    assert upward(graph) == []
    assert circles(graph) == [
        ["reconciler.commands.apply", "reconciler.commands.manual", "reconciler.commands.merge"],
        ["reconciler.commands.plan"],
    ]


def test_the_graph_holds_imports_inside_functions_and_type_checking(tmp_path: Path) -> None:
    source = tmp_path / "lazy.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from reconciler.commands.plan import plan\n"
        "def f() -> None:\n"
        "    from reconciler import pipeline\n"
        "    import reconciler.engine.plan\n",
        encoding="utf-8",
    )
    known = {"reconciler.commands.plan", "reconciler.pipeline", "reconciler.engine.plan"}
    assert _targets(source, "reconciler.engine.lazy", known) == known


def test_every_module_stands_on_a_floor() -> None:
    assert [m for m in package_graph() if floor_of(m) is None] == []
