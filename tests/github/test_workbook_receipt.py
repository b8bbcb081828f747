"""A merge under the workbook driver: the receipt says "prepared", where, and what to do."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from pyrage import x25519

from reconciler.main import main
from reconciler.sandbox.ledgy import SANDBOX_KEY
from tests.e2e.harness import live, member
from tests.github.harness import actions


def test_the_merged_pull_request_hears_what_was_prepared_never_applied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    key = x25519.Identity.generate()
    with (
        actions(tmp_path, monkeypatch) as gh,
        live(tmp_path, monkeypatch, [member(1), member(2)], []) as run,
    ):
        config = run.loaded.path
        text = config.read_text().replace(
            "ledgy:\n",
            f"ledgy:\n  driver: workbook\n  workbook:\n    recipients: [{key.to_public()}]\n",
        )
        config.write_text(text)
        found = re.search(r"url: (\S+)/graphql", text)
        assert found is not None
        export = tmp_path.parent / f"{tmp_path.name}-export.xlsx"
        headers = {"Authorization": f"Bearer {SANDBOX_KEY}"}
        export.write_bytes(httpx.get(found.group(1) + "/export.xlsx", headers=headers).content)
        assert main(["ledgy-state", "update", str(export), "--config", str(config)]) == 0
        monkeypatch.setenv("RECONCILER_AGE_IDENTITY", str(key))
        monkeypatch.setenv("CI", "true")
        gh.commit_config(config)
        gh.open_pull(10)
        assert main(["plan", str(config), "--comment"]) == 0
        gh.merge(10)
        assert main(["apply", str(config), "--from-pr"]) == 0
        note = gh.comments(10)[-1]["body"]
        assert run.ledgy.stakeholders == []  # nothing written to Ledgy
        capsys.readouterr()
    assert "📦 **Prepared for upload, not applied**" in note and "Applied" not in note
    assert "Prepared 2 creates and 0 updates for upload" in note
    assert ".tar.age" in note and "ledgy-state open" in note
    assert "actions/runs/4242" in note
