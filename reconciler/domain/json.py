"""The shape of a decoded JSON object, declared once for every module that reads one.

What an API answers, what a config or a saved plan file holds before it is checked:
``json.loads`` gives ``Any``, and code that has not checked a value's shape yet holds
it as :data:`Json`. GitHub's answers never travel as one: the GitHub client parses
them at once into the frozen types of :mod:`reconciler.github.models`.
"""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]
"""A JSON object as decoded (or being built), its values not yet checked."""
