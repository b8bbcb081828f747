"""Edits made in Ledgy and fields no longer synced, over both emulators on loopback.

The adopter's sequence: plan and save (the sync pull request commits
``company.plan.json``), apply, someone edits Ledgy, plan again on a fresh run that
has only the files of the repository.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from reconciler.artifacts.applied_record import saved_plan_file
from reconciler.commands.plan import save_plan
from reconciler.config.load import load_config
from reconciler.config.secrets import Secret, run_secrets
from reconciler.pipeline import Sides
from reconciler.sandbox.faults import Knobs
from reconciler.sources.charliehr.source import charliehr_source
from reconciler.targets.ledgy.target import ledgy_api_target
from tests.e2e.harness import Live, live, member
from tests.sandbox.helpers import TODAY

pytestmark = pytest.mark.anyio

POLICY = "  conflicts: {{default: {policy}}}\n"


UNPACED = Knobs(rate_limit=10_000)
"""The Ledgy emulator's limit, far above Ledgy's 20 requests per 5 seconds: these tests
make a dozen runs in a row, which a paced client would spread over seconds."""


class Unpaced(Live):
    """Both emulators as the CLI reads them, the client to Ledgy unpaced (see UNPACED)."""

    def sides(self) -> Sides:
        secrets = run_secrets(self.loaded)
        source = charliehr_source(self.loaded, secrets.hr, today=TODAY)
        assert isinstance(secrets.ledgy_key, Secret)
        target = ledgy_api_target(self.loaded, secrets.ledgy_key, rate_limit=None)
        return Sides(source, target, [source.client.aclose, target.aclose])


def unpaced(run: Live) -> Unpaced:
    """The same config and Ledgy, read unpaced (the config read again from its file)."""
    return Unpaced(load_config(run.loaded.path), run.ledgy)


async def _sync(run: Live) -> None:
    """What the sync pull request and its merge do: save the plan next to the config, apply."""
    save_plan(await run.plan(), run.loaded.path, saved_plan_file(run.loaded.path))
    await run.apply()


def _by_identifier(run: Live, identifier: str) -> dict[str, object]:
    return next(s for s in run.ledgy.stakeholders if s["identifier"] == identifier)


@pytest.mark.parametrize(
    ("policy", "outcome", "name_after"),
    [
        ("hr_wins", "hr_value_planned", "Person 2"),
        ("ledgy_wins", "ledgy_value_kept", "Person Two-Smith"),
        ("review", "held", "Person Two-Smith"),
    ],
)
async def test_a_name_corrected_in_ledgy_is_a_conflict_under_each_policy(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    policy: str,
    outcome: str,
    name_after: str,
) -> None:
    members = [member(1), member(2)]
    policy_line = POLICY.format(policy=policy)
    with live(
        tmp_path, monkeypatch, members, [], stakeholders=policy_line, ledgy_knobs=UNPACED
    ) as served:
        run = unpaced(served)
        await _sync(run)
        assert saved_plan_file(tmp_path / "company.yaml").exists()
        _by_identifier(run, "person2@acme.test")["name"] = "Person Two-Smith"  # finance
        plan = await run.plan()
        data = plan.to_dict()
        assert [(c["field"], c["outcome"]) for c in data["conflicts"]] == [("name", outcome)]
        flagged = [
            (c["identifier"], name, f.get("conflict"))
            for c in data["changes"]
            for name, f in c["fields"].items()
        ]
        assert flagged == ([("person2@acme.test", "name", True)] if policy == "hr_wins" else [])
        held = [w.code for w in plan.warnings]
        assert held == (["conflict_held"] if policy == "review" else [])
        await run.apply()
    assert _by_identifier(run, "person2@acme.test")["name"] == name_after


async def test_without_a_saved_plan_an_edit_is_an_ordinary_update(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = POLICY.format(policy="review")
    with live(
        tmp_path, monkeypatch, [member(1)], [], stakeholders=policy, ledgy_knobs=UNPACED
    ) as served:
        run = unpaced(served)
        await run.apply()
        _by_identifier(run, "person1@acme.test")["name"] = "Person One-Smith"
        plan = await run.plan()
    assert plan.conflicts == () and len(plan.changes) == 1


async def test_a_mobile_phone_no_longer_synced_is_cleared_for_managed_stakeholders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    members = [member(n, phone_number=f"+44 7700 9000{n:02d}") for n in (1, 2)]
    phones = "  optional_fields: [mobile_phone]\n"
    with live(
        tmp_path, monkeypatch, members, [], stakeholders=phones, ledgy_knobs=UNPACED
    ) as served:
        run = unpaced(served)
        await _sync(run)
        numbers = [s["hris"].get("mobile_phone") for s in run.ledgy.stakeholders]
        assert numbers == ["+447700900001", "+447700900002"]
        # A stakeholder this config does not manage keeps its number whatever happens.
        outsider = copy.deepcopy(_by_identifier(run, "person2@acme.test"))
        run.ledgy.stakeholders.append(
            outsider | {"id": "sh_adv", "identifier": "advisor@acme.test", "group": "Advisors"}
        )
        path = run.loaded.path
        text = path.read_text().replace(phones, "  on_removed_field: {mode}\n")
        path.write_text(text.format(mode="keep"))
        kept = unpaced(run)
        assert (await kept.plan()).changes == ()
        path.write_text(text.format(mode="clear"))
        cleared = unpaced(run)
        plan = await cleared.plan()
        marked = [
            (c["identifier"], f)
            for c in plan.to_dict()["changes"]
            for f, v in c["fields"].items()
            if v.get("removed")
        ]
        assert marked == [
            ("person1@acme.test", "hris.mobile_phone"),
            ("person2@acme.test", "hris.mobile_phone"),
        ]
        await _sync(cleared)
        assert (await cleared.plan()).changes == ()
    left = {s["identifier"]: s["hris"].get("mobile_phone") for s in run.ledgy.stakeholders}
    assert left == {
        "person1@acme.test": None,
        "person2@acme.test": None,
        "advisor@acme.test": "+447700900002",
    }
