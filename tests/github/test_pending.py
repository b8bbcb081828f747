"""Pending uploads under the workbook driver, as an adopter's CI runs them: every job on
a fresh runner, the record of what apply prepared kept on the repository's
``reconciler/pending/<config>`` branch (the GitHub emulator), never in a folder."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from pyrage import x25519

from reconciler.artifacts import encryption
from reconciler.domain.pending import parse_records
from reconciler.main import main
from reconciler.sandbox.github import SANDBOX_TOKEN
from reconciler.sandbox.ledgy import SANDBOX_KEY
from reconciler.targets.ledgy.upload import IMPORT_FILE, unpack
from tests.e2e.harness import Live, live, member
from tests.github.harness import Actions, actions

COMMITTED = ("company.yaml", "company.ledgy.xlsx.age")
"""What a checkout holds: the config and the encrypted export, nothing a run left."""
BRANCH = "reconciler/pending/company"
AUTH = {"Authorization": f"Bearer {SANDBOX_KEY}"}


@dataclass
class Repo:
    gh: Actions
    run: Live
    tmp: Path
    key: x25519.Identity
    ledgy_url: str

    def refresh_export(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The admin: download the export, encrypt it beside the config (the main branch)."""
        export = self.tmp.parent / f"{self.tmp.name}-export.xlsx"  # outside the repository
        export.write_bytes(httpx.get(self.ledgy_url + "/export.xlsx", headers=AUTH).content)
        monkeypatch.delenv("CI", raising=False)
        monkeypatch.chdir(self.tmp)
        assert main(["ledgy-state", "update", str(export), "--config", "company.yaml"]) == 0
        export.unlink()

    def fresh_runner(self, name: str, monkeypatch: pytest.MonkeyPatch) -> Path:
        """A new checkout of the main branch: the committed files only, no upload folder."""
        here = self.tmp / name
        here.mkdir()
        for file in COMMITTED:
            (here / file).write_bytes((self.tmp / file).read_bytes())
        monkeypatch.chdir(here)
        monkeypatch.setenv("CI", "true")
        return here

    def prepared_creates(self, runner: Path) -> list[str]:
        """The identifiers in the import files a runner prepared (decrypted in memory)."""
        found = []
        for sealed in sorted((runner / "ledgy-upload").glob("*.tar.age")):
            files = unpack(encryption.decrypt(sealed.read_bytes(), [self.key], what="test"))
            if IMPORT_FILE not in files:
                continue
            rows = list(load_workbook(BytesIO(files[IMPORT_FILE])).worksheets[0].values)
            at = [str(h) for h in rows[0]].index("Identifier")
            found += [str(row[at]) for row in rows[1:]]
        return found


@contextmanager
def workbook_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Repo]:
    key = x25519.Identity.generate()
    with (
        actions(tmp_path, monkeypatch) as gh,
        live(tmp_path, monkeypatch, [member(1), member(2), member(3)], []) as run,
    ):
        config = run.loaded.path
        text = config.read_text().replace(
            "ledgy:\n",
            f"ledgy:\n  driver: workbook\n  workbook:\n    recipients: [{key.to_public()}]\n",
        )
        config.write_text(text)
        found = re.search(r"url: (\S+)/graphql", text)
        assert found is not None
        monkeypatch.setenv("RECONCILER_AGE_IDENTITY", str(key))
        repo = Repo(gh, run, tmp_path, key, found.group(1))
        repo.refresh_export(monkeypatch)
        gh.commit_config(config)
        yield repo


def _checksum(out: str) -> str:
    found = re.search(r"checksum ((?:hmac-)?sha256:[0-9a-f]+)", out)
    assert found is not None
    return found.group(1)


def test_two_fresh_runners_prepare_each_create_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with workbook_repo(tmp_path, monkeypatch) as repo:
        runners = []
        outputs = []
        codes = []
        # The adopter's sequence: plan, apply; a fresh runner: plan, apply.
        for name in ("runner-1", "runner-2"):
            runners.append(repo.fresh_runner(name, monkeypatch))
            codes.append(main(["plan", "company.yaml", "--detailed-exitcode"]))
            planned = capsys.readouterr().out
            outputs.append(planned)
            assert main(["apply", "company.yaml", "--checksum", _checksum(planned)]) == 0
            outputs.append(capsys.readouterr().out)
        prepared = [i for runner in runners for i in repo.prepared_creates(runner)]
        record = repo.gh.data.git.commits[repo.gh.data.git.branches[BRANCH]].tree[
            "company.pending.json"
        ]
        main_tree = repo.gh.data.git.commits[repo.gh.data.git.branches["main"]].tree
    assert sorted(prepared) == [f"person{n}@acme.test" for n in (1, 2, 3)]  # each once
    assert codes == [2, 2]  # the second plan has nothing new, but is not in step
    second_plan = outputs[2]
    assert "+ create" not in second_plan and "No changes." not in second_plan
    assert "Ledgy is not in step yet: 3 people await the upload of 1 prepared folder" in (
        second_plan
    )
    assert "actions/runs/4242" in second_plan  # where the folder is: that run's artifact
    assert "nothing new to prepare" not in outputs[1]
    assert "Nothing to apply." in outputs[3] and "Prepared" not in outputs[3]
    (kept,) = parse_records(record)
    assert [p.identifier for p in kept.creates] == [f"person{n}@acme.test" for n in (1, 2, 3)]
    assert "company.pending.json" not in main_tree  # the default branch is never written


