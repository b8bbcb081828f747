"""The sandbox verb's parser: knobs in range, the demo company's size bounded."""

from __future__ import annotations

import pytest

from reconciler.main import build_parser


@pytest.mark.parametrize(
    "argv",
    [
        ["sandbox", "serve", "--latency", "61"],
        ["sandbox", "serve", "--fault-rate", "1.5"],
        ["sandbox", "serve", "--port", "70000"],
        ["sandbox", "init", "demo", "--size", "100001"],
    ],
)
def test_out_of_range_knobs_are_usage_errors(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        build_parser().parse_args(argv)
    assert stopped.value.code == 64


def test_serve_takes_its_knobs() -> None:
    args = build_parser().parse_args(
        ["sandbox", "serve", "--latency", "0.05", "--faults", "429,short_page", "--no-totals"]
    )
    assert (args.latency, args.faults, args.no_totals) == (0.05, ("429", "short_page"), True)
