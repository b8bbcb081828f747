"""Keyed hashes: a masked plan does not give its values away to someone without the key."""

from __future__ import annotations

import ast
import asyncio
import hashlib
import hmac
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from reconciler.engine.build import build_plan
from reconciler.engine.canonical import (
    SANDBOX_KEY,
    PlanKey,
    canonical_json,
    derive_key,
    fingerprint,
    fingerprint_of_texts,
    orjson_json,
)
from reconciler.engine.plan import Plan
from reconciler.pipeline import writes_of
from reconciler.targets.memory import InMemoryTarget
from tests.conftest import ROOT
from tests.engine.helpers import config, employee, state

KEY = PlanKey(b"a company's own secret plan key, 32+ bytes long", "RECONCILER_PLAN_KEY")
CONF = config(optional_fields=["pay_rate"])
GRID = [40_000.0 + 250 * n for n in range(121)]  # 40,000 to 70,000: what a guesser tries
OLD, NEW = 50_000.0, 61_250.0


def _pay_rise(key: PlanKey) -> Plan:
    """A plan whose only change is one masked field: hris.pay_rate, OLD -> NEW."""
    target = InMemoryTarget(state())
    before = [employee(1, pay_rate=OLD, pay_currency="GBP", pay_period="annual")]
    asyncio.run(target.apply(writes_of(build_plan(before, target.state, CONF, key=key).changes)))
    after = [employee(1, pay_rate=NEW, pay_currency="GBP", pay_period="annual")]
    return build_plan(after, target.state, CONF, key=key)


def _brute_force(
    published: dict[str, Any], digest: Callable[[str], str]
) -> tuple[float, float] | None:
    """The attack of issue 9: hash every guess the way the plan does, compare checksums."""
    change = published["changes"][0]
    known = {k: change[k] for k in ("action", "identifier", "stakeholder_id", "name")}
    inputs = {k: published["inputs"][k] for k in ("source", "target", "config")}
    wanted = published["checksum"].split(":")[-1]
    for old in GRID:
        for new in GRID:
            guess = {**known, "fields": {"hris.pay_rate": {"old": old, "new": new}}}
            if digest(canonical_json({"changes": [guess], "inputs": inputs})) == wanted:
                return old, new
    return None


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_the_masked_plan_shows_one_masked_field() -> None:
    published = _pay_rise(KEY).to_dict()
    assert published["changes"][0]["fields"] == {
        "hris.pay_rate": {"old": "(masked)", "new": "(masked)", "masked": True}
    }
    assert "61250" not in canonical_json(published) and "50000" not in canonical_json(published)


def test_brute_force_recovers_the_pay_with_the_key_and_not_without() -> None:
    published = _pay_rise(KEY).to_dict()
    assert _brute_force(published, KEY.digest) == (OLD, NEW)  # the test can see a leak
    assert _brute_force(published, _sha256) is None  # the old, unkeyed checksum
    assert _brute_force(published, SANDBOX_KEY.digest) is None  # the public sandbox key


def test_same_data_and_key_same_checksum_other_key_other_checksum() -> None:
    assert _pay_rise(KEY).checksum == _pay_rise(KEY).checksum
    other = derive_key("another Ledgy API key", origin="LEDGY_API_KEY")
    assert _pay_rise(other).checksum != _pay_rise(KEY).checksum
    assert _pay_rise(other).digests != _pay_rise(KEY).digests
    assert _pay_rise(KEY).checksum.startswith("hmac-sha256:")


def test_a_key_never_prints_itself() -> None:
    assert "secret" not in repr(KEY) and "secret" not in repr(_pay_rise(KEY))


def test_canonical_json_is_sorted_compact_unicode_with_iso_dates_and_sorted_sets() -> None:
    data = {
        "b": [date(2020, 1, 2)],
        "a": "Zoë",
        "c": frozenset({"y", "x"}),
        "d": (3, 1),
        "e": {2, 1},
    }
    assert (
        canonical_json(data) == '{"a":"Zoë","b":["2020-01-02"],"c":["x","y"],"d":[3,1],"e":[1,2]}'
    )


def test_canonical_json_refuses_what_it_cannot_write_naming_the_type() -> None:
    with pytest.raises(TypeError, match=r"^not canonical JSON: object$"):
        canonical_json({"x": object()})


