"""Every personal field of the catalogue is masked in every public output.

A behaviour test, not a snapshot: two employees carry a distinctive sentinel in
every personal field (address lines, postcode, city, country, birthdate, phone,
personal email, pay, gender, raw keys), the Ledgy side holds other sentinels as
the old values, and the CLI runs `plan` (text, Markdown, JSON, job summary, in
GitHub Actions), `explain` (including a sync_if rule on a personal raw key) and
the sticky comment and drift issue are rendered from the same plan. No sentinel
may appear anywhere. With `--show-values`, the same run must show them: that
proves the sentinels reach the renderers, so their absence means masking.
"""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

import pytest

from reconciler.commands.context import open_run
from reconciler.commands.plan import compute
from reconciler.domain.fields import FIELDS
from reconciler.github.publish import sticky_body
from reconciler.github.sticky import CommentState
from reconciler.main import main
from reconciler.render.comment import drift_issue, sync_pull_body
from tests.e2e.harness import member, person

AS_OF = ["--as-of", "2026-11-25"]
RAW_KEYS = {"cost_centre": "Cost centre", "shoe_size": "Shoe size"}
CONFIG = """version: 1
hris: {provider: charliehr, client_id: env/HR_ID, client_secret: env/HR_SECRET}
ledgy: {company: Acme Ltd, api_key: env/LEDGY_KEY}
stakeholders:
  group: Employees
  optional_fields: [mobile_phone, pay_rate]
  custom_fields:
    - {from: gender, to: Gender}
    - {from: raw.cost_centre, to: Cost centre}
    - {from: raw.shoe_size, to: Shoe size}
  sync_if:
    - {field: raw.badge, in: [green]}
"""

# Per catalogue field: the raw CharlieHR value we plant, and what must never show.
NEW: dict[str, tuple[Any, tuple[str, ...]]] = {
    "personal_email": ("priv.qsentinel@qprivate.example", ("qsentinel", "qprivate")),
    "address_line_1": ("11 Qlineone Street", ("Qlineone",)),
    "address_line_2": ("Flat Qlinetwo", ("Qlinetwo",)),
    "zip_code": ("QZ9 9ZQ", ("QZ9",)),
    "city": ("Qcityville", ("Qcityville",)),
    "country": ("Tuvalu", ("Tuvalu", r"\bTV\b")),
    "birthdate": ("1911-11-11", ("1911",)),
    "mobile_phone": ("+44 7700 900461", ("900461", "900 461")),
    "pay_rate": (98765.43, ("98765",)),
    "pay_period": ("qperiod", ("qperiod",)),
    "pay_currency": ("XQQ", (r"\bXQQ\b",)),
    "gender": ("Qgender", ("Qgender",)),
}
RAW_NEW = {"cost_centre": "Qcostcentre", "shoe_size": "Qshoesize", "badge": "Qbadge"}
OLD = {  # what Ledgy holds now, so updates have an old value to hide too
    "email": "person1.old@acme.test",  # the primary email is the work email: not personal
    "birthdate": "1922-02-22",
    "address": {
        "line1": "Qoldlineone",
        "line2": "Qoldlinetwo",
        "postcode": "QY8",
        "city": "Qoldcity",
        "country": "NR",
    },
    "custom_fields": {"Gender": "Qoldgender", "Cost centre": "Qoldcost", "Shoe size": "Qoldshoe"},
    "hris": {
        "personal_email": "old.qsentinel@qprivate.example",
        "mobile_phone": "+447700900999",
        "pay_rate": 12345.67,
        "pay_period": "qoldperiod",
        "pay_currency": "XQO",
    },
}
OLD_SHOWN = ("Qoldlineone", "Qoldlinetwo", "QY8", "Qoldcity", r"\bNR\b", "1922", "Qoldgender",
             "Qoldcost", "Qoldshoe", "900999", "12345", "qoldperiod", r"\bXQO\b")  # fmt: skip
PERSONAL = {f.name for f in FIELDS if f.personal}


def _patterns() -> list[str]:
    found = [p for _, shown in NEW.values() for p in shown]
    return found + list(RAW_NEW.values()) + list(OLD_SHOWN)


def _leaks(text: str) -> list[str]:
    return [p for p in _patterns() if re.search(p, text)]


def test_the_sentinels_cover_every_personal_field_of_the_catalogue() -> None:
    assert set(NEW) == PERSONAL


