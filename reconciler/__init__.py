"""Keep Ledgy stakeholders in step with CharlieHR employees, GitOps style."""

__version__ = "0.1.0"
