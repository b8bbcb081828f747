"""Raise config findings from validators with our own wording and exact location.

Pydantic's own messages are generic ("Input should be …"); ours name the value and
carry a hint. A finding is ``(sub_location, message, hint)``, the location
relative to the value being validated.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NoReturn

from pydantic import ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

ERROR_TYPE = "reconciler"

Finding = tuple[tuple[str | int, ...], str, str | None]

KEY = "[key]"
"""Last element of a finding's location when the finding is about the key itself."""


def _error(message: str, hint: str | None) -> PydanticCustomError:
    return PydanticCustomError(ERROR_TYPE, "{message}", {"message": message, "hint": hint})


def fail(message: str, *, hint: str | None = None) -> NoReturn:
    """Reject the value being validated with one finding."""
    raise _error(message, hint)


def raise_all(title: str, findings: Sequence[Finding], value: Any = None) -> None:
    """Reject the value with every finding, each at its own sub-location."""
    if not findings:
        return
    details = [
        InitErrorDetails(type=_error(message, hint), loc=loc, input=value)
        for loc, message, hint in findings
    ]
    raise ValidationError.from_exception_data(title, details)
