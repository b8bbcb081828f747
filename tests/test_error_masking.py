"""No value an API quotes back in an error reaches any output (issue 18, item 6).

Servers echo what they refuse: graphql-core quotes a whole variable value, a REST
server the record it could not take. The emulators do the same on request (Ledgy
``Refusals``, CharlieHR ``Behaviour.echo_errors``, GitHub ``fail_next(echo=True)``)
while the data holds sentinel personal values: a birthdate, a street, a city, a
postcode, a phone, a personal email, a pay. Each client's error paths run over
loopback HTTP, and a control reads the raw answers and finds the sentinels in
them, so their absence from the error is the masking at work. Then the CLI runs
with ``-v`` and every output is scanned: stdout, stderr, the DEBUG log, the
journal, the apply result, the pull request comments and the job summary.
"""

from __future__ import annotations

import ast
import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from reconciler.config.secrets import Secret
from reconciler.domain.stakeholder import Value
from reconciler.domain.writes import Write
from reconciler.errors import GitHubError, SourceError, TargetError
from reconciler.github.client import GitHubClient
from reconciler.http.retry import RetryPolicy
from reconciler.main import main
from reconciler.sandbox.charliehr import Behaviour, CharlieHRData
from reconciler.sandbox.github import SANDBOX_TOKEN, GitHubData
from reconciler.sandbox.github_app import create_app as create_github_app
from reconciler.sandbox.ledgy import Refusals
from reconciler.sandbox.ledgy_data import LedgyData
from reconciler.sandbox.server import serve_in_thread
from reconciler.targets.ledgy.client import LedgyClient
from reconciler.targets.ledgy.operations import load_operations
from tests.e2e.harness import Live, live, member
from tests.github.harness import actions
from tests.sandbox.helpers import charliehr, ledgy

BIRTHDATE = "1901-02-03"
STREET = "SENTINEL-STREET 99"
CITY = "Qsentinelcity"
POSTCODE = "SX9 9XS"
PHONE = "+44 7700 900987"
PERSONAL_EMAIL = "sentinel.private@mail.example"
PAY = 987654.32
TRACES = (BIRTHDATE, "SENTINEL-STREET", CITY, "SX9", "900987", "900 987", "sentinel.private",
          "987654", "987,654")  # fmt: skip
"""What any echo of the sentinels would hold, however a server spells them."""


def _leaks(text: str) -> list[str]:
    return [trace for trace in TRACES if trace.casefold() in text.casefold()]


