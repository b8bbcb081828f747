"""The console samples in README.md and docs/: real output of the commands they show.

Every ```console block is a shell session and is generated: each ``$ command`` line
is run from the repository root, in one shell per block, and what it prints (stdout
and stderr) follows it. ``echo $?`` shows the exit code of the command before it.
Volatile bits (checksums) are masked.

    python scripts/docs_samples.py            # check: exit 1 naming each stale block
    python scripts/docs_samples.py --update   # rewrite the stale blocks in place

tests/test_readme.py runs the check on every file, so CI fails on a sample that no
longer matches a real run; ``make readme`` runs the update.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONSOLE = re.compile(r"(?ms)^```console\n(.*?)^```\n")
VENV_CLI = ".venv/bin/reconciler"
CHECKSUM = re.compile(r"sha256:[0-9a-f]{64}")


def documents() -> list[Path]:
    """README.md and every page under docs/."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def mask(text: str) -> str:
    """Checksums change with every key and input: shown as ``sha256:…``."""
    return CHECKSUM.sub("sha256:…", text)


def commands(block: str) -> list[str]:
    """The ``$ command`` lines of a console block."""
    return [line[2:] for line in block.splitlines() if line.startswith("$ ")]


def session(lines: Sequence[str]) -> str:
    """Run the commands in one shell; return the transcript as a console block shows it.

    The echo of each ``$ command`` line must not reset ``$?``: the status of the
    command before is kept and restored, so ``echo $?`` prints that command's code.
    """
    cli = f"{shlex.quote(sys.executable)} -m reconciler"
    script = "status=0\n" + "".join(
        f"echo {shlex.quote('$ ' + line)}\n(exit $status)\n"
        f"{{ {line.replace(VENV_CLI, cli)}\n}} 2>&1\nstatus=$?\n"
        for line in lines
    )
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100", "TERM": "dumb"}
    env.pop("GITHUB_ACTIONS", None)
    result = subprocess.run(
        ["bash", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    return mask(result.stdout + result.stderr)


def check(path: Path, *, update: bool = False) -> list[str]:
    """The stale blocks of one file (``file: first command``); rewritten when ``update``."""
    text = path.read_text(encoding="utf-8")
    stale: list[str] = []

    def replace(match: re.Match[str]) -> str:
        block = match.group(1)
        actual = session(commands(block))
        if actual != block:
            stale.append(f"{path.name}: {commands(block)[0]}")
        return f"```console\n{actual}```\n"

    updated = CONSOLE.sub(replace, text)
    if stale and update:
        path.write_text(updated, encoding="utf-8")
    return stale


def main(argv: Sequence[str] | None = None) -> int:
    """Check (or update) every document's console samples."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--update", action="store_true", help="rewrite stale samples")
    parser.add_argument("files", nargs="*", type=Path, help="default: README.md and docs/*.md")
    args = parser.parse_args(argv)
    stale = [s for path in (args.files or documents()) for s in check(path, update=args.update)]
    for line in stale:
        print(("updated " if args.update else "stale ") + line)
    return 1 if stale and not args.update else 0


if __name__ == "__main__":
    sys.exit(main())
