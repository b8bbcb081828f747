"""The plan command's own helpers (its end-to-end runs are in test_plan_apply.py)."""

from __future__ import annotations

import gc

import pytest

from reconciler.commands.plan import collection_paused


def test_no_collection_runs_while_paused_and_it_is_restored_after() -> None:
    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_failure_inside_still_restores_collection() -> None:
    with pytest.raises(RuntimeError), collection_paused():
        raise RuntimeError("the read failed")
    assert gc.isenabled()


def test_collection_left_off_outside_stays_off() -> None:
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
