"""The settings that guard an apply belong to the base branch, never to the pull request. Pure.

A pull request is judged by rules it cannot change itself: the whole ``safety``
section (the approvals a merge needs, every limit an apply respects) and the two
endpoints that receive the credentials (``hris.base_url`` gets the CharlieHR keys,
``ledgy.url`` the Ledgy key). They are taken from the config as it is on the base
branch (:func:`rules_of` reads them from its parsed YAML):

- the base branch has the config: its values, each setting on its own (a setting
  the base cannot hold any more, e.g. a plain-http endpoint, falls back to its
  default, and a note says so);
- the config is new (no version on the base branch) or the base cannot be read: the
  defaults. An endpoint such a config names other than the default is vouched for
  by no one yet (:func:`untrusted_endpoints`): nothing is read with it until it is on
  the base branch.

A change to any of them in the pull request takes effect once it is merged, for
the plans after it; :func:`rule_changes` lists them for the plan comment, which
shows them first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from pydantic import ValidationError

from reconciler.config.endpoints import endpoint_problem
from reconciler.config.model import DEFAULT_HRIS_URL, DEFAULT_LEDGY_URL, Config, Safety

ENDPOINTS = ("hris.base_url", "ledgy.url")
"""The settings that receive credentials, as dotted keys."""
DEFAULT_ENDPOINTS: Mapping[str, str] = {
    "hris.base_url": DEFAULT_HRIS_URL,
    "ledgy.url": DEFAULT_LEDGY_URL,
}

Source = Literal["base", "new", "unreadable"]
"""Where the rules come from: the base branch's config, or the defaults because the
config is new there or its file cannot be read."""


@dataclass(frozen=True)
class BaseRules:
    """The rules in force for a pull request: the base branch's, or the defaults."""

    safety: Safety
    endpoints: Mapping[str, str]
    """The trusted value of each of :data:`ENDPOINTS`."""
    source: Source
    notes: tuple[str, ...] = ()
    """What the base branch holds that could not be used, and what was used instead."""
    where: str = ""
    """The base config they come from (``path at sha``); empty for the defaults of a
    config the base branch does not have."""


DEFAULT_RULES = BaseRules(Safety(), DEFAULT_ENDPOINTS, "new")
"""The rules of a config the base branch does not have."""


@dataclass(frozen=True)
class RuleChange:
    """One guarded setting the pull request changes: the value in force, and its own."""

    key: str
    base: str
    proposed: str

    @property
    def endpoint(self) -> bool:
        """Whether the setting receives credentials."""
        return self.key in ENDPOINTS


def rules_of(data: object, *, local: bool = False) -> BaseRules:
    """The rules a base config holds (``data``: its parsed YAML; ``None``: no base config).

    ``local`` is the sandbox or the local test mode (endpoints on this machine are
    allowed there).
    """
    if data is None:
        return DEFAULT_RULES
    if not isinstance(data, Mapping):
        return BaseRules(Safety(), DEFAULT_ENDPOINTS, "unreadable", ("it is not a mapping",))
    notes: list[str] = []
    safety = _safety(data.get("safety"), notes)
    endpoints = {key: _endpoint(data, key, notes, local=local) for key in ENDPOINTS}
    return BaseRules(safety, endpoints, "base", tuple(notes))


def unreadable(reason: str) -> BaseRules:
    """The defaults, for a base config whose file cannot be parsed (``reason`` says why)."""
    return BaseRules(Safety(), DEFAULT_ENDPOINTS, "unreadable", (reason,))


def _safety(raw: object, notes: list[str]) -> Safety:
    """The base's safety section, setting by setting; an invalid one is the default."""
    if raw is None:
        return Safety()
    if not isinstance(raw, Mapping):
        notes.append("its safety section is not a mapping; the default limits apply")
        return Safety()
    kept: dict[str, object] = {}
    for name in Safety.model_fields:
        if name not in raw:
            continue
        try:
            Safety.model_validate({name: raw[name]})
        except ValidationError:
            notes.append(f"its safety.{name} is invalid; the default applies")
            continue
        kept[name] = raw[name]
    return Safety.model_validate(kept)


def _endpoint(data: Mapping[object, object], key: str, notes: list[str], *, local: bool) -> str:
    section, name = key.split(".")
    part = data.get(section)
    value = part.get(name) if isinstance(part, Mapping) else None
    if value is None:
        return DEFAULT_ENDPOINTS[key]
    if not isinstance(value, str) or endpoint_problem(value, local=local) is not None:
        notes.append(f"its {key} is not allowed as an endpoint; the default is trusted instead")
        return DEFAULT_ENDPOINTS[key]
    return str(value)


def endpoint_of(config: Config, key: str) -> str:
    """The value a config gives one of :data:`ENDPOINTS`."""
    return config.hris.base_url if key == "hris.base_url" else config.ledgy.url


def rule_changes(rules: BaseRules, config: Config) -> tuple[RuleChange, ...]:
    """Every guarded setting whose value in ``config`` is not the one in force."""
    found = [
        RuleChange(
            f"safety.{name}",
            _text(getattr(rules.safety, name)),
            _text(getattr(config.safety, name)),
        )
        for name in Safety.model_fields
        if getattr(rules.safety, name) != getattr(config.safety, name)
    ]
    found += [
        RuleChange(key, rules.endpoints[key], endpoint_of(config, key))
        for key in ENDPOINTS
        if endpoint_of(config, key) != rules.endpoints[key]
    ]
    return tuple(found)


def untrusted_endpoints(rules: BaseRules, config: Config) -> tuple[str, ...]:
    """The endpoints ``config`` changes that no base branch vouches for (a new config's).

    A changed endpoint of a config the base branch has is simply not used (the base's
    is); a new config has no endpoint in force but the default, so one it names
    otherwise may not be read with at all until it is on the base branch.
    """
    if rules.source == "base":
        return ()
    return tuple(key for key in ENDPOINTS if endpoint_of(config, key) != rules.endpoints[key])


def under_base_rules(config: Config, rules: BaseRules) -> Config:
    """``config`` with the safety section and the endpoints in force."""
    hris = config.hris.model_copy(update={"base_url": rules.endpoints["hris.base_url"]})
    ledgy = config.ledgy.model_copy(update={"url": rules.endpoints["ledgy.url"]})
    return config.model_copy(update={"safety": rules.safety, "hris": hris, "ledgy": ledgy})


def _text(value: object) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
