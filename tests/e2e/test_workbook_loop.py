"""The workbook loop end to end, as a company runs it against a real Ledgy account.

An admin commits the encrypted export; CI (only the identity secret, CI=true)
plans and prepares an encrypted upload folder; the admin decrypts it, uploads it
(the emulator plays Ledgy's web app), commits the refreshed export; the next plan
shows no changes. No plaintext personal data may appear in the work tree or the
temp directory during the CI steps.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook
from pyrage import x25519

from reconciler.config.load import load_config
from reconciler.main import main
from reconciler.sandbox import charliehr as charliehr_emulator
from reconciler.sandbox import ledgy as ledgy_emulator
from reconciler.sandbox.demo import generate_company
from reconciler.sandbox.demo_ledgy import generate_ledgy
from reconciler.sandbox.ledgy import Behaviour
from reconciler.sandbox.ledgy_data import LedgyData
from reconciler.sandbox.server import serve_in_thread
from tests.sandbox.helpers import TODAY

AS_OF = ["--as-of", TODAY.isoformat()]
KEY = {"Authorization": f"Bearer {ledgy_emulator.SANDBOX_KEY}"}
CONFIG = """version: 1
hris:
  provider: charliehr
  client_id: env/HR_ID
  client_secret: env/HR_SECRET
  base_url: {charliehr}
ledgy:
  company: Acme Ltd
  driver: workbook
  workbook:
    recipients:
      - {ci}
      - {admin}
    out_dir: ledgy-upload
stakeholders:
  group: Employees
  optional_fields: [pay_rate]
  custom_fields:
    - {{from: job_title, to: Job title}}
    - {{from: office, to: Office}}
"""


@dataclass
class Loop:
    repo: Path
    scratch: Path
    ledgy_url: str
    ledgy: LedgyData
    ci_key: str
    admin_key: str
    personal: list[str]
    """Personal values of employees that must never be on disk in plaintext."""

    def git(self, *args: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(self.repo), *args], capture_output=True, text=True, check=True
        )
        return done.stdout

    def download_and_commit(self, monkeypatch: pytest.MonkeyPatch, message: str) -> None:
        """The admin: download the export, encrypt it, commit it, delete the plaintext."""
        export = self.repo / "ledgy-export.xlsx"  # git-ignored
        export.write_bytes(httpx.get(self.ledgy_url + "/export.xlsx", headers=KEY).content)
        monkeypatch.setenv("RECONCILER_AGE_IDENTITY", self.admin_key)
        monkeypatch.delenv("CI", raising=False)
        code = main(["ledgy-state", "update", str(export), "--config", "company.yaml"])
        assert code == 0
        export.unlink()
        self.git("add", "company.ledgy.xlsx.age")
        self.git("commit", "-q", "-m", message)

    def as_ci(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A CI job: the HR credentials and the age identity, nothing else of ours."""
        monkeypatch.setenv("CI", "true")
        monkeypatch.setenv("RECONCILER_AGE_IDENTITY", self.ci_key)
        monkeypatch.setenv("TMPDIR", str(self.scratch))
        monkeypatch.setattr("tempfile.tempdir", None)

    def assert_no_plaintext(self) -> None:
        """No workbook and no personal value in the work tree or the temp directory."""
        for root in (self.repo, self.scratch):
            for path in root.rglob("*"):
                if ".git" in path.relative_to(root).parts or not path.is_file():
                    continue
                content = path.read_bytes()
                assert not content.startswith(b"PK"), f"{path} is a plaintext workbook"
                for value in self.personal:
                    assert value.encode() not in content, f"{path} holds a personal value"
        assert not [f for f in self.git("ls-files").split() if f.endswith(".xlsx")]


