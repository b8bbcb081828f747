"""The approval against the plan now: exact, resume, done, refused; and saved plan files."""

from __future__ import annotations

import asyncio
import json

import pytest

from reconciler.engine.approval import (
    Approved,
    Verdict,
    check_checksum,
    judge,
    read_saved,
    saved_plan,
)
from reconciler.engine.build import build_plan
from reconciler.engine.canonical import SANDBOX_KEY
from reconciler.errors import PlanFileError
from reconciler.pipeline import writes_of
from reconciler.targets.memory import InMemoryTarget
from tests.engine.helpers import config, employee, state

CONF = config()


def _approved_of(employees: list, target: InMemoryTarget) -> Approved:  # type: ignore[type-arg]
    data = saved_plan(
        build_plan(employees, target.state, CONF, key=SANDBOX_KEY), config="company.yaml"
    )
    return read_saved(json.loads(json.dumps(data)), where="company.plan.json")


def test_the_reviewed_plan_itself_is_exact() -> None:
    target = InMemoryTarget(state())
    people = [employee(n) for n in range(5)]
    verdict = judge(
        _approved_of(people, target), build_plan(people, target.state, CONF, key=SANDBOX_KEY)
    )
    assert verdict.kind == "exact" and verdict.remaining == 5


def test_part_landed_resumes_with_the_rest_and_says_how_many() -> None:
    target = InMemoryTarget(state())
    people = [employee(n) for n in range(5)]
    approved = _approved_of(people, target)
    first = build_plan(people, target.state, CONF, key=SANDBOX_KEY)
    asyncio.run(target.apply(writes_of(first.changes[:2])))  # killed after two writes
    verdict = judge(approved, build_plan(people, target.state, CONF, key=SANDBOX_KEY))
    assert verdict.kind == "resume"
    assert verdict.message == "resuming: 2 of 5 approved writes had landed; applying the other 3"


def test_all_landed_is_already_applied() -> None:
    target = InMemoryTarget(state())
    people = [employee(n) for n in range(3)]
    approved = _approved_of(people, target)
    asyncio.run(
        target.apply(writes_of(build_plan(people, target.state, CONF, key=SANDBOX_KEY).changes))
    )
    verdict = judge(approved, build_plan(people, target.state, CONF, key=SANDBOX_KEY))
    assert verdict.kind == "done" and verdict.message.startswith("already applied: all 3")


def test_a_change_nobody_approved_is_refused_and_named() -> None:
    target = InMemoryTarget(state())
    approved = _approved_of([employee(1)], target)
    now = build_plan(
        [employee(1), employee(2)], target.state, CONF, key=SANDBOX_KEY
    )  # a new hire since
    verdict = judge(approved, now)
    assert verdict.kind == "refused"
    assert [c.identifier for c in verdict.unapproved] == ["person2@acme.test"]


def test_a_changed_value_of_an_approved_change_is_not_approved() -> None:
    target = InMemoryTarget(state())
    approved = _approved_of([employee(1, country="GB")], target)
    verdict = judge(
        approved, build_plan([employee(1, country="FR")], target.state, CONF, key=SANDBOX_KEY)
    )
    assert verdict.kind == "refused"


def test_only_a_checksum_cannot_resume() -> None:
    target = InMemoryTarget(state())
    plan = build_plan([employee(1), employee(2)], target.state, CONF, key=SANDBOX_KEY)
    asyncio.run(target.apply(writes_of(plan.changes[:1])))
    verdict = judge(
        Approved(plan.checksum, "--checksum"),
        build_plan([employee(1), employee(2)], target.state, CONF, key=SANDBOX_KEY),
    )
    assert verdict.kind == "refused"


