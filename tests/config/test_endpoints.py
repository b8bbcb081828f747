"""The endpoints that receive the credentials: https and a public host, outside the sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.config.endpoints import endpoint_problem
from reconciler.config.load import load_config
from reconciler.errors import ConfigError

CONFIG = """version: 1
hris:
  provider: charliehr
  client_id: env/HR_ID
  client_secret: env/HR_SECRET
  base_url: {hris}
ledgy:
  company: Acme Ltd
  api_key: env/LEDGY_KEY
  url: {ledgy}
"""


@pytest.mark.parametrize(
    "url",
    [
        "https://charliehr.com/api/v1",
        "https://app.ledgy.com/graphql",
        "https://proxy.example.com:8443/charliehr",
        "https://8.8.8.8/api",
        "https://[2606:4700::1111]/api",
    ],
)
def test_a_public_https_endpoint_is_fit(url: str) -> None:
    assert endpoint_problem(url) is None


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("http://charliehr.com/api/v1", "must be https://"),
        ("https://169.254.169.254/latest/meta-data", "a link-local address"),
        ("https://[fe80::1]/graphql", "a link-local address"),
        ("https://127.0.0.1:8080/api", "a loopback address"),
        ("https://[::1]/api", "a loopback address"),
        ("https://[::ffff:127.0.0.1]/api", "a loopback address"),
        ("https://10.0.0.7/api", "a private network address"),
        ("https://192.168.1.20/api", "a private network address"),
        ("https://100.64.0.1/api", "a reserved address"),
        ("https://0.0.0.0/api", "a loopback address"),
        ("https://2130706433/api", "an unusual numeric form"),
        ("https://0x7f.1/api", "an unusual numeric form"),
        ("https://localhost/api", "a host on this machine or network"),
        ("https://LOCALHOST./api", "a host on this machine or network"),
        ("https://ledgy.localhost/api", "a host on this machine or network"),
        ("https://printer.local/api", "a host on this machine or network"),
        ("https://metadata.google.internal/api", "a host on this machine or network"),
        ("https://user:pass@charliehr.com/api/v1", "holds a user or password"),
        ("https:///api", "not an http(s) URL with a host"),
    ],
)
def test_an_endpoint_that_could_leak_the_keys_is_refused(url: str, said: str) -> None:
    problem = endpoint_problem(url)
    assert problem is not None and said in problem[0]


def test_the_local_mode_allows_plain_http_on_this_machine_but_no_user_in_the_url() -> None:
    assert endpoint_problem("http://127.0.0.1:8123/charliehr", local=True) is None
    assert endpoint_problem("http://localhost/graphql", local=True) is None
    refused = endpoint_problem("http://me:pw@127.0.0.1/graphql", local=True)
    assert refused is not None and "user or password" in refused[0]


def _write(tmp_path: Path, hris: str, ledgy: str) -> Path:
    path = tmp_path / "company.yaml"
    path.write_text(CONFIG.format(hris=hris, ledgy=ledgy))
    return path


def test_a_config_with_plain_http_or_a_metadata_address_fails_at_the_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RECONCILER_LOCAL_ENDPOINTS")
    path = _write(tmp_path, "http://charliehr.com/api/v1", "https://169.254.169.254/graphql")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    found = {(p.line, p.col): p.message for p in caught.value.problems}
    assert found[(6, 13)].startswith("hris.base_url: must be https://")
    assert found[(10, 8)].startswith("ledgy.url: names a link-local address")
    hints = " ".join(p.hint or "" for p in caught.value.problems)
    assert "RECONCILER_LOCAL_ENDPOINTS=1" in hints


def test_the_sandbox_and_the_local_test_mode_take_local_endpoints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path, "http://127.0.0.1:8001/charliehr", "http://127.0.0.1:8002/graphql")
    monkeypatch.delenv("RECONCILER_LOCAL_ENDPOINTS")
    assert load_config(path, local=True).config.ledgy.url == "http://127.0.0.1:8002/graphql"
    with pytest.raises(ConfigError):
        load_config(path)
    monkeypatch.setenv("RECONCILER_LOCAL_ENDPOINTS", "1")
    assert load_config(path).config.hris.base_url == "http://127.0.0.1:8001/charliehr"
