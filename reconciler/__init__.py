"""Keep Ledgy stakeholders in step with CharlieHR employees, GitOps style."""


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
