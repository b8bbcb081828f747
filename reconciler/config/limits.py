"""The largest value each number in the config may take, and why: told with the error.

Pure. Each bound comes from what the API behind the number allows or what a run is
built for, so "must be at most 32" always goes on to say where 32 comes from. The
model takes its ``le`` from here; :func:`reason` gives the words for an error.
"""

from __future__ import annotations

from dataclasses import dataclass

from reconciler.config.locations import ConfigPath


@dataclass(frozen=True, slots=True)
class Limit:
    """An upper bound and the reason for it, in words that follow "must be at most N: "."""

    most: float
    why: str

    @property
    def whole(self) -> int:
        """The bound as a whole number (for integer fields)."""
        return int(self.most)


LARGEST_COMPANY = 100_000
"""The most employees a run is built and measured for (``bench/e2e.py``)."""

CONCURRENCY = Limit(
    32,
    "CharlieHR publishes no rate limit and answers bursts with 429; more connections "
    "only earn 429s",
)
REQUESTS_PER_SECOND = Limit(
    1000,
    "CharlieHR publishes no rate limit and answers a too-fast caller 429; at most 32 "
    "connections never reach a faster pace (each answer would take under 32 ms)",
)
TIMEOUT_SECONDS = Limit(
    300,
    "a request still unanswered after five minutes is a server that is down, not a slow "
    "one; hris.read_deadline_seconds bounds the whole read",
)
PAGE_SIZE = Limit(
    100,
    "every public description of CharlieHR's API serves at most 25 items a page, and 100 "
    "is the most any server is expected to serve; a bigger page only makes each retried "
    "page cost more",
)
READ_DEADLINE_SECONDS = Limit(
    21_600,
    "a job on GitHub's hosted runners is stopped after 6 hours (21,600 s) anyway",
)
BATCH_SIZE = Limit(
    500,
    "Ledgy allows 20 requests per 5 s per company and publishes no limit on one "
    "request's size; 500 writes a request already send 2,000 a second, and a larger "
    "request only makes one answer longer to wait for and one failure larger to retry",
)
MAX_CREATE_PERCENT = Limit(
    10_000,
    "a hundred times the stakeholders Ledgy holds stops nothing; the first sync of an "
    "empty Ledgy is limited by max_creates",
)
PERCENT = Limit(100, "it is a share in percent, and 100 is all of them")
COUNT = Limit(
    LARGEST_COMPANY,
    f"a run is built and measured for companies of up to {LARGEST_COMPANY:,} employees, "
    "so a larger number stops nothing",
)
MIN_EXISTING = Limit(
    LARGEST_COMPANY,
    "the shares are taken of at least this many stakeholders, and a run is built and "
    f"measured for companies of up to {LARGEST_COMPANY:,} employees",
)
REQUIRED_APPROVALS = Limit(
    10,
    "GitHub's own branch protection can ask for at most 6 approving reviews; 10 leaves "
    "room to spare",
)

LIMITS: dict[str, Limit] = {
    "hris.concurrency": CONCURRENCY,
    "hris.requests_per_second": REQUESTS_PER_SECOND,
    "hris.timeout_seconds": TIMEOUT_SECONDS,
    "hris.read_deadline_seconds": READ_DEADLINE_SECONDS,
    "hris.page_size": PAGE_SIZE,
    "ledgy.batch_size": BATCH_SIZE,
    "safety.max_update_percent": PERCENT,
    "safety.max_create_percent": MAX_CREATE_PERCENT,
    "safety.max_creates": COUNT,
    "safety.min_existing": MIN_EXISTING,
    "safety.min_source_percent": PERCENT,
    "safety.required_approvals": REQUIRED_APPROVALS,
}
"""Every bounded number of the config by its key (list indexes left out)."""


def key_of(path: ConfigPath) -> str:
    """The key of a document path as :data:`LIMITS` names it: ``a.b``, indexes dropped."""
    return ".".join(str(part) for part in path if isinstance(part, str))


def reason(path: ConfigPath) -> str | None:
    """Why the number at ``path`` has its upper bound, or ``None`` when it has none."""
    limit = LIMITS.get(key_of(path))
    return None if limit is None else limit.why
