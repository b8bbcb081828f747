"""Benchmark: ``reconciler plan`` over HTTP against the served emulators, as CI runs it.

For each size: ``reconciler sandbox init --size N`` (CharlieHR and the Ledgy side
an earlier sync left), ``reconciler sandbox serve --latency L`` in its own
process, then ``reconciler plan`` as a process of its own, timed from start to exit
(interpreter start-up and imports included: what a user or CI waits for). Prints
the requests (CharlieHR and Ledgy), that wall time, the floor latency allows,
``ceil(requests / concurrency) x latency``, the ratio, the CPU time of the plan
process and of the emulator (wall time on a busy machine is mostly waiting for a
CPU), and the plan's peak memory; then how long the same plan process takes to
fail when the config maps into a Ledgy custom field that does not exist (the cheap
checks run before the long reads). The requests are counted in a separate,
in-process run of the same plan (its wall time, without start-up, is ``inproc_s``).
In the counted run the Ledgy client may wait ``LEDGY_TIMEOUT`` for the one big
stakeholder answer; the plan process keeps the client's own 30 s (at 100,000 employees
a busy machine can exceed it). Not a test: shared machines are noisy.

    .venv/bin/python bench/e2e.py [--sizes 10000 100000] [--latency 0.05] [--keep DIR]

``bare_s`` is this machine's practical floor at that moment: a bare httpx client (8
clients of one connection, no work but decoding each page) reading the same lists from
the same emulator, right after the plan. On a shared machine the floor the latency
allows is not reached even by that (loopback, the emulator's own work, the event loops);
``over_bare_s`` is what the plan process takes beyond it, start-up and planning included.

Before timing, the package's modules are compiled to bytecode (:func:`_bytecode`), as
installing it does: a user's ``reconciler`` never compiles its modules at start-up.

``first_s`` is the plan process's start-up: from spawn to its first socket connect
(its first request); ``last_s`` from spawn to the last bytes it received (the end of its
reads); ``tail_s`` from there to its exit (the salary join, planning and output). Both
moments are noted by ``bench/process_marks/sitecustomize.py``, which the bench puts on
the process's PYTHONPATH. ``last_s`` over the floor is the ratio a process that stopped
after reading would show. The load average is printed with each row. Where the
start-up goes: ``.venv/bin/python -X importtime -m reconciler plan ...``.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import json
import math
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "company.yaml"
CONCURRENCY = 8
LEDGY_TIMEOUT = 300.0


def _bytecode() -> None:
    """Compile the package's modules where the plan process imports them from, as
    installing a wheel does (pip writes the bytecode at install). Run in place from a
    checkout (an editable install) where PYTHONDONTWRITEBYTECODE is set, as on the
    machines CI uses, the process would compile every module at every start: 0.11 s
    before the first request, 0.31 s for the whole package. Modules already compiled
    and unchanged since are left as they are."""
    import reconciler

    compileall.compile_dir(Path(reconciler.__file__).parent, quiet=1)


def _run(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "reconciler", *args], check=True, capture_output=True)


@contextmanager
def _serving(directory: Path, latency: float) -> Iterator[tuple[str, str]]:
    """Two ``sandbox serve`` processes, as two companies' servers would be: CharlieHR
    (with the latency) from one, Ledgy from the other, so a long Ledgy answer never
    holds up CharlieHR's pages. Yields the CharlieHR and Ledgy URLs."""
    with _serve(directory, latency) as (charliehr, _), _serve(directory, 0.0) as (_, ledgy):
        yield charliehr, ledgy


@contextmanager
def _serve(directory: Path, latency: float) -> Iterator[tuple[str, str]]:
    command = [sys.executable, "-m", "reconciler", "sandbox", "serve", str(directory)]
    command += ["--port", "0", "--latency", str(latency)]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    ) as process:
        try:
            assert process.stdout is not None
            lines = [process.stdout.readline() for _ in range(3)]
            charliehr = lines[0].split(": ", 1)[1].strip()
            ledgy = lines[2].split(": ", 1)[1].split(" ", 1)[0]
            yield charliehr, ledgy
        finally:
            if latency:
                SERVED["cpu"] = cpu_seconds(process.pid)
            stop(process)


