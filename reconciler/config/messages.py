"""Turn pydantic's validation errors into our own messages, each at a document path.

Pure. Pydantic says "Input should be a valid string"; we say
``hris.client_id: must be text, not a number`` and point at the value, or at the
key for an unknown key, or at the enclosing key for a missing one.
"""

from __future__ import annotations

import re
import types
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from reconciler.config import limits
from reconciler.config.issues import ERROR_TYPE, KEY
from reconciler.config.locations import ConfigPath, SourceMap, dotted
from reconciler.config.suggest import did_you_mean

_EXPECTED_KIND = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "date_type": "a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "a date (YYYY-MM-DD)",
    "dict_type": "a mapping (key: value lines)",
    "model_type": "a mapping (key: value lines)",
    "model_attributes_type": "a mapping (key: value lines)",
    "list_type": "a list",
    "tuple_type": "a list",
}

_PATTERNS = {
    r"^https?://\S+$": "an http:// or https:// URL",
    r"^[A-Za-z0-9_]+$": "a raw key name: letters, digits and underscores",
    r"^[a-z0-9][a-z0-9-]*$": "a name of lower-case letters, digits and dashes",
}


@dataclass(frozen=True, slots=True)
class Message:
    """One finding: where it is (path, and whether the key itself is meant), and what."""

    path: ConfigPath
    text: str
    hint: str | None = None
    at_key: bool = False


def describe(
    errors: Iterable[ErrorDetails], source_map: SourceMap, root: type[BaseModel]
) -> list[Message]:
    """Describe every pydantic error once, merging the branches of a failed union."""
    grouped: dict[tuple[ConfigPath, str, bool], list[ErrorDetails]] = {}
    for error in errors:
        if _emptied_by_its_items(error):
            continue
        loc = tuple(error["loc"])
        at_key = bool(loc) and loc[-1] == KEY
        path = _trim(loc[:-1] if at_key else loc, source_map, error["type"])
        grouped.setdefault((path, _family(error["type"]), at_key), []).append(error)
    return [
        _describe(path, group, root, at_key=at_key) for (path, _, at_key), group in grouped.items()
    ]


def _emptied_by_its_items(error: ErrorDetails) -> bool:
    """A list that is long enough but whose every item failed: pydantic calls it too
    short, yet the items' own errors say what is wrong."""
    if error["type"] != "too_short":
        return False
    given = error["input"]
    return isinstance(given, list | tuple) and len(given) >= error["ctx"]["min_length"]


def _family(error_type: str) -> str:
    return "type" if error_type in _EXPECTED_KIND else error_type


def _trim(loc: ConfigPath, source_map: SourceMap, error_type: str) -> ConfigPath:
    """Drop the union-branch names pydantic appends to a location."""
    if error_type == "missing":
        return loc
    for end in range(len(loc), -1, -1):
        if source_map.holds(loc[:end]):
            return loc[:end]
    return loc


def _subject(path: ConfigPath) -> str:
    return f"{dotted(path)}:" if path else "the file"


def _describe(
    path: ConfigPath, group: list[ErrorDetails], root: type[BaseModel], *, at_key: bool
) -> Message:
    error = group[0]
    kind = error["type"]
    if kind == ERROR_TYPE:
        ctx = error.get("ctx", {})
        return Message(path, f"{_subject(path)} {ctx['message']}", ctx.get("hint"), at_key)
    if kind == "missing":
        return _missing(path)
    if kind == "extra_forbidden":
        return _unknown(path, root)
    if kind in _EXPECTED_KIND:
        expected = _join_or(_unique(_EXPECTED_KIND[e["type"]] for e in group))
        return Message(path, f"{_subject(path)} must be {expected}, not {_kind_of(error['input'])}")
    if kind in ("less_than_equal", "less_than"):
        why = limits.reason(path)
        return Message(path, f"{_subject(path)} {_plain(error)}{f': {why}' if why else ''}")
    return Message(path, f"{_subject(path)} {_plain(error)}")


def _missing(path: ConfigPath) -> Message:
    parent = path[:-1]
    where = f"'{dotted(parent)}'" if parent else "the file"
    hint = "examples/company.yaml shows every key" if not parent else None
    return Message(parent, f"{where} is missing the required key '{path[-1]}'", hint, at_key=True)


def _unknown(path: ConfigPath, root: type[BaseModel]) -> Message:
    known = known_keys(root, path[:-1])
    key = str(path[-1])
    hint = f"known keys here: {', '.join(known)}" if known else None
    where = f"in '{dotted(path[:-1])}'" if path[:-1] else "at the top level"
    return Message(
        path, f"unknown key '{key}' {where}{did_you_mean(key, known)}", hint, at_key=True
    )


def _plain(error: ErrorDetails) -> str:
    kind, ctx = error["type"], error.get("ctx", {})
    if kind == "literal_error":
        expected = re.findall(r"'([^']*)'", ctx["expected"]) or [ctx["expected"]]
        given = error["input"]
        return f"must be {ctx['expected']}, not {_show(given)}{did_you_mean(str(given), expected)}"
    if kind == "too_short":
        count = ctx["min_length"]
        return f"must list at least {'one value' if count == 1 else f'{count} values'}"
    if kind == "string_too_short":
        return f"must be at least {ctx['min_length']} characters long"
    if kind == "string_pattern_mismatch":
        return f"must be {_PATTERNS.get(ctx['pattern'], 'of the form ' + ctx['pattern'])}"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = next(iter(ctx.values()))
        word = {
            "greater_than_equal": "at least",
            "greater_than": "more than",
            "less_than_equal": "at most",
            "less_than": "less than",
        }[kind]
        return f"must be {word} {bound:g}"
    return str(error["msg"]).removeprefix("Value error, ")


def _show(value: object) -> str:
    return (
        f"'{value}'"
        if isinstance(value, str)
        else _kind_of(value)
        if isinstance(value, dict | list)
        else str(value)
    )


def _kind_of(value: object) -> str:
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, date):
        return "a date"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _join_or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


def known_keys(root: type[BaseModel], path: ConfigPath) -> list[str]:
    """Return the keys the model accepts at a document path (empty if not a model)."""
    current: object = root
    for part in path:
        current = _step(current, part)
    model = _unwrap(current)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return [info.alias or name for name, info in model.model_fields.items()]
    return []


def _step(annotation: object, part: str | int) -> object:
    inner = _unwrap(annotation)
    if isinstance(part, int):
        args = get_args(inner) if get_origin(inner) in (tuple, list) else ()
        return args[0] if args else None
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        for name, info in inner.model_fields.items():
            if (info.alias or name) == part:
                return info.annotation
    return None


def _unwrap(annotation: object) -> object:
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            members = [a for a in get_args(annotation) if a is not type(None)]
            models = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
            annotation = models[0] if models else members[0]
        else:
            return annotation