def test_the_saved_plan_is_the_same_bytes_for_the_same_plan() -> None:
    people = [employee(n) for n in range(4)]
    one = json.dumps(
        saved_plan(build_plan(people, state(), CONF, key=SANDBOX_KEY), config="c.yaml"),
        sort_keys=True,
    )
    two = json.dumps(
        saved_plan(
            build_plan(list(reversed(people)), state(), CONF, key=SANDBOX_KEY), config="c.yaml"
        ),
        sort_keys=True,
    )
    assert one == two and '"digest"' in one


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("hmac-sha256:" + "a" * 40, "is truncated (40 of 64 hex digits)"),
        ("hmac-sha256:" + "z" * 64, "is malformed"),
        ("", "is malformed"),
    ],
)
def test_a_bad_checksum_says_what_is_wrong_not_data_changed(text: str, says: str) -> None:
    with pytest.raises(
        PlanFileError, match=r"checksum " + says.replace("(", r"\(").replace(")", r"\)")
    ):
        check_checksum(text, "--checksum")


def test_a_saved_plan_for_another_config_or_edited_is_refused() -> None:
    data = saved_plan(build_plan([employee(1)], state(), CONF, key=SANDBOX_KEY), config="a.yaml")
    with pytest.raises(PlanFileError, match=r"not of 'b\.yaml'"):
        read_saved(data, where="p.json", config="b.yaml")
    data["changes"][0]["digest"] = "short"
    with pytest.raises(PlanFileError, match="change 1 has no valid digest"):
        read_saved(data, where="p.json")
    with pytest.raises(PlanFileError, match="is not a saved plan"):
        read_saved({"checksum": "x"}, where="p.json")


# --- Every refusal of read_saved, word for word, with its remedy -----------------------

GOOD = "hmac-sha256:" + "0123456789abcdef" * 4
DIGEST_A = "a" * 32
DIGEST_B = "b" * 32


def _saved(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "format": "reconciler-saved-plan",
        "version": 1,
        "config": "company.yaml",
        "checksum": GOOD,
        "summary": {"create": 1, "update": 1},
        "changes": [{"digest": DIGEST_A}, {"digest": DIGEST_B}],
    }
    return data | overrides


def _refusal(data: object, config: str | None = None) -> PlanFileError:
    with pytest.raises(PlanFileError) as caught:
        read_saved(data, where="p.json", config=config)
    return caught.value


NOT_SAVED = 'p.json is not a saved plan (no "format": "reconciler-saved-plan")'


@pytest.mark.parametrize(
    "data",
    [["not", "a", "dict"], {"checksum": GOOD}, _saved(format="reconciler-plan")],
    ids=["a-list", "no-format", "another-format"],
)
def test_a_file_that_is_not_a_saved_plan_says_so_and_how_to_write_one(data: object) -> None:
    error = _refusal(data)
    assert error.message == NOT_SAVED
    assert error.remedy == "write it with `reconciler plan CONFIG --save FILE`"


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (_saved(version=2), "p.json: saved plan version 2 is not 1"),
        (_saved(version="1"), "p.json: saved plan version '1' is not 1"),
        (
            {k: v for k, v in _saved().items() if k != "version"},
            "p.json: saved plan version None is not 1",
        ),
    ],
)
def test_another_version_is_refused_naming_both_versions(data: object, says: str) -> None:
    error = _refusal(data)
    assert error.message == says
    assert error.remedy == "plan again with this version of the reconciler"


def test_the_saved_plan_of_another_config_names_both_configs() -> None:
    error = _refusal(_saved(config="a.yaml"), config="b.yaml")
    assert error.message == "p.json is the saved plan of 'a.yaml', not of 'b.yaml'"
    assert error.remedy == "give the plan file saved for this config"
    missing = {k: v for k, v in _saved().items() if k != "config"}
    assert _refusal(missing, config="b.yaml").message == (
        "p.json is the saved plan of None, not of 'b.yaml'"
    )


def test_the_config_is_checked_only_when_the_caller_names_one() -> None:
    assert read_saved(_saved(config="a.yaml"), where="p.json").checksum == GOOD
    assert read_saved(_saved(config="a.yaml"), where="p.json", config="a.yaml").where == "p.json"


