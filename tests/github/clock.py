"""A fake clock and sleep for the GitHub client (and the emulator) to share: no real waits."""

from __future__ import annotations

from dataclasses import dataclass, field

START = 1_800_000_000.0
"""A fixed epoch second, well away from any real ``x-ratelimit-reset``."""


@dataclass
class FakeTime:
    """Time that passes only when the client sleeps; every sleep is recorded."""

    now: float = START
    slept: list[float] = field(default_factory=list)

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
