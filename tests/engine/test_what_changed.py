"""A refused plan names the input that changed since the review, when the approval knows."""

from __future__ import annotations

import pytest

from reconciler.engine.approval import Approved
from reconciler.engine.plan import Fingerprints
from reconciler.engine.what_changed import UNKNOWN, SavedApproval, what_changed, with_inputs

SAVED = {"inputs": {"source": "s1", "target": "t1", "config": "c1", "employees": 3}}
APPROVED = Approved("hmac-sha256:" + "0" * 64, "company.plan.json")


CONFIG_ONLY = "the config changed since the review (the HR and Ledgy data are as reviewed)"
CONFIG_AND = (
    "the config changed since the review, and with it what it reads from the HR and Ledgy "
    "data (whether those changed too cannot be told apart)"
)


@pytest.mark.parametrize(
    ("now", "said"),
    [
        (Fingerprints("s1", "t1", "c2"), CONFIG_ONLY),
        (Fingerprints("s2", "t1", "c2"), CONFIG_AND),
        (Fingerprints("s2", "t2", "c2"), CONFIG_AND),
        (
            Fingerprints("s2", "t1", "c1"),
            "the HR data changed since the review (the config and the Ledgy data are as reviewed)",
        ),
        (
            Fingerprints("s1", "t2", "c1"),
            "the Ledgy data changed since the review (the config and the HR data are as reviewed)",
        ),
        (
            Fingerprints("s2", "t2", "c1"),
            "the HR data and the Ledgy data changed since the review (the config is as reviewed)",
        ),
        (
            Fingerprints("s1", "t1", "c1"),
            "none of its inputs changed since the review, but the plan did",
        ),
    ],
)
def test_a_saved_plan_says_which_input_changed(now: Fingerprints, said: str) -> None:
    approved = with_inputs(APPROVED, SAVED)
    assert isinstance(approved, SavedApproval)
    assert approved.checksum == APPROVED.checksum and approved.where == APPROVED.where
    assert what_changed(approved, now) == said


@pytest.mark.parametrize("data", [{}, {"inputs": {"source": "s1"}}, [], {"inputs": "x"}])
def test_without_every_fingerprint_the_cause_is_not_guessed(data: object) -> None:
    approved = with_inputs(APPROVED, data)
    assert what_changed(approved, Fingerprints("s", "t", "c")) == UNKNOWN
    assert "config" in UNKNOWN and "HR data" in UNKNOWN and "Ledgy data" in UNKNOWN


def test_a_checksum_alone_never_says_which_input_changed() -> None:
    assert what_changed(APPROVED, Fingerprints("s", "t", "c")) == UNKNOWN
