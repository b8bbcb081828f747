"""Load company.yaml: read it safely, parse it, validate it, report every problem at once.

The only config module that touches files and ruamel.yaml. Secrets are not
resolved here (``validate`` must run without them, on fork pull requests);
:mod:`reconciler.config.secrets` resolves them when a command needs them.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from pydantic import ValidationError

from reconciler.config.endpoints import LOCAL_ENDPOINTS
from reconciler.config.guarded import DEFAULT_RULES, BaseRules, rules_of, unreadable
from reconciler.config.locations import SourceMap, dotted
from reconciler.config.messages import Message, describe
from reconciler.config.model import LOCAL_ENDPOINTS as LOCAL_CONTEXT
from reconciler.config.model import Config
from reconciler.config.paths import Kind, path_problem, resolve_inside
from reconciler.config.reads import config_warnings
from reconciler.config.yamltree import Tree, YamlSyntaxError, parse
from reconciler.errors import ConfigError, Problem, ReconcilerError

MAX_BYTES = 128 * 1024
"""A config is a few KiB (the example is 5 KiB); reading YAML in pure Python costs about
a second per 100 KiB, so a larger file is refused before it is parsed."""

MAX_PROBLEMS = 100
"""Problems reported at most; a file with thousands is the wrong file."""


@dataclass(frozen=True)
class LoadedConfig:
    """A valid config, where it came from, where each value sits, and its warnings."""

    config: Config
    path: Path
    source_map: SourceMap = field(repr=False)
    warnings: tuple[Problem, ...] = ()

    def inside(self, key_path: tuple[str, ...], value: str) -> Path:
        """The path a setting names, resolved and checked again to be inside the config's
        directory (a link may have changed since loading)."""
        try:
            return resolve_inside(self.path.parent, value)
        except ValueError as error:
            raise ConfigError([self.problem_at(key_path, f"{dotted(key_path)}: {error}")]) from None

    @property
    def display_path(self) -> str:
        """The file name as the user gave it, for messages."""
        return str(self.path)

    def problem_at(
        self, key_path: tuple[str | int, ...], message: str, hint: str | None = None
    ) -> Problem:
        """Make a problem located at the value under ``key_path``."""
        where = self.source_map.value(key_path)
        return Problem(self.display_path, where.line, where.col, message, hint, key_path=key_path)


def local_endpoints(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the local test mode is on (``RECONCILER_LOCAL_ENDPOINTS=1``): endpoints may
    then be plain http and local addresses, for emulators on this machine."""
    env = os.environ if environ is None else environ
    return env.get(LOCAL_ENDPOINTS, "").strip().lower() in ("1", "true", "yes")


def load_config(path: Path, *, local: bool | None = None, text: str | None = None) -> LoadedConfig:
    """Load and validate a config file; raise :class:`ConfigError` with every problem.

    ``local`` allows http and local addresses as endpoints (the sandbox); by default
    it follows the local test mode (:func:`local_endpoints`). ``text`` is the file's
    content when it was read elsewhere (the base branch's config, through GitHub's
    API); ``path`` then only names it and anchors the paths it names.
    """
    name = str(path)
    text = read_text(path, name) if text is None else text
    context = {LOCAL_CONTEXT: local_endpoints() if local is None else local}
    tree = parse_document(text, name, empty_hint="start from examples/company.yaml")
    problems = list(tree.problems)
    config: Config | None = None
    unseen = 0
    try:
        config = Config.model_validate(tree.data, context=context)
    except ValidationError as error:
        # Describing costs a 'did you mean' per error; thousands are the wrong file.
        details = error.errors()
        messages = describe(details[: MAX_PROBLEMS + 1], tree.source_map, Config)
        unseen = max(0, len(details) - MAX_PROBLEMS - 1)
        # A value refused while reading was already reported at its place.
        messages = [m for m in messages if m.path not in tree.bad_values]
        problems += [_locate(m, tree.source_map, name) for m in messages]
    if config is not None:
        problems += _path_problems(config, path, tree.source_map, name)
    if problems or config is None:
        raise ConfigError(_sorted(problems, unseen))
    warnings = [
        _locate(Message(loc, message, hint), tree.source_map, name, severity="warning")
        for loc, message, hint in config_warnings(config)
    ]
    return LoadedConfig(config, path, tree.source_map, tuple(_sorted(warnings)))


def base_rules(text: str | None, name: str, *, local: bool | None = None) -> BaseRules:
    """The rules in force from the base branch's config text (``None``: no such file).

    Read leniently, setting by setting (:func:`reconciler.config.guarded.rules_of`): a
    base config broken elsewhere still gives its safety section and endpoints.
    """
    if text is None or not text.strip():
        return DEFAULT_RULES
    return replace(_rules_of_text(text, name, local=local), where=name)