SERVED: dict[str, float] = {}
"""The CharlieHR emulator's CPU seconds (loading the company included), read just
before it is stopped."""


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process (Linux ``/proc``), or NaN elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return math.nan
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def stop(process: subprocess.Popen[str], timeout: float = 10.0) -> None:
    """SIGTERM, then SIGKILL after ``timeout`` (a background process ignores SIGINT)."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _config(directory: Path, charliehr: str, ledgy: str, *, broken: bool = False) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("https://charliehr.com/api/v1", charliehr)
    text = text.replace("https://app.ledgy.com/graphql", ledgy)
    if broken:
        text = text.replace("to: Job title}", "to: Job titel}")
    path = directory / ("broken.yaml" if broken else "company.yaml")
    path.write_text(text, encoding="utf-8")
    return path


def measure(size: int, latency: float, keep: Path | None = None) -> dict[str, Any]:
    """Init, serve and plan one size; the child process reports its numbers.

    With ``keep`` the sandbox is made once in ``keep/size-N`` and reused by later runs
    (at 100,000 employees making it takes minutes).
    """
    with tempfile.TemporaryDirectory(prefix="bench-e2e-") as tmp:
        directory = Path(tmp) if keep is None else keep / f"size-{size}"
        if not (directory / "ledgy.json").exists():
            directory.mkdir(parents=True, exist_ok=True)
            command = ("sandbox", "init", str(directory), "--size", str(size))
            _run(*command, "--config", str(EXAMPLE))
        with _serving(directory, latency) as (charliehr, ledgy):
            numbers = _plan(_config(directory, charliehr, ledgy))
            bare = asyncio.run(_bare(charliehr))
            broken = _plan(_config(directory, charliehr, ledgy, broken=True), count=False)
    return {
        "size": size,
        **numbers,
        "config_error": broken["wall"],
        "bare": bare,
        "server_cpu": SERVED.get("cpu", math.nan),
    }


BARE_LISTS = ("team_members", "salaries", "teams", "offices")
TOKEN = {"Authorization": "Token token=sandbox-client-id:sandbox-client-secret"}


async def _bare(charliehr: str) -> float:
    """Seconds a bare httpx client takes to read the company and every page of the lists,
    8 requests in flight, decoding each answer and nothing else."""
    clients = [
        httpx.AsyncClient(
            base_url=charliehr + "/", headers=TOKEN, limits=httpx.Limits(max_connections=1)
        )
        for _ in range(CONCURRENCY)
    ]
    started = time.perf_counter()
    first = await asyncio.gather(
        clients[0].get("company"),
        *(
            c.get(name, params={"page": 1, "per_page": 25})
            for c, name in zip(clients[1:], BARE_LISTS, strict=False)
        ),
    )
    pages = asyncio.Queue[tuple[str, int]]()
    for name, answer in zip(BARE_LISTS, first[1:], strict=True):
        for page in range(2, answer.json()["meta"]["total_pages"] + 1):
            pages.put_nowait((name, page))

    async def read(client: httpx.AsyncClient) -> None:
        while not pages.empty():
            name, page = pages.get_nowait()
            answer = await client.get(name, params={"page": page, "per_page": 25})
            answer.raise_for_status()
            answer.json()

    await asyncio.gather(*(read(c) for c in clients))
    wall = time.perf_counter() - started
    await asyncio.gather(*(c.aclose() for c in clients))
    return wall


ENV = {
    "CHARLIEHR_CLIENT_ID": "sandbox-client-id",
    "CHARLIEHR_CLIENT_SECRET": "sandbox-client-secret",
    "LEDGY_API_KEY": "sandbox-ledgy-key",
    "RECONCILER_LOCAL_ENDPOINTS": "1",  # the emulators answer over http on loopback
}


def _plan(config: Path, *, count: bool = True) -> dict[str, Any]:
    """The plan as a process (timed start to exit); with ``count``, the requests too."""
    env = {**os.environ, **ENV}
    numbers: dict[str, Any] = {}
    if count:
        command = [sys.executable, __file__, "--child", str(config)]
        done = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
        counted = json.loads(done.stdout.strip().splitlines()[-1])
        numbers = {"inproc": counted.pop("wall"), **counted}
    return {**numbers, **_process(config, env)}


def _command() -> list[str]:
    """The installed ``reconciler`` script, as CI calls it (else ``python -m reconciler``)."""
    script = Path(sys.executable).parent / "reconciler"
    return [str(script)] if script.exists() else [sys.executable, "-m", "reconciler"]


def _process(config: Path, env: dict[str, str]) -> dict[str, Any]:
    """``reconciler plan CONFIG`` in a process of its own: wall time from spawn to exit,
    and that one process's CPU time and peak memory (``wait4``)."""
    argv = [*_command(), "plan", str(config)]
    quiet = [(os.POSIX_SPAWN_OPEN, fd, os.devnull, os.O_WRONLY, 0) for fd in (1, 2)]
    marks = config.with_suffix(".marks")
    marks.unlink(missing_ok=True)
    env = {**env, **_marks_hook(marks)}
    started = time.monotonic()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=quiet)
    _, status, usage = os.wait4(pid, 0)
    wall = time.monotonic() - started
    first, last = _read_marks(marks)
    return {
        "exit": os.waitstatus_to_exitcode(status),
        "wall": wall,
        "first": first - started,
        "last": last - started,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak": usage.ru_maxrss * 1024,
    }


