"""requirements.lock, what the Action installs, is constraints.txt's runtime part, with hashes.

``scripts/lock.py --check`` reads only files and the installed packages' metadata (no
package index): every runtime dependency of the reconciler and of its build backend is
locked at its constraints.txt version with at least one sha256, and nothing else is.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

LOCK = ROOT / "requirements.lock"


def _check(lock: Path = LOCK) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "lock.py"), "--check", "--lock", str(lock)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_lock_matches_constraints_and_every_file_is_hash_pinned() -> None:
    result = _check()
    assert result.returncode == 0, result.stdout + result.stderr
    text = LOCK.read_text(encoding="utf-8")
    assert re.search(r"^pydantic==[\d.]+ \\\n    --hash=sha256:[0-9a-f]{64}", text, re.MULTILINE)
    uv_lock = (ROOT / "action" / "uv.lock").read_text(encoding="utf-8")
    assert re.search(r"^uv==[\d.]+ \\\n    --hash=sha256:[0-9a-f]{64}", uv_lock, re.MULTILINE)


def test_a_lock_that_drifted_from_constraints_is_refused_with_each_reason(tmp_path: Path) -> None:
    text = LOCK.read_text(encoding="utf-8")
    pydantic = re.search(r"^pydantic==([\d.]+)", text, re.MULTILINE)
    assert pydantic
    drifted = text.replace(f"pydantic=={pydantic.group(1)}", "pydantic==2.0.0", 1)
    # orjson loses its hashes, httpx its entry; a package nothing needs is added.
    drifted = re.sub(
        r"^(orjson==[^ ]+) \\\n(    --hash=.*\n)+", r"\1\n", drifted, flags=re.MULTILINE
    )
    drifted = re.sub(r"^httpx==[^ ]+ \\\n(    --hash=.*\n)+", "", drifted, flags=re.MULTILINE)
    drifted += "pytest==9.2.0 \\\n    --hash=sha256:" + "0" * 64 + "\n"
    lock = tmp_path / "requirements.lock"
    lock.write_text(drifted, encoding="utf-8")
    result = _check(lock)
    assert result.returncode == 1
    out = result.stdout
    assert f"pydantic: locked 2.0.0, constraints.txt pins {pydantic.group(1)}" in out
    assert "orjson==" in out and "has no --hash=sha256: line" in out
    assert "httpx is needed but not in the lock" in out
    assert "pytest is locked but nothing the reconciler runs or builds with needs it" in out
    assert "regenerate with `python scripts/lock.py`" in out


def test_sniffio_is_installed_because_httpcore_asks_for_it_on_every_lock() -> None:
    # If httpcore stops asking, sniffio can leave the dependencies (and this test).
    import inspect
    from importlib.metadata import requires

    import httpcore._synchronization as locks

    assert "import sniffio" in inspect.getsource(locks.current_async_library)
    needed = requires("ledgy-charliehr-reconciler") or []
    assert any(re.match(r"sniffio\b", line) for line in needed)
    assert re.search(r"^sniffio==", LOCK.read_text(), re.MULTILINE)
