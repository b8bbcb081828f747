"""The first-contact report as ``doctor --apis`` prints it: pinned, inert, and value-free."""

from __future__ import annotations

from typing import Any

import pytest
from syrupy.assertion import SnapshotAssertion

from reconciler.domain.contact import (
    ContactReport,
    EndpointSample,
    Finding,
    KeySeen,
    LedgyContact,
    Paging,
    RoleFound,
)
from reconciler.engine.contact import verdict
from reconciler.render.first_contact import render_contact
from reconciler.sources.charliehr.coverage import keys_seen, roles_found
from reconciler.sources.charliehr.normalise import key_table
from tests.engine.helpers import config
from tests.render.structure import hidden_characters, workflow_commands
from tests.snapshots import TextSnapshot

CONFIG = "company.yaml"
META = (
    "current_page",
    "next_url",
    "previous_url",
    "results_per_page",
    "total_pages",
    "total_results",
)
MEMBERS = EndpointSample(
    "GET /team_members",
    "ok",
    25,
    100,
    True,
    META,
    (
        KeySeen("address", 25, 25, ("text",)),
        KeySeen("city", 25, 24, ("text",)),
        KeySeen("date_of_birth", 25, 25, ("an object",)),
        KeySeen("display_name", 25, 25, ("text",)),
        KeySeen("email", 25, 25, ("text",)),
        KeySeen("employment_status", 25, 25, ("text",)),
        KeySeen("end_date", 25, 2, ("text",)),
        KeySeen("first_name", 25, 25, ("text",)),
        KeySeen("gender", 25, 0, ()),
        KeySeen("id", 25, 25, ("text", "a number")),
        KeySeen("last_name", 25, 25, ("text",)),
        KeySeen("manager", 25, 23, ("text",)),
        KeySeen("start_date", 25, 25, ("text",)),
        KeySeen("teams", 25, 25, ("a list",)),
    ),
)
TEAMS = EndpointSample("GET /teams", "ok", 3, 100, False, META, (KeySeen("id", 3, 3, ("text",)),))
SALARIES = EndpointSample("GET /salaries", "answered 403")
ROLES = (
    RoleFound(
        "work_email", "email", "GET /team_members", "found", "text, filled on 25 of 25 records"
    ),
    RoleFound(
        "birthdate",
        "date_of_birth",
        "GET /team_members",
        "wrong_type",
        "an object, filled on 25 of 25 records",
    ),
    RoleFound(
        "manager",
        "line_manager",
        "GET /team_members",
        "absent",
        looks_like=("manager (text, filled on 23 of 25 records)",),
        field_keys="{manager: manager}",
    ),
    RoleFound("personal_email", "personal_email", "GET /team_members", "absent"),
    RoleFound("pay_rate", "pay_rate", "GET /salaries", "not_sampled"),
)
PAGING = Paging(
    "GET /teams", ("current_page", "total_pages", "total_results"), True, 1, "empty", 25
)


def _report(
    endpoints: tuple[EndpointSample, ...] = (MEMBERS, SALARIES, TEAMS),
    roles: tuple[RoleFound, ...] = ROLES,
    paging: Paging | None = PAGING,
    ledgy: LedgyContact | None = None,
    findings: tuple[Finding, ...] | None = None,
) -> ContactReport:
    ledgy = ledgy or LedgyContact("api", "Acme Ltd", (), "allowed")
    conf = config(optional_fields=["manager"])
    found = findings if findings is not None else verdict(conf, endpoints, roles, paging, ledgy)
    return ContactReport(endpoints, roles, paging, ledgy, found)


