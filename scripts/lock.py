"""Write requirements.lock, the dependency set the GitHub Action installs; or check it.

The lock holds the reconciler's runtime dependencies and its build backend (setuptools,
setuptools-scm: the Action builds the reconciler from its own checkout without build
isolation), each pinned to its version in constraints.txt, the set the project tests
with, and followed by the sha256 of every file the package index serves for that
version, so any runner's platform and Python install with ``--require-hashes``.
action/uv.lock pins the installer the Action bootstraps (uv) the same way.

    .venv/bin/python scripts/lock.py          # regenerate both (reads the package index)
    .venv/bin/python scripts/lock.py --check  # offline: does the lock match constraints.txt?

Generating uses ``uv pip compile --generate-hashes --universal`` (uv is a dev
dependency). Checking reads only files and the installed packages' metadata: every
runtime dependency of the installed reconciler, and of the build backend, must be in
the lock at its constraints.txt version, nothing else may be, and every entry needs a
hash.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, requires
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
UV_LOCK = ROOT / "action" / "uv.lock"
CONSTRAINTS = ROOT / "constraints.txt"
PYPROJECT = ROOT / "pyproject.toml"
DISTRIBUTION = "ledgy-charliehr-reconciler"
# The oldest Python the project supports: the universal lock covers it and every newer one.
PYTHON = "3.11"
COMMAND = "python scripts/lock.py"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")
_HASH = re.compile(r"^\s+--hash=sha256:([0-9a-f]{64})\s*\\?$")


@dataclass(frozen=True)
class Entry:
    """One pinned package of a lock file."""

    name: str
    version: str
    marker: str | None
    hashes: tuple[str, ...]


def parse_lock(text: str) -> dict[str, Entry]:
    """Return the entries of a hash-pinned requirements file, by canonical name."""
    entries: dict[str, Entry] = {}
    current: tuple[str, str, str | None] | None = None
    hashes: list[str] = []
    for line in [*text.splitlines(), "end"]:
        pin, digest = _PIN.match(line), _HASH.match(line)
        if digest:
            hashes.append(digest.group(1))
            continue
        if current is not None:
            entries[canonicalize_name(current[0])] = Entry(*current, hashes=tuple(hashes))
        current, hashes = (pin.group(1), pin.group(2), pin.group(3)) if pin else None, []
    return entries


def parse_constraints(text: str) -> dict[str, str]:
    """Return constraints.txt's pins: canonical name -> version."""
    pins: dict[str, str] = {}
    for line in text.splitlines():
        requirement = line.split("#", 1)[0].strip()
        if requirement:
            name, _, version = requirement.partition("==")
            pins[canonicalize_name(name)] = version.strip()
    return pins


def _project() -> dict[str, list[str]]:
    data = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    return {"runtime": data["project"]["dependencies"], "build": data["build-system"]["requires"]}


def closure(roots: list[str]) -> set[str]:
    """Return the canonical names of ``roots`` and everything they need, here, from the
    installed packages' metadata (markers evaluated for this Python, no extras)."""
    seen: set[str] = set()
    todo = [Requirement(text) for text in roots]
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        if name in seen or not _applies(requirement.marker):
            continue
        seen.add(name)
        try:
            todo += [Requirement(text) for text in requires(name) or ()]
        except PackageNotFoundError:
            raise SystemExit(
                f"{name} is not installed: run `make .venv/.installed` first"
            ) from None
    return seen


def _applies(marker: Marker | None) -> bool:
    return marker is None or marker.evaluate({"extra": ""})


def problems(lock: dict[str, Entry], pins: dict[str, str], expected: set[str]) -> list[str]:
    """Return every way ``lock`` disagrees with constraints.txt and the dependency set."""
    found: list[str] = []
    for name, entry in sorted(lock.items()):
        if name not in pins:
            found.append(f"{name}=={entry.version} is locked but not pinned in constraints.txt")
        elif pins[name] != entry.version:
            found.append(f"{name}: locked {entry.version}, constraints.txt pins {pins[name]}")
        if not entry.hashes:
            found.append(f"{name}=={entry.version} has no --hash=sha256: line")
        if name not in expected and _applies(Marker(entry.marker) if entry.marker else None):
            found.append(
                f"{name} is locked but nothing the reconciler runs or builds with needs it"
            )
    found += [f"{name} is needed but not in the lock" for name in sorted(expected - set(lock))]
    return found


def check(lock_path: Path) -> int:
    """Print what is wrong with the lock; return 0 when nothing is."""
    project = _project()
    expected = closure([DISTRIBUTION]) - {DISTRIBUTION} | closure(project["build"])
    pins = parse_constraints(CONSTRAINTS.read_text(encoding="utf-8"))
    found = problems(parse_lock(lock_path.read_text(encoding="utf-8")), pins, expected)
    uv = parse_lock(UV_LOCK.read_text(encoding="utf-8"))
    found += problems(uv, pins, {"uv"})
    for line in found:
        print(f"{lock_path.name}: {line}")
    if found:
        print(f"regenerate with `{COMMAND}` (it reads the package index) and commit it")
    return 1 if found else 0


def compile_lock(requirements: list[str], out: Path, title: str) -> None:
    """Resolve ``requirements`` under constraints.txt into ``out``, with every hash."""
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "requirements.in"
        source.write_text("".join(f"{line}\n" for line in requirements), encoding="utf-8")
        resolved = subprocess.run(
            [
                *(sys.executable, "-m", "uv", "pip", "compile", str(source)),
                *("--constraint", str(CONSTRAINTS), "--generate-hashes", "--universal"),
                *("--python-version", PYTHON, "--no-header", "--no-annotate", "--quiet"),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    if resolved.returncode != 0:
        raise SystemExit(f"uv pip compile failed:\n{resolved.stderr}")
    out.write_text(f"# {title}\n# Generated by `{COMMAND}`; do not edit.\n{resolved.stdout}")
    print(f"wrote {out.relative_to(ROOT)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, offline; write nothing")
    parser.add_argument("--lock", type=Path, default=LOCK, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.check:
        return check(args.lock)
    project = _project()
    compile_lock(
        [*project["runtime"], *project["build"]],
        LOCK,
        "The reconciler's runtime dependencies and build backend, as constraints.txt pins them.",
    )
    uv = parse_constraints(CONSTRAINTS.read_text(encoding="utf-8"))["uv"]
    compile_lock([f"uv=={uv}"], UV_LOCK, "The installer the Action bootstraps when uv is missing.")
    return check(LOCK)


if __name__ == "__main__":
    sys.exit(main())
