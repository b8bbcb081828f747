"""The one tree of user-facing errors.

Every error a user can act on derives from :class:`ReconcilerError`. The CLI prints
its :meth:`~ReconcilerError.diagnostics` and exits 1, without a traceback. Messages
name the place (file:line:col, or API, endpoint and status) and say what to do; they
never carry a secret or a personal value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding about a file, located by line and column (both 1-based)."""

    path: str
    line: int
    col: int
    message: str
    hint: str | None = None
    severity: Severity = "error"
    key_path: tuple[str | int, ...] = field(default=(), compare=False)

    def __str__(self) -> str:
        label = "" if self.severity == "error" else "warning: "
        text = f"{self.path}:{self.line}:{self.col}: {label}{self.message}"
        return f"{text}\n    hint: {self.hint}" if self.hint else text


class ReconcilerError(Exception):
    """A problem the user can fix; printed as one clear message, exit code 1."""

    def __init__(self, message: str, *, remedy: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.remedy = remedy

    def diagnostics(self) -> str:
        """Return the message for a human, with the remedy on its own line."""
        if self.remedy:
            return f"{self.message}\n  what to do: {self.remedy}"
        return self.message


class ConfigError(ReconcilerError):
    """The config file is unreadable or invalid; carries every problem found."""

    def __init__(self, problems: Sequence[Problem], *, what: str = "the config") -> None:
        errors = [p for p in problems if p.severity == "error"]
        noun = "problem" if len(errors) == 1 else "problems"
        super().__init__(f"{len(errors)} {noun} in {what}")
        self.problems = tuple(problems)

    def diagnostics(self) -> str:
        lines = [str(p) for p in self.problems]
        return "\n".join([*lines, self.message])


class MissingSecretError(ReconcilerError):
    """An ``env/NAME`` reference names a variable that is not set."""


class SourceError(ReconcilerError):
    """The HR system (CharlieHR) refused or failed a request."""


class IncompleteReadError(SourceError):
    """A CharlieHR list could not be proven complete (a short or empty page, a list that
    kept changing); nothing is planned from a partial list."""


class AccessDeniedError(SourceError):
    """CharlieHR refused the API key one endpoint; ``endpoint`` names it, ``answer`` says how
    (``answered 403``, ``said success: false``, …)."""

    def __init__(
        self, message: str, *, endpoint: str, remedy: str | None = None, answer: str = ""
    ) -> None:
        super().__init__(message, remedy=remedy)
        self.endpoint = endpoint
        self.answer = answer


class TargetError(ReconcilerError):
    """Ledgy refused or failed a request, or a write was only partly done."""


class EncryptionError(ReconcilerError):
    """An age key, recipient or encrypted file is missing or does not fit."""


class SandboxError(ReconcilerError):
    """A sandbox directory holds data the emulators cannot load."""


class UnsafePlanError(ReconcilerError):
    """The plan may not be applied without ``--force``."""


class TooManyUpdatesError(UnsafePlanError):
    """Updates exceed the configured share of existing stakeholders."""


class TooManyCreatesError(UnsafePlanError):
    """Creates exceed the configured number or share of existing stakeholders."""


class NewGroupError(UnsafePlanError):
    """The plan puts stakeholders into a group no Ledgy stakeholder is in (a typo?)."""


class CrossGroupAdoptionError(UnsafePlanError):
    """The plan adopts by name a stakeholder from a group the config does not manage."""


class SuspiciousSourceError(UnsafePlanError):
    """The HR read returned nothing, or far fewer employees than Ledgy knows."""


class ChecksumMismatchError(UnsafePlanError):
    """The plan computed now is not the plan that was reviewed."""


class PlanFileError(ReconcilerError):
    """A saved plan file or a checksum that cannot be read as one (edited, truncated)."""


class NotApprovedError(ReconcilerError):
    """The merged pull request lacks what the approval rule asks for; nothing was applied."""


class GitHubError(ReconcilerError):
    """The GitHub API refused or failed a request, or the Actions context is missing."""


class RuleTestFailure(ReconcilerError):
    """One or more ``tests:`` in the config did not hold."""
