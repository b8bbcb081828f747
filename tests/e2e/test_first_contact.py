"""A CharlieHR whose records differ from our guesses: nothing is cleared, the user is told.

The emulator serves the key names an independent description of CharlieHR gives (the
manager in ``manager``, the address as one ``address`` string, no personal email). A
company already in Ledgy then plans no change to a value it holds; a default field not
read is one warning, a field the config names is an error at its line, and both say
which ``hris.field_keys`` line to add.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.engine.plan import Plan
from reconciler.errors import ConfigError, SourceError
from reconciler.sandbox.charliehr import (
    INDEPENDENT,
    NO_SALARY_ID,
    SALARY_REFUSALS,
    Behaviour,
    MemberShape,
)
from reconciler.sandbox.demo import generate_company
from reconciler.sandbox.demo_ledgy import generate_ledgy
from reconciler.sandbox.ledgy_data import LedgyData
from tests.e2e.harness import member, served
from tests.sandbox.helpers import TODAY

pytestmark = pytest.mark.anyio

ADDRESS = ("address.line1", "address.line2", "address.city", "address.postcode", "address.country")
MANAGER = "  optional_fields: [manager]\n"


def _in_ledgy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stakeholders: str) -> LedgyData:
    with served(tmp_path, monkeypatch, stakeholders=stakeholders) as run:
        return generate_ledgy(generate_company(30, today=TODAY), run.loaded.config, today=TODAY)


async def _plans(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shape: MemberShape, stakeholders: str = ""
) -> tuple[Plan, Plan]:
    """The plan against our guessed keys, and the plan against ``shape``."""
    people = _in_ledgy(tmp_path, monkeypatch, stakeholders)
    with served(tmp_path, monkeypatch, stakeholders=stakeholders, ledgy=people) as ours:
        baseline = await ours.plan()
    behaviour = Behaviour(member_shape=shape)
    with served(
        tmp_path, monkeypatch, stakeholders=stakeholders, ledgy=people, behaviour=behaviour
    ) as theirs:
        return baseline, await theirs.plan()


def _touched(plan: Plan) -> set[tuple[str, str]]:
    return {(c.identifier, f.field) for c in plan.changes for f in c.fields}


def _no_new_change(baseline: Plan, other: Plan) -> None:
    """Every change ``other`` makes, the baseline makes too, to the same value."""
    ours = {(c.identifier, f.field): f.new for c in baseline.changes for f in c.fields}
    for change in other.changes:
        for field in change.fields:
            assert ours.get((change.identifier, field.field), "absent") == field.new, field


async def test_one_address_string_leaves_every_address_field_unchanged_with_one_warning_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    baseline, plan = await _plans(tmp_path, monkeypatch, MemberShape(joined_address=True))
    assert any(f in ADDRESS for _, f in _touched(baseline))  # the demo has address drift
    assert not any(f in ADDRESS for _, f in _touched(plan))
    _no_new_change(baseline, plan)
    unread = {gap["key"]: gap for gap in plan.to_dict()["unread"]}
    assert set(unread) == {"address_line_1", "address_line_2", "city", "postcode", "country"}
    line1 = unread["address_line_1"]
    assert line1["fields"] == ["address_line_1"] and line1["endpoint"] == "GET /team_members"
    assert line1["field_keys"] == {"address_line_1": "address"}
    assert line1["looks_like"][0].startswith("address (text, filled on ")
    warnings = [w.message for w in plan.warnings if w.code == "unread_key"]
    assert len(warnings) == 5
    assert any("`field_keys: {address_line_1: address}`" in w for w in warnings)


async def test_a_manager_named_manager_is_an_error_at_the_optional_field_with_the_line_to_add(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shape = MemberShape(renamed=(("line_manager", "manager"),))
    people = _in_ledgy(tmp_path, monkeypatch, MANAGER)
    behaviour = Behaviour(member_shape=shape)
    with (
        served(
            tmp_path, monkeypatch, stakeholders=MANAGER, ledgy=people, behaviour=behaviour
        ) as run,
        pytest.raises(ConfigError) as caught,
    ):
        await run.plan()
    text = caught.value.diagnostics()
    assert "company.yaml:14:21: manager not read: CharlieHR GET /team_members has no key " in text
    assert "'line_manager' in any of its 30 records; keys that look like it: manager (" in text
    assert "`field_keys: {manager: manager}`" in text


async def test_the_suggested_line_reads_the_manager_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shape = MemberShape(renamed=(("line_manager", "manager"),))
    people = _in_ledgy(tmp_path, monkeypatch, MANAGER)
    with served(tmp_path, monkeypatch, stakeholders=MANAGER, ledgy=people) as ours:
        baseline = await ours.plan()
    fixed = "  field_keys: {manager: manager}\n"
    with served(
        tmp_path,
        monkeypatch,
        stakeholders=MANAGER,
        ledgy=people,
        behaviour=Behaviour(member_shape=shape),
        hris=fixed,
    ) as theirs:
        plan = await theirs.plan()
    assert plan.changes == baseline.changes and not plan.unread


async def test_a_manager_the_config_does_not_sync_is_nobodys_business(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shape = MemberShape(renamed=(("line_manager", "manager"),))
    baseline, plan = await _plans(tmp_path, monkeypatch, shape)
    assert plan.changes == baseline.changes and not plan.unread


async def test_no_personal_email_key_leaves_it_unchanged_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    baseline, plan = await _plans(tmp_path, monkeypatch, MemberShape(dropped=("personal_email",)))
    assert "hris.personal_email" in {f for _, f in _touched(baseline)}
    assert "hris.personal_email" not in {f for _, f in _touched(plan)}
    _no_new_change(baseline, plan)
    [gap] = plan.unread
    assert (gap.fields, gap.key, gap.field_keys) == (("personal_email",), "personal_email", ())
    assert "doctor --apis" in gap.remedy


async def test_a_personal_email_the_config_makes_the_stakeholder_email_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stakeholders = "  email: personal_email\n"
    shape = MemberShape(dropped=("personal_email",))
    with (
        served(
            tmp_path,
            monkeypatch,
            stakeholders=stakeholders,
            behaviour=Behaviour(member_shape=shape),
        ) as run,
        pytest.raises(ConfigError) as caught,
    ):
        await run.plan()
    assert "company.yaml:14:10: personal_email not read" in caught.value.diagnostics()


async def test_the_independent_shape_as_a_whole_changes_no_existing_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    baseline, plan = await _plans(tmp_path, monkeypatch, INDEPENDENT)
    _no_new_change(baseline, plan)
    assert {f for gap in plan.unread for f in gap.fields} == {
        "address_line_1",
        "address_line_2",
        "city",
        "zip_code",
        "country",
        "personal_email",
    }


async def test_a_rule_on_a_field_no_record_gives_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stakeholders = "  sync_if: [{field: country, in: [GB, DE]}]\n"
    behaviour = Behaviour(member_shape=MemberShape(joined_address=True))
    with (
        served(tmp_path, monkeypatch, stakeholders=stakeholders, behaviour=behaviour) as run,
        pytest.raises(ConfigError) as caught,
    ):
        await run.plan()
    assert "company.yaml:14:21: country not read" in caught.value.diagnostics()


async def test_a_key_some_records_lack_leaves_only_their_field_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    company = generate_company(30, today=TODAY)
    with served(tmp_path, monkeypatch, company=company) as run:
        people = generate_ledgy(company, run.loaded.config, today=TODAY)
    lacking = company.team_members[:3]
    for record in lacking:
        record.pop("postcode")
        record["line_manager"] = {"id": "an object, not an id"}
    ledgy_postcodes = {
        s["identifier"]: s.get("address", {}).get("postcode") for s in people.stakeholders
    }
    with served(tmp_path, monkeypatch, company=company, ledgy=people) as run:
        plan = await run.plan()
    emails = {str(r["email"]).lower() for r in lacking}
    assert not any(i in emails and f == "address.postcode" for i, f in _touched(plan))
    notes = [w for w in plan.warnings if w.code == "unread_field"]
    in_ledgy = {i for i in emails if ledgy_postcodes.get(i) is not None} | emails
    assert {w.identifier for w in notes} <= in_ledgy
    assert {w.message for w in notes} == {
        "address.postcode: CharlieHR's record has no key 'postcode', so it is left unchanged "
        "in Ledgy"
    }  # the manager is not managed here, so its odd type says nothing
    assert not plan.unread


async def test_a_value_of_the_wrong_type_is_reported_never_stringified(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    odd = member(1, line_manager={"id": "tm_0002", "name": "Secret Person"}, teams=[{"id": 1}])
    members = [odd, member(2)]
    company = generate_company(1, today=TODAY)
    company.team_members[:] = members
    company.salaries[:] = []
    with served(tmp_path, monkeypatch, company=company, stakeholders=MANAGER) as run:
        plan = await run.plan()
    (create,) = [c for c in plan.creates if c.identifier == "person1@acme.test"]
    assert {f.field for f in create.fields}.isdisjoint({"hris.manager", "hris.team"})
    messages = {w.message for w in plan.warnings if w.identifier == "person1@acme.test"}
    assert (
        "hris.manager: CharlieHR's record holds an object in 'line_manager' where an employee "
        "id is expected, so it is left unchanged in Ledgy"
    ) in messages
    assert "Secret Person" not in repr(plan.to_dict(show_values=True))


@pytest.mark.parametrize("refusal", SALARY_REFUSALS)
async def test_every_form_of_refused_salary_access_leaves_the_salary_fields_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, refusal: str
) -> None:
    behaviour = Behaviour(salary_refusal=refusal)
    with served(tmp_path, monkeypatch, client_id=NO_SALARY_ID, behaviour=behaviour) as run:
        plan = await run.plan()
    [gap] = plan.unread
    assert (gap.fields, gap.reason, gap.endpoint) == (
        ("employment_type",),
        "endpoint_refused",
        "GET /salaries",
    )
    assert "hris.employment_type" not in {f for _, f in _touched(plan)}
    assert [w.code for w in plan.warnings].count("unread_endpoint") == 1


@pytest.mark.parametrize("refusal", SALARY_REFUSALS)
async def test_a_salary_field_the_config_names_makes_refused_access_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, refusal: str
) -> None:
    behaviour = Behaviour(salary_refusal=refusal)
    stakeholders = "  optional_fields: [pay_rate]\n"
    with (
        served(
            tmp_path,
            monkeypatch,
            client_id=NO_SALARY_ID,
            behaviour=behaviour,
            stakeholders=stakeholders,
        ) as run,
        pytest.raises(SourceError, match="the config asks for employment_type, pay_rate"),
    ):
        await run.plan()
