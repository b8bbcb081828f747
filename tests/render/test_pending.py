"""Prepared uploads awaiting Ledgy, in the terminal and in Markdown: each folder with
when it was prepared, its people (identifiers only, capped), and what to do."""

from __future__ import annotations

from dataclasses import replace

from reconciler.engine.build import build_plan
from reconciler.engine.canonical import SANDBOX_KEY
from reconciler.engine.pending import Awaiting
from reconciler.render.pending import (
    LISTED,
    REFRESH,
    TERM_LISTED,
    awaiting_line,
    markdown_section,
    not_in_step,
    text_section,
)
from tests.engine.helpers import config, state

FIRST = Awaiting(
    label="2025-06-01 a1b2c3d4",
    checksum="a1b2c3d4" * 8,
    prepared_at="2025-06-01 09:00",
    where="ledgy-upload/a1b2c3d4",
    run_url="https://github.example/acme/people/actions/runs/7",
    creates=("ada@acme.test",),
    updates=(("grace@acme.test", "sh_2", ("group", "address.city")),),
)


def _many(count: int) -> Awaiting:
    return replace(
        FIRST, run_url=None, creates=tuple(f"p{n}@acme.test" for n in range(count)), updates=()
    )


def test_a_plan_with_an_open_upload_is_not_in_step_and_counts_its_people() -> None:
    plan = replace(build_plan([], state(), config(), key=SANDBOX_KEY), pending=(FIRST,))
    assert awaiting_line(plan) == "2 awaiting upload"
    assert not_in_step(plan) == (
        "No new changes, but Ledgy is not in step yet: 2 people await the upload of 1 "
        "prepared folder (below)."
    )
    plan = replace(plan, pending=(FIRST, _many(1)))
    assert "3 people await the upload of 2 prepared folders" in not_in_step(plan)
    assert awaiting_line(replace(plan, pending=())) == ""


def test_the_terminal_lists_each_folder_its_people_and_what_to_do() -> None:
    assert text_section(()) == []
    assert text_section([FIRST]) == [
        "awaiting upload (2 people, prepared and never prepared again):",
        "  ⧗ ledgy-upload/a1b2c3d4 (prepared 2025-06-01 09:00, artifact of "
        "https://github.example/acme/people/actions/runs/7): 1 to create, 1 to update",
        "      ada@acme.test (create)",
        "      grace@acme.test (update sh_2: group, address.city)",
        f"  to do: {REFRESH}",
    ]


def test_the_terminal_caps_the_people_of_a_folder() -> None:
    lines = text_section([_many(TERM_LISTED + 3)])
    assert lines[1] == (
        f"  ⧗ ledgy-upload/a1b2c3d4 (prepared 2025-06-01 09:00): {TERM_LISTED + 3} to create, "
        "0 to update"
    )
    assert len([line for line in lines if line.endswith("(create)")]) == TERM_LISTED
    assert "      … and 3 more" in lines


def test_markdown_tables_the_folders_and_folds_the_people() -> None:
    assert markdown_section(()) == ""
    section = markdown_section([FIRST, _many(LISTED + 1)])
    assert section.startswith(f"### Awaiting upload ({LISTED + 3})\n\n")
    assert (
        "| `ledgy-upload/a1b2c3d4` (artifact of "
        "`https://github.example/acme/people/actions/runs/7`) | `2025-06-01 09:00` | 1 | 1 |"
    ) in section
    assert f"| `ledgy-upload/a1b2c3d4` | `2025-06-01 09:00` | {LISTED + 1} | 0 |" in section
    assert "- `grace@acme.test` (update `sh_2`: `group`, `address.city`)" in section
    assert "- … and 1 more; the plan JSON lists them all" in section
    assert f"<details><summary>{LISTED + 3} people awaiting upload</summary>" in section
