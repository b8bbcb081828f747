"""The plan key: RECONCILER_PLAN_KEY, else derived from a secret the run has, else the sandbox's."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path

import pytest

from reconciler.commands.context import open_run, plan_key
from reconciler.commands.sandbox_choice import BUILTIN
from reconciler.config.load import LoadedConfig, load_config
from reconciler.config.secrets import run_secrets
from reconciler.engine.canonical import SANDBOX_KEY, PlanKey
from reconciler.errors import MissingSecretError, ReconcilerError
from tests.conftest import ROOT
from tests.e2e.harness import served

EXAMPLE = ROOT / "examples" / "company.yaml"
SECRETS = {"CHARLIEHR_CLIENT_ID": "id", "CHARLIEHR_CLIENT_SECRET": "hr-secret"}


def _key(loaded: LoadedConfig, env: dict[str, str], *, sandbox: bool = False) -> PlanKey:
    """The plan key of a run whose secrets are all set (``env`` on top)."""
    secrets = run_secrets(loaded, {**SECRETS, "LEDGY_API_KEY": "ledgy", **env})
    return plan_key(loaded, secrets, sandbox=sandbox)


def test_the_plan_key_variable_wins_everywhere() -> None:
    loaded = load_config(EXAMPLE)
    env = {"RECONCILER_PLAN_KEY": "k" * 32, "LEDGY_API_KEY": "ledgy"}
    assert _key(loaded, env).origin == "RECONCILER_PLAN_KEY"
    assert _key(loaded, env, sandbox=True) != SANDBOX_KEY


def test_without_it_the_key_is_derived_from_the_ledgy_key() -> None:
    loaded = load_config(EXAMPLE)
    one = _key(loaded, {"LEDGY_API_KEY": "one"})
    two = _key(loaded, {"LEDGY_API_KEY": "two"})
    assert one.origin == "LEDGY_API_KEY" and one.secret != two.secret
    assert one.secret != b"one"  # derived, never the API key itself
    assert _key(loaded, {"RECONCILER_PLAN_KEY": ""}, sandbox=True) == SANDBOX_KEY


def test_the_workbook_driver_derives_it_from_the_charliehr_secret(tmp_path: Path) -> None:
    config = tmp_path / "company.yaml"
    config.write_text(EXAMPLE.read_text().replace("driver: api ", "driver: workbook "))
    loaded = load_config(config)
    assert _key(loaded, {}).origin == "CHARLIEHR_CLIENT_SECRET"


def test_a_short_plan_key_is_refused() -> None:
    with pytest.raises(ReconcilerError, match="RECONCILER_PLAN_KEY has 5 characters"):
        _key(load_config(EXAMPLE), {"RECONCILER_PLAN_KEY": "short"})


def test_every_missing_secret_is_named_at_once() -> None:
    loaded = load_config(EXAMPLE)
    with pytest.raises(MissingSecretError) as caught:
        run_secrets(loaded, {})
    message = caught.value.message
    assert message.startswith("3 secrets are missing")
    for name in ("CHARLIEHR_CLIENT_ID", "CHARLIEHR_CLIENT_SECRET", "LEDGY_API_KEY"):
        assert name in message


def test_one_missing_secret_is_its_own_message() -> None:
    loaded = load_config(EXAMPLE)
    with pytest.raises(MissingSecretError) as caught:
        run_secrets(loaded, {**SECRETS})
    assert "LEDGY_API_KEY is not set" in caught.value.message
    run_secrets(loaded, {**SECRETS, "LEDGY_API_KEY": "k"})


def test_a_live_plan_loads_neither_the_emulators_nor_their_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sandbox sits behind the sandbox flags: a live run imports none of it."""
    loaded = tmp_path / "modules.json"
    probe = (
        "import json, sys\n"
        "from reconciler.main import main\n"
        "code = main(['plan', sys.argv[1]])\n"
        "names = [n for n in sys.modules if n.split('.')[0] in ('starlette', 'uvicorn')"
        " or n.startswith('reconciler.sandbox')]\n"
        "open(sys.argv[2], 'w').write(json.dumps({'code': code, 'names': sorted(names)}))\n"
    )
    with served(tmp_path, monkeypatch) as live:
        result = subprocess.run(
            [sys.executable, "-c", probe, str(live.loaded.path), str(loaded)],
            capture_output=True,
            text=True,
            check=False,
        )
    assert result.returncode == 0, result.stderr[-2000:]
    assert re.search(r"^Plan: \d+ to create", result.stdout, re.MULTILINE)
    assert json.loads(loaded.read_text()) == {"code": 0, "names": []}


class Recorded(Mapping[str, str]):
    """An environment that counts how often each variable is read."""

    def __init__(self, values: dict[str, str]) -> None:
        self.given = values
        self.reads: Counter[str] = Counter()

    def __getitem__(self, name: str) -> str:
        self.reads[name] += 1
        return self.given[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.given)

    def __len__(self) -> int:
        return len(self.given)


LIVE = {
    **SECRETS,
    "LEDGY_API_KEY": "ledgy-key",
    "RECONCILER_PLAN_KEY": "p" * 32,
}


def _whole_run(config: Path, environ: Recorded, *, sandbox: Path | None) -> None:
    """Open a run, build both sides and ask for the key, as plan does."""
    run = open_run(config, sandbox=sandbox, as_of=date(2025, 1, 1), environ=environ)
    sides = run.sides()
    asyncio.run(sides.aclose())
    assert run.key.origin == "RECONCILER_PLAN_KEY"


def test_a_live_run_reads_each_secret_once() -> None:
    """Secrets are resolved once, into the run; the sides and the key take them from there."""
    environ = Recorded(dict(LIVE))
    _whole_run(EXAMPLE, environ, sandbox=None)
    assert {name: environ.reads[name] for name in LIVE} == dict.fromkeys(LIVE, 1)


def test_a_live_workbook_run_reads_each_secret_once(tmp_path: Path) -> None:
    config = tmp_path / "company.yaml"
    config.write_text(EXAMPLE.read_text().replace("driver: api ", "driver: workbook "))
    environ = Recorded(dict(LIVE))
    _whole_run(config, environ, sandbox=None)
    assert {name: environ.reads[name] for name in LIVE} == dict.fromkeys(LIVE, 1)


def test_a_sandbox_run_reads_only_the_plan_key_once() -> None:
    """The emulators' keys answer the config's variables; the plan key is the run's own."""
    environ = Recorded(dict(LIVE))
    _whole_run(EXAMPLE, environ, sandbox=BUILTIN)
    assert dict(environ.reads) == {"RECONCILER_PLAN_KEY": 1}
