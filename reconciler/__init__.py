"""Keep Ledgy stakeholders in step with CharlieHR employees, GitOps style."""

import sys

# httpx imports its command-line client (click, rich.syntax, pygments: 40 ms and 97
# modules) whenever those happen to be installed, though nothing here runs it
# (encode/httpx#3547). An import stopped by ``None`` in sys.modules is the fallback
# httpx already has: ``httpx.main`` then only says the CLI is not installed.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]


def __getattr__(name: str) -> str:
    """``__version__``, read on first use: one source of the version, the git tag the
    distribution was built from. Reading the installed metadata (importlib.metadata)
    costs a plan's start-up a tenth of a second, and only ``--version`` and a bug
    report need it."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from reconciler.release import installed_version

    version = globals()["__version__"] = installed_version()
    return version
