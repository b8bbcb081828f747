"""Every exception becomes a message and an exit code, as pre-commit's handler does.

Exit codes: 0 ok (plan: no changes), 1 a problem the user can fix (bad config, API
refused, unsafe plan), 2 a plan with changes under ``--detailed-exitcode``, 3 a bug.
Tracebacks only with ``--verbose``.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager

from reconciler import __version__
from reconciler.errors import ConfigError, ReconcilerError
from reconciler.release import ISSUES_URL
from reconciler.render.escape import term_block

EXIT_OK, EXIT_USER, EXIT_CHANGES, EXIT_BUG = 0, 1, 2, 3
EXIT_INTERRUPTED = 130


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
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        raise ExitCode(EXIT_INTERRUPTED) from None
    except Exception as error:
        _report_bug(error, verbose=verbose)
        raise ExitCode(EXIT_BUG) from None


def _report_user_error(error: ReconcilerError) -> None:
    if isinstance(error, ConfigError) and os.environ.get("GITHUB_ACTIONS") == "true":
        # Imported here: only a config error in Actions needs the annotation writer.
        from reconciler.github.actions import annotate
        from reconciler.github.context import summary_file

        for line in annotate(error.problems, summary_file(), title="reconciler"):
            print(line)
    print(term_block(f"error: {error.diagnostics()}"), file=sys.stderr)


def _report_bug(error: Exception, *, verbose: bool) -> None:
    # The message of an unexpected error may quote data; print only its type.
    print(
        f"unexpected error ({type(error).__name__}); this is a bug in reconciler "
        f"{__version__}. Please report it at {ISSUES_URL}",
        file=sys.stderr,
    )
    if verbose:
        traceback.print_exc()
    else:
        print("run again with --verbose to see the traceback", file=sys.stderr)
