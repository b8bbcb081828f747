"""Which configs a repository declares: read reconciler.yaml, or find the one company.yaml.

The index at the repository root lists each config by path (with an optional name)
or by a glob; every finding names its line and column, like the config loader's. With
no index, a single ``company.yaml`` at the root is the one config, named ``company``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pydantic import ValidationError

from reconciler.config.index_model import (
    CONFIG_FILE,
    DEFAULT_NAME,
    MATRIX_LIMIT_URL,
    MAX_CONFIGS,
    Entry,
    Index,
    default_name,
    name_problem,
)
from reconciler.config.load import parse_document, read_text
from reconciler.config.locations import SourceMap
from reconciler.config.messages import describe
from reconciler.config.paths import resolve_inside
from reconciler.config.suggest import did_you_mean
from reconciler.errors import ConfigError, Problem, ReconcilerError

INDEX_FILE = "reconciler.yaml"
INDEX_WHAT = "the index (reconciler.yaml)"
"""How errors name the index: "3 problems in the index (reconciler.yaml)"."""


@dataclass(frozen=True)
class DeclaredConfig:
    """One config of the repository: its name and its path relative to the root."""

    name: str
    path: Path


def find_configs(root: Path) -> tuple[DeclaredConfig, ...]:
    """Every config the repository at ``root`` declares, in the index's order.

    Raise :class:`ConfigError` with every problem of a broken index. With no index,
    the root ``company.yaml`` alone (named ``company``), or nothing when there is none.
    """
    index_path = root / INDEX_FILE
    if not index_path.exists():
        if (root / CONFIG_FILE).is_file():
            return (DeclaredConfig(DEFAULT_NAME, Path(CONFIG_FILE)),)
        return ()
    return _read_index(root, index_path)


def resolve_config(root: Path, name_or_path: str) -> DeclaredConfig:
    """The config a command was given: a declared name, or a path to a config file.

    A path keeps today's meaning (relative to the working directory); it is named
    as the index names it when declared, else by the default rule. A word that is
    neither a declared name nor a file is refused with the names there are.
    """
    configs = find_configs(root)
    by_name = {config.name: config for config in configs}
    if name_or_path in by_name:
        return by_name[name_or_path]
    given = Path(name_or_path)
    if _looks_like_name(name_or_path) and not given.exists():
        names = sorted(by_name)
        known = ", ".join(names) if names else "none (no reconciler.yaml, no company.yaml)"
        raise ReconcilerError(
            f"no config named '{name_or_path}'{did_you_mean(name_or_path, names)}; "
            f"the configs declared in {INDEX_FILE} are: {known}",
            remedy="give a config's name or the path of its file",
        )
    for config in configs:
        if _same_file(root / config.path, given):
            return config
    relative = _relative_to(given, root)
    return DeclaredConfig(_undeclared_name(relative), relative)


def _looks_like_name(text: str) -> bool:
    return "/" not in text and "\\" not in text and not text.endswith((".yaml", ".yml"))


def _same_file(declared: Path, given: Path) -> bool:
    try:
        return declared.resolve() == given.resolve()
    except OSError:
        return False


def _relative_to(given: Path, root: Path) -> Path:
    try:
        return given.resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        return given


def _undeclared_name(path: Path) -> str:
    name = default_name(PurePosixPath(path.as_posix()))
    return name if name_problem(name) is None else DEFAULT_NAME


def _read_index(root: Path, index_path: Path) -> tuple[DeclaredConfig, ...]:
    name = str(index_path)
    text = read_text(index_path, name, what="reconciler.yaml")
    tree = parse_document(
        text, name, empty_hint="list your configs under configs:", what=INDEX_WHAT
    )
    problems = list(tree.problems)
    try:
        index = Index.model_validate(tree.data)
    except ValidationError as error:
        messages = describe(error.errors(), tree.source_map, Index)
        messages = [m for m in messages if m.path not in tree.bad_values]
        for message in messages:
            where = tree.source_map.finding(message.path, at_key=message.at_key)
            problems.append(
                Problem(
                    name, where.line, where.col, message.text, message.hint, key_path=message.path
                )
            )
        raise ConfigError(
            sorted(problems, key=lambda p: (p.line, p.col)), what=INDEX_WHAT
        ) from None
    configs, found = _expand(root, index, tree.source_map, name)
    problems += found
    if problems:
        raise ConfigError(sorted(problems, key=lambda p: (p.line, p.col)), what=INDEX_WHAT)
    return configs


def _expand(
    root: Path, index: Index, source_map: SourceMap, name: str
) -> tuple[tuple[DeclaredConfig, ...], list[Problem]]:
    """Each entry's configs, with a problem for a missing path, an empty glob, a bad or
    duplicate name, or a file declared twice."""
    configs: list[DeclaredConfig] = []
    problems: list[Problem] = []
    names: dict[str, int] = {}
    files: dict[Path, int] = {}
    for number, entry in enumerate(index.configs):

        def problem(key: str, message: str, hint: str | None, number: int = number) -> None:
            where = source_map.value(("configs", number, key))
            problems.append(
                Problem(name, where.line, where.col, message, hint, key_path=("configs", number))
            )

        paths, failure = _entry_paths(root, entry)
        key = "path" if entry.path is not None else "glob"
        if failure is not None:
            problem(key, *failure)
            continue
        for path in paths:
            config_name = entry.name or default_name(PurePosixPath(path.as_posix()))
            line = source_map.value(("configs", number)).line
            bad = name_problem(config_name)
            if bad is not None:
                problem(key, f"{path}: {bad}", "list the file by path with a name: of its own")
            elif config_name in names:
                problem(
                    "name" if entry.name else key,
                    f"the name '{config_name}' is taken (line {names[config_name]}); "
                    "names must be unique",
                    "give one of them a name: of its own",
                )
            elif path in files:
                problem(key, f"{path} is declared twice (line {files[path]})", "list it once")
            else:
                names[config_name] = line
                files[path] = line
                configs.append(DeclaredConfig(config_name, path))
                if len(configs) == MAX_CONFIGS + 1:
                    problem(key, *_too_many(path))
    return tuple(configs), problems


def _too_many(path: Path) -> tuple[str, str]:
    """The finding at the entry that declares config number 257."""
    return (
        f"{path} is config number {MAX_CONFIGS + 1}: the workflows run a job per config "
        f"from one matrix, and GitHub runs at most {MAX_CONFIGS} jobs from a matrix "
        f"({MATRIX_LIMIT_URL})",
        f"keep at most {MAX_CONFIGS} configs in one repository: move some companies "
        "to a repository of their own",
    )


def _entry_paths(root: Path, entry: Entry) -> tuple[list[Path], tuple[str, str] | None]:
    if entry.path is not None:
        try:
            target = resolve_inside(root, entry.path)
        except ValueError as error:
            return [], (f"{entry.path}: {error}", "keep every config inside the repository")
        if not target.is_file():
            return [], (
                f"{entry.path}: no such file",
                "fix the path, or create the config (reconciler init --config PATH)",
            )
        return [Path(PurePosixPath(entry.path))], None
    pattern = str(entry.glob)
    found = sorted(
        match.relative_to(root)
        for match in root.glob(pattern)
        if match.is_file() and _inside(root, match.relative_to(root))
    )
    if not found:
        return [], (
            f"the glob {pattern} matches no file",
            "fix the pattern, or remove the entry until a config exists",
        )
    return found, None


def _inside(root: Path, relative: Path) -> bool:
    """A match reached through a symbolic link that points out is not a config."""
    try:
        resolve_inside(root, str(relative))
    except ValueError:
        return False
    return True
