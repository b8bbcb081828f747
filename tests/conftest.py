from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.wheelhouse import Wheelhouse

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def configs_dir() -> Path:
    return DATA / "configs"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Wheelhouse:
    """The release built once per session (slow: it reads the package index)."""
    from tests.wheelhouse import build_wheelhouse

    return build_wheelhouse(tmp_path_factory.mktemp("release"))


@pytest.fixture(autouse=True)
def _local_endpoints(monkeypatch: pytest.MonkeyPatch) -> None:
    """The local test mode: the emulators answer on loopback over plain http.

    A test of the endpoint rule itself removes the variable
    (``monkeypatch.delenv("RECONCILER_LOCAL_ENDPOINTS")``).
    """
    monkeypatch.setenv("RECONCILER_LOCAL_ENDPOINTS", "1")
