"""The Ledgy GraphQL driver against the emulator over real loopback HTTP."""

from __future__ import annotations

import time
from datetime import date

import httpx
import pytest

from reconciler.config.secrets import Secret
from reconciler.domain.stakeholder import Value
from reconciler.domain.writes import Write
from reconciler.errors import TargetError
from reconciler.http.retry import RetryPolicy
from reconciler.sandbox.faults import Knobs, Traffic
from reconciler.sandbox.ledgy import PATH, SANDBOX_KEY
from reconciler.sandbox.ledgy import create_app as create_ledgy_app
from reconciler.sandbox.ledgy_data import LedgyData, stakeholder_record
from reconciler.sandbox.server import serve_in_thread
from reconciler.targets.ledgy.client import LedgyClient, decoded
from reconciler.targets.ledgy.operations import load_operations
from reconciler.targets.ledgy.target import LedgyApiTarget
from tests.github.clock import FakeTime
from tests.sandbox.helpers import LEDGY_FAST, RunningLedgy, ledgy

pytestmark = pytest.mark.anyio


def _people(count: int, *, prefix: str = "p") -> LedgyData:
    people = [
        stakeholder_record(
            {
                "id": f"sh_{i:06d}",
                "name": f"Person {i}",
                "identifier": f"{prefix}{i}@acme.test",
                "email": f"{prefix}{i}@acme.test",
                "group": "Employees",
            }
        )
        for i in range(count)
    ]
    return LedgyData({"id": "co_1", "name": "Acme Ltd"}, ["Office"], people)


def _create(i: int, **extra: Value) -> Write:
    values: dict[str, Value] = {"name": f"New {i}", "identifier": f"new{i}@acme.test"}
    return Write("create", f"new{i}@acme.test", values | {"email": f"new{i}@acme.test", **extra})


async def test_reading_checks_the_company_first() -> None:
    with ledgy(_people(3)) as api:
        target = api.target("Acme Ltd")
        state = await target.read()
        await target.aclose()
    assert state.company == "Acme Ltd" and len(state.stakeholders) == 3
    assert state.custom_fields == frozenset({"Office"})


async def test_a_key_for_another_company_reads_and_writes_nothing() -> None:
    with ledgy(_people(3)) as api:
        target = api.target("Globex Corp")
        with pytest.raises(TargetError) as caught:
            await target.apply([_create(1)])
        await target.aclose()
        served = list(api.traffic.served)
    assert caught.value.message == (
        "the Ledgy API key belongs to 'Acme Ltd', but the config says ledgy.company: "
        "'Globex Corp'; nothing was read or written"
    )
    assert len(served) == 1 and len(api.data.stakeholders) == 3


async def test_a_thousand_updates_in_batches_within_the_rate_limit() -> None:
    data = _people(1000)
    writes = [
        Write(
            "update",
            f"p{i}@acme.test",
            {"group": "Alumni", "address.city": "Berlin"},
            f"sh_{i:06d}",
        )
        for i in range(1000)
    ]
    # In process, on one fake clock for the client's limiter and the emulator's: the
    # 5 s windows it waits out cost no real time.
    fake = FakeTime(now=0.0)  # a monotonic clock, which starts small
    traffic = Traffic(clock=fake.clock)
    app = create_ledgy_app(
        data, knobs=Knobs(rate_limit=20, rate_window=5.0), traffic=traffic, clock=fake.clock
    )
    api = RunningLedgy("http://ledgy.test", traffic, data)
    transport = httpx.ASGITransport(app=app)
    client = api.client(transport=transport, clock=fake.clock, sleep=fake.sleep, batch_size=50)
    target = LedgyApiTarget(client, "Acme Ltd")
    results = await target.apply(writes)
    await target.aclose()
    assert all(r.ok for r in results) and len(results) == 1000
    assert {s["group"] for s in data.stakeholders} == {"Alumni"}
    write_requests = api.writes() - 2  # the probe and the auth check
    assert write_requests <= 1000 // 50
    assert api.traffic.limited == 0
    times = api.traffic.times
    assert all(later - earlier >= 5.0 for earlier, later in zip(times, times[20:], strict=False))


async def test_a_429_is_waited_out() -> None:
    # In process, the emulator's limit and the client's waits on one fake clock: the
    # second the 429 asks for passes without being waited for.
    fake = FakeTime(now=0.0)
    data, traffic = _people(5), Traffic()
    app = create_ledgy_app(
        data, knobs=Knobs(rate_limit=3, rate_window=1.0), traffic=traffic, clock=fake.clock
    )
    api = RunningLedgy("http://ledgy.test", traffic, data)
    transport = httpx.ASGITransport(app=app)
    client = api.client(rate_limit=None, transport=transport, sleep=fake.sleep)
    started = fake.clock()
    for _ in range(5):
        await client.auth()
    await client.aclose()
    assert api.traffic.limited > 0 and client.stats.throttled == api.traffic.limited
    assert fake.clock() - started >= 0.9