@pytest.fixture
def txt(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(TextSnapshot)


def test_a_first_contact_with_findings_of_every_level(txt: SnapshotAssertion) -> None:
    assert render_contact(_report(), CONFIG) == txt


def test_a_workbook_first_contact(txt: SnapshotAssertion) -> None:
    ledgy = LedgyContact(
        "workbook",
        columns_matched={
            "stakeholder_id": "Stakeholder id",
            "name": "Full name",
            "email": "E-mail",
        },
        columns_unknown=("Notes",),
        columns_missing=("identifier", "hris.start_date"),
    )
    assert render_contact(_report(paging=None, ledgy=ledgy), CONFIG) == txt


def test_roles_not_sampled_are_left_out_and_each_status_has_its_word() -> None:
    text = render_contact(_report(), CONFIG)
    assert "pay_rate" not in text.split("verdict:")[0].split("roles")[1]
    assert "    found    work_email <- email (GET /team_members): text, filled on 25 of 25" in text
    assert "    BAD TYPE birthdate <- date_of_birth" in text
    assert (
        "    ABSENT   manager <- line_manager (GET /team_members); looks like: manager (text, "
        "filled on 23 of 25 records); suggested field_keys: {manager: manager}"
    ) in text


def test_a_refused_endpoint_and_an_unfinished_list_are_said_in_words() -> None:
    paging = Paging("GET /team_members", (), False, 0, None, None)
    text = render_contact(_report(paging=paging), CONFIG)
    assert "  GET /salaries: answered 403\n" in text
    assert (
        "  paging (GET /team_members): totals none; meta.next_url absent; end not reached; "
        "a page past the end: not asked; largest page honoured: unknown (list too short)"
    ) in text


def test_a_long_key_list_is_wrapped_at_a_hundred_characters() -> None:
    keys = tuple(KeySeen(f"custom_key_{n:03d}", 25, 25, ("text",)) for n in range(40))
    wide = EndpointSample("GET /team_members", "ok", 25, 100, True, (), keys)
    text = render_contact(_report(endpoints=(wide,), roles=()), CONFIG)
    listed = [line for line in text.splitlines() if "custom_key_" in line]
    assert len(listed) > 5 and all(len(line) <= 100 for line in listed)
    assert sum(line.count("custom_key_") for line in listed) == 40
    assert listed[0].startswith("    keys: ") and listed[1].startswith(" " * 10 + "custom_key_")


HOSTILE = (
    "\x1b[2J\x1b[31mred",
    "\u202egnp.exe",
    "zero\u200bwidth",
    "::error::pwned",
    "line\n::warning::injected",
    "##[group]folded",
    "\r::add-mask::x",
)


def _hostile_report(name: str) -> ContactReport:
    # The first key fills the line, so the hostile one starts a continuation line.
    keys = (KeySeen("k" * 80, 1, 1, ("text",)), KeySeen(name, 1, 1, ("text",)))
    members = EndpointSample("GET /team_members", "ok", 1, 100, False, (name,), keys)
    role = RoleFound("manager", name, "GET /team_members", "absent", None, (name,), name)
    ledgy = LedgyContact(
        "workbook",
        company=name,
        columns_matched={"name": name},
        columns_unknown=(name,),
        columns_missing=(name,),
    )
    paging = Paging("GET /team_members", (name,), False, 1, name, None)
    findings = (Finding("error", name, name), Finding("warning", f"x: {name}"))
    return ContactReport((members,), (role,), paging, ledgy, findings)


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_from_a_server_are_shown_escaped_and_never_run(name: str) -> None:
    text = render_contact(_hostile_report(name), CONFIG)
    assert hidden_characters(text) == []
    assert workflow_commands(text) == []
    assert "\x1b" not in text and "\r" not in text


def test_a_workflow_command_at_the_start_of_a_wrapped_line_is_broken() -> None:
    text = render_contact(_hostile_report("::error::pwned"), CONFIG)
    [line] = [line for line in text.splitlines() if "pwned (text" in line]
    assert line.startswith(" " * 10 + "\\x3a:error::pwned")


def test_escaped_characters_are_named_so_a_reader_sees_them() -> None:
    text = render_contact(_hostile_report("\u202egnp.exe"), CONFIG)
    assert "\\u202egnp.exe (text, 1 of 1 filled)" in text


SENTINELS = {
    "email": "ada.sentinel@acme.test",
    "first_name": "Adasentinel",
    "date_of_birth": "1815-12-10",
    "line_manager": "tm_sentinel",
    "address_line_1": "12 Sentinel Street",
    "phone_number": "+44 7700 900123",
    "teams": ["team_sentinel"],
    "custom": {"nested": "Nestedsentinel"},
}


def test_a_report_built_from_records_prints_names_and_counts_never_a_value() -> None:
    members: list[dict[str, Any]] = [
        {"id": "tm_1", **SENTINELS},
        {"id": 2, **SENTINELS, "manager": "Managersentinel"},
    ]
    sample = EndpointSample(
        "GET /team_members", "ok", 2, 100, False, ("total",), keys_seen(members)
    )
    roles = tuple(roles_found({"team_member": members}, key_table()))
    text = render_contact(_report(endpoints=(sample,), roles=roles), CONFIG)
    values = [str(v) for v in SENTINELS.values()] + ["team_sentinel", "Nestedsentinel"]
    values += ["Managersentinel", "tm_1"]
    assert [v for v in values if v in text] == []
    assert "line_manager (text, 2 of 2 filled)" in text  # the key names are there


def test_keys_left_out_are_counted_under_the_list() -> None:
    capped = EndpointSample(
        "GET /team_members", "ok", 25, 100, True, (), MEMBERS.keys, keys_left_out=4800
    )
    text = render_contact(_report(endpoints=(capped,)), CONFIG)
    assert "          start_date (text, 25 of 25 filled), teams (a list, 25 of 25 filled)\n" in text
    assert "\n    4800 more keys, on fewer records, not listed\n" in text
    assert "more keys" not in render_contact(_report(), CONFIG)


def test_a_first_key_longer_than_the_line_stays_on_it() -> None:
    keys = (KeySeen("k" * 120, 1, 1, ("text",)), KeySeen("id", 1, 1, ("text",)))
    first = EndpointSample("GET /team_members", "ok", 1, 100, False, (), keys)
    lines = render_contact(_report(endpoints=(first,), roles=()), CONFIG).splitlines()
    assert "    keys: " + "k" * 120 + " (text, 1 of 1 filled)" in lines
    assert "    keys:" not in lines  # never a label alone on its line