def test_a_key_digests_utf8_text_with_hmac_sha256() -> None:
    assert KEY.digest("Zoë") == hmac.new(KEY.secret, "Zoë".encode(), hashlib.sha256).hexdigest()
    assert (KEY.origin, SANDBOX_KEY.origin) == ("RECONCILER_PLAN_KEY", "sandbox")


def test_a_derived_key_is_the_hmac_of_a_fixed_label_under_the_secret() -> None:
    key = derive_key("the Ledgy API key", origin="LEDGY_API_KEY")
    label = b"reconciler plan key v1"
    assert key.secret == hmac.new(b"the Ledgy API key", label, hashlib.sha256).digest()
    assert key.origin == "LEDGY_API_KEY"
    assert derive_key("the Ledgy API key", origin="x").secret == key.secret


def test_a_fingerprint_does_not_depend_on_order_with_or_without_a_sort_key() -> None:
    records = [{"id": "b", "v": 1}, {"id": "a", "v": date(2020, 1, 1)}]
    plain = fingerprint(records, KEY)
    assert plain == fingerprint(list(reversed(records)), KEY)
    assert plain == KEY.digest('{"id":"a","v":"2020-01-01"}\n{"id":"b","v":1}')
    by_id = fingerprint(records, KEY, by=lambda r: r["id"])
    assert by_id == fingerprint(list(reversed(records)), KEY, by=lambda r: r["id"])
    assert by_id == KEY.digest('[{"id":"a","v":"2020-01-01"},{"id":"b","v":1}]')
    assert fingerprint(records, SANDBOX_KEY) != plain


def test_canonical_json_writes_integers_beyond_64_bits_and_floats_in_short_form() -> None:
    assert canonical_json({"b": 2**70, "a": 1.5}) == '{"a":1.5,"b":1180591620717411303424}'
    assert canonical_json([61250.0, 0.1, {3, 1}]) == "[61250.0,0.1,[1,3]]"


def test_sets_are_written_in_the_order_of_their_text_even_mixed() -> None:
    assert canonical_json({"in": frozenset({9, 10})}) == '{"in":[10,9]}'
    assert canonical_json({"in": frozenset({2, "a", 1.5})}) == '{"in":[1.5,2,"a"]}'


def test_canonical_json_keeps_non_ascii_text_beside_an_integer_beyond_64_bits() -> None:
    assert canonical_json({"n": "Zoë", "big": 2**70}) == '{"big":1180591620717411303424,"n":"Zoë"}'


def _defaults(node: ast.AST) -> list[ast.expr | None]:
    """The default values a node gives: a function's parameters, a dataclass field's."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return [*node.args.defaults, *node.args.kw_defaults]
    if isinstance(node, ast.AnnAssign):
        return [node.value]
    if isinstance(node, ast.keyword) and node.arg == "default":  # field(default=...)
        return [node.value]
    return []


def test_no_production_function_or_field_defaults_to_the_sandbox_key() -> None:
    """The public key keys a live plan only by mistake: every caller passes the run's key.
    (The emulators under reconciler/sandbox accept their own public API keys.)"""
    found = [
        f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', '?')}"
        for path in sorted((ROOT / "reconciler").rglob("*.py"))
        if "sandbox" not in path.relative_to(ROOT).parts
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        for value in _defaults(node)
        if value is not None and "SANDBOX_KEY" in ast.unparse(value)
    ]
    assert found == []


RECORDS: list[dict[str, Any]] = [
    {"id": "b", "values": {"name": "Zoë", "start": date(2020, 1, 2), "rate": 1e16}, "skip": None},
    {"id": "a", "values": {"tags": frozenset({"y", "x"}), "n": -3, "ok": True}, "skip": "why"},
    {"id": "c", "values": {"nested": {"z": [1, 2.5, None], "a": "\u2028"}}, "skip": None},
]


def test_a_fingerprint_from_texts_written_ahead_is_the_fingerprint_of_the_records() -> None:
    texts = [(str(r["id"]), orjson_json(r)) for r in RECORDS]
    assert all(text is not None for _, text in texts)
    expected = fingerprint(RECORDS, SANDBOX_KEY, by=lambda r: str(r["id"]))
    assert (
        fingerprint_of_texts([(k, t) for k, t in texts if t is not None], SANDBOX_KEY) == expected
    )


def test_orjson_declines_what_only_the_standard_library_writes() -> None:
    huge = {"id": "x", "values": {"n": 2**70}}
    assert orjson_json(huge) is None
    assert canonical_json(huge) == '{"id":"x","values":{"n":1180591620717411303424}}'