async def test_a_partial_batch_names_who_was_not_written_and_a_rerun_finishes_without_duplicates() -> (
    None
):
    data = _people(0)
    writes = [_create(i) for i in range(6)] + [
        _create(i, **{"custom_fields.Cost centre": "CC-1"}) for i in range(6, 9)
    ]
    with ledgy(data) as api:
        target = api.target()
        first = await target.apply(writes)
        failed = [r for r in first if not r.ok]
        assert [r.write.identifier for r in failed] == [
            "new6@acme.test",
            "new7@acme.test",
            "new8@acme.test",
        ]
        assert all("Unknown custom field Cost centre" in (r.error or "") for r in failed)
        assert len(data.stakeholders) == 6
        data.custom_fields.append("Cost centre")  # the admin adds the field in Ledgy
        again = await target.apply(writes)  # a naive re-run of everything
        await target.aclose()
    assert [r.ok for r in again] == [False] * 6 + [True] * 3
    assert all("already exists" in (r.error or "") for r in again[:6])
    identifiers = [s["identifier"] for s in data.stakeholders]
    assert len(identifiers) == len(set(identifiers)) == 9


async def test_a_create_that_landed_before_a_500_is_not_sent_twice() -> None:
    data = _people(0)
    knobs = Knobs(fault_rate=0.5, faults=("500_after",), seed=1)
    with ledgy(data, knobs=knobs) as api:
        target = api.target(batch_size=3)
        results = await target.apply([_create(i) for i in range(12)])
        await target.aclose()
    assert api.traffic.faulted > 0
    assert all(r.ok for r in results)
    identifiers = sorted(s["identifier"] for s in data.stakeholders)
    assert identifiers == sorted(f"new{i}@acme.test" for i in range(12))


async def test_updates_are_retried_through_faults() -> None:
    data = _people(40)
    writes = [
        Write("update", f"p{i}@acme.test", {"hris.start_date": date(2020, 1, 1)}, f"sh_{i:06d}")
        for i in range(40)
    ]
    with ledgy(
        data, knobs=Knobs(fault_rate=0.3, faults=("503", "drop", "malformed", "500_after"), seed=2)
    ) as api:
        target = api.target(batch_size=7)
        results = await target.apply(writes)
        await target.aclose()
    assert all(r.ok for r in results)
    assert {s["hris"]["start_date"] for s in data.stakeholders} == {"2020-01-01"}


async def test_a_bad_key_names_the_variable_never_the_key() -> None:
    with ledgy(_people(1)) as api:
        client = LedgyClient(
            api.url + PATH,
            Secret("wrong-key-123"),
            load_operations(),
            key_variable="ACME_LEDGY_KEY",
            policy=LEDGY_FAST,
        )
        with pytest.raises(TargetError) as caught:
            await client.auth()
        await client.aclose()
    text = caught.value.diagnostics()
    assert "refused the API key" in text and "401" in text and "ACME_LEDGY_KEY" in text
    assert "wrong-key-123" not in text


async def test_persistent_server_errors_name_the_operation_and_status() -> None:
    with ledgy(_people(1), knobs=Knobs(fault_rate=1.0, faults=("503",))) as api:
        client = api.client()
        with pytest.raises(TargetError) as caught:
            await client.stakeholders()
        await client.aclose()
    assert caught.value.message == "Ledgy POST /graphql (Stakeholders) failed 6 times (HTTP 503)"


async def test_graphql_errors_in_a_200_answer_are_target_errors() -> None:
    with ledgy(_people(1)) as api:
        client = api.client()
        with pytest.raises(TargetError, match="Ledgy Stakeholders failed: Cannot query field"):
            await client._post("{ nope }", {}, "Stakeholders")
        await client.aclose()


async def test_a_written_stakeholder_reads_back_with_the_same_values() -> None:
    data = _people(0)
    values: dict[str, Value] = {
        "name": "Ada Lovelace",
        "identifier": "ada@acme.test",
        "email": "ada@acme.test",
        "birthdate": date(1990, 12, 10),
        "address.city": "London",
        "address.country": "GB",
        "group": "Employees",
        "custom_fields.Office": "London HQ",
        "hris.pay_rate": 52000.0,
        "hris.start_date": date(2022, 9, 5),
        "hris.employment_status": "active",
    }
    with ledgy(data) as api:
        target = api.target()
        (result,) = await target.apply([Write("create", "ada@acme.test", values)])
        state = await target.read()
        await target.aclose()
    (stakeholder,) = state.stakeholders
    assert stakeholder.id == result.stakeholder_id
    flat = stakeholder.flat()
    assert {k: flat[k] for k in values} == values


