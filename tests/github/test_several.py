"""Two companies in one repository, end to end over loopback: one CharlieHR address
serving two accounts and one Ledgy address serving two companies, each told apart by
its key; a pull request plans only the config it touches, its merge applies only that
config, and sync opens one pull request per config with changes."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from reconciler.main import main
from reconciler.sandbox import charliehr, ledgy
from reconciler.sandbox.charliehr import CharlieHRData
from reconciler.sandbox.github import ADMIN_TOKEN
from reconciler.sandbox.ledgy_data import LedgyData
from reconciler.sandbox.server import serve_in_thread
from reconciler.sandbox.tenants import accounts, companies
from reconciler.scaffold.files import plan_checks
from tests.e2e.harness import member, salary_of
from tests.github.harness import Actions, actions

CONFIG = """version: 1
hris:
  provider: charliehr
  client_id: env/HR_ID_{up}
  client_secret: env/HR_SECRET_{up}
  base_url: {charliehr}
ledgy:
  company: {company}
  api_key: env/LEDGY_KEY_{up}
  url: {ledgy}
stakeholders:
  group: Employees
"""
INDEX = "version: 1\nconfigs:\n  - glob: companies/*/company.yaml\n"
NAMES = ("a", "b")


@dataclass
class World:
    gh: Actions
    ledgy: dict[str, LedgyData]
    hr: dict[str, CharlieHRData]
    root: Path

    def path(self, name: str) -> str:
        return f"companies/{name}/company.yaml"

    def git(self, *args: str) -> str:
        done = subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.test", *args],
            cwd=self.root,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()

    def matrix(self, *changed: str) -> list[dict[str, str]]:
        """The configs job: what `reconciler configs --json` prints."""
        out = self.root / "matrix.json"
        with out.open("w") as file, pytest.MonkeyPatch.context() as patch:
            patch.setattr("sys.stdout", file)
            assert main(["configs", "--json", *changed]) == 0
        found: list[dict[str, str]] = json.loads(out.read_text())
        return found


def _company(name: str) -> tuple[CharlieHRData, LedgyData]:
    people = [member(n, email=f"person{n}@{name}.test") for n in range(1, 4)]
    hr = CharlieHRData(
        {"id": f"co_{name}", "name": name.upper()}, people, [salary_of(p) for p in people]
    )
    return hr, LedgyData({"id": f"co_{name}", "name": f"{name.upper()} Ltd"}, [], [])


@contextmanager
def _world(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: dict[str, str] | None = None
) -> Iterator[World]:
    """Configs a and b on main (``extra``: more lines of a config, by name)."""
    made = {name: _company(name) for name in NAMES}
    hr = {name: made[name][0] for name in NAMES}
    books = {name: made[name][1] for name in NAMES}
    for name in NAMES:
        up = name.upper()
        monkeypatch.setenv(f"HR_ID_{up}", f"hr-{name}")
        monkeypatch.setenv(f"HR_SECRET_{up}", f"secret-{name}")
        monkeypatch.setenv(f"LEDGY_KEY_{up}", f"ledgy-key-{name}")
    hr_app = accounts({(f"hr-{n}", f"secret-{n}"): hr[n] for n in NAMES})
    ledgy_app = companies({f"ledgy-key-{n}": books[n] for n in NAMES})
    with (
        actions(tmp_path, monkeypatch) as gh,
        serve_in_thread(hr_app) as hr_url,
        serve_in_thread(ledgy_app) as ledgy_url,
    ):
        world = World(gh, books, hr, tmp_path)
        files = {"reconciler.yaml": INDEX}
        for name in NAMES:
            text = CONFIG.format(
                up=name.upper(),
                company=f"{name.upper()} Ltd",
                charliehr=hr_url + charliehr.PREFIX,
                ledgy=ledgy_url + ledgy.PATH,
            )
            files[world.path(name)] = text + (extra or {}).get(name, "")
        for path, body in files.items():
            (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / path).write_text(body)
        gh.data.commit_files("main", {**files}, message="two companies")
        world.git("init", "-q", "-b", "main")
        world.git("add", "reconciler.yaml", "companies")
        world.git("commit", "-q", "-m", "two companies")
        yield world


def _plan_comments(gh: Actions, number: int) -> list[str]:
    return [c["body"] for c in gh.comments(number) if c["body"].startswith("<!-- reconciler:plan")]


def test_a_pull_request_touching_a_plans_a_only_and_its_merge_applies_a_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _world(tmp_path, monkeypatch) as world:
        gh = world.gh
        base = world.git("rev-parse", "HEAD")
        changed = (tmp_path / world.path("a")).read_text() + "# a change to a\n"
        (tmp_path / world.path("a")).write_text(changed)
        world.git("commit", "-q", "-am", "change a")
        gh.open_pull(7, files={world.path("a"): changed})
        matrix = world.matrix("--changed", base, "HEAD")
        assert [entry["name"] for entry in matrix] == ["a"]
        for entry in matrix:  # the plan job of each config in the matrix
            assert main(["plan", entry["config"], "--comment"]) == 0
        (body,) = _plan_comments(gh, 7)
        assert body.startswith("<!-- reconciler:plan a -->\n")
        assert "3 to create" in body

        gh.merge(7)
        merged = world.matrix("--changed", base, "HEAD", "--merged")
        assert [entry["name"] for entry in merged] == ["a"]
        for entry in merged:  # the apply job of each config in the matrix
            assert main(["apply", entry["config"], "--from-pr"]) == 0
        assert len(world.ledgy["a"].stakeholders) == 3
        assert world.ledgy["b"].stakeholders == []
        assert {s["email"] for s in world.ledgy["a"].stakeholders} == {
            f"person{n}@a.test" for n in range(1, 4)
        }


def test_a_change_to_the_index_plans_every_config_each_in_its_own_comment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _world(tmp_path, monkeypatch) as world:
        base = world.git("rev-parse", "HEAD")
        (tmp_path / "reconciler.yaml").write_text(INDEX + "# reviewed\n")
        world.git("commit", "-q", "-am", "index")
        world.gh.open_pull(8, files={"reconciler.yaml": INDEX + "# reviewed\n"})
        matrix = world.matrix("--changed", base, "HEAD")
        assert [(e["name"], e["plan_environment"]) for e in matrix] == [
            ("a", "reconciler-plan-a"),
            ("b", "reconciler-plan-b"),
        ]
        for entry in matrix:
            assert main(["plan", entry["config"], "--comment"]) == 0
        bodies = _plan_comments(world.gh, 8)
        assert [b.splitlines()[0] for b in bodies] == [
            "<!-- reconciler:plan a -->",
            "<!-- reconciler:plan b -->",
        ]
        # A push edits each config's own comment, never the other's.
        for entry in matrix:
            assert main(["plan", entry["config"], "--comment"]) == 0
        assert len(_plan_comments(world.gh, 8)) == 2


def test_sync_opens_one_pull_request_per_config_with_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _world(tmp_path, monkeypatch) as world:
        gh = world.gh
        assert main(["apply", world.path("b"), "--auto-approve"]) == 0  # b in step
        gh.schedule_event()
        for entry in world.matrix():
            assert main(["sync", entry["config"]]) == 0
        pulls = [p for p in gh.data.pulls if p["head"]["ref"].startswith("reconciler/sync/")]
        assert [p["head"]["ref"] for p in pulls] == ["reconciler/sync/a"]
        assert pulls[0]["body"].startswith("<!-- reconciler:sync a -->")
        drift = [i["title"] for i in gh.data.issues if i["state"] == "open"]
        assert drift == ["HR drift: 3 to create, 0 to update for a"]
        world.hr["b"].team_members.append(member(9, email="person9@b.test"))  # b moves
        for entry in world.matrix("b"):
            assert main(["sync", entry["config"]]) == 0
        pulls = [p for p in gh.data.pulls if p["head"]["ref"].startswith("reconciler/sync/")]
        assert [p["head"]["ref"] for p in pulls] == ["reconciler/sync/a", "reconciler/sync/b"]
        assert len(world.ledgy["a"].stakeholders) == 0  # sync applies nothing
        answer = httpx.get(
            f"{gh.url}/repos/{gh.data.repository}/commits/{pulls[1]['head']['sha']}/check-runs",
            headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
        )
        checks = {r["name"]: r["conclusion"] for r in answer.json()["check_runs"]}
        assert checks == dict.fromkeys(plan_checks("b"), "success")


def test_one_pull_request_changing_two_configs_is_approved_for_each_by_its_own_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = {"a": "safety:\n  required_approvals: 1\n", "b": "safety:\n  required_approvals: 2\n"}
    with _world(tmp_path, monkeypatch, rules) as world:
        gh = world.gh
        base = world.git("rev-parse", "HEAD")
        changes: dict[str, str | None] = {}
        for name in NAMES:
            text = (tmp_path / world.path(name)).read_text() + "# both\n"
            (tmp_path / world.path(name)).write_text(text)
            changes[world.path(name)] = text
        world.git("commit", "-q", "-am", "change a and b")
        gh.open_pull(9, files=changes)
        matrix = world.matrix("--changed", base, "HEAD")
        assert [entry["name"] for entry in matrix] == ["a", "b"]
        for entry in matrix:
            assert main(["plan", entry["config"], "--comment"]) == 0

        on_main = str(gh.data.git.branches["main"])
        gh.merge(9)  # one approval, by grace
        merged = world.matrix("--changed", base, "HEAD", "--merged")
        capsys.readouterr()
        codes = {entry["name"]: main(["apply", entry["config"], "--from-pr"]) for entry in merged}
        err = capsys.readouterr().err
        assert codes == {"a": 0, "b": 1}
        assert len(world.ledgy["a"].stakeholders) == 3
        assert world.ledgy["b"].stakeholders == []
        assert "#9 has 1 of the 2 approving review(s)" in err
        assert f"safety.required_approvals: 2 of companies/b/company.yaml at {on_main[:12]}" in err
        assert "companies/a/company.yaml" not in err
        (note,) = [c["body"] for c in gh.comments(9) if "Not applied" in c["body"]]
        assert "companies/b/company.yaml" in note