def _rules_of_text(text: str, name: str, *, local: bool | None) -> BaseRules:
    if len(text.encode("utf-8")) > MAX_BYTES:
        return unreadable("it is over 128 KiB")
    try:
        tree = parse(text, name)
    except YamlSyntaxError as error:
        where = error.problem
        return unreadable(f"it is not valid YAML (line {where.line}: {where.message})")
    return rules_of(tree.data, local=local_endpoints() if local is None else local)


def path_settings(config: Config) -> list[tuple[tuple[str, ...], str, Kind]]:
    """Every path the config names, where it sits, and what it must be."""
    ledgy = config.ledgy
    found: list[tuple[tuple[str, ...], str, Kind]] = []
    if ledgy.operations is not None:
        found.append((("ledgy", "operations"), ledgy.operations, "file"))
    if ledgy.workbook is not None:
        for key in ("export", "state"):  # optional since the export may live encrypted
            value = getattr(ledgy.workbook, key)
            if value is not None:
                found.append((("ledgy", "workbook", key), value, "file"))
        found.append((("ledgy", "workbook", "out_dir"), ledgy.workbook.out_dir, "directory"))
    return found


def _path_problems(config: Config, path: Path, source_map: SourceMap, name: str) -> list[Problem]:
    problems = []
    for key_path, value, kind in path_settings(config):
        problem = path_problem(path.parent, value, kind)
        if problem is not None:
            where = source_map.value(key_path)
            hint = "keep every file the config names inside the repository, next to the config"
            message = f"{dotted(key_path)}: {problem}"
            problems.append(Problem(name, where.line, where.col, message, hint, key_path=key_path))
    return problems


def _locate(
    message: Message, source_map: SourceMap, name: str, *, severity: str = "error"
) -> Problem:
    where = source_map.finding(message.path, at_key=message.at_key)
    return Problem(
        name,
        where.line,
        where.col,
        message.text,
        message.hint,
        "warning" if severity == "warning" else "error",
        key_path=message.path,
    )


_SYSTEM_ROOTS = (Path("/proc"), Path("/sys"), Path("/dev"))


def _check_regular(path: Path, name: str, what: str) -> None:
    """Refuse a FIFO, device or system file before opening it (a FIFO would block)."""
    try:
        mode = path.stat().st_mode
        resolved = path.resolve()
    except FileNotFoundError:
        return  # reported by the read that follows
    except OSError as error:
        raise ReconcilerError(f"{name}: cannot be read ({error.strerror})") from None
    system = any(resolved == root or root in resolved.parents for root in _SYSTEM_ROOTS)
    if system or not stat.S_ISREG(mode):
        raise ReconcilerError(
            f"{name}: not a regular file (a directory, device, FIFO or system file)",
            remedy=f"give the path of your {what}",
        )


def _sorted(problems: list[Problem], unseen: int = 0) -> list[Problem]:
    """Problems in file order, at most :data:`MAX_PROBLEMS` (``unseen``: not described)."""
    unique = dict.fromkeys(problems)
    found = sorted(unique, key=lambda p: (p.line, p.col, p.message))
    rest = max(0, len(found) - MAX_PROBLEMS) + unseen
    if not rest:
        return found
    last = found[min(len(found), MAX_PROBLEMS) - 1]
    noun = "problem" if rest == 1 else "problems"
    more = Problem(last.path, last.line, last.col, f"... and {rest} more {noun}", None)
    return [*found[:MAX_PROBLEMS], more]


def read_text(path: Path, name: str, *, what: str = "company.yaml") -> str:
    """The text of a small YAML file (``what`` names it in remedies); raise
    :class:`ReconcilerError` or :class:`ConfigError` when it is not one."""
    _check_regular(path, name, what)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise ReconcilerError(
            f"{name}: no such file", remedy=f"give the path of your {what}"
        ) from None
    except OSError as error:
        raise ReconcilerError(f"{name}: cannot be read ({error.strerror})") from None
    if len(raw) > MAX_BYTES:
        raise ConfigError(
            [
                Problem(
                    name,
                    1,
                    1,
                    "the file is over 128 KiB; a config is much smaller than that",
                    "check that this is the right file",
                )
            ]
        )
    if b"\x00" in raw[:8192]:
        raise ConfigError(
            [Problem(name, 1, 1, "this is a binary file, not YAML", f"give the path of {what}")]
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        col = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        bad = raw[error.start : error.start + 1].hex().upper()
        raise ConfigError(
            [
                Problem(
                    name,
                    line,
                    col,
                    f"not UTF-8: byte 0x{bad} cannot be decoded",
                    "save the file as UTF-8",
                )
            ]
        ) from None


def parse_document(text: str, name: str, *, empty_hint: str, what: str = "the config") -> Tree:
    """The YAML tree of a file, or a :class:`ConfigError`: its syntax error, or "the file
    is empty" (with ``empty_hint``) beside the problems the parse found."""
    try:
        tree = parse(text, name)
    except YamlSyntaxError as error:
        raise ConfigError([error.problem], what=what) from None
    if tree.data is None:
        problems = [*tree.problems, Problem(name, 1, 1, "the file is empty", empty_hint)]
        raise ConfigError(problems, what=what)
    return tree