async def test_a_mixed_batch_retried_after_a_500_records_each_result_under_its_own_alias() -> None:
    """Item 5: after "500 after the work", only part of a batch is sent again; every
    answer must still be read under the alias its write was sent with."""
    data = _people(6)
    updates = [
        Write("update", f"p{i}@acme.test", {"group": "Alumni"}, f"sh_{i:06d}") for i in range(6)
    ]
    creates = [_create(i) for i in range(5)] + [_create(5, **{"custom_fields.Nope": "x"})]
    mixed = [w for pair in zip(updates, creates, strict=True) for w in pair]
    knobs = Knobs(fault_rate=0.5, faults=("500_after",), seed=1)
    with ledgy(data, knobs=knobs) as api:
        target = api.target(batch_size=12, policy=RetryPolicy(attempts=20, base_delay=0.001))
        results = await target.apply(mixed)
        await target.aclose()
    assert api.traffic.faulted > 0
    by_identifier = {s["identifier"]: s["id"] for s in data.stakeholders}
    assert [r.write for r in results] == mixed
    assert [r.ok for r in results] == [True] * 11 + [False]
    assert "Unknown custom field Nope" in (results[-1].error or "")
    for result in results[:-1]:
        assert result.stakeholder_id == by_identifier[result.write.identifier]


async def test_an_account_with_only_the_published_api_stops_at_once_with_the_workbook_advice() -> (
    None
):
    app = create_ledgy_app(_people(3), published_only=True)
    with serve_in_thread(app) as url:
        target = LedgyApiTarget(
            LedgyClient(url + PATH, Secret(SANDBOX_KEY), load_operations(), policy=LEDGY_FAST),
            "Acme Ltd",
        )
        started = time.monotonic()
        with pytest.raises(TargetError) as caught:
            await target.read()
        elapsed = time.monotonic() - started
        await target.aclose()
    assert caught.value.message.startswith(
        "this Ledgy account's API offers no stakeholder writes; use `driver: workbook`"
    )
    assert "createStakeholder" in caught.value.message
    assert "ledgy-drivers.md" in (caught.value.remedy or "")
    assert elapsed < 1.0


async def test_a_landed_create_is_recognised_whatever_the_case_of_its_identifier() -> None:
    """Item 5, the failing half: after "500 after the work" the creates that landed were
    looked up by the exact identifier text, so one sent as New0@Acme.TEST was sent again,
    refused as a duplicate and reported failed although it was in Ledgy."""
    data = _people(0)
    writes = [
        Write(
            "create", f"new{i}@acme.test", {"name": f"New {i}", "identifier": f"New{i}@Acme.TEST"}
        )
        for i in range(6)
    ]
    knobs = Knobs(fault_rate=0.5, faults=("500_after",), seed=1)
    with ledgy(data, knobs=knobs) as api:
        target = api.target(batch_size=6, policy=RetryPolicy(attempts=20, base_delay=0.001))
        results = await target.apply(writes)
        await target.aclose()
    assert api.traffic.faulted > 0
    assert [r.ok for r in results] == [True] * 6
    stored = {s["identifier"].casefold(): s["id"] for s in data.stakeholders}
    assert len(stored) == len(data.stakeholders) == 6
    assert [r.stakeholder_id for r in results] == [stored[w.identifier or ""] for w in writes]


@pytest.mark.parametrize(
    ("served", "shown"),
    [
        ("Acme\u00a0Ltd", "Acme\\xa0Ltd"),
        ("Acme\u200b Ltd", "Acme\\u200b Ltd"),
        ("Acme Ltd\u2060", "Acme Ltd\\u2060"),
    ],
    ids=["no-break-space", "zero-width-space", "word-joiner"],
)
async def test_a_company_name_that_only_looks_the_same_is_shown_escaped(
    served: str, shown: str
) -> None:
    data = _people(1)
    data.company["name"] = served
    with ledgy(data) as api:
        target = api.target("Acme Ltd")
        with pytest.raises(TargetError) as caught:
            await target.read()
        await target.aclose()
    message = caught.value.message
    assert f"belongs to '{shown}'" in message and "ledgy.company: 'Acme Ltd'" in message
    assert "differ only in invisible or look-alike characters" in message
    assert served not in message


def test_an_answer_is_decoded_even_with_a_lone_surrogate_and_refused_when_not_json() -> None:
    # orjson refuses a lone surrogate escape that JSON (and a JavaScript server) allows.
    assert decoded(b'{"data": {"name": "A\\ud800"}}') == {"data": {"name": "A\ud800"}}
    assert decoded(b'{"data": [1.5, "Zo\xc3\xab"]}') == {"data": [1.5, "Zoë"]}
    with pytest.raises(ValueError):
        decoded(b'{"data": ')
