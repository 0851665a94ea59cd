"""Shared fixtures.

Every test runs with its own XDG directories and without the developer's
LeadPing environment, so nothing here reads or writes a real user's files.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("home")
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        path = home / name.lower()
        path.mkdir()
        monkeypatch.setenv(name, str(path))
    monkeypatch.setenv("HOME", str(home))
    for name in ("LEADPING_API_KEY", "LEADPING_BASE_URL", "NO_COLOR", "TMUX"):
        monkeypatch.delenv(name, raising=False)
    # Tests that run the CLI in-process install the redacting excepthooks;
    # put the originals back so each test starts clean.
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    yield home


@pytest.fixture(autouse=True)
def recorded_notices(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every app's notices, for ``app_harness.notices(app)``."""
    from app_harness import record_notices

    record_notices(monkeypatch)


@pytest.fixture(scope="session")
def simulator() -> Iterator[Any]:
    """One loopback simulator for the session; tests clear faults they set."""
    from leadping_tui.simulator import Simulator

    with Simulator(shape="sdk") as sim:
        yield sim


@pytest.fixture
def sim(simulator: Any) -> Iterator[Any]:
    """The shared simulator, reset to the sdk shape with no faults, holds or recorded requests."""
    simulator.faults.clear()
    simulator.shape = "sdk"
    simulator.clear_requests()
    yield simulator
    simulator.holds.release_all()
    simulator.faults.clear()
    simulator.shape = "sdk"
