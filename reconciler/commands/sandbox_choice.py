"""What ``--sandbox`` gives a command: the built-in demo company, or a directory.

The parsers (:mod:`reconciler.cli.args`) set it and :mod:`reconciler.commands.context`
reads it; it lives here, below both, and imports nothing, so building the parser
stays cheap.
"""

from __future__ import annotations

from pathlib import Path

BUILTIN = Path("<built-in demo company>")
"""``--sandbox`` given without a directory."""
