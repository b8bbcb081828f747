"""Add age recipients to a config that exists, keeping every comment and every line.

``reconciler init --age-recipient age1…`` on a repository that has its config
already. The edit only inserts lines, where the parsed document says the list of
recipients (or the ``ledgy.workbook`` mapping) is; the new text is parsed again and
must be the old document with the keys appended. When it is not (a flow list, an
anchor shared elsewhere, no ``workbook`` section), nothing is written and the lines
to add by hand are given instead. Pure: text in, text out.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reconciler.config.locations import SourceMap
from reconciler.config.yamltree import YamlSyntaxError, parse

WORKBOOK = ("ledgy", "workbook")
RECIPIENTS = (*WORKBOOK, "recipients")
_ITEM_PREFIX = re.compile(r"[ ]*-[ ]+")
_COMMENT_COLUMN = 40  # where the scaffolded config's comments start
_COMMENT = "# age public keys: the export is kept encrypted to them"


@dataclass(frozen=True, slots=True)
class RecipientEdit:
    """The config's new text, or why it must be edited by hand and how."""

    added: tuple[str, ...]
    """The keys not listed before (none: nothing to do)."""
    text: str | None
    """The edited text; ``None`` when the edit must be made by hand."""
    reason: str = ""
    by_hand: str = ""
    """The exact lines to add, under their keys, when ``text`` is ``None``."""


def add_recipients(text: str, keys: Sequence[str], filename: str) -> RecipientEdit:
    """Append ``keys`` to ``ledgy.workbook.recipients`` in ``text``; skip listed ones."""
    try:
        tree = parse(text, filename)
    except YamlSyntaxError as error:
        return _by_hand(tuple(dict.fromkeys(keys)), (), f"it is not YAML ({error.problem})")
    workbook = _at(tree.data, WORKBOOK)
    listed = workbook.get("recipients") if isinstance(workbook, dict) else None
    present = tuple(listed) if isinstance(listed, list) else ()
    added = tuple(key for key in dict.fromkeys(keys) if key not in present)
    if not added:
        return RecipientEdit((), text)
    if not isinstance(workbook, dict) or not workbook:
        return _by_hand(added, present, "it has no ledgy.workbook section to add them to")
    if "recipients" in workbook and not (isinstance(listed, list) and listed):
        return _by_hand(added, present, "its recipients are not written one entry per line")
    lines = text.splitlines(keepends=True)
    inserted = _insert(lines, tree.source_map, workbook, added)
    if inserted is None:
        where = "its recipients are not" if listed else "its ledgy.workbook section is not"
        return _by_hand(added, present, f"{where} written one entry per line")
    expected = copy.deepcopy(tree.data)
    expected["ledgy"]["workbook"]["recipients"] = [*present, *added]
    if not _parses_as(inserted, expected, filename):
        return _by_hand(added, present, "an edit by line would change more than the recipients")
    return RecipientEdit(added, inserted)


def _insert(
    lines: list[str], source_map: SourceMap, workbook: dict[str, Any], added: tuple[str, ...]
) -> str | None:
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    listed = workbook.get("recipients")
    if isinstance(listed, list):
        where = source_map.values.get((*RECIPIENTS, len(listed) - 1))
        if where is None:
            return None
        prefix = lines[where.line - 1][: where.col - 1]
        if not _ITEM_PREFIX.fullmatch(prefix):
            return None
        new = [f"{prefix}{key}{newline}" for key in added]
        return _spliced(lines, where.line, new, newline)
    first = min(
        (
            source_map.keys[(*WORKBOOK, key)]
            for key in workbook
            if (*WORKBOOK, key) in source_map.keys
        ),
        key=lambda position: position.line,
        default=None,
    )
    if first is None:
        return None
    indent = lines[first.line - 1][: first.col - 1]
    if indent.strip(" "):
        return None  # a flow mapping ({export: …}) or a key not at the start of its line
    new = [f"{indent}recipients:".ljust(_COMMENT_COLUMN - 1) + f" {_COMMENT}{newline}"]
    new += [f"{indent}  - {key}{newline}" for key in added]
    return _spliced(lines, first.line - 1, new, newline)


def _spliced(lines: list[str], at: int, new: list[str], newline: str) -> str:
    before = list(lines[:at])
    if before and not before[-1].endswith(("\n", "\r")):
        before[-1] += newline
    return "".join([*before, *new, *lines[at:]])


def _parses_as(text: str, expected: object, filename: str) -> bool:
    try:
        return bool(parse(text, filename).data == expected)
    except YamlSyntaxError:
        return False


def _at(data: object, path: tuple[str, ...]) -> object:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _by_hand(added: tuple[str, ...], present: tuple[str, ...], reason: str) -> RecipientEdit:
    keys = "".join(f"      - {key}\n" for key in (*present, *added))
    lines = f"ledgy:\n  workbook:\n    recipients:\n{keys}"
    return RecipientEdit(added, None, reason, lines)
