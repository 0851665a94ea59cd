"""Start-up runs with the cyclic collector off; the first painted status turns it back on."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from app_harness import make_app, settle, wait_until

HEALTHY = "+12025550101"


@pytest.fixture
def collector_restored() -> Iterator[None]:
    """Nothing frozen when the test starts; the suite's frozen start-up after it (conftest)."""
    gc.unfreeze()
    yield
    gc.enable()
    gc.freeze()


async def test_first_status_turns_the_collector_back_on_and_freezes_start_up(
    sim: Any, tmp_path: Path, collector_restored: None
) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    app.config.startup_gc_paused = True
    gc.disable()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await wait_until(pilot, gc.isenabled, "the collector to be back on")
        assert app.screen.results, "no status arrived"  # type: ignore[attr-defined]
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0
        assert not app.config.startup_gc_paused


async def test_an_app_started_normally_leaves_the_collector_alone(
    sim: Any, tmp_path: Path, collector_restored: None
) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert app.screen.results  # type: ignore[attr-defined]
        await pilot.pause()
        assert gc.get_freeze_count() == 0
        assert gc.isenabled()


def tracked(obj: object) -> bool:
    """Whether the collector still scans ``obj`` (a frozen object is in no generation)."""
    return any(o is obj for o in gc.get_objects())


async def test_the_tabs_are_frozen_once_mounted_after_the_first_status(
    sim: Any, tmp_path: Path, collector_restored: None
) -> None:
    """The tabs mount after the first status's freeze; they are frozen in their turn,
    so full collections later in the session do not scan them again."""
    from leadping_tui.ui.widgets.event_log import EventLog

    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    app.config.startup_gc_paused = True
    gc.disable()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        events = app.screen.query_one(EventLog)
        await wait_until(pilot, lambda: not tracked(events), "the tabs to be frozen")
        assert gc.isenabled()
