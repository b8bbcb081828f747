"""Adding age recipients to a config that exists: lines inserted, comments kept."""

from __future__ import annotations

from typing import Any

import pytest
from ruamel.yaml import YAML

from reconciler.scaffold.recipients import add_recipients

CI = "age1" + "c" * 58
ADMIN = "age1" + "a" * 58

PLAIN = """\
ledgy:                        # the Ledgy company
  company: Acme               # as in Ledgy
  driver: workbook
  workbook:                   # the export
    export: ledgy-export.xlsx # a plaintext export
    out_dir: ledgy-upload     # where files go
stakeholders:
  group: Employees
"""

LISTED = """\
ledgy:
  workbook:
    # who can read the export
    recipients:
    - {ci}   # CI
    out_dir: ledgy-upload
"""


def _data(text: str) -> Any:
    return YAML(typ="safe", pure=True).load(text)


def test_a_config_without_recipients_gets_the_list_first_in_workbook() -> None:
    edit = add_recipients(PLAIN, [CI, ADMIN], "company.yaml")
    assert edit.added == (CI, ADMIN) and edit.text is not None
    assert edit.text.splitlines()[4:7] == [
        "    recipients:                         # age public keys: the export is kept "
        "encrypted to them",
        f"      - {CI}",
        f"      - {ADMIN}",
    ]
    # Every line that was there is there still, comments included, in order.
    assert [line for line in edit.text.splitlines() if line in PLAIN.splitlines()] == (
        PLAIN.splitlines()
    )
    assert _data(edit.text)["ledgy"]["workbook"]["recipients"] == [CI, ADMIN]


def test_a_listed_key_is_kept_and_a_new_one_follows_it_in_the_lists_own_style() -> None:
    text = LISTED.format(ci=CI)
    edit = add_recipients(text, [CI, ADMIN], "company.yaml")
    assert edit.added == (ADMIN,) and edit.text is not None
    assert f"    - {CI}   # CI\n    - {ADMIN}\n    out_dir" in edit.text
    assert "# who can read the export" in edit.text


def test_nothing_to_do_when_every_key_is_listed() -> None:
    text = LISTED.format(ci=CI)
    edit = add_recipients(text, [CI], "company.yaml")
    assert edit.added == () and edit.text == text


def test_windows_line_ends_stay_windows_line_ends() -> None:
    text = PLAIN.replace("\n", "\r\n")
    edit = add_recipients(text, [CI], "company.yaml")
    assert edit.text is not None and "\n" not in edit.text.replace("\r\n", "")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (f"ledgy:\n  workbook: {{recipients: [{CI}], x: y}}\n", "recipients are not written"),
        (f"ledgy:\n  workbook:\n    recipients: [{CI}]\n", "recipients are not written"),
        ("ledgy:\n  workbook:\n    recipients:\n    export: x\n", "recipients are not written"),
        ("ledgy:\n  workbook: {export: x.xlsx}\n", "workbook section is not written"),
        ("ledgy:\n  driver: api\n", "no ledgy.workbook section"),
        ("wb: &wb\n  export: x\nledgy:\n  workbook: *wb\n", "more than the recipients"),
        ("ledgy: [\n", "not YAML"),
    ],
)
def test_what_cannot_be_edited_by_line_is_given_as_lines_to_add(text: str, reason: str) -> None:
    edit = add_recipients(text, [ADMIN], "company.yaml")
    assert edit.text is None and edit.added == (ADMIN,)
    assert reason in edit.reason
    assert edit.by_hand.startswith("ledgy:\n  workbook:\n    recipients:\n")
    assert f"      - {ADMIN}\n" in edit.by_hand


def test_an_edit_that_would_change_anything_else_is_refused() -> None:
    # The workbook is an anchor used twice: a line inserted there changes both places.
    text = "ledgy:\n  workbook: &wb\n    export: x.xlsx\nother: *wb\n"
    edit = add_recipients(text, [ADMIN], "company.yaml")
    assert edit.text is None and "more than the recipients" in edit.reason
