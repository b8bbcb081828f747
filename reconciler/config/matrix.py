"""Which configs a change touches, and the names each config's jobs run under. Pure.

A pull request plans the configs whose files it changes: the config file, the files
named after it beside it (its saved plan, its encrypted Ledgy export, its record of
prepared uploads) and, when the config is the only one in a directory of its own,
everything under that directory. A change to a shared file (the index, a workflow,
the reconciler's action or lock files) touches every config.

Each config's sync branch, drift issue, sticky comment and GitHub environments are
named after it. The config named ``company`` (the name of the one root
``company.yaml`` when there is no index, and the name ``init`` gives the first config
when it writes the index) keeps the names it had before: its path as the key, the
environments ``reconciler-plan`` and ``reconciler-apply``. So adding a second config
changes nothing for the first.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath, PurePosixPath
from typing import Protocol, TypeVar

INDEX_FILE = "reconciler.yaml"
LEGACY_NAME = "company"
PLAN_ENVIRONMENT = "reconciler-plan"
APPLY_ENVIRONMENT = "reconciler-apply"
SHARED_FILES = (INDEX_FILE, "action.yml", "requirements.lock")
"""Files every plan depends on: a change to one plans every config."""
SHARED_DIRECTORIES = (".github/workflows/", "action/")


class Declared(Protocol):
    """A declared config (:class:`reconciler.config.index.DeclaredConfig`)."""

    @property
    def name(self) -> str: ...

    @property
    def path(self) -> PurePath: ...


def _posix(path: PurePath | str) -> PurePosixPath:
    return PurePosixPath(str(path).replace("\\", "/"))


def is_legacy(name: str) -> bool:
    """Whether the config named ``name`` keeps the names of a repository without index."""
    return name == LEGACY_NAME


def config_key(name: str, path: PurePath | str) -> str:
    """What a config's markers, sync branch and drift issue are keyed by: its name, or
    for the config named ``company`` its path (as before there was an index)."""
    return _posix(path).as_posix() if is_legacy(name) else name


def environments(name: str) -> tuple[str, str]:
    """The GitHub environments of a config's plan and sync jobs, and of its applies."""
    if is_legacy(name):
        return PLAN_ENVIRONMENT, APPLY_ENVIRONMENT
    return f"{PLAN_ENVIRONMENT}-{name}", f"{APPLY_ENVIRONMENT}-{name}"


def ledgy_group(company: tuple[str, str] | None, name: str) -> str:
    """The concurrency group of a config's applies: one per Ledgy company, so two configs
    that write to one company never apply at the same time. A config that cannot be
    read (``company`` None) is alone in its group; its apply refuses to run anyway."""
    if company is None:
        return f"reconciler-apply-config-{name}"
    digest = hashlib.sha256("\n".join(company).encode("utf-8")).hexdigest()[:16]
    return f"reconciler-apply-ledgy-{digest}"


@dataclass(frozen=True)
class MatrixEntry:
    """One config as a job of the workflows' matrix."""

    name: str
    config: str
    """The config file, relative to the repository root."""
    key: str
    plan_environment: str
    apply_environment: str
    ledgy: str
    """The concurrency group its applies share with every config of its Ledgy company."""

    def as_json(self) -> dict[str, str]:
        """The entry as the matrix's JSON holds it."""
        return {
            "name": self.name,
            "config": self.config,
            "key": self.key,
            "plan_environment": self.plan_environment,
            "apply_environment": self.apply_environment,
            "ledgy": self.ledgy,
        }


def matrix_entry(name: str, path: PurePath | str, company: tuple[str, str] | None) -> MatrixEntry:
    """The matrix entry of one config (``company``: its Ledgy company, if readable)."""
    plan_env, apply_env = environments(name)
    return MatrixEntry(
        name,
        _posix(path).as_posix(),
        config_key(name, path),
        plan_env,
        apply_env,
        ledgy_group(company, name),
    )


def is_shared(path: str) -> bool:
    """Whether a changed file is one every config's plan depends on."""
    return path in SHARED_FILES or path.startswith(SHARED_DIRECTORIES)


C = TypeVar("C", bound=Declared)


def touched(configs: Sequence[C], changed: Iterable[str]) -> tuple[C, ...]:
    """The configs (in the index's order) whose files ``changed`` (paths relative to the
    root) touch; every config when a shared file changed."""
    files = [_posix(path) for path in changed]
    if any(is_shared(path.as_posix()) for path in files):
        return tuple(configs)
    owned = _owned_directories(configs)
    hit: set[int] = set()
    for path in files:
        hit.update(i for i, config in enumerate(configs) if _beside(_posix(config.path), path))
        deepest = _deepest_owner(owned, path)
        if deepest is not None:
            hit.add(deepest)
    return tuple(config for i, config in enumerate(configs) if i in hit)


def _beside(config: PurePosixPath, path: PurePosixPath) -> bool:
    """The config itself, or a file named after it in its directory (company.plan.json,
    company.ledgy.xlsx.age, company.pending.json)."""
    return path == config or (
        path.parent == config.parent and path.name.startswith(config.stem + ".")
    )


def _owned_directories(configs: Sequence[Declared]) -> dict[PurePosixPath, int]:
    """The directories that hold exactly one config, other than the root."""
    count: dict[PurePosixPath, list[int]] = {}
    for i, config in enumerate(configs):
        count.setdefault(_posix(config.path).parent, []).append(i)
    return {
        folder: found[0]
        for folder, found in count.items()
        if len(found) == 1 and folder != PurePosixPath(".")
    }


def _deepest_owner(owned: dict[PurePosixPath, int], path: PurePosixPath) -> int | None:
    """The config whose own directory is the deepest that holds ``path``."""
    for parent in path.parents:
        if parent in owned:
            return owned[parent]
    return None