class Recorder(httpx.AsyncBaseTransport):
    """Real HTTP, with every answer's body kept: the control that the echo happened."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.bodies: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        content = await response.aread()
        self.bodies.append(content.decode("utf-8", "replace"))
        return httpx.Response(
            response.status_code, headers=response.headers, content=content, request=request
        )

    async def aclose(self) -> None:
        await self._inner.aclose()

    def echoed(self) -> list[str]:
        return _leaks("\n".join(self.bodies))


# -- each client's error paths ------------------------------------------------

pytestmark = pytest.mark.anyio

COMPANY = {"id": "co_1", "name": "Acme Ltd"}


def _write() -> Write:
    values: dict[str, Value] = {
        "name": "Person 1",
        "identifier": "person1@acme.test",
        "email": "person1@acme.test",
        "birthdate": date.fromisoformat(BIRTHDATE),
        "address.line1": STREET,
        "address.city": CITY,
        "address.postcode": POSTCODE,
        "hris.mobile_phone": PHONE,
        "hris.personal_email": PERSONAL_EMAIL,
        "hris.pay_rate": PAY,
    }
    return Write("create", "person1@acme.test", values)


async def test_ledgy_a_write_refused_with_its_input_quoted_shows_no_value() -> None:
    recorder = Recorder()
    with ledgy(LedgyData(COMPANY), refusals=Refusals(refused=("birthdate",))) as api:
        target = api.target(transport=recorder)
        (result,) = await target.apply([_write()])
        await target.aclose()
    assert not result.ok and (result.error or "").startswith("Invalid birthdate (masked)")
    assert _leaks(result.error or "") == []
    assert recorder.echoed() != []


async def test_ledgy_a_batch_a_stricter_schema_refuses_shows_no_value() -> None:
    recorder = Recorder()
    with ledgy(LedgyData(COMPANY), refusals=Refusals(required=("nationality",))) as api:
        target = api.target(transport=recorder)
        with pytest.raises(TargetError) as caught:
            await target.apply([_write(), _write()])
        await target.aclose()
    message = caught.value.message
    assert "to include required field 'nationality', found: (masked)" in message
    assert _leaks(message) == []
    assert recorder.echoed() != []


async def test_ledgy_a_refused_request_shows_only_its_first_message_masked() -> None:
    echo = {"errors": [{"message": f"Bad input {json.dumps(_write().values, default=str)}"}]}

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json=echo)

    client = LedgyClient(
        "https://ledgy.test/graphql",
        Secret("key"),
        load_operations(),
        transport=httpx.MockTransport(answer),
        rate_limit=None,
    )
    with pytest.raises(TargetError) as caught:
        await client.write([_write()])
    await client.aclose()
    assert caught.value.message == (
        "Ledgy POST /graphql (WriteBatch) answered 400: Bad input (masked)"
    )


def _hr_data() -> CharlieHRData:
    sentinel = member(
        1,
        date_of_birth=BIRTHDATE,
        address_line_1=STREET,
        city=CITY,
        postcode=POSTCODE,
        phone_number=PHONE,
        personal_email=PERSONAL_EMAIL,
    )
    salary = {"id": "s1", "team_member": "tm_0001", "pay_rate": PAY, "pay_currency": "GBP"}
    return CharlieHRData(COMPANY, [sentinel], [salary])


@pytest.mark.parametrize("status", [422, 400, 200])
@pytest.mark.parametrize("resource", ["team_members", "salaries"])
async def test_charliehr_an_error_quoting_a_record_shows_no_value(
    status: int, resource: str
) -> None:
    recorder = Recorder()
    behaviour = Behaviour(echo_errors=(resource,), echo_status=status)
    with charliehr(_hr_data(), behaviour=behaviour) as hr:
        client = hr.client(transport=recorder, concurrency=1)
        with pytest.raises(SourceError) as caught:
            await (client.team_members() if resource == "team_members" else client.salaries())
        await client.aclose()
    message = caught.value.message
    assert "Unprocessable request /api/v1/" in message and "(masked)" in message
    assert _leaks(message) == []
    assert recorder.echoed() != []


async def test_charliehr_an_error_object_is_reduced_to_its_message() -> None:
    record = {"date_of_birth": BIRTHDATE, "address_line_1": STREET}

    def answer(request: httpx.Request) -> httpx.Response:
        body = {"success": False, "error": {"message": f"Bad record {json.dumps(record)}"}}
        return httpx.Response(422, json=body)

    from reconciler.sources.charliehr.client import CharlieHRClient
    from tests.sandbox.helpers import CREDENTIALS

    client = CharlieHRClient(
        "https://charliehr.test/api/v1", CREDENTIALS, transport=httpx.MockTransport(answer)
    )
    with pytest.raises(SourceError) as caught:
        await client.company()
    await client.aclose()
    assert caught.value.message == "CharlieHR GET /company answered 422: Bad record (masked)"


@contextmanager
def _github() -> Iterator[tuple[GitHubData, str]]:
    data = GitHubData()
    with serve_in_thread(create_github_app(data)) as url:
        yield data, url


@pytest.mark.parametrize("status", [422, 403])
async def test_github_an_error_quoting_what_was_sent_shows_no_value(status: int) -> None:
    recorder = Recorder()
    body = f"{STREET}, {CITY} {POSTCODE}\nborn {BIRTHDATE}, {PHONE}, {PERSONAL_EMAIL}, {PAY}"
    with _github() as (data, url):
        data.fail_next(method="POST", status=status, echo=True)
        client = GitHubClient(
            url,
            Secret(SANDBOX_TOKEN),
            data.repository,
            transport=recorder,
            policy=RetryPolicy(attempts=1),
        )
        with pytest.raises(GitHubError) as caught:
            await client.create_issue(f"Person 1 ({PERSONAL_EMAIL})", body, ["x"])
        await client.aclose()
    message = caught.value.message
    assert "is invalid in (masked)" in message
    assert _leaks(message) == []
    assert recorder.echoed() != []


# -- the CLI, every output, with -v ------------------------------------------

MAPPING = "  optional_fields: [mobile_phone, pay_rate]"


def _members() -> list[dict[str, Any]]:
    return [
        member(n, date_of_birth=BIRTHDATE, address_line_1=STREET, city=CITY, postcode=POSTCODE,
               phone_number=PHONE, personal_email=PERSONAL_EMAIL)
        for n in (1, 2)
    ]  # fmt: skip


def _salaries() -> list[dict[str, Any]]:
    return [
        {"id": f"s{n}", "team_member": f"tm_{n:04d}", "pay_rate": PAY, "pay_period": "annual",
         "pay_currency": "GBP", "effective_date": "2024-01-01"}
        for n in (1, 2)
    ]  # fmt: skip


@contextmanager
def _company(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **options: Any) -> Iterator[Live]:
    with live(
        tmp_path, monkeypatch, _members(), [], stakeholders=MAPPING, salaries=_salaries(), **options
    ) as run:
        yield run


def _apply(run: Live, tmp_path: Path, *extra: str) -> list[str]:
    files = ["--journal", str(tmp_path / "journal.jsonl")]
    files += ["--format", "json", "--out", str(tmp_path / "result.json")]
    return ["apply", str(run.loaded.path), "-v", *files, *extra]


def _files(tmp_path: Path) -> str:
    """Every file the run left: journal, apply result, summary, saved plans."""
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in tmp_path.rglob("*")
             if p.is_file() and p.suffix in (".jsonl", ".json", ".md", ".txt")]  # fmt: skip
    return "\n".join(texts)


def _everything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> str:
    printed = capsys.readouterr()
    return "\n".join([printed.out, printed.err, caplog.text, _files(tmp_path)])


@pytest.fixture
def debug_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every log record at DEBUG, the libraries' too, as ``-v`` prints them."""
    caplog.set_level(logging.DEBUG)
    return caplog


