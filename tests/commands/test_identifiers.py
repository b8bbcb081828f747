"""The identifier round trip, end to end over loopback: export, review in Excel, import."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from reconciler.main import main
from tests.e2e.harness import live, member, person


def _scenario() -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    members = [
        member(1, display_name="Ada Lovelace"),
        member(2, display_name="Max Born"),
        member(3, display_name="Max Born"),
        member(4, display_name="Lise Meitner"),
    ]
    people = [
        person(10, identifier=None, name="ada lovelace"),  # unique
        person(11, identifier=None, name="Max Born"),  # two employees: ambiguous
        person(12, identifier=None, name="Grace Hopper"),  # nobody: none
        person(13, identifier=None, name="Lise Meitner"),
        person(14, identifier=None, name="Lise  Meitner"),  # two stakeholders: ambiguous
        person(4),  # already has one: not listed
    ]
    return members, people


def _rows(path: Path) -> list[tuple[object, ...]]:
    return list(load_workbook(path).worksheets[0].iter_rows(values_only=True))


def test_export_lists_every_stakeholder_without_identifier_with_a_proposal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    members, people = _scenario()
    review = tmp_path / "review.xlsx"
    with live(tmp_path, monkeypatch, members, people) as run:
        assert main(["identifiers", "export", str(run.loaded.path), "--out", str(review)]) == 0
    rows = _rows(review)
    assert rows[1] == (
        "Stakeholder ID",
        "Name",
        "Email",
        "Group",
        "Match",
        "Candidates",
        "Identifier",
    )
    found = {r[0]: (r[4], r[5], r[6]) for r in rows[2:]}
    assert found == {
        "sh_0010": ("unique", "person1@acme.test", "person1@acme.test"),
        "sh_0011": ("ambiguous", "person2@acme.test, person3@acme.test", None),
        "sh_0012": ("none", None, None),
        "sh_0013": ("ambiguous", "person4@acme.test", None),
        "sh_0014": ("ambiguous", "person4@acme.test", None),
    }


def _reviewed(config: str, review: Path, chosen: dict[str, str]) -> None:
    """Export the review workbook, then enter the chosen work email by Stakeholder ID, as a
    reviewer would."""
    assert main(["identifiers", "export", config, "--out", str(review)]) == 0
    book = load_workbook(review)
    cells = {r[0].value: r[6] for r in book.worksheets[0].iter_rows(min_row=3)}
    for stakeholder, email in chosen.items():
        cells[stakeholder].value = email
    book.save(review)


def test_a_reviewed_file_becomes_a_plan_and_applies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    members, people = _scenario()
    review = tmp_path / "review.xlsx"
    with live(tmp_path, monkeypatch, members, people) as run:
        config = str(run.loaded.path)
        # The reviewer resolves one ambiguous row by hand.
        _reviewed(config, review, {"sh_0011": "person3@acme.test"})
        capsys.readouterr()
        run.later()  # each command a minute after the last: Ledgy's 5 s window has passed
        assert main(["identifiers", "import", config, str(review), "--format", "json"]) == 0
        plan_out = capsys.readouterr().out
        assert '"identifier": "person3@acme.test"' in plan_out and '"update": 2' in plan_out
        run.later()
        assert main(["identifiers", "import", config, str(review), "--apply", "--force"]) == 0
        identifiers = {s["id"]: s["identifier"] for s in run.ledgy.stakeholders}
        assert main(["identifiers", "import", config, str(review)]) == 1  # now already set
    assert (
        identifiers["sh_0010"] == "person1@acme.test"
        and identifiers["sh_0011"] == "person3@acme.test"
    )
    assert identifiers["sh_0012"] is None


def test_invented_or_repeated_identifiers_are_refused_with_their_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    members, people = _scenario()
    review = tmp_path / "review.xlsx"
    with live(tmp_path, monkeypatch, members, people) as run:
        config = str(run.loaded.path)
        _reviewed(
            config,
            review,
            {
                "sh_0012": "grace@nowhere.test",
                "sh_0013": "person1@acme.test",
                "sh_0014": "person4@acme.test",
            },
        )
        capsys.readouterr()
        assert main(["identifiers", "import", config, str(review), "--apply"]) == 1
        assert all(s["identifier"] in (None, "person4@acme.test") for s in run.ledgy.stakeholders)
    err = capsys.readouterr().err
    assert "row 4: no CharlieHR employee has the work email grace@nowhere.test" in err
    assert "row 5: person1@acme.test is also assigned in row 3" in err
    assert "row 6: person4@acme.test is already the identifier of sh_0004" in err
