"""First contact with CharlieHR: a few requests that show how the real API answers.

``reconciler doctor --apis`` asks, with the real key: the company (the credentials);
the first page of every list the config needs, 100 items a page (every public source
says CharlieHR caps pages at 25; none says the server does, and a larger page cuts a
big company's read by up to four times); and the end of the shortest list, with one
page past it (which answer ends a list: empty, 404, the last page again). It keeps
the records in memory only long enough to count keys and types; the report holds
names, types and counts, never a value. A handful of requests, whatever the size.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from reconciler.domain.contact import EndpointSample, KeySeen, Paging
from reconciler.domain.fields import PAGINATION_KEYS
from reconciler.domain.json import Json
from reconciler.errors import AccessDeniedError, SourceError
from reconciler.sources.charliehr.client import CharlieHRClient, PageNotFound
from reconciler.sources.charliehr.coverage import keys_seen
from reconciler.sources.charliehr.listing import parse_page, past_end
from reconciler.sources.charliehr.pages import page_ref

SAMPLE_SIZE = 100
"""Items asked per page: the most any HR API we know allows."""
MOST_PAGES = 5
"""Pages followed to find the end of a list before giving up on it."""
TOTALS = tuple(k.key for k in PAGINATION_KEYS if k.role != "next_url")
"""Meta keys that give totals or echo the page: reported by name when present."""
_ENDS = {"empty": "empty", "not_found": "404", "repeat": "the last page again"}
KEYS_LISTED = 200
"""Keys listed per endpoint. A record has a few dozen; a page with thousands names its
keys by value (one per person, say), and the report would grow with the company."""
NAME_LENGTH = 80
"""Characters of a key's name shown; the rest is cut (a name that long is a value)."""
_ANSWERED = re.compile(r"answered (\d{3})")


@dataclass(frozen=True)
class Sampled:
    """What a first page gave: its sample for the report, and its records for counting."""

    sample: EndpointSample
    records: Sequence[Json]
    next_url: str | None


async def sample(client: CharlieHRClient, path: str) -> Sampled:
    """The first page of a list, 100 items asked; a refusal is an answer, not an error."""
    endpoint = f"GET /{path}"
    try:
        body = await client.envelope(path, (("page", "1"), ("per_page", str(SAMPLE_SIZE))))
    except AccessDeniedError as refused:
        return Sampled(EndpointSample(endpoint, refused.answer), (), None)
    except SourceError as failed:  # reported, so the rest of the report still comes
        return Sampled(EndpointSample(endpoint, f"failed: {failed.message}"), (), None)
    data = body.get("data")
    records = [r for r in data if isinstance(r, dict)] if isinstance(data, list) else []
    given = body.get("meta")
    meta: Json = given if isinstance(given, dict) else {}
    next_url = meta.get("next_url") if isinstance(meta.get("next_url"), str) else None
    more = bool(next_url) or _has_more(body, path)
    keys = keys_seen(records)
    listed = _listed(keys)
    found = EndpointSample(
        endpoint,
        "ok",
        len(records),
        SAMPLE_SIZE,
        more,
        tuple(sorted(_shown(k) for k in meta)),
        listed,
        len(keys) - len(listed),
    )
    return Sampled(found, records, next_url or None)


def _listed(keys: Sequence[KeySeen]) -> tuple[KeySeen, ...]:
    """The keys on most records, at most :data:`KEYS_LISTED`, by name, names cut short."""
    kept = set(sorted(keys, key=lambda k: -k.present)[:KEYS_LISTED])
    return tuple(replace(k, key=_shown(k.key)) for k in keys if k in kept)


def _shown(name: str) -> str:
    if len(name) <= NAME_LENGTH:
        return name
    return f"{name[:NAME_LENGTH]}… ({len(name)} characters)"


def _has_more(body: Json, path: str) -> bool:
    """Whether the page's totals say pages follow it (the client's own reading of them)."""
    try:
        return parse_page(dict(body), page_ref(path, 1, SAMPLE_SIZE)).has_more
    except SourceError:
        return False


async def samples(client: CharlieHRClient, paths: Sequence[str]) -> dict[str, Sampled]:
    """The first page of each list, concurrently."""
    found = await asyncio.gather(*(sample(client, path) for path in paths))
    return dict(zip(paths, found, strict=True))


async def paging(client: CharlieHRClient, sampled: Mapping[str, Sampled]) -> Paging | None:
    """How the shortest list is paged and how it ends, one page past it included."""
    readable = [(p, s) for p, s in sampled.items() if s.sample.answer == "ok"]
    if not readable:
        return None
    path, first = min(readable, key=lambda item: (item[1].sample.more, item[1].sample.records))
    pages = [first.records]
    number = 1
    past: str | None
    try:
        while _goes_on(pages[-1], number, first) and number < MOST_PAGES:
            number += 1
            pages.append(await _page(client, path, number))
    except SourceError:  # said in the report; the rest of it still comes
        reached, past = False, f"page {number} failed"
    else:
        reached = not _goes_on(pages[-1], number, first)
        past = await _past_end(client, path, number + 1, pages[-1]) if reached else None
    members = sampled.get("team_members")
    return Paging(
        f"GET /{path}",
        tuple(k for k in first.sample.meta_keys if k in TOTALS),
        "next_url" in first.sample.meta_keys,
        number if reached else 0,
        past,
        _honoured(members.sample) if members is not None else None,
    )


def _goes_on(records: Sequence[Json], number: int, first: Sampled) -> bool:
    """True while the list has more pages than read (a full page, or more promised)."""
    if number == 1:
        return first.sample.more
    return len(records) >= first.sample.records > 0


async def _page(client: CharlieHRClient, path: str, number: int) -> Sequence[Json]:
    body = await client.envelope(path, (("page", str(number)), ("per_page", str(SAMPLE_SIZE))))
    data = body.get("data")
    return [r for r in data if isinstance(r, dict)] if isinstance(data, list) else []


async def _past_end(client: CharlieHRClient, path: str, number: int, last: Sequence[Json]) -> str:
    """What a page past the end answers, in words (as the client itself reads it)."""
    try:
        records = await _page(client, path, number)
    except PageNotFound:
        return _ENDS["not_found"]
    except SourceError as refused:
        status = _ANSWERED.search(refused.message)
        return status.group(1) if status else "an error"
    ref = page_ref(path, number, SAMPLE_SIZE)
    before = parse_page({"data": list(last)}, page_ref(path, number - 1, SAMPLE_SIZE))
    kind = past_end(parse_page({"data": list(records)}, ref), before)
    return "more items" if kind is None else _ENDS[kind]


def _honoured(first: EndpointSample) -> int | None:
    """The largest page size the server gave: what it returned when more pages follow."""
    if first.answer != "ok":
        return None
    if first.records >= first.asked:
        return first.asked
    return first.records if first.more else None
