"""``reconciler sandbox serve`` and ``init`` as a user runs them."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from reconciler.main import main
from reconciler.sandbox.charliehr import SANDBOX_ID, SANDBOX_SECRET


def _default_sigint() -> None:
    # As a terminal's Ctrl-C meets it, even when the suite itself runs as a background
    # job (which starts with SIGINT ignored, and children inherit that).
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _stopped(process: subprocess.Popen[str], how: signal.Signals) -> int:
    """Send ``how`` and wait; a server that does not stop is killed, never waited on for
    ever (Popen's exit waits without a timeout)."""
    process.send_signal(how)
    try:
        return process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        raise


def test_serve_answers_on_loopback_until_interrupted() -> None:
    command = [
        sys.executable,
        "-m",
        "reconciler",
        "sandbox",
        "serve",
        "--port",
        "0",
        "--size",
        "30",
    ]
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        preexec_fn=_default_sigint,
    ) as process:
        try:
            assert process.stdout is not None
            url = process.stdout.readline().split(": ", 1)[1].strip()
            headers = {"Authorization": f"Token token={SANDBOX_ID}:{SANDBOX_SECRET}"}
            body = httpx.get(f"{url}/team_members", headers=headers).json()
            assert body["success"] is True and body["meta"]["total_results"] == 30
            assert httpx.get(f"{url}/company").status_code == 401
            lines = [process.stdout.readline() for _ in range(3)]
            ledgy = lines[1].split(": ", 1)[1].split(" ", 1)[0]
            auth = httpx.post(
                ledgy,
                json={"query": "{ auth { companyName } }"},
                headers={"Authorization": "Bearer sandbox-ledgy-key"},
            )
            assert auth.json() == {"data": {"auth": {"companyName": "Acme Ltd"}}}
            github = lines[2].split(": ", 1)[1].split(" ", 1)[0]
            assert httpx.get(f"{github}/repos/acme/x/issues").status_code == 401
        finally:
            assert _stopped(process, signal.SIGINT) == 0


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # as for a job started with & in a script


def test_serve_without_totals_stops_on_sigterm_when_sigint_is_ignored() -> None:
    command = [sys.executable, "-m", "reconciler", "sandbox", "serve", "--port", "0"]
    command += ["--size", "30", "--no-totals", "--faults", "short_page,429"]
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        preexec_fn=_ignore_sigint,
    ) as process:
        try:
            assert process.stdout is not None
            url = process.stdout.readline().split(": ", 1)[1].strip()
            headers = {"Authorization": f"Token token={SANDBOX_ID}:{SANDBOX_SECRET}"}
            body = httpx.get(f"{url}//team_members/", headers=headers).json()
            assert body["meta"] == {"next_url": "?page=2&per_page=25", "previous_url": None}
        finally:
            assert _stopped(process, signal.SIGTERM) == 0


def test_serve_refuses_an_unknown_fault(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sandbox", "serve", "--faults", "short_page,gremlins"]) == 1
    assert "--faults: unknown kind gremlins" in capsys.readouterr().err


def test_init_writes_a_demo_company(tmp_path: Path) -> None:
    assert main(["sandbox", "init", str(tmp_path), "--size", "12"]) == 0
    data = json.loads((tmp_path / "charliehr.json").read_text())
    assert len(data["team_members"]) == 12 and data["company"]["name"] == "Acme Ltd"


def test_init_onto_a_file_is_a_user_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    taken = tmp_path / "taken"
    taken.write_text("")
    assert main(["sandbox", "init", str(taken), "--size", "3"]) == 1
    err = capsys.readouterr().err
    assert "exists and is not a directory" in err and "bug" not in err


def test_init_with_a_negative_size_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["sandbox", "init", str(tmp_path / "d"), "--size", "-3"])
    assert caught.value.code == 64


def test_serve_on_a_busy_port_is_a_user_error(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        assert main(["sandbox", "serve", "--port", str(port), "--size", "3"]) == 1
    err = capsys.readouterr().err
    assert f"port {port}" in err and "--port" in err and "bug" not in err
