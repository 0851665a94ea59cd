"""An idle dashboard wakes when some text on it would change, not every second (issue 12)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app_harness import dashboard, make_app, on_fake_clock, settle

from leadping_tui.simulator import Fault
from leadping_tui.ui.widgets.status_bar import StatusBar

HEALTHY = "+12025550101"


async def test_fresh_unchanging_data_lets_the_screen_sleep(sim: Any, tmp_path: Path) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    on_fake_clock(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        screen = dashboard(app)
        assert HEALTHY in screen.results
        state = screen.query_one(StatusBar).state
        assert state is not None and state.updated == "updated just now"
        # Nothing on screen reads differently for a good while: no one-second beat.
        assert screen.next_tick_in >= 20.0, screen.next_tick_in


async def test_a_countdown_on_screen_is_kept_to_the_second(sim: Any, tmp_path: Path) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    clock = on_fake_clock(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        sim.faults.set(Fault("status", status=500))
        screen = dashboard(app)
        clock.advance(3_600)
        assert screen._poller is not None
        screen._poller.wake()
        for _ in range(200):
            await settle(app, pilot)
            if HEALTHY in screen.errors:
                break
        state = screen.query_one(StatusBar).state
        assert state is not None and "next try in" in state.message.lower(), state
        assert screen.next_tick_in <= 1.0, screen.next_tick_in
