from __future__ import annotations

import pytest

from reconciler.config.load import load_config
from reconciler.config.secrets import resolve, variable_of
from reconciler.errors import MissingSecretError
from tests.conftest import DATA

MINIMAL = DATA / "configs" / "valid-minimal.yaml"


def test_a_set_variable_resolves_to_a_secret_that_hides_itself() -> None:
    loaded = load_config(MINIMAL)
    secret = resolve(
        loaded,
        ("hris", "client_secret"),
        loaded.config.hris.client_secret,
        {"CHARLIEHR_CLIENT_SECRET": "s3cr3t-value"},
    )
    assert secret.reveal() == "s3cr3t-value"
    assert repr(secret) == str(secret) == f"{secret}" == "Secret('***')"


def test_a_missing_variable_names_it_and_the_config_line() -> None:
    loaded = load_config(MINIMAL)
    with pytest.raises(MissingSecretError) as caught:
        resolve(loaded, ("hris", "client_secret"), loaded.config.hris.client_secret, {})
    assert caught.value.message == (
        f"{MINIMAL}:5:18: environment variable CHARLIEHR_CLIENT_SECRET is not set "
        "(asked for by hris.client_secret)"
    )
    assert caught.value.remedy == (
        "export CHARLIEHR_CLIENT_SECRET, or add it as a secret of the workflow; "
        "`reconciler validate` and `reconciler test` need no secrets"
    )


def test_an_empty_variable_is_refused_without_echoing_anything() -> None:
    loaded = load_config(MINIMAL)
    with pytest.raises(MissingSecretError, match="LEDGY_API_KEY is set but empty"):
        resolve(loaded, ("ledgy", "api_key"), "env/LEDGY_API_KEY", {"LEDGY_API_KEY": ""})


def test_loading_needs_no_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CHARLIEHR_CLIENT_ID", "CHARLIEHR_CLIENT_SECRET", "LEDGY_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    assert load_config(MINIMAL).config.hris.client_id == "env/CHARLIEHR_CLIENT_ID"


def test_the_environment_is_read_when_none_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEDGY_API_KEY", "from-the-environment")
    loaded = load_config(MINIMAL)
    assert resolve(loaded, ("ledgy", "api_key"), "env/LEDGY_API_KEY").reveal() == (
        "from-the-environment"
    )


def test_only_an_env_reference_names_a_variable() -> None:
    assert variable_of("env/LEDGY_API_KEY") == "LEDGY_API_KEY"
    with pytest.raises(ValueError, match=r"^not an env/ reference$"):
        variable_of("sk_live_123")
