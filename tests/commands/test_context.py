"""The plan key: RECONCILER_PLAN_KEY, else derived from a secret the run has, else the sandbox's."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from reconciler.commands.context import plan_key, require_secrets
from reconciler.config.load import load_config
from reconciler.engine.canonical import SANDBOX_KEY
from reconciler.errors import MissingSecretError, ReconcilerError
from tests.conftest import ROOT
from tests.e2e.harness import served

EXAMPLE = ROOT / "examples" / "company.yaml"
SECRETS = {"CHARLIEHR_CLIENT_ID": "id", "CHARLIEHR_CLIENT_SECRET": "hr-secret"}


def test_the_plan_key_variable_wins_everywhere() -> None:
    loaded = load_config(EXAMPLE)
    env = {"RECONCILER_PLAN_KEY": "k" * 32, "LEDGY_API_KEY": "ledgy"}
    assert plan_key(loaded, sandbox=False, environ=env).origin == "RECONCILER_PLAN_KEY"
    assert plan_key(loaded, sandbox=True, environ=env) != SANDBOX_KEY


def test_without_it_the_key_is_derived_from_the_ledgy_key() -> None:
    loaded = load_config(EXAMPLE)
    one = plan_key(loaded, sandbox=False, environ={**SECRETS, "LEDGY_API_KEY": "one"})
    two = plan_key(loaded, sandbox=False, environ={**SECRETS, "LEDGY_API_KEY": "two"})
    assert one.origin == "LEDGY_API_KEY" and one.secret != two.secret
    assert one.secret != b"one"  # derived, never the API key itself
    assert plan_key(loaded, sandbox=True, environ={"RECONCILER_PLAN_KEY": ""}) == SANDBOX_KEY


def test_the_workbook_driver_derives_it_from_the_charliehr_secret(tmp_path: Path) -> None:
    config = tmp_path / "company.yaml"
    config.write_text(EXAMPLE.read_text().replace("driver: api ", "driver: workbook "))
    loaded = load_config(config)
    assert plan_key(loaded, sandbox=False, environ=SECRETS).origin == "CHARLIEHR_CLIENT_SECRET"


def test_a_short_plan_key_is_refused() -> None:
    with pytest.raises(ReconcilerError, match="RECONCILER_PLAN_KEY has 5 characters"):
        plan_key(load_config(EXAMPLE), sandbox=False, environ={"RECONCILER_PLAN_KEY": "short"})


def test_every_missing_secret_is_named_at_once() -> None:
    loaded = load_config(EXAMPLE)
    with pytest.raises(MissingSecretError) as caught:
        require_secrets(loaded, environ={})
    message = caught.value.message
    assert message.startswith("3 secrets are missing")
    for name in ("CHARLIEHR_CLIENT_ID", "CHARLIEHR_CLIENT_SECRET", "LEDGY_API_KEY"):
        assert name in message


def test_one_missing_secret_is_its_own_message() -> None:
    loaded = load_config(EXAMPLE)
    with pytest.raises(MissingSecretError) as caught:
        require_secrets(loaded, environ={**SECRETS})
    assert "LEDGY_API_KEY is not set" in caught.value.message
    require_secrets(loaded, environ={**SECRETS, "LEDGY_API_KEY": "k"})


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
