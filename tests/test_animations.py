"""Nothing animates unless TEXTUAL_ANIMATIONS asks for it (fewer frames and bytes over SSH)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from app_harness import make_app, settle

from leadping_tui.ui.app_terminal import animation_level


@pytest.mark.parametrize(
    ("value", "level"),
    [
        (None, "none"),
        ("full", "full"),
        (" Basic ", "basic"),
        ("NONE", "none"),
        ("sometimes", "none"),
        ("", "none"),
    ],
)
def test_the_level_is_none_unless_the_environment_names_another(
    value: str | None, level: str
) -> None:
    environ = {} if value is None else {"TEXTUAL_ANIMATIONS": value}
    assert animation_level(environ) == level


@pytest.mark.parametrize(("value", "level"), [(None, "none"), ("full", "full")])
async def test_the_app_takes_its_level_from_the_environment(
    sim: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str | None, level: str
) -> None:
    if value is None:
        monkeypatch.delenv("TEXTUAL_ANIMATIONS", raising=False)
    else:
        monkeypatch.setenv("TEXTUAL_ANIMATIONS", value)
    app = make_app(sim, tmp_path, watchlist=["+12025550101"])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert app.animation_level == level
