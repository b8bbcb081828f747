"""The argparse tree of the command line, a module per kind of verb.

Each verb's ``run`` imports its command module only when that verb runs, so that
building the whole tree stays cheap (``reconciler validate`` is a pre-commit hook).
Shared argument groups live in :mod:`reconciler.cli.args`.
"""