@pytest.fixture
def loop(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Loop]:
    behaviour = getattr(request, "param", None) or Behaviour()
    repo = tmp_path / "repo"
    scratch = tmp_path / "ci-tmp"
    repo.mkdir()
    scratch.mkdir()
    company = generate_company(40, today=TODAY)
    ci, admin = x25519.Identity.generate(), x25519.Identity.generate()
    monkeypatch.setenv("HR_ID", charliehr_emulator.SANDBOX_ID)
    monkeypatch.setenv("HR_SECRET", charliehr_emulator.SANDBOX_SECRET)
    monkeypatch.chdir(repo)
    with serve_in_thread(charliehr_emulator.create_app(company)) as hr_url:
        config = repo / "company.yaml"
        config.write_text(
            CONFIG.format(
                charliehr=hr_url + charliehr_emulator.PREFIX,
                ci=ci.to_public(),
                admin=admin.to_public(),
            )
        )
        ledgy = generate_ledgy(company, load_config(config).config, today=TODAY)
        with serve_in_thread(ledgy_emulator.create_app(ledgy, behaviour=behaviour)) as ledgy_url:
            subprocess.run(["git", "init", "-q", str(repo)], check=True)
            (repo / ".gitignore").write_text("*.xlsx\n")
            personal = [str(m.get("postcode")) for m in company.team_members if m.get("postcode")][
                :10
            ]
            state = Loop(repo, scratch, ledgy_url, ledgy, str(ci), str(admin), personal)
            state.git("-c", "user.name=t", "-c", "user.email=t@t", "add", ".")
            state.git("config", "user.name", "Admin")
            state.git("config", "user.email", "admin@acme.test")
            state.git("commit", "-q", "-m", "config")
            yield state


def _checksum(out: str) -> str:
    found = re.search(r"checksum ((?:hmac-)?sha256:[0-9a-f]+)", out)
    assert found is not None
    return found.group(1)


def test_the_workbook_loop_converges_with_no_plaintext_in_ci(
    loop: Loop,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
) -> None:
    assert loop.personal  # the check below looks for something real
    loop.download_and_commit(monkeypatch, "Ledgy state")

    loop.as_ci(monkeypatch)
    assert main(["plan", "company.yaml", *AS_OF]) == 0
    planned = capsys.readouterr().out
    creates = len(re.findall(r"^\+ create ", planned, flags=re.M))
    assert creates > 0
    assert main(["apply", "company.yaml", "--checksum", _checksum(planned), *AS_OF]) == 0
    applied = capsys.readouterr().out
    assert "Applied" not in applied
    assert re.search(rf"Prepared {creates} creates and \d+ updates for upload", applied)
    # CI without GitHub: the record is a file on this runner, and apply says to commit it.
    assert "warning: the record is on this runner only: commit company.pending.json" in applied
    (sealed,) = (loop.repo / "ledgy-upload").iterdir()
    assert (
        sealed.name.endswith(".tar.age")
        and _checksum(planned).rsplit(":", 1)[-1][:12] in sealed.name
    )
    loop.assert_no_plaintext()

    # A second CI plan before the upload prepares no one again, and is not "in step".
    assert main(["plan", "company.yaml", "--detailed-exitcode", *AS_OF]) == 2
    again = capsys.readouterr()
    assert "+ create" not in again.out and "No changes." not in again.out
    assert f"⧗ {sealed.relative_to(loop.repo)} (prepared " in again.out
    assert f"{creates} to create" in again.out and "awaiting upload" in again.out
    loop.assert_no_plaintext()

    # The admin: a stranger's key cannot open the folder; a recipient's can.
    monkeypatch.delenv("CI")
    unpacked = tmp_path / "admin-desk"
    monkeypatch.setenv("RECONCILER_AGE_IDENTITY", str(x25519.Identity.generate()))
    assert main(["ledgy-state", "open", str(sealed), "--into", str(unpacked)]) == 1
    assert "cannot be decrypted" in capsys.readouterr().err
    monkeypatch.setenv("RECONCILER_AGE_IDENTITY", loop.admin_key)
    assert main(["ledgy-state", "open", str(sealed), "--into", str(unpacked)]) == 0
    before = len(loop.ledgy.stakeholders)
    for name in ("ledgy-import-natural-persons.xlsx", "ledgy-bulk-edit-natural-persons.xlsx"):
        if (unpacked / name).exists():
            answer = httpx.post(
                loop.ledgy_url + "/upload", content=(unpacked / name).read_bytes(), headers=KEY
            )
            assert answer.status_code == 200
    assert len(loop.ledgy.stakeholders) == before + creates
    loop.download_and_commit(monkeypatch, "Ledgy state after the upload")

    loop.as_ci(monkeypatch)
    capsys.readouterr()
    caplog.clear()
    assert main(["plan", "company.yaml", "--detailed-exitcode", *AS_OF]) == 0
    settled = capsys.readouterr().out
    assert "No changes" in settled and "awaiting upload" not in settled
    loop.assert_no_plaintext()