def test_a_sync_on_a_fresh_runner_proposes_nobody_awaiting_upload_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with workbook_repo(tmp_path, monkeypatch) as repo:
        # The scheduled sync proposes HR's 3 hires; merging it prepares their upload.
        repo.fresh_runner("runner-1", monkeypatch)
        repo.gh.schedule_event()
        assert main(["sync", "company.yaml"]) == 0
        (pull,) = _sync_pulls(repo.gh)
        repo.gh.merge(pull["number"])
        repo.fresh_runner("runner-2", monkeypatch)
        assert main(["apply", "company.yaml", "--from-pr"]) == 0
        # The next scheduled sync, on a fresh runner, before the admin uploads.
        repo.fresh_runner("runner-3", monkeypatch)
        repo.gh.schedule_event()
        assert main(["sync", "company.yaml"]) == 0
        capsys.readouterr()
        pulls = _sync_pulls(repo.gh)
        (issue,) = repo.gh.data.issues
    assert "3 to create" in pull["title"]
    assert pulls == [pull]  # the same people are not proposed again
    assert (
        issue["state"] == "open"
        and "0 to create, 0 to update, 3 awaiting upload" in (issue["title"])
    )
    assert "### Awaiting upload (3)" in issue["body"] and "in step with" not in issue["body"]


def _sync_pulls(gh: Actions) -> list[dict[str, Any]]:
    return [p for p in gh.data.pulls if p["head"]["ref"].startswith("reconciler/sync/")]


def test_a_record_committed_beside_the_config_is_read_in_ci_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with workbook_repo(tmp_path, monkeypatch) as repo:
        repo.fresh_runner("runner-1", monkeypatch)
        assert main(["plan", "company.yaml"]) == 0
        assert (
            main(["apply", "company.yaml", "--checksum", _checksum(capsys.readouterr().out)]) == 0
        )
        capsys.readouterr()
        git = repo.gh.data.git
        record = git.commits[git.branches.pop(BRANCH)].tree["company.pending.json"]
        # As if prepared on the admin's machine: the record is committed with the config.
        (repo.fresh_runner("runner-2", monkeypatch) / "company.pending.json").write_text(record)
        code = main(["plan", "company.yaml", "--detailed-exitcode"])
        planned = capsys.readouterr().out
    assert code == 2
    assert "+ create" not in planned and "3 people await the upload of 1 prepared folder" in planned


def test_the_record_settles_once_the_refreshed_export_holds_the_people(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with workbook_repo(tmp_path, monkeypatch) as repo:
        first = repo.fresh_runner("runner-1", monkeypatch)
        assert main(["plan", "company.yaml"]) == 0
        checksum = _checksum(capsys.readouterr().out)
        assert main(["apply", "company.yaml", "--checksum", checksum]) == 0
        capsys.readouterr()
        # The admin uploads the folder in Ledgy and commits the refreshed export.
        (sealed,) = (first / "ledgy-upload").glob("*.tar.age")
        files = unpack(encryption.decrypt(sealed.read_bytes(), [repo.key], what="test"))
        answer = httpx.post(repo.ledgy_url + "/upload", content=files[IMPORT_FILE], headers=AUTH)
        assert answer.status_code == 200, answer.text
        repo.refresh_export(monkeypatch)
        repo.fresh_runner("runner-2", monkeypatch)
        code = main(["plan", "company.yaml", "--detailed-exitcode"])
        settled = capsys.readouterr().out
        assert len(repo.run.ledgy.stakeholders) == 3
    assert code == 0, settled
    assert "No changes." in settled and "awaiting upload" not in settled


def test_apply_prepares_nothing_when_the_record_cannot_be_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with workbook_repo(tmp_path, monkeypatch) as repo:
        # A token with `contents: read` only: the record cannot go onto its branch.
        repo.gh.data.readers.add(repo.gh.data.tokens[SANDBOX_TOKEN])
        runner = repo.fresh_runner("runner-1", monkeypatch)
        assert main(["plan", "company.yaml"]) == 0
        checksum = _checksum(capsys.readouterr().out)
        code = main(["apply", "company.yaml", "--checksum", checksum])
        err = capsys.readouterr().err
    assert code == 1
    assert "the record of this upload cannot be kept" in err and "contents: write" in err
    assert not (runner / "ledgy-upload").exists() or not any((runner / "ledgy-upload").iterdir())