def test_a_missing_or_bad_checksum_is_refused_as_malformed() -> None:
    missing = {k: v for k, v in _saved().items() if k != "checksum"}
    error = _refusal(missing)
    assert error.message == (
        "p.json: the checksum is malformed; expected hmac-sha256: and 64 hex digits"
    )
    assert _refusal(_saved(checksum=GOOD[:-4])).message == (
        "p.json: the checksum is truncated (60 of 64 hex digits); "
        "expected hmac-sha256: and 64 hex digits"
    )


@pytest.mark.parametrize("changes", [None, {"0": {"digest": DIGEST_A}}, "abc"])
def test_changes_that_are_not_a_list_are_refused(changes: object) -> None:
    data = _saved(changes=changes)
    if changes is None:
        del data["changes"]
    error = _refusal(data)
    assert error.message == 'p.json: "changes" is not a list'
    assert error.remedy == "plan and save again"


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ([{"digest": DIGEST_A}, {"digest": "short"}], "change 2 has no valid digest (1 such)"),
        ([{"digest": DIGEST_A}, {}], "change 2 has no valid digest (1 such)"),
        ([{"digest": DIGEST_A}, "x", [DIGEST_B]], "change 2 has no valid digest (2 such)"),
        ([{"digest": 7}, {"digest": DIGEST_B}], "change 1 has no valid digest (1 such)"),
        ([{"digest": DIGEST_A.upper()}], "change 1 has no valid digest (1 such)"),
        ([{"digest": DIGEST_A + "a"}], "change 1 has no valid digest (1 such)"),
        ([{"digest": DIGEST_A[:-1]}], "change 1 has no valid digest (1 such)"),
    ],
)
def test_a_change_without_a_valid_digest_is_named_by_its_position(
    changes: list[object], says: str
) -> None:
    error = _refusal(_saved(changes=changes))
    assert error.message == "p.json: " + says
    assert error.remedy == "the file was edited or truncated; plan and save again"


def test_a_good_saved_plan_gives_its_checksum_digests_and_integer_counts() -> None:
    summary = {"create": 2, "update": 3, "skipped": "many", "orphaned": 1.5, "warnings": 0}
    approved = read_saved(
        _saved(checksum="  " + GOOD.upper() + "\n", summary=summary), where="p.json"
    )
    assert approved == Approved(
        GOOD, "p.json", {"create": 2, "update": 3, "warnings": 0}, frozenset({DIGEST_A, DIGEST_B})
    )
    assert approved.writes == 2  # the digests, not the summary, count the writes


@pytest.mark.parametrize("summary", [None, ["create", 1], "create: 1"])
def test_a_summary_that_is_not_a_mapping_gives_no_counts(summary: object) -> None:
    approved = read_saved(_saved(summary=summary), where="p.json")
    assert approved.summary == {}
    assert approved.digests == frozenset({DIGEST_A, DIGEST_B})


def test_a_saved_plan_without_changes_approves_no_write() -> None:
    approved = read_saved(_saved(changes=[]), where="p.json")
    assert approved.digests == frozenset() and approved.writes == 0


def test_the_saved_plan_file_holds_format_version_config_and_one_digest_per_change() -> None:
    plan = build_plan([employee(1), employee(2)], state(), CONF, key=SANDBOX_KEY)
    data = saved_plan(plan, config="company.yaml")
    assert (data["format"], data["version"], data["config"]) == (
        "reconciler-saved-plan",
        1,
        "company.yaml",
    )
    assert data["checksum"] == plan.checksum and data["summary"] == plan.summary()
    assert [c["digest"] for c in data["changes"]] == list(plan.digests)
    assert [c["identifier"] for c in data["changes"]] == ["person1@acme.test", "person2@acme.test"]
    approved = read_saved(data, where="p.json", config="company.yaml")
    assert approved.digests == frozenset(plan.digests) and approved.writes == 2


# --- Checksums as typed ----------------------------------------------------------------


