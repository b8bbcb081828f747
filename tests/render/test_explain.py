"""`reconciler explain` as a person reads it: every line, masked unless asked."""

from __future__ import annotations

from reconciler.domain.employee import Employee
from reconciler.engine.desired import Outcome
from reconciler.engine.explain import Explanation
from reconciler.engine.rules import RuleResult
from reconciler.engine.values import Change, FieldChange, Orphan, PlanWarning, Skip
from reconciler.render.explain import render_explanation

ADA = Employee(id="tm_0001", name="Ada Lovelace", work_email="ada@acme.test")
RULES = (
    RuleResult(0, "employment_status", "active", ("active", "pending"), True),
    RuleResult(1, "address.city", "London", ("Paris",), False),
)
VALUES = {"name": "Ada Lovelace", "address.city": "London", "group": "Employees"}
UPDATE = Change(
    "update",
    "ada@acme.test",
    "Ada Lovelace",
    (
        FieldChange("name", "Ada Byron", "Ada Lovelace"),
        FieldChange("address.city", "Paris", "London", personal=True),
    ),
    "sh_0001",
)


def _found(**changes: object) -> Explanation:
    fields: dict[str, object] = {
        "identifier": "ada@acme.test",
        "employee": ADA,
        "rules": RULES,
        "terminated_action": "group",
        "outcome": Outcome(ADA, "ada@acme.test", VALUES),
        "matched": "by identifier: stakeholder sh_0001",
        "change": UPDATE,
        "personal": frozenset({"address.city"}),
    }
    return Explanation(**(fields | changes))  # type: ignore[arg-type]


def test_an_update_is_explained_line_by_line_with_personal_values_masked() -> None:
    assert render_explanation(_found()) == (
        "Explaining ada@acme.test\n"
        "  employee tm_0001 (Ada Lovelace), status active\n"
        "Sync rules (all must pass):\n"
        "  [0] employment_status = active; accepted: active, pending -> pass\n"
        "  [1] address.city = (masked); accepted: Paris -> FAIL\n"
        "Leaver: no (terminated.action: group)\n"
        "Match: by identifier: stakeholder sh_0001\n"
        "Mapped values:\n"
        "  address.city: (masked)\n"
        "  group: Employees\n"
        "  name: Ada Lovelace\n"
        "Result: update 2 field(s)\n"
        "  name: Ada Byron -> Ada Lovelace\n"
        "  address.city: (masked) -> (masked)\n"
    )


def test_show_values_reveals_the_personal_values_of_rules_mapping_and_result() -> None:
    text = render_explanation(_found(), show_values=True)
    assert "  [1] address.city = London; accepted: Paris -> FAIL\n" in text
    assert "Mapped values:\n  address.city: London\n  group: Employees\n" in text
    assert text.endswith("  address.city: Paris -> London\n")
    assert "(masked)" not in text


def test_a_value_not_personal_to_the_config_is_shown_and_a_rule_on_a_raw_key_is_masked() -> None:
    person = Employee(id="tm_0002", employment_status="inactive")
    found = _found(
        employee=person,
        rules=(RuleResult(0, "raw.tier", "gold", ("gold", 2), True),),
        outcome=Outcome(person, None, {"address.city": "Leeds", "email": ""}),
        personal=frozenset(),
        change=None,
    )
    assert render_explanation(found) == (
        "Explaining ada@acme.test\n"
        "  employee tm_0002 (), status inactive\n"
        "Sync rules (all must pass):\n"
        "  [0] raw.tier = (masked); accepted: gold, 2 -> pass\n"
        "Leaver: yes (terminated.action: group)\n"
        "Match: by identifier: stakeholder sh_0001\n"
        "Mapped values:\n"
        "  address.city: Leeds\n"
        "  email: (empty)\n"
        "Result: unchanged, Ledgy already holds these values\n"
    )


def test_no_rules_a_create_and_the_mapping_warnings() -> None:
    create = Change(
        "create",
        "ada@acme.test",
        "Ada Lovelace",
        (FieldChange("name", None, "Ada Lovelace"), FieldChange("group", None, "Employees")),
    )
    warning = PlanWarning("ada@acme.test", "invalid_mobile", "mobile left out")
    found = _found(
        rules=(),
        outcome=Outcome(ADA, "ada@acme.test", {"name": "Ada Lovelace"}, warnings=(warning,)),
        change=create,
        terminated_action="sync",
        matched="no stakeholder has this identifier or name: a new stakeholder",
    )
    assert render_explanation(found) == (
        "Explaining ada@acme.test\n"
        "  employee tm_0001 (Ada Lovelace), status active\n"
        "Sync rules: none, every employee is in scope\n"
        "Leaver: no (terminated.action: sync)\n"
        "Match: no stakeholder has this identifier or name: a new stakeholder\n"
        "Mapped values:\n"
        "  name: Ada Lovelace\n"
        "  ! invalid_mobile: mobile left out\n"
        "Result: create a stakeholder with 2 fields\n"
    )


def test_a_skipped_employee_has_no_mapped_values_and_says_why() -> None:
    skip = Skip("tm_0001", "ada@acme.test", "sync_if", "rule 1 (address.city) failed", rule=1)
    found = _found(
        outcome=Outcome(ADA, "ada@acme.test", None, skip=skip),
        skip=skip,
        change=None,
        matched="not matched: sync_if",
    )
    text = render_explanation(found)
    assert "Mapped values" not in text
    assert text.endswith(
        "Match: not matched: sync_if\nResult: skipped (sync_if): rule 1 (address.city) failed\n"
    )
    assert "Mapped values" not in render_explanation(_found(outcome=None, change=None))


def test_an_unknown_identifier_and_an_orphan() -> None:
    assert render_explanation(Explanation("nobody@acme.test", None)) == (
        "Explaining nobody@acme.test\n  no CharlieHR employee has this work email or id\n"
    )
    orphan = Orphan("gone@acme.test", "sh_0009", "no CharlieHR employee has this identifier")
    assert render_explanation(Explanation("gone@acme.test", None, orphan=orphan)) == (
        "Explaining gone@acme.test\n"
        "  no CharlieHR employee has this work email or id\n"
        "Ledgy stakeholder sh_0009 is orphaned: no CharlieHR employee has this identifier; "
        "it is reported, never deleted\n"
    )


def test_outside_values_in_an_explanation_are_shown_inert() -> None:
    person = Employee(id="tm_\x1b[2J", name="::error::x")
    found = _found(employee=person, rules=(), outcome=None, change=None)
    assert "  employee tm_\\x1b[2J (\\x3a:error::x), status active\n" in render_explanation(found)
