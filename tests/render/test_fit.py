"""fit: required parts stay, optional ones go with a note, and nothing is ever over the limit."""

from __future__ import annotations

from reconciler.domain.writes import Write, WriteResult
from reconciler.render.comment import receipt
from reconciler.render.markdown import CUT, fit


def test_optional_parts_go_in_order_and_a_note_stands_in() -> None:
    body = fit(["head"], ["a" * 10, "b" * 10, "c" * 10], 40, note="(more)", tail=["end"])
    assert body == "head\n\n" + "a" * 10 + "\n\n(more)\n\nend\n"
    assert fit(["head"], ["x"], 100) == "head\n\nx\n"


def test_when_even_the_note_is_too_long_the_body_is_cut_and_says_so() -> None:
    body = fit(["head"], ["a" * 250], 200, note="n" * 300)
    assert len(body) <= 200 and body.endswith(CUT)


def test_a_receipt_of_many_long_failures_stays_under_the_limit() -> None:
    failures = [
        WriteResult(Write("create", f"person{n}@acme.test"), ok=False, error="x" * 400)
        for n in range(3000)
    ]
    body = receipt("company.yaml", "hmac-sha256:" + "0" * 64, failures, run_url=None)
    assert len(body) <= 60_000
    assert "3000 operations in all" in body or body.endswith(CUT)