def test_a_checksum_is_read_trimmed_and_lowercased_keyed_or_not() -> None:
    assert check_checksum(f"  {GOOD.upper()}\t", "--checksum") == GOOD
    unkeyed = "sha256:" + "f" * 64
    assert check_checksum(unkeyed, "--checksum") == unkeyed


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("hmac-sha256:" + "a" * 63, "is truncated (63 of 64 hex digits)"),
        ("hmac-sha256:" + "a" * 65, "is malformed"),
        ("abc", "is truncated (3 of 64 hex digits)"),
        ("hmac-sha256:ab:cd", "is malformed"),
        ("md5:" + "a" * 64, "is malformed"),
        ("hmac-sha256:", "is malformed"),
    ],
)
def test_a_bad_checksum_message_is_exact_with_its_remedy(text: str, problem: str) -> None:
    with pytest.raises(PlanFileError) as caught:
        check_checksum(text, "--checksum")
    assert caught.value.message == (
        f"--checksum: the checksum {problem}; expected hmac-sha256: and 64 hex digits"
    )
    assert (
        caught.value.remedy == "copy the whole checksum from the plan, or use the saved plan file"
    )


# --- Approved writes and every verdict's line ------------------------------------------


def test_the_approved_writes_come_from_digests_else_from_both_counts() -> None:
    assert Approved(GOOD, "x", {"create": 9}, frozenset({DIGEST_A})).writes == 1
    assert Approved(GOOD, "x", {"create": 2, "update": 3}).writes == 5
    assert Approved(GOOD, "x", {"create": 2}).writes is None
    assert Approved(GOOD, "x", {"update": 3}).writes is None
    assert Approved(GOOD, "x").writes is None


@pytest.mark.parametrize(
    ("verdict", "line"),
    [
        (Verdict("done", None, 0), "nothing to apply: Ledgy already matches"),
        (Verdict("done", 0, 0), "nothing to apply: Ledgy already matches"),
        (Verdict("done", 4, 0), "already applied: all 4 approved writes have landed"),
        (
            Verdict("resume", 3, 3),
            "the data moved since the review, but every change still to make was "
            "approved: applying the 3 approved writes",
        ),
        (
            Verdict("resume", None, 2),
            "the data moved since the review, but every change still to make was "
            "approved: applying the 2 approved writes",
        ),
        (
            Verdict("resume", 5, 4),
            "resuming: 1 of 5 approved writes had landed; applying the other 4",
        ),
        (Verdict("exact", 2, 2), "applying the reviewed plan"),
        (Verdict("refused", 2, 3, ()), "refused: 0 change(s) now were not approved"),
    ],
)
def test_each_verdict_says_one_exact_line(verdict: Verdict, line: str) -> None:
    assert verdict.message == line


def test_landed_is_never_negative() -> None:
    assert Verdict("resume", 2, 5).landed == 0
    assert Verdict("resume", 5, 2).landed == 3
    assert Verdict("resume", None, 2).landed == 0


def test_each_judgement_carries_its_counts() -> None:
    target = InMemoryTarget(state())
    people = [employee(n) for n in range(1, 4)]
    plan = build_plan(people, target.state, CONF, key=SANDBOX_KEY)
    approved = _approved_of(people, target)
    assert judge(approved, plan) == Verdict("exact", 3, 3)
    empty = build_plan([], target.state, CONF, key=SANDBOX_KEY)
    assert judge(approved, empty) == Verdict("done", 3, 0)
    assert judge(Approved(GOOD, "--checksum"), empty) == Verdict("done", None, 0)
    only_sum = Approved(GOOD, "--checksum", {"create": 3, "update": 0})
    assert judge(only_sum, plan) == Verdict("refused", 3, 3, plan.changes)
    more = build_plan([*people, employee(9)], target.state, CONF, key=SANDBOX_KEY)
    refused = judge(approved, more)
    assert refused == Verdict("refused", 3, 4, (more.changes[-1],))
    assert refused.message == "refused: 1 change(s) now were not approved"
    fewer = build_plan(people[:2], target.state, CONF, key=SANDBOX_KEY)
    assert judge(approved, fewer) == Verdict("resume", 3, 2)
