"""Loaded by ``bench/e2e.py``'s plan process (this folder on PYTHONPATH): the moment the
process first connects a socket, its first request, is written to the file
``RECONCILER_BENCH_FIRST_REQUEST`` names, on the monotonic clock the bench's own
clock reads. Costs the plan an import of ``socket`` (a few milliseconds)."""

import os
import socket
import time

_FILE = os.environ.get("RECONCILER_BENCH_FIRST_REQUEST")
_connect = socket.socket.connect


def _first(self: socket.socket, address: object) -> None:
    socket.socket.connect = _connect  # type: ignore[method-assign]
    if _FILE:
        with open(_FILE, "w", encoding="ascii") as file:
            file.write(repr(time.monotonic()))
    return _connect(self, address)  # type: ignore[arg-type]


if _FILE:
    socket.socket.connect = _first  # type: ignore[method-assign,assignment]