def test_a_plaintext_export_inside_the_repository_must_be_ignored(
    loop: Loop, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (loop.repo / ".gitignore").write_text("")
    export = loop.repo / "export.xlsx"
    export.write_bytes(httpx.get(loop.ledgy_url + "/export.xlsx", headers=KEY).content)
    assert main(["ledgy-state", "update", str(export), "--config", "company.yaml"]) == 1
    err = capsys.readouterr().err
    assert "not git-ignored" in err and ".gitignore" in err
    assert not (loop.repo / "company.ledgy.xlsx.age").exists()


def test_ci_without_recipients_refuses_to_write_plaintext_files(
    loop: Loop, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = loop.repo / "company.yaml"
    export = loop.repo / "ledgy-export.xlsx"  # git-ignored
    export.write_bytes(httpx.get(loop.ledgy_url + "/export.xlsx", headers=KEY).content)
    text = re.sub(
        r"    recipients:\n      - \S+\n      - \S+\n",
        "    export: ledgy-export.xlsx\n",
        config.read_text(),
    )
    config.write_text(text)
    loop.as_ci(monkeypatch)
    assert main(["plan", "company.yaml", *AS_OF]) == 0
    checksum = _checksum(capsys.readouterr().out)
    assert main(["apply", "company.yaml", "--checksum", checksum, *AS_OF]) == 1
    assert "only written encrypted" in capsys.readouterr().err
    assert not (loop.repo / "ledgy-upload").exists() or not any(
        (loop.repo / "ledgy-upload").iterdir()
    )


def test_a_plaintext_export_committed_to_the_repository_is_refused(
    loop: Loop, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = loop.repo / "company.yaml"
    text = re.sub(
        r"    recipients:\n      - \S+\n      - \S+\n",
        "    export: ledgy-export.xlsx\n",
        config.read_text(),
    )
    config.write_text(text)
    (loop.repo / ".gitignore").write_text("")
    export = loop.repo / "ledgy-export.xlsx"
    export.write_bytes(httpx.get(loop.ledgy_url + "/export.xlsx", headers=KEY).content)
    loop.git("add", "ledgy-export.xlsx")
    assert main(["plan", "company.yaml", *AS_OF]) == 1
    err = capsys.readouterr().err
    assert "the plaintext Ledgy export is inside the Git repository" in err
    assert "not git-ignored" in err


def _creates(planned: str) -> set[str]:
    return {m.group(1).casefold() for m in re.finditer(r"^\+ create (\S+) ", planned, flags=re.M)}


def _apply_upload_refresh(
    loop: Loop, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], desk: Path
) -> str:
    """CI plans and prepares; the admin uploads and commits the refreshed export; CI plans.

    Returns the last plan's output; the decrypted folder stays on ``desk``."""
    loop.as_ci(monkeypatch)
    assert main(["plan", "company.yaml", *AS_OF]) == 0
    planned = capsys.readouterr().out
    assert main(["apply", "company.yaml", "--checksum", _checksum(planned), *AS_OF]) == 0
    capsys.readouterr()
    (sealed,) = (loop.repo / "ledgy-upload").iterdir()
    monkeypatch.delenv("CI")
    monkeypatch.setenv("RECONCILER_AGE_IDENTITY", loop.admin_key)
    assert main(["ledgy-state", "open", str(sealed), "--into", str(desk)]) == 0
    files = [
        desk / n
        for n in ("ledgy-import-natural-persons.xlsx", "ledgy-bulk-edit-natural-persons.xlsx")
    ]
    assert files[0].exists()
    for path in (p for p in files if p.exists()):
        answer = httpx.post(loop.ledgy_url + "/upload", content=path.read_bytes(), headers=KEY)
        assert answer.status_code == 200, answer.text  # Ledgy takes only its own columns
    loop.download_and_commit(monkeypatch, "Ledgy state after the upload")
    loop.as_ci(monkeypatch)
    capsys.readouterr()
    assert main(["plan", "company.yaml", "--detailed-exitcode", *AS_OF]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("loop", [Behaviour(export_headers="aliased")], indirect=True)
def test_an_export_spelled_otherwise_creates_no_one_already_in_ledgy_and_converges(
    loop: Loop,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    # "Stakeholder id", "Full name", "E-mail", "Stakeholder identifier", "HR - start date"…
    loop.download_and_commit(monkeypatch, "Ledgy state")
    loop.as_ci(monkeypatch)
    assert main(["plan", "company.yaml", *AS_OF]) == 0
    planned = capsys.readouterr().out
    in_ledgy = {str(s["identifier"]).casefold() for s in loop.ledgy.stakeholders if s["identifier"]}
    creates = _creates(planned)
    assert creates and not creates & in_ledgy
    assert "matching no field we know" not in planned and "has no column for" not in planned
    after = _apply_upload_refresh(loop, monkeypatch, capsys, tmp_path / "desk")
    assert "No changes" in after


@pytest.mark.parametrize("loop", [Behaviour(export_headers="no-hr")], indirect=True)
def test_managed_fields_the_export_has_no_column_for_are_warned_once_never_planned(
    loop: Loop,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    loop.download_and_commit(monkeypatch, "Ledgy state")
    loop.as_ci(monkeypatch)
    assert main(["plan", "company.yaml", *AS_OF]) == 0
    planned = capsys.readouterr().out
    assert planned.count("the Ledgy export has no column for hris.") == 1
    assert "hris.start_date" in planned and "not managed under this driver" in planned
    desk = tmp_path / "desk"
    after = _apply_upload_refresh(loop, monkeypatch, capsys, desk)
    assert "No changes" in after  # the HR fields are not planned again and again
    for path in desk.glob("*.xlsx"):
        rows = list(load_workbook(path).worksheets[0].iter_rows(values_only=True))
        heads = rows[1] if "bulk-edit" in path.name else rows[0]
        assert not [h for h in heads if str(h).startswith("HR")], path.name


@pytest.mark.parametrize("loop", [Behaviour(export_headers="no-key")], indirect=True)
def test_an_export_without_the_key_column_is_refused_listing_its_headers(
    loop: Loop, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    export = loop.repo / "ledgy-export.xlsx"  # git-ignored
    export.write_bytes(httpx.get(loop.ledgy_url + "/export.xlsx", headers=KEY).content)
    monkeypatch.setenv("RECONCILER_AGE_IDENTITY", loop.admin_key)
    assert main(["ledgy-state", "update", str(export), "--config", "company.yaml"]) == 1
    err = capsys.readouterr().err
    assert "row 2 has no column for stakeholder_id" in err
    assert "headers found: 'Name', 'Email', 'Identifier'" in err
    assert 'ledgy.workbook.columns: {stakeholder_id: "<header>"}' in err
    assert not (loop.repo / "company.ledgy.xlsx.age").exists()


@pytest.mark.parametrize("loop", [Behaviour(export_headers="no-hr")], indirect=True)
def test_updating_the_state_says_what_the_export_cannot_hold(
    loop: Loop, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    loop.download_and_commit(monkeypatch, "Ledgy state")
    err = capsys.readouterr().err
    assert err.count("warning: the Ledgy export has no column for hris.") == 1