@pytest.mark.parametrize(
    ("refusals", "said"),
    [
        (Refusals(refused=("birthdate",)), "Invalid birthdate (masked)"),
        (Refusals(required=("nationality",)), "required field 'nationality', found: (masked)"),
    ],
    ids=["each write", "the batch"],
)
def test_apply_shows_no_value_ledgy_quotes_back(
    refusals: Refusals,
    said: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    debug_log: pytest.LogCaptureFixture,
) -> None:
    with _company(tmp_path, monkeypatch, ledgy_refusals=refusals) as run:
        assert main(_apply(run, tmp_path, "--auto-approve")) == 1
        assert run.ledgy.stakeholders == []
    outputs = _everything(tmp_path, capsys, debug_log)
    assert said in outputs and said in (tmp_path / "journal.jsonl").read_text()
    assert _leaks(outputs) == []


def test_apply_shows_no_value_charliehr_quotes_back(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    debug_log: pytest.LogCaptureFixture,
) -> None:
    behaviour = Behaviour(echo_errors=("team_members",))
    with _company(tmp_path, monkeypatch, hr_behaviour=behaviour) as run:
        assert main(_apply(run, tmp_path, "--auto-approve")) == 1
    outputs = _everything(tmp_path, capsys, debug_log)
    assert "answered 422: Unprocessable request /api/v1/team_members" in outputs
    assert _leaks(outputs) == []


def test_the_pull_request_loop_shows_no_value_ledgy_or_github_quote_back(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    debug_log: pytest.LogCaptureFixture,
) -> None:
    with (
        actions(tmp_path, monkeypatch) as gh,
        _company(tmp_path, monkeypatch, ledgy_refusals=Refusals(refused=("birthdate",))) as run,
    ):
        gh.commit_config(run.loaded.path)
        gh.open_pull(10)
        assert main(["plan", str(run.loaded.path), "--comment", "-v"]) == 0
        gh.merge(10)
        assert main(_apply(run, tmp_path, "--from-pr")) == 1
        receipt = gh.comments(10)[-1]["body"]
        gh.data.fail_next(method="POST", status=422, echo=True)
        gh.open_pull(11)
        assert main(["plan", str(run.loaded.path), "--comment", "-v"]) == 1
        posted = gh.everything_posted()
    outputs = _everything(tmp_path, capsys, debug_log)
    assert "Invalid birthdate (masked)" in receipt
    assert "answered 422: body (masked)" in outputs
    assert _leaks(posted + outputs) == []


@pytest.mark.slow
def test_verbose_apply_in_its_own_process_prints_no_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real ``-v``: the CLI's own log handler at DEBUG, on the real stderr."""
    with _company(tmp_path, monkeypatch, ledgy_refusals=Refusals(refused=("birthdate",))) as run:
        command = [sys.executable, "-m", "reconciler", *_apply(run, tmp_path, "--auto-approve")]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1
    assert "DEBUG" in done.stderr and "Invalid birthdate (masked)" in done.stderr
    assert _leaks(done.stdout + done.stderr + _files(tmp_path)) == []


# -- the log -------------------------------------------------------------------

LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical", "log"}
BODY_NAMES = {"body", "text", "content", "payload", "variables", "answer", "data", "json"}
"""What a request or an answer is held in: a log call may format none of them."""


def _log_calls(tree: ast.AST) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in LOG_METHODS
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in ("logger", "logging", "log")
        ):
            yield node


def _formats_a_body(call: ast.Call) -> bool:
    values = [*call.args, *(k.value for k in call.keywords)]
    for value in values:
        if isinstance(value, ast.Name) and value.id in ("response", "request"):
            return True
        for node in ast.walk(value):
            if isinstance(node, ast.Name) and node.id in BODY_NAMES:
                return True
            if isinstance(node, ast.Attribute) and node.attr in BODY_NAMES:
                return True
    return False


def test_no_log_call_formats_a_request_or_an_answer() -> None:
    package = Path(__file__).parent.parent / "reconciler"
    found = [
        f"{path.relative_to(package)}:{call.lineno}"
        for path in sorted(package.rglob("*.py"))
        for call in _log_calls(ast.parse(path.read_text(encoding="utf-8")))
        if _formats_a_body(call)
    ]
    assert found == []
    calls = [c for p in package.rglob("*.py") for c in _log_calls(ast.parse(p.read_text()))]
    assert len(calls) >= 10  # the scan does see the log calls there are
