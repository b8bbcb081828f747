"""Planning each person ahead while the last pages of a read arrive.

At 10,000 employees the plan took 0.5 to 0.7 s once the read was over, most of it
work done once per person (each desired state, each field diff, each change's data
for the checksum). The salary ledger is read last, and for seconds the event loop
mostly waits on it. So once Ledgy is read and CharlieHR's members are normalised,
each employee the source hands out early (:mod:`reconciler.sources.charliehr.early`)
is planned ahead into a :class:`~reconciler.engine.memo.PlanMemo`, in short turns
between answers; the plan proper takes from it what is still the same and computes
the rest. The plan does not depend on any of this: only the time it takes does.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from functools import partial

from reconciler.concurrency import map_in_turns
from reconciler.config.model import Config
from reconciler.domain.employee import Employee
from reconciler.domain.stakeholder import Stakeholder, TargetState
from reconciler.engine.canonical import PlanKey
from reconciler.engine.memo import PlanMemo


class Warmup:
    """Plans ahead the employees :meth:`offer` is given, once :meth:`ready` has Ledgy."""

    def __init__(
        self, config: Config, memo: PlanMemo | None = None, key: PlanKey | None = None
    ) -> None:
        self.memo = memo or PlanMemo()
        self._config = config
        self._key = key
        self._waiting: list[Employee] = []
        self._stakeholders: Sequence[Stakeholder] = ()
        self._warm: Callable[[Employee], None] | None = None
        self._view: Callable[[Stakeholder], None] = _nothing
        self._fingerprint: Callable[[], None] | None = None
        self._task: asyncio.Task[None] | None = None
        self.planned = 0
        """Employees planned ahead so far (for tests and the bench)."""

    def offer(self, employees: Sequence[Employee]) -> None:
        """Employees as the read has them so far (a source's ``early``)."""
        self._waiting.extend(employees)
        self._kick()

    def ready(self, state: TargetState) -> TargetState:
        """Ledgy is read: planning ahead may start. Returns ``state``."""
        from reconciler.engine.build import stakeholder_warmer, target_warmer, warmer
        from reconciler.engine.memo import by_identifier

        likely = by_identifier(state.stakeholders)
        self._warm = warmer(self.memo, state, self._config, likely)
        self._view = stakeholder_warmer(self.memo, state, self._config)
        if self._key is not None:
            self._fingerprint = target_warmer(self.memo, state, self._config, self._key)
        self._stakeholders = state.stakeholders
        self._kick()
        return state

    def stop(self) -> None:
        """The read is over: whatever is not planned yet, the plan computes itself."""
        self._waiting.clear()
        self._stakeholders = ()
        if self._task is not None:
            self._task.cancel()

    def _kick(self) -> None:
        if self._warm is None or not (self._waiting or self._stakeholders):
            return
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run(self._warm))

    async def _run(self, warm: Callable[[Employee], None]) -> None:
        # An error here is the plan's own: it is raised again, and reported, when the
        # plan computes the same person itself.
        with contextlib.suppress(Exception):
            while self._waiting or self._stakeholders:
                if self._stakeholders:
                    stakeholders, self._stakeholders = self._stakeholders, ()
                    await map_in_turns(self._view, stakeholders)
                    if self._fingerprint is not None:
                        self._fingerprint()  # a sort and a hash of texts: milliseconds
                batch, self._waiting = self._waiting, []
                await map_in_turns(partial(self._plan, warm), batch)

    def _plan(self, warm: Callable[[Employee], None], employee: Employee) -> None:
        warm(employee)
        self.planned += 1


def _nothing(_: object) -> None:
    return None
