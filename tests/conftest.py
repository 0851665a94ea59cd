"""Shared fixtures.

Every test runs with its own XDG directories and without the developer's
LeadPing environment, so nothing here reads or writes a real user's files.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

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
    yield home
