"""syrupy extensions: user-visible output as real files reviewers can read in a diff."""

from __future__ import annotations

from syrupy.extensions.json import JSONSnapshotExtension
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode


class MarkdownSnapshot(SingleFileSnapshotExtension):
    """A snapshot stored as a ``.md`` file: the PR comment exactly as posted."""

    _write_mode = WriteMode.TEXT
    file_extension = "md"


class TextSnapshot(SingleFileSnapshotExtension):
    """A snapshot stored as a ``.txt`` file: terminal output exactly as printed."""

    _write_mode = WriteMode.TEXT
    file_extension = "txt"


__all__ = ["JSONSnapshotExtension", "MarkdownSnapshot", "TextSnapshot"]
