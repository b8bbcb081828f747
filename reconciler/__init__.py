"""Keep Ledgy stakeholders in step with CharlieHR employees, GitOps style."""

from reconciler.release import installed_version

# One source of the version: the git tag the distribution was built from.
__version__ = installed_version()
