"""Loaded by ``bench/e2e.py``'s plan process (this folder on PYTHONPATH): two moments,
on the monotonic clock the bench's own clock reads, written to the file
``RECONCILER_BENCH_MARKS`` names as ``first last``:

- ``first``: when the process first connects a socket (its first request), the end of
  its start-up;
- ``last``: when it last received bytes (the last answer of its reads); what comes
  after is planning and output.

Costs the plan an import of ``socket`` and a Python call per receive (a few
milliseconds in all)."""

import atexit
import os
import socket
import time

_FILE = os.environ.get("RECONCILER_BENCH_MARKS")
_connect = socket.socket.connect
_recv = socket.socket.recv
_marks = {"first": float("nan"), "last": float("nan")}


def _first(self: socket.socket, address: object) -> None:
    socket.socket.connect = _connect  # type: ignore[method-assign]
    _marks["first"] = time.monotonic()
    return _connect(self, address)  # type: ignore[arg-type]


def _received(self: socket.socket, size: int, *flags: int) -> bytes:
    data = _recv(self, size, *flags)
    if data:
        _marks["last"] = time.monotonic()
    return data


def _write() -> None:
    with open(_FILE or os.devnull, "w", encoding="ascii") as file:
        file.write(f"{_marks['first']!r} {_marks['last']!r}")


if _FILE:
    socket.socket.connect = _first  # type: ignore[method-assign,assignment]
    socket.socket.recv = _received  # type: ignore[method-assign,assignment]
    atexit.register(_write)
