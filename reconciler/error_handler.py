"""Every exception becomes a message and an exit code, as pre-commit's handler does.

Exit codes: 0 ok (plan: no changes), 1 a problem the user can fix (bad config, API
refused, unsafe plan, output closed early), 2 a plan with changes under
``--detailed-exitcode``, 3 a bug, 64 a usage error (``EX_USAGE`` of sysexits.h, so
that a typo never reads as "changes present"), 130 interrupted. Tracebacks only with
``--verbose``.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager

from reconciler.errors import ConfigError, ReconcilerError
from reconciler.release import where_to_report
from reconciler.render.escape import term_block

EXIT_OK, EXIT_USER, EXIT_CHANGES, EXIT_BUG = 0, 1, 2, 3
EXIT_USAGE = 64
EXIT_INTERRUPTED = 130

_OK = "success (plan: no changes)"
_FIXABLE = "a problem you can fix: invalid config, API refused, unsafe plan"
_EXIT_CODES = (
    (EXIT_OK, _OK),
    (EXIT_USER, _FIXABLE),
    (EXIT_CHANGES, "the plan has changes (only with --detailed-exitcode)"),
    (EXIT_BUG, "a bug in reconciler: please report it (--verbose shows the traceback)"),
    (EXIT_USAGE, "usage error: unknown command or option, missing or bad argument"),
    (EXIT_INTERRUPTED, "interrupted (Ctrl-C)"),
)


def exit_codes_epilog(ok: str = _OK, fixable: str = _FIXABLE, *, changes: bool = False) -> str:
    """The exit codes a command can end with, for the end of its ``--help``.

    ``ok`` and ``fixable`` say what 0 and 1 mean for this command; 2 is listed only
    where ``changes`` says the command can end with it (``plan --detailed-exitcode``).
    Every command can end with 3, 64 and 130.
    """
    said = {EXIT_OK: ok, EXIT_USER: fixable}
    lines = [
        f"  {code:<4} {said.get(code, meaning)}"
        for code, meaning in _EXIT_CODES
        if changes or code != EXIT_CHANGES
    ]
    return "\n".join(["exit codes:", *lines])


class ExitCode(Exception):
    """Raised by :func:`error_handler` to end the run with ``code``."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


@contextmanager
def error_handler(*, verbose: bool) -> Iterator[None]:
    """Turn every exception into a message on stderr and an :class:`ExitCode`."""
    try:
        yield
    except ReconcilerError as error:
        _report_user_error(error)
        raise ExitCode(EXIT_USER) from None
    except BrokenPipeError:
        # The reader went away (`| head -1`, `| grep -q`): nothing left to say to it.
        _detach_stdout()
        raise ExitCode(EXIT_USER) from None
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        raise ExitCode(EXIT_INTERRUPTED) from None
    except Exception as error:
        _report_bug(error, verbose=verbose)
        raise ExitCode(EXIT_BUG) from None


def _detach_stdout() -> None:
    """Point stdout at /dev/null, so flushing it at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # not a real file (a test's capture)
        pass


def _report_user_error(error: ReconcilerError) -> None:
    if isinstance(error, ConfigError) and os.environ.get("GITHUB_ACTIONS") == "true":
        # Imported here: only a config error in Actions needs the annotation writer.
        from reconciler.github.actions import annotate
        from reconciler.github.context import summary_file

        for line in annotate(error.problems, summary_file(), title="reconciler"):
            print(line)
    print(term_block(f"error: {error.diagnostics()}"), file=sys.stderr)


def _report_bug(error: Exception, *, verbose: bool) -> None:
    from reconciler import __version__  # read only for a bug report

    # The message of an unexpected error may quote data; print only its type.
    print(
        f"unexpected error ({type(error).__name__}); this is a bug in reconciler "
        f"{__version__}. Please report it {where_to_report()}",
        file=sys.stderr,
    )
    if verbose:
        traceback.print_exc()
    else:
        print("run again with --verbose to see the traceback", file=sys.stderr)
