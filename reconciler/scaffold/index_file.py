"""The text ``reconciler init`` writes into reconciler.yaml and CODEOWNERS for the next
config. Pure: texts in, texts out; nothing already there is rewritten."""

from __future__ import annotations

from reconciler.config.matrix import LEGACY_NAME

INDEX_HEADER = (
    "# The configs of this repository, one per Ledgy company or entity; `reconciler init\n"
    "# --config PATH` adds one. Each config is planned, approved, synced and applied on\n"
    "# its own, in its own GitHub environments (docs: several-companies.md).\n"
    "# yaml-language-server: $schema=schemas/reconciler.schema.json\n"
)


def new_index(first: str, added: str) -> str:
    """An index for a repository that had one config (``first``, kept under the name
    ``company``, so its branches, issues and environments stay as they were) and now
    adds ``added``."""
    return (
        f"{INDEX_HEADER}version: 1\nconfigs:\n"
        f"  - name: {LEGACY_NAME}\n    path: {first}\n"
        f"  - path: {added}\n"
    )


def with_entry(existing: str, added: str) -> str:
    """``existing`` index text with ``added`` appended as the last entry of ``configs``
    (the list is the file's last key, as ``init`` writes it)."""
    text = existing if existing.endswith("\n") or not existing else existing + "\n"
    return f"{text}  - path: {added}\n"


def codeowners_addition(existing: str, lines: str, name: str) -> str:
    """The lines to append to CODEOWNERS for a config ("" when they are there)."""
    present = {line.strip() for line in existing.splitlines()}
    missing = [line for line in lines.splitlines() if line.strip() not in present]
    if not missing:
        return ""
    lead = "" if not existing or existing.endswith("\n") else "\n"
    return lead + f"# the config {name}\n" + "".join(f"{line}\n" for line in missing)
