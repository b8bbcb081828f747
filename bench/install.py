"""Benchmark: from a fresh runner directory to the plan comment, the Action's locked
install with uv and with pip, against the plain pip install it replaces.

Every run starts in a new directory with a clone of this repository's HEAD (the
action's checkout), a new virtualenv and, unless it is a warm run, empty caches. It
times the install, then ``reconciler plan examples/company.yaml --sandbox --format
markdown`` in a fresh process (the 300-person sandbox company; the Markdown is the
comment the plan job posts), and prints both and their sum.

- ``before: pip wheel``: ``pip install`` of the built wheel, its dependencies unpinned
  and resolved from the index (what the issue measured);
- ``before: pip checkout``: what action.yml ran before: ``pip install`` of the checkout;
- ``pip locked``: ``action/install.sh`` with ``INSTALLER=pip``;
- ``uv locked, cold``: ``action/install.sh`` with no uv on PATH and no cache: it
  bootstraps uv from action/uv.lock and downloads every wheel;
- ``uv locked, warm``: the cache a cold run left at the end of its job (the venv, with
  the bytecode its plan wrote), restored from a zstd tarball as actions/cache restores
  it (the untar is timed with the install; the download from GitHub's cache service
  is not measured here): nothing to install;
- ``warm, new commit``: the same cache, for a checkout whose source changed (the
  cache's restore-keys give the last venv of the same locks): only the reconciler is
  built and installed, by pip, as uv is not at hand.

Not a test: it reads the package index, and shared machines are noisy.

    .venv/bin/python bench/install.py [--repeat N] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


@dataclass(frozen=True)
class Timing:
    """One run: seconds to install, and to plan with what was installed."""

    install: float
    plan: float

    @property
    def total(self) -> float:
        return self.install + self.plan


def run(args: list[str], *, env: dict[str, str], cwd: Path) -> float:
    """Run ``args``; return its wall time, or stop with its output if it fails."""
    start = time.perf_counter()
    result = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{' '.join(args[:6])} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return elapsed


def clean_path() -> str:
    """PATH without any directory that holds uv, so the cold run has to bootstrap it."""
    parts = os.environ.get("PATH", "/usr/bin:/bin").split(os.pathsep)
    return os.pathsep.join(p for p in parts if p and not (Path(p) / "uv").exists())


class Runner:
    """Makes fresh directories under ``work`` and runs the scenarios in them."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.count = 0
        self.source = work / "source"
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(self.source)], check=True)
        dist = work / "dist"
        subprocess.run(
            [
                PYTHON,
                "-m",
                "pip",
                "wheel",
                "--quiet",
                "--no-deps",
                "-w",
                str(dist),
                str(self.source),
            ],
            check=True,
            capture_output=True,
        )
        (self.wheel,) = dist.glob("*.whl")
        self.warm_cache: Path | None = None

    def fresh(self) -> tuple[Path, dict[str, str]]:
        self.count += 1
        directory = self.work / f"run-{self.count}"
        directory.mkdir()
        env = {
            "PATH": clean_path(),
            "HOME": str(directory),
            "LANG": "C.UTF-8",
            "PIP_CACHE_DIR": str(directory / "pip-cache"),
            "UV_CACHE_DIR": str(directory / "uv-cache"),
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
            "PIP_ROOT_USER_ACTION": "ignore",
        }
        # The machine's certificate settings, so the index answers as it does for pip here.
        for name in ("PIP_CERT", "SSL_CERT_FILE", "PIP_INDEX_URL", "UV_INDEX_URL"):
            if name in os.environ:
                env[name] = os.environ[name]
        return directory, env

    def plan(self, venv: Path, directory: Path, env: dict[str, str]) -> float:
        example = self.source / "examples" / "company.yaml"
        command = ["plan", str(example), "--sandbox", "--format", "markdown"]
        return run([str(venv / "bin" / "reconciler"), *command], env=env, cwd=directory)

    def plain_pip(self, target: Path) -> Timing:
        directory, env = self.fresh()
        venv = directory / "venv"
        start = time.perf_counter()
        run([PYTHON, "-m", "venv", "--without-pip", str(venv)], env=env, cwd=directory)
        pip = [PYTHON, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--quiet"]
        run([*pip, str(target)], env=env, cwd=directory)
        run([str(venv / "bin" / "reconciler"), "--version"], env=env, cwd=directory)
        return Timing(time.perf_counter() - start, self.plan(venv, directory, env))

    def action(self, installer: str, *, warm: bool, new_source: bool = False) -> Timing:
        directory, env = self.fresh()
        cache = directory / "cache"
        venv = cache / "venv"
        source = self.source
        if new_source:
            source = directory / "source"
            shutil.copytree(self.source, source, symlinks=True)
            with (source / "reconciler" / "__init__.py").open("a") as file:
                file.write("# a new commit\n")
        env |= {
            "ACTION_PATH": str(source),
            "PYTHON": PYTHON,
            "RECONCILER_CACHE": str(cache),
            "SCRATCH": str(directory / "scratch"),
            "INSTALLER": installer,
        }
        env.pop("PIP_CACHE_DIR")
        env.pop("UV_CACHE_DIR")
        start = time.perf_counter()
        if warm:
            assert self.warm_cache is not None, "a cold uv run makes the cache first"
            cache.mkdir()
            run(["tar", "--zstd", "-xf", str(self.warm_cache)], env=env, cwd=cache)
        run(["bash", str(source / "action" / "install.sh")], env=env, cwd=directory)
        install = time.perf_counter() - start
        plan = self.plan(venv, directory, env)
        if installer == "auto" and not warm and self.warm_cache is None:
            # As actions/cache saves it at the end of the job: after the plan ran.
            self.warm_cache = self.work / "cache.tar.zst"
            run(["tar", "--zstd", "-cf", str(self.warm_cache), "."], env=env, cwd=cache)
        return Timing(install, plan)


def scenarios(runner: Runner) -> dict[str, Callable[[], Timing]]:
    return {
        "before: pip wheel": lambda: runner.plain_pip(runner.wheel),
        "before: pip checkout": lambda: runner.plain_pip(runner.source),
        "pip locked": lambda: runner.action("pip", warm=False),
        "uv locked, cold": lambda: runner.action("auto", warm=False),
        "uv locked, warm": lambda: runner.action("auto", warm=True),
        "warm, new commit": lambda: runner.action("auto", warm=True, new_source=True),
    }


def spread(values: list[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:.2f} s"
    return f"{statistics.median(values):.2f} s ({min(values):.2f} to {max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each scenario")
    parser.add_argument("--only", nargs="*", help="scenario names to run (default: all)")
    args = parser.parse_args()
    if shutil.which("zstd") is None:
        sys.exit("zstd is needed to restore the warm cache as actions/cache does")
    with tempfile.TemporaryDirectory(prefix="bench-install-") as work:
        runner = Runner(Path(work))
        chosen = scenarios(runner)
        if args.only:
            chosen = {name: chosen[name] for name in args.only}
        results: dict[str, list[Timing]] = {name: [] for name in chosen}
        # Round-robin, so a slow minute of the shared machine falls on every scenario.
        for _ in range(args.repeat):
            for name, scenario in chosen.items():
                results[name].append(scenario())
                print(f"  {name}: {results[name][-1].install:.2f} s", file=sys.stderr)
    base = results.get("before: pip wheel")
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, {args.repeat} runs each\n")
    print("| scenario | install | plan (Markdown comment) | total | install vs pip wheel |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, timings in results.items():
        install = [t.install for t in timings]
        ratio = (
            statistics.median([t.install for t in base]) / statistics.median(install) if base else 0
        )
        print(
            f"| {name} | {spread(install)} | {spread([t.plan for t in timings])} "
            f"| {spread([t.total for t in timings])} | {ratio:.1f}x |"
        )


if __name__ == "__main__":
    main()
