"""Start-up runs with the cyclic collector off; the first painted status turns it back on."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from app_harness import make_app, settle, wait_until

from leadping_tui.ui.app import SESSION_GC_THRESHOLDS

HEALTHY = "+12025550101"
PYTHON_DEFAULT = (700, 10, 10)


@pytest.fixture
def collector_restored() -> Iterator[None]:
    """Nothing frozen and Python's default thresholds when the test starts; the
    suite's frozen start-up and thresholds after it (conftest)."""
    suite_thresholds = gc.get_threshold()
    gc.unfreeze()
    gc.set_threshold(*PYTHON_DEFAULT)
    yield
    gc.enable()
    gc.freeze()
    gc.set_threshold(*suite_thresholds)


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
        # Collections are rarer for the rest of the session.
        assert gc.get_threshold() == SESSION_GC_THRESHOLDS != PYTHON_DEFAULT


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
        assert gc.get_threshold() == PYTHON_DEFAULT


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