def _marks_hook(path: Path) -> dict[str, str]:
    """The environment that has the plan process note its first connect and its last
    receive (``bench/process_marks/sitecustomize.py``)."""
    hook = str(Path(__file__).parent / "process_marks")
    pythonpath = os.pathsep.join(filter(None, [hook, os.environ.get("PYTHONPATH")]))
    return {"PYTHONPATH": pythonpath, "RECONCILER_BENCH_MARKS": str(path)}


def _read_marks(path: Path) -> tuple[float, float]:
    """The two moments the process noted (NaN where it noted none)."""
    if not path.exists():
        return math.nan, math.nan
    first, last = (float(mark) for mark in path.read_text().split())
    return first, last


def child(config: Path) -> None:
    """``reconciler plan`` in this process, with every HTTP request counted by host."""
    import reconciler.commands.plan  # noqa: F401 - imported before the clock starts
    from reconciler.main import main
    from reconciler.targets.ledgy.client import LedgyClient

    # The Ledgy emulator answers every stakeholder in one GraphQL response; at 100,000
    # employees that takes longer than the client's 30 s timeout on a busy machine.
    defaults = LedgyClient.__init__.__kwdefaults__ or {}
    defaults["timeout"] = LEDGY_TIMEOUT

    sent: Counter[str] = Counter()
    send = httpx.AsyncClient.send

    async def counted(self: httpx.AsyncClient, request: httpx.Request, **kw: Any) -> Any:
        sent["ledgy" if "/ledgy" in request.url.path else "charliehr"] += 1
        return await send(self, request, **kw)

    httpx.AsyncClient.send = counted  # type: ignore[method-assign]
    started = time.perf_counter()
    with open(os.devnull, "w") as sink:
        stdout, stderr, sys.stdout, sys.stderr = sys.stdout, sys.stderr, sink, sink
        try:
            code = main(["plan", str(config)])
        finally:
            sys.stdout, sys.stderr = stdout, stderr
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak, cpu = usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime
    print(json.dumps({"exit": code, "wall": wall, "cpu": cpu, "peak": peak, **sent}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--keep", type=Path, help="make each sandbox once here and reuse it")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    _bytecode()
    print(f"reconciler plan over HTTP, {args.latency * 1000:.0f} ms per CharlieHR request, ")
    print(f"{CONCURRENCY} in flight; floor = ceil(requests / {CONCURRENCY}) x latency;")
    print("wall_s: the `reconciler plan` process, start to exit; first_s: start to its first")
    print("request (start-up and imports); last_s: start to its last answer (the reads);")
    print("tail_s: last answer to exit (join, plan, output); inproc_s: the plan in process;")
    print("bare_s: a bare httpx client reading the same lists (this machine's practical floor)")
    print(f"load average: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    header = [
        "employees",
        "CharlieHR",
        "Ledgy",
        "wall_s",
        "first_s",
        "last_s",
        "tail_s",
        "floor_s",
        "ratio",
        "inproc_s",
        "cpu_s",
        "emu_cpu_s",
        "peak_MiB",
        "exit",
        "cfg_err_s",
        "bare_s",
        "over_bare_s",
    ]
    print(" ".join(f"{h:>10}" for h in header), flush=True)
    for size in args.sizes:
        row = measure(size, args.latency, args.keep)
        requests = row.get("charliehr", 0) + row.get("ledgy", 0)
        floor = math.ceil(requests / CONCURRENCY) * args.latency
        cells = (
            f"{size:,}",
            f"{row.get('charliehr', 0)}",
            f"{row.get('ledgy', 0)}",
            f"{row['wall']:.2f}",
            f"{row['first']:.2f}",
            f"{row['last']:.2f}",
            f"{row['wall'] - row['last']:.2f}",
            f"{floor:.2f}",
            f"{row['wall'] / floor:.2f}",
            f"{row.get('inproc', math.nan):.2f}",
            f"{row['cpu']:.2f}",
            f"{row['server_cpu']:.2f}",
            f"{row['peak'] / 2**20:.0f}",
            f"{row['exit']}",
            f"{row['config_error']:.2f}",
            f"{row['bare']:.2f}",
            f"{row['wall'] - row['bare']:.2f}",
        )
        load = " ".join(f"{n:.2f}" for n in os.getloadavg())
        print(" ".join(f"{c:>10}" for c in cells) + f"  load {load}", flush=True)


if __name__ == "__main__":
    main()