def _write_sandbox(directory: Path) -> None:
    directory.mkdir()
    raw_member = {
        "personal_email": NEW["personal_email"][0],
        "address_line_1": NEW["address_line_1"][0],
        "address_line_2": NEW["address_line_2"][0],
        "postcode": NEW["zip_code"][0],
        "city": NEW["city"][0],
        "country": NEW["country"][0],
        "date_of_birth": NEW["birthdate"][0],
        "phone_number": NEW["mobile_phone"][0],
        "gender": NEW["gender"][0],
        "cost_centre": RAW_NEW["cost_centre"],
        "shoe_size": RAW_NEW["shoe_size"],
    }
    members = [
        member(1, **raw_member, badge="green"),  # in Ledgy: an update
        member(2, **raw_member, badge="green"),  # not in Ledgy: a create
        member(3, **raw_member, badge=RAW_NEW["badge"]),  # out of scope by a personal rule
    ]
    salaries = [
        {
            "id": f"sal_{n}",
            "team_member": f"tm_{n:04d}",
            "pay_rate": NEW["pay_rate"][0],
            "pay_period": NEW["pay_period"][0],
            "pay_currency": NEW["pay_currency"][0],
            "effective_date": "2020-01-01",
            "employment_type": "permanent",
        }
        for n in (1, 2, 3)
    ]
    company = {"id": "co_acme", "name": "Acme Ltd"}
    charliehr = {"company": company, "team_members": members, "salaries": salaries}
    charliehr |= {"teams": [], "offices": []}
    (directory / "charliehr.json").write_text(json.dumps(charliehr), encoding="utf-8")
    ledgy: dict[str, Any] = {"company": company, "custom_fields": [*RAW_KEYS.values(), "Gender"]}
    ledgy["stakeholders"] = [person(1, **OLD)]
    (directory / "ledgy.json").write_text(json.dumps(ledgy), encoding="utf-8")


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("masking")
    (root / "company.yaml").write_text(CONFIG, encoding="utf-8")
    _write_sandbox(root / "sandbox")
    return root


def _cli(
    args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp: Path
) -> str:
    summary = tmp / "summary.md"
    summary.write_text("", encoding="utf-8")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    capsys.readouterr()
    main(args)
    printed = capsys.readouterr()
    return printed.out + printed.err + summary.read_text(encoding="utf-8")


def _outputs(
    company: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *extra: str,
) -> dict[str, str]:
    config, sandbox = str(company / "company.yaml"), f"--sandbox={company / 'sandbox'}"
    runs = {
        f"plan --format {kind}": ["plan", config, sandbox, "--format", kind, *AS_OF, *extra]
        for kind in ("text", "markdown", "json")
    }
    for who in ("person1@acme.test", "person2@acme.test", "person3@acme.test"):
        runs[f"explain {who}"] = ["explain", config, who, sandbox, *AS_OF, *extra]
    runs["validate"] = ["validate", config]
    return {name: _cli(args, capsys, monkeypatch, company) for name, args in runs.items()}


def _posted(company: Path) -> dict[str, str]:
    run = open_run(company / "company.yaml", sandbox=company / "sandbox", as_of=None)
    plan = asyncio.run(compute(run))
    at, sha = "2026-11-25 10:00", "abc1234"
    return {
        "sticky comment": sticky_body(plan, CommentState(), key="company.yaml", at=at, sha=sha),
        "drift issue": "\n".join(drift_issue("company.yaml", plan, run_url=None)),
        "sync pull request": sync_pull_body(
            plan, key="company.yaml", path="company.plan.json", approvals=1
        ),
    }


def test_no_personal_value_reaches_any_public_output(
    company: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    outputs = _outputs(company, capsys, monkeypatch) | _posted(company)
    leaks = {name: _leaks(text) for name, text in outputs.items() if _leaks(text)}
    assert leaks == {}
    assert "(masked)" in outputs["plan --format text"]  # the plan did hold personal changes


def test_show_values_shows_them_so_the_sentinels_do_reach_the_renderers(
    company: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    outputs = _outputs(company, capsys, monkeypatch, "--show-values")
    shown = "\n".join(outputs.values())
    planted = {name: patterns for name, (_, patterns) in NEW.items()}
    planted |= {f"raw.{key}": (value,) for key, value in RAW_NEW.items()}
    planted |= {f"old {p}": (p,) for p in OLD_SHOWN}
    hidden = [
        name for name, patterns in planted.items() if not any(re.search(p, shown) for p in patterns)
    ]
    assert hidden == []
