"""From both reads to a plan: desired state, matching, diff. Pure."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any, cast

from reconciler.config.model import Config
from reconciler.domain.employee import Employee
from reconciler.domain.gaps import Gap
from reconciler.domain.identity import normal_identifier
from reconciler.domain.stakeholder import Stakeholder, TargetState
from reconciler.engine.canonical import (
    PlanKey,
    canonical_json,
    fingerprint,
    fingerprint_of_texts,
    orjson_json,
)
from reconciler.engine.conflicts import Ledger, conflict_warnings
from reconciler.engine.desired import (
    Outcome,
    desired_state,
    field_sources,
    outcome_maker,
    personal_fields,
)
from reconciler.engine.diff import field_changes
from reconciler.engine.guards import new_groups, rare_raw_keys
from reconciler.engine.match import Pair, match
from reconciler.engine.memo import PlanMemo, settings_of
from reconciler.engine.pending import Held, hold_back
from reconciler.engine.plan import Counts, Fingerprints, Plan, checksum_text
from reconciler.engine.record import NO_RECORD, Recorded
from reconciler.engine.values import Change, Conflict, FieldChange, PlanWarning


def build_plan(
    employees: Sequence[Employee],
    state: TargetState,
    config: Config,
    *,
    gaps: Sequence[Gap] = (),
    key: PlanKey,
    recorded: Recorded = NO_RECORD,
    memo: PlanMemo | None = None,
) -> Plan:
    """Compute the plan that brings Ledgy in step with the employees under the config.

    ``key`` keys every hash: the run's key (the public sandbox key only in the sandbox).
    The fields of ``gaps`` (no record gave them: an endpoint refused, a key absent)
    are left unchanged for everyone, each gap one plan warning with its remedy.
    ``recorded`` is the record of applied values (the saved plan file's): a value
    edited in Ledgy since is a conflict, and a field no longer synced may be cleared
    (:mod:`reconciler.engine.conflicts`). ``memo`` holds per-person work done ahead
    (:mod:`reconciler.engine.memo`): the plan is the same with it or without.
    """
    unread = frozenset(f for gap in gaps for f in gap.fields)
    sources, personal, group = _settled(memo, state, config, unread)
    outcomes = desired_state(employees, config.stakeholders, unread, state.unheld, memo=memo)
    matching = match(outcomes, state.stakeholders, config.stakeholders)
    ledger = Ledger.of(
        recorded,
        key,
        config.stakeholders,
        sources,
        field_sources(config.stakeholders),
        state.unheld,
    )
    changes: list[Change] = []
    conflicts: list[Conflict] = []
    unchanged = 0
    change_of = partial(_change, personal=personal, group=group)
    for pair in matching.pairs:
        made = change_of(pair) if memo is None else memo.change(pair, change_of)
        change, found = ledger.settle(pair, made)
        conflicts += found
        if change is None:
            unchanged += 1
        else:
            changes.append(change)
    held = _held_for_upload(changes, state, key)
    changes = list(held.changes)
    return Plan(
        changes=tuple(changes),
        unchanged=unchanged,
        skipped=tuple(o.skip for o in outcomes if o.skip) + matching.skips,
        warnings=tuple(w for p in matching.pairs for w in p.outcome.warnings)
        + matching.warnings
        + tuple(rare_raw_keys(config, employees))
        + tuple(new_groups(changes, state))
        + _approval_warning(config)
        + _unreadable(state)
        + tuple(PlanWarning(None, code, message) for code, message in state.notes)
        + tuple(_gap_warning(gap) for gap in gaps)
        + ledger.warnings
        + conflict_warnings(conflicts)
        + held.warnings,
        orphaned=matching.orphans,
        fingerprints=_fingerprints(outcomes, state, config, tuple(sources), key, memo),
        counts=Counts(
            employees=len(employees),
            stakeholders=len(state.stakeholders),
            identified=sum(1 for s in state.stakeholders if s.identifier),
        ),
        key=key,
        unread=tuple(gaps),
        conflicts=tuple(conflicts),
        recorded=recorded,
        applied=lambda: ledger.next_record(matching.pairs),
        pending=held.awaiting,
        text_of=None if memo is None else partial(memo.data, make=checksum_text),
    )


def warmer(
    memo: PlanMemo,
    state: TargetState,
    config: Config,
    likely: Mapping[str, Stakeholder],
    unread: frozenset[str] = frozenset(),
) -> Callable[[Employee], None]:
    """Do ahead, for one employee at a time, the per-person work a later
    :func:`build_plan` of ``state`` under ``config`` does: the outcome, the change
    against the stakeholder ``likely`` pairs it with (:func:`reconciler.engine.memo.by_identifier`),
    and that change's checksum data, all kept in ``memo``. Only time depends on it."""
    sources, personal, group = _settled(memo, state, config, unread)
    make = outcome_maker(config.stakeholders, sources)
    change_of = partial(_change, personal=personal, group=group)
    source_text = partial(_text, record_of=_source_record)

    def warm(employee: Employee) -> None:
        outcome = memo.outcome(employee, make)
        memo.text(outcome, source_text)
        if outcome.synced and outcome.identifier:
            change = memo.change(Pair(outcome, likely.get(outcome.identifier)), change_of)
            if change is not None:
                memo.data(change, checksum_text)

    return warm


def _settled(
    memo: PlanMemo | None, state: TargetState, config: Config, unread: frozenset[str]
) -> tuple[dict[str, str | None], frozenset[str], str | None]:
    """The plan field sources, personal fields and group :func:`build_plan` computes under,
    with ``memo`` (if any) settled to them."""
    sources = field_sources(config.stakeholders, unread, state.unheld)
    personal = personal_fields(sources)
    group = None if "group" in state.unheld else config.stakeholders.group
    if memo is not None:
        memo.settle(settings_of(config.stakeholders, sources, personal, group))
    return sources, personal, group


def stakeholder_warmer(
    memo: PlanMemo, state: TargetState, config: Config, unread: frozenset[str] = frozenset()
) -> Callable[[Stakeholder], None]:
    """Write ahead, one stakeholder at a time, the text a later :func:`build_plan` of
    ``state`` hashes of it (the managed values), kept in ``memo``."""
    sources, _, _ = _settled(memo, state, config, unread)
    view = partial(_managed_view, kept=("identifier", *sources))
    target_text = partial(_text, record_of=view)

    def warm(stakeholder: Stakeholder) -> None:
        memo.text(stakeholder, target_text)

    return warm


def target_warmer(
    memo: PlanMemo,
    state: TargetState,
    config: Config,
    key: PlanKey,
    unread: frozenset[str] = frozenset(),
) -> Callable[[], None]:
    """Make ahead the fingerprint of Ledgy's side a later :func:`build_plan` of ``state``
    under ``key`` makes, kept in ``memo`` (best once :func:`stakeholder_warmer` has
    written every stakeholder's text)."""
    sources, _, _ = _settled(memo, state, config, unread)

    def warm() -> None:
        _target_fingerprint(state.stakeholders, tuple(sources), key, memo)

    return warm


def _held_for_upload(changes: Sequence[Change], state: TargetState, key: PlanKey) -> Held:
    """Take out what a prepared, not yet uploaded folder already does (``engine.pending``):
    those people are awaiting upload, never prepared twice."""
    return hold_back(changes, state.pending, state.stakeholders, key)


def _gap_warning(gap: Gap) -> PlanWarning:
    code = "unread_endpoint" if gap.reason == "endpoint_refused" else "unread_key"
    return PlanWarning(None, code, f"{gap.message}; {gap.remedy}")


def _approval_warning(config: Config) -> tuple[PlanWarning, ...]:
    """Every plan says so while merged pull requests need no approving review."""
    if config.safety.required_approvals > 0:
        return ()
    message = (
        "safety.required_approvals is 0: a merged pull request's plan is applied without "
        "an approving review"
    )
    return (PlanWarning(None, "approvals_off", message),)


def _change(pair: Pair, personal: frozenset[str], group: str | None) -> Change | None:
    desired = dict(pair.outcome.values or {})
    identifier = pair.outcome.identifier or ""
    name = str(desired.get("name") or identifier)
    if pair.current is None:
        # A field HR did not give is left as it is on an update; a new stakeholder
        # still needs a name and a group to start from.
        desired.setdefault("name", name)
        if group is not None:
            desired.setdefault("group", group)
        fields = tuple(
            FieldChange(k, None, v, k in personal)
            for k, v in sorted(desired.items())
            if v is not None
        )
        return Change("create", identifier, name, fields)
    if normal_identifier(pair.current.identifier) == pair.outcome.identifier:
        desired.pop("identifier")  # matched on it, case-insensitively: nothing to change
    fields = field_changes(pair.current.flat(), desired, personal)
    if not fields:
        return None
    return Change(
        "update",
        identifier,
        name,
        fields,
        pair.current.id,
        pair.adopted,
        pinned=pair.pinned,
        from_group=pair.from_group,
    )


def _fingerprints(
    outcomes: Sequence[Outcome],
    state: TargetState,
    config: Config,
    managed: Sequence[str],
    key: PlanKey,
    memo: PlanMemo | None = None,
) -> Fingerprints:
    source = _hashed(outcomes, _source_record, key, memo)
    target = _target_fingerprint(state.stakeholders, managed, key, memo)
    settings = config.stakeholders.model_dump(mode="json", by_alias=True)
    return Fingerprints(source, target, key.digest(canonical_json(settings)))


def _target_fingerprint(
    stakeholders: Sequence[Stakeholder], managed: Sequence[str], key: PlanKey, memo: PlanMemo | None
) -> str:
    """The keyed fingerprint of Ledgy's managed values; made once per read when the memo
    has it from :func:`target_warmer` (it depends on nothing CharlieHR gives)."""
    view = partial(_managed_view, kept=("identifier", *managed))

    def make() -> str:
        return _hashed(stakeholders, view, key, memo)

    return make() if memo is None else memo.digest(stakeholders, key, make)


def _hashed(
    items: Sequence[Any],
    record_of: Callable[[Any], dict[str, object]],
    key: PlanKey,
    memo: PlanMemo | None,
) -> str:
    """The keyed fingerprint of the items' records, from texts written ahead where the
    memo has them (the same hash either way)."""
    if memo is not None:
        text_of = partial(_text, record_of=record_of)
        texts = [memo.text(item, text_of) for item in items]
        if all(text is not None for _, text in texts):
            return fingerprint_of_texts(cast(list[tuple[str, str]], texts), key)
    return fingerprint((record_of(item) for item in items), key, by=_by_id)


def _text(item: object, record_of: Callable[[Any], dict[str, object]]) -> tuple[str, str | None]:
    record = record_of(item)
    return _by_id(record), orjson_json(record)


def _source_record(outcome: Outcome) -> dict[str, object]:
    skip = outcome.skip.reason if outcome.skip else None
    return {"id": outcome.employee.id, "values": outcome.values, "skip": skip}


def _by_id(record: dict[str, object]) -> str:
    return str(record["id"])


def _managed_view(stakeholder: Stakeholder, kept: Sequence[str]) -> dict[str, object]:
    flat = stakeholder.flat()
    return {"id": stakeholder.id, **{k: flat.get(k) for k in kept}}


def _unreadable(state: TargetState) -> tuple[PlanWarning, ...]:
    """A warning per Ledgy value that could not be read; the value itself is never shown."""
    return tuple(
        PlanWarning(
            stakeholder.identifier,
            "unreadable_ledgy_value",
            f"Ledgy stakeholder {stakeholder.id}: {problem.removeprefix('unreadable:')} could "
            "not be read (value not shown); it is treated as empty",
        )
        for stakeholder in state.stakeholders
        for problem in stakeholder.problems
    )
