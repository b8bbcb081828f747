"""The GitOps loop over loopback: sticky comment, apply on merge, drift, no leaks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from reconciler.github.sticky import read_state
from reconciler.main import main
from tests.e2e.harness import live, member, person
from tests.github.harness import actions

# Distinctive personal values: none may reach anything GitHub shows.
SECRETS = {
    "birthdate": "1987-03-14",
    "postcode": "ZZ9 9ZZ",
    "street": "221B Secret Street",
    "phone": "+44 7700 900777",
    "personal": "hidden.person@mail.example",
    "pay": "61234.5",
}
MAPPING = (
    "  optional_fields: [mobile_phone, pay_rate]\n  terminated: {action: group, group: Alumni}"
)


def _members(extra: int = 0) -> list[dict[str, Any]]:
    people = [
        member(n, date_of_birth=SECRETS["birthdate"], postcode=SECRETS["postcode"],
               address_line_1=SECRETS["street"], phone_number=SECRETS["phone"],
               personal_email=SECRETS["personal"])
        for n in range(1, 5 + extra)
    ]  # fmt: skip
    return people


def _salaries(members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": f"s{m['id']}", "team_member": m["id"], "pay_rate": float(SECRETS["pay"]),
             "pay_period": "annual", "pay_currency": "GBP", "effective_date": "2024-01-01"} for m in members]  # fmt: skip


def _no_leaks(text: str) -> None:
    for name, value in SECRETS.items():
        assert value not in text, name
    assert "61234" not in text


@contextmanager
def _world(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, members: list[dict[str, Any]]
) -> Iterator[tuple[Any, Any]]:
    """The GitHub, CharlieHR and Ledgy emulators; HR with distinctive personal values and pay."""
    with (
        actions(tmp_path, monkeypatch) as gh,
        live(
            tmp_path, monkeypatch, members, [], stakeholders=MAPPING, salaries=_salaries(members)
        ) as run,
    ):
        gh.commit_config(run.loaded.path)  # the config as on main: the base of every PR
        yield gh, run


def _config(run: Any) -> str:
    return str(run.loaded.path)


def test_three_pushes_leave_one_comment_with_three_revisions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    members = _members()
    with _world(tmp_path, monkeypatch, members) as (gh, run):
        gh.data.add_pull(7)
        gh.data.issue_comments(7).append(
            {"id": 1, "body": "LGTM, a human", "user": {"login": "ada"}}
        )
        for n, head in enumerate(["aaa1111", "bbb2222", "ccc3333"]):
            if n == 2:
                members.append(member(99))  # HR changes between pushes
            gh.pull_request_event(7, head)
            assert main(["plan", _config(run), "--comment"]) == 0
        mine = [c for c in gh.comments(7) if "reconciler:plan" in c["body"]]
        assert len(gh.comments(7)) == 2 and len(mine) == 1
        body = mine[0]["body"]
        state = read_state(body)
        assert [r.sha for r in state.revisions] == ["ccc3333", "bbb2222", "aaa1111"]
        assert state.revisions[0].create == 5 and state.revisions[2].create == 4
        assert body.startswith("<!-- reconciler:plan ")
        assert "📋 **Plan for " in body and "**On merge:**" in body and state.checksum in body
        _no_leaks(gh.everything_posted() + capsys.readouterr().out)


def test_the_pr_effect_is_apart_from_pending_hr_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    members = [*_members(), member(50, country="Germany"), member(51, country="United States")]
    people = [person(1, name="Old name")]  # pending anyway: an HR-side difference
    extra = "\n  sync_if: [{field: country, in: [GB, DE]}]"
    with (
        actions(tmp_path, monkeypatch) as gh,
        live(tmp_path, monkeypatch, members, people, stakeholders=MAPPING + extra) as run,
    ):
        base = tmp_path / "base.yaml"
        base.write_text(
            run.loaded.path.read_text().replace(extra, "\n  sync_if: [{field: country, in: [GB]}]")
        )
        gh.data.add_pull(8)
        gh.pull_request_event(8, "abc")
        assert main(["plan", _config(run), "--comment", "--base-config", str(base)]) == 0
        body = gh.comments(8)[0]["body"]
    assert "### What this PR changes" in body
    assert "**Enter the sync (1):** `person50@acme.test`" in body
    assert "### Pending anyway (HR changes, not from this PR)" in body
    assert "4 change(s) the base branch's config would make too: 3 to create, 1 to update." in body


def test_a_plan_of_20000_changes_fits_in_one_comment_and_says_where_the_rest_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    members = [member(n) for n in range(20_000)]
    limits = "safety: {max_creates: 20000}"
    with (
        actions(tmp_path, monkeypatch) as gh,
        live(tmp_path, monkeypatch, members, [], stakeholders=limits) as run,
    ):
        gh.commit_config(run.loaded.path)
        gh.data.add_pull(9)
        gh.pull_request_event(9, "big")
        assert (
            main(
                [
                    "plan",
                    _config(run),
                    "--comment",
                    "--format",
                    "json",
                    "--out",
                    str(tmp_path / "plan.json"),
                ]
            )
            == 0
        )
        (comment,) = gh.comments(9)
    body = comment["body"]
    assert len(body) < 65_536
    assert "20000 to create" in body
    assert (
        "is too long for a comment" in body
        and "https://github.example/acme/people-config/actions/runs/4242" in body
    )
    assert read_state(body).checksum is not None
    assert "20000 to create" in gh.summary.read_text()


def test_a_merge_of_the_reviewed_plan_applies_and_posts_a_receipt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with (
        actions(tmp_path, monkeypatch) as gh,
        live(
            tmp_path,
            monkeypatch,
            _members(),
            [],
            stakeholders=MAPPING,
            salaries=_salaries(_members()),
        ) as run,
    ):
        gh.commit_config(run.loaded.path)
        gh.open_pull(10)
        assert main(["plan", _config(run), "--comment"]) == 0
        gh.merge(10)
        assert main(["apply", _config(run), "--from-pr"]) == 0
        receipt = gh.comments(10)[-1]["body"]
        assert len(run.ledgy.stakeholders) == 4
        _no_leaks(gh.everything_posted() + capsys.readouterr().out)
    assert (
        "🧾 **Applied** plan `hmac-sha256:" in receipt
        and "4 created, 0 updated, 0 failed" in receipt
    )
    assert "actions/runs/4242" in receipt


def test_a_merge_after_the_data_changed_applies_nothing_and_compares(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    members = _members()
    with _world(tmp_path, monkeypatch, members) as (gh, run):
        gh.open_pull(11)
        assert main(["plan", _config(run), "--comment"]) == 0
        members.append(member(77))  # HR changed after the review
        run.ledgy.stakeholders.append(person(88, identifier="person2@acme.test"))
        gh.merge(11)
        assert main(["apply", _config(run), "--from-pr"]) == 1
        assert [s["id"] for s in run.ledgy.stakeholders] == ["sh_0088"]  # nothing applied
        comparison = gh.comments(11)[-1]["body"]
        assert "were not approved" in capsys.readouterr().err
    assert "⚠️ **Not applied**" in comparison
    assert (
        "**Not approved, in the plan now (2):** `person77@acme.test` (create), "
        "`person2@acme.test` (update)" in comparison
    )
    assert "**Approved, no longer in the plan (1):**" in comparison
    assert re.search(r"\| create \| 4 \| 4 \|", comparison)


def test_a_forced_manual_run_is_the_escape_hatch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    members = _members()
    with _world(tmp_path, monkeypatch, members) as (gh, run):
        gh.open_pull(12)
        assert main(["plan", _config(run), "--comment"]) == 0
        members.append(member(78))
        gh.merge(12, approve_by=None)
        monkeypatch.setenv("GITHUB_ACTOR", "maintainer-mo")
        reason = ["--reason", "the payroll run needs them today"]
        assert main(["apply", _config(run), "--from-pr", "--force", *reason]) == 0
        assert len(run.ledgy.stakeholders) == 5
        said = [c["body"] for c in gh.comments(12)]
    assert "**Applied by hand (forced)**" in said[-1]
    assert "Started by hand by **maintainer-mo** with `--from-pr --force`" in said[-1]
    assert "Reason given: the payroll run needs them today." in said[-1]
    assert "⚠️ **Forced apply for " in said[-2] and "**maintainer-mo**" in said[-2]
    assert "#12 has 0 of the 1 approving review(s) the base branch's rules ask for" in said[-2]
    assert "the safety limits" in said[-2]


def test_a_push_that_is_no_merge_applies_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with actions(tmp_path, monkeypatch) as gh, live(tmp_path, monkeypatch, _members(), []) as run:
        gh.push_event("direct-push")
        assert main(["apply", _config(run), "--from-pr"]) == 1
        assert run.ledgy.stakeholders == []
    assert "is not the merge of a pull request; nothing was applied" in capsys.readouterr().err


def test_the_drift_issue_is_opened_updated_and_closed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    members = _members()
    with _world(tmp_path, monkeypatch, members) as (gh, run):
        gh.schedule_event()
        assert main(["plan", _config(run), "--drift-issue"]) == 0
        (issue,) = gh.data.issues
        assert issue["state"] == "open" and issue["title"].startswith("HR drift: 4 to create")
        assert [label["name"] for label in issue["labels"]] == ["reconciler-drift"]
        members.append(member(60))
        run.later()  # each run a minute after the last: Ledgy's 5 s window has passed
        assert main(["plan", _config(run), "--drift-issue"]) == 0
        assert len(gh.data.issues) == 1 and issue["title"].startswith("HR drift: 5 to create")
        run.later()
        assert main(["apply", _config(run), "--auto-approve"]) == 0
        run.later()
        assert main(["plan", _config(run), "--drift-issue"]) == 0
        _no_leaks(gh.everything_posted() + capsys.readouterr().out)
    assert issue["state"] == "closed" and issue["state_reason"] == "completed"
    assert "✅ No drift" in issue["body"]


def test_config_errors_become_ten_annotations_and_the_rest_go_to_the_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "company.yaml"
    lines = [
        "version: 1",
        "hris: {provider: charliehr, client_id: env/A, client_secret: env/B}",
        "ledgy: {company: Acme, api_key: env/C}",
        "stakeholders:",
        "  sync_if:",
    ]
    lines += [f"    - {{field: country, in: [Country{n}]}}" for n in range(12)]
    bad.write_text("\n".join(lines) + "\n")
    with actions(tmp_path, monkeypatch) as gh:
        assert main(["plan", str(bad), "--comment"]) == 1
        out = capsys.readouterr().out.splitlines()
        summary = gh.summary.read_text()
    assert sum(1 for line in out if line.startswith("::error ")) == 10
    assert out[10].startswith("::notice title=reconciler::2 more problem(s)")
    assert summary.count("Country") >= 12


def test_plan_comment_works_with_the_sandbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    example = str(tmp_path / "company.yaml")  # the example, in the repository's checkout
    Path(example).write_text((Path(__file__).parents[2] / "examples" / "company.yaml").read_text())
    sandbox = tmp_path / "sandbox"
    assert main(["sandbox", "init", str(sandbox), "--size", "60", "--config", example]) == 0
    with actions(tmp_path, monkeypatch) as gh:
        gh.data.add_pull(3)
        gh.pull_request_event(3, "s1")
        assert main(["plan", example, "--sandbox-dir", str(sandbox), "--comment"]) == 0
        assert len(gh.comments(3)) == 1
        people = (sandbox / "charliehr.json").read_text()
        body = gh.comments(3)[0]["body"]
    import json

    for member_data in json.loads(people)["team_members"]:
        for key in (
            "date_of_birth",
            "postcode",
            "address_line_1",
            "personal_email",
            "phone_number",
        ):
            if member_data[key]:
                assert member_data[key] not in body
