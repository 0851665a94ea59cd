"""r, p, + and - and what the status bar says about refreshing; the DEMO badge."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from app_harness import FakeClock, dashboard, make_app, on_fake_clock, settle
from textual.pilot import Pilot

from leadping_tui.simulator import Fault
from leadping_tui.ui.app import LeadPingApp
from leadping_tui.ui.widgets.status_bar import BarState, StatusBar

NUMBER = "+12025550101"
SIZE = (120, 40)


def bar(app: LeadPingApp) -> BarState:
    state = dashboard(app).query_one(StatusBar).state
    assert state is not None
    return state


def count(sim: Any) -> int:
    return sum(1 for request in sim.requests if request.number == NUMBER)


async def advance(app: LeadPingApp, pilot: Pilot[int], clock: FakeClock, seconds: float) -> None:
    clock.advance(seconds)
    poller = dashboard(app)._poller
    assert poller is not None
    poller.wake()
    await settle(app, pilot)


async def test_r_refreshes_at_once_while_backing_off_after_an_error(
    sim: Any, tmp_path: Path
) -> None:
    app = make_app(sim, tmp_path, watchlist=[NUMBER])
    clock = on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        sim.faults.set(Fault("status", status=500), NUMBER)
        for _ in range(3):  # three failures: the next try is a while away
            await pilot.press("r")
            await settle(app, pilot)
            await advance(app, pilot, clock, 1)
        assert "next try in" in bar(app).message.lower(), bar(app).message
        sim.faults.clear()
        before = count(sim)
        await pilot.press("r")
        await settle(app, pilot)
        assert count(sim) == before + 1
        assert bar(app).message == ""
        assert bar(app).mode == "live"


async def test_r_during_a_retry_after_says_how_long_is_left(sim: Any, tmp_path: Path) -> None:
    app = make_app(sim, tmp_path, watchlist=[NUMBER])
    clock = on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        sim.faults.set(Fault("rate_limit", retry_after=40, times=1), NUMBER)
        await pilot.press("r")
        await settle(app, pilot)
        await advance(app, pilot, clock, 10)
        before = count(sim)
        await pilot.press("r")
        await settle(app, pilot)
        assert count(sim) == before
        assert "Rate limited by the API: next try in 30 s" in bar(app).message


async def test_plus_and_minus_change_the_interval_live_and_save_it(
    sim: Any, tmp_path: Path
) -> None:
    app = make_app(sim, tmp_path, watchlist=[NUMBER], refresh=30)
    clock = on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert bar(app).interval == "every 30 s"
        await pilot.press("plus")
        await pilot.pause()
        assert bar(app).interval == "every 45 s"
        saved = tomllib.loads(app.runtime.paths.settings_file.read_text("utf-8"))
        assert saved["refresh_seconds"] == 45
        # Live: the next poll comes 45 s after the last, not 30.
        before = count(sim)
        await advance(app, pilot, clock, 31)
        assert count(sim) == before
        await advance(app, pilot, clock, 15)
        assert count(sim) == before + 1
        for _ in range(10):
            await pilot.press("minus")
        await pilot.pause()
        # Never below the minimum (5 s; the budget of 30/min allows it with one number).
        assert bar(app).interval == "every 5 s"
        assert app.scheduler.interval_for(NUMBER) == 5


async def test_pause_says_auto_refresh_paused_and_demo_has_a_badge(
    sim: Any, tmp_path: Path
) -> None:
    app = make_app(sim, tmp_path, watchlist=[NUMBER])
    on_fake_clock(app)
    app.config.demo = True
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert bar(app).demo
        status = dashboard(app).query_one(StatusBar)
        title = str(status.query_one("#status-number").render())
        assert title.startswith(" DEMO "), title
        await pilot.press("p")
        await pilot.pause()
        assert bar(app).mode == "paused"
        mode = str(status.query_one("#status-mode").render())
        assert "PAUSED" in mode and "p resumes" in mode, mode
