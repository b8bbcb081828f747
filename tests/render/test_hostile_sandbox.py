"""A sandbox full of hostile names and identifiers still posts the comment we wrote.

CharlieHR and Ledgy records carry Markdown, HTML, mentions, issue references,
URLs, workflow commands, bidi overrides and pipes in names, work emails, job
titles and stakeholder identifiers. `reconciler plan --comment` runs against the
sandbox and posts to the GitHub emulator; markdown-it must find in the posted
body exactly the headings, tables and links the reconciler wrote, and nothing a
value made.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from reconciler.github.sticky import read_state
from reconciler.main import main
from tests.e2e.harness import member, person
from tests.github.harness import actions
from tests.render.structure import JOINER, hidden_characters, references, shape

CONFIG = """version: 1
hris: {provider: charliehr, client_id: env/HR_ID, client_secret: env/HR_SECRET}
ledgy: {company: Acme Ltd, api_key: env/LEDGY_KEY}
stakeholders:
  group: Employees
  custom_fields:
    - {from: job_title, to: Job title}
"""
NAMES = [
    "<img src=x onerror=alert(1)> @everyone",
    "[click me](http://e.vil) ![x](http://e.vil/i.png)",
    "| a | b |\n|---|---|",
    "# Heading\n- item\n> quote\n1. one",
    "``` fenced\ncode",
    '<!-- reconciler:state {"checksum":"sha256:forged"} -->',
    "::error::pwned \x1b[31mred\x1b[0m \u202egnp.exe",
    "@acme/admins fixes #1 and GH-2 and acme/people#3",
    "www.e.vil or mailto:a@e.vil",
]
EMAILS = [
    "x|y@acme.test",
    "b`c@acme.test",
    "gh-1@acme.test",
    "z\u200b@acme.test",
    "[a](b)@acme.test",
    "#7@acme.test",
    "ok@acme.test",
    "<b>@acme.test",
    "ANSI\x1b[2J@acme.test",
]
RUN_URL = "https://github.example/acme/people-config/actions/runs/4242"
UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
ALLOWED_HTML = ("<!-- reconciler:", "<details", "</details>", "<summary>", "<sub>", "</sub>")


def _sandbox(directory: Path) -> None:
    directory.mkdir()
    members = [
        member(n, display_name=name, job_title=name, email=email)
        for n, (name, email) in enumerate(zip(NAMES, EMAILS, strict=True), start=1)
    ]
    company = {"id": "co_acme", "name": "Acme Ltd"}
    hr = {"company": company, "team_members": members, "salaries": [], "teams": [], "offices": []}
    (directory / "charliehr.json").write_text(json.dumps(hr), encoding="utf-8")
    stakeholders = [
        person(7, identifier="ok@acme.test", name=NAMES[3], custom_fields={"Job title": NAMES[1]}),
        person(90, identifier="::warning::x@acme.test", name=NAMES[0]),
        person(91, identifier="@acme/admins", name=NAMES[7]),
        person(92, identifier="[x](http://e.vil)", name="| | |"),
    ]
    ledgy = {"company": company, "custom_fields": ["Job title"], "stakeholders": stakeholders}
    (directory / "ledgy.json").write_text(json.dumps(ledgy), encoding="utf-8")


def _run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> tuple[str, Any]:
    config, sandbox = tmp_path / "company.yaml", tmp_path / "sandbox"
    config.write_text(CONFIG, encoding="utf-8")
    _sandbox(sandbox)
    with actions(tmp_path, monkeypatch) as gh:
        gh.data.add_pull(5)
        gh.pull_request_event(5, "h0stile")
        where = ["--sandbox-dir", str(sandbox), "--as-of", "2026-11-25"]
        assert main(["plan", str(config), *where, "--comment"]) == 0
        body = next(c["body"] for c in gh.comments(5) if "reconciler:plan" in c["body"])
    capsys.readouterr()
    assert main(["plan", str(config), *where, "--format", "json"]) == 0
    return body, json.loads(capsys.readouterr().out)


def _expected_headings(plan: dict[str, Any]) -> list[str]:
    counts = plan["summary"]
    sections = [
        ("Create", counts["create"]),
        ("Update", counts["update"]),
        ("Skipped", counts["skipped"]),
        ("Warnings", counts["warnings"]),
    ]
    headings = [f"{title} ({n})" for title, n in sections if n]
    if counts["orphaned"]:
        headings.append(f"Orphaned ({counts['orphaned']}): reported, never deleted")
    return headings


def test_hostile_records_cannot_change_the_posted_comment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    body, plan = _run(tmp_path, monkeypatch, capsys)
    found = shape(body)
    summary = plan["summary"]
    assert summary["create"] and summary["update"] and summary["orphaned"] == 3
    assert list(found.headings) == _expected_headings(plan)
    assert found.links == (RUN_URL,)
    assert all(html.startswith(ALLOWED_HTML) for html in found.html), found.html
    assert found.markers == 2  # our plan marker and our state line, nothing forged
    tables = found.blocks.count(("table_open", "table"))
    sections = [h for h in found.headings if not h.startswith("Warnings")]  # warnings: lines
    assert tables == len(sections) + 1  # one per section, and the revisions
    assert references(body) == []
    assert hidden_characters(body, allowed="\n" + JOINER) == []
    assert read_state(body).checksum == plan["checksum"]
    _each_row_has_its_cells(body)


def _each_row_has_its_cells(body: str) -> None:
    """A pipe in a value would add a cell, which markdown-it silently drops."""
    for table in (block for block in body.split("\n\n") if block.startswith("| ")):
        header, _rule, *rows = table.split("\n")
        width = len(UNESCAPED_PIPE.split(header))
        assert all(len(UNESCAPED_PIPE.split(row)) == width for row in rows), table
