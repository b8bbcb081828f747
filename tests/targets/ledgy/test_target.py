"""LedgyApiTarget's cheap checks against the emulator: asked together, judged in turn."""

from __future__ import annotations

from typing import Literal

import pytest

from reconciler.errors import TargetError
from reconciler.sandbox.faults import Knobs
from reconciler.sandbox.ledgy import Behaviour
from tests.sandbox.helpers import ledgy

pytestmark = pytest.mark.anyio
LATENCY = 0.4


async def test_the_cheap_checks_go_out_together_in_one_round_trip() -> None:
    with ledgy(knobs=Knobs(latency=LATENCY), custom_fields=("Office",)) as api:
        target = api.target("Acme Ltd")
        assert await target.preflight() == frozenset({"Office"})
        await target.aclose()
    served = api.traffic.times  # when each request reached the app, halfway through
    assert len(served) == 3  # the operations offered, the key's company, the custom fields
    assert max(served) - min(served) < LATENCY / 2  # asked in turn: a latency apart each


async def test_once_the_company_is_checked_only_the_custom_fields_are_asked_again() -> None:
    with ledgy(custom_fields=("Office",)) as api:
        target = api.target("Acme Ltd")
        await target.preflight()
        await target.preflight()
        await target.aclose()
    assert len(api.traffic.times) == 4


async def test_the_first_check_that_fails_is_the_one_reported() -> None:
    # An account of another company that offers only the published API (so neither our
    # operations nor custom fields): what it lacks comes first, as when asked in turn.
    with ledgy(published_only=True) as api:
        target = api.target("Globex Corp")
        with pytest.raises(TargetError) as caught:
            await target.preflight()
        await target.aclose()
    assert "this Ledgy account's API offers no stakeholder writes" in caught.value.message
    assert "Globex" not in caught.value.message


async def test_a_key_of_another_company_is_reported_before_the_custom_fields_are_used() -> None:
    with ledgy(custom_fields=("Office",)) as api:
        target = api.target("Globex Corp")
        with pytest.raises(TargetError, match=r"belongs to 'Acme Ltd'.*'Globex Corp'"):
            await target.preflight()
        await target.aclose()


@pytest.mark.parametrize("refusal", ["disabled", "apollo"])
async def test_an_account_refusing_introspection_is_told_to_use_the_workbook_driver(
    refusal: Literal["disabled", "apollo"],
) -> None:
    # graphql-core's NoSchemaIntrospectionCustomRule (200) and Apollo Server's (400).
    with ledgy(custom_fields=("Office",), behaviour=Behaviour(introspection=refusal)) as api:
        target = api.target("Acme Ltd")
        with pytest.raises(TargetError) as caught:
            await target.preflight()
        await target.aclose()
    message, remedy = caught.value.message, caught.value.remedy or ""
    assert message.startswith(
        "this Ledgy account does not describe its API (introspection is refused)"
    )
    assert "use `driver: workbook`" in message and "nothing was read or written" in message
    assert "GraphQL introspection" not in message  # the server's words are not the message
    assert remedy == (
        "set ledgy.driver: workbook in company.yaml; see docs/ledgy-drivers.md, "
        "'An account that does not describe its API'"
    )
