"""An idle dashboard wakes when some text on it would change, not every second (issue 12)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from app_harness import dashboard, make_app, on_fake_clock, settle, wait_until

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


def _modes_shown(app: Any) -> list[str]:
    """Record every mode the status bar is asked to show from now on."""
    bar = dashboard(app).query_one(StatusBar)
    shown: list[str] = []
    show = bar.show

    def recording(state: Any) -> None:
        shown.append(state.mode)
        show(state)

    bar.show = recording  # type: ignore[method-assign]
    return shown


async def test_an_automatic_refresh_is_not_marked_loading_at_once(
    sim: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Long enough that only the deferral, not the machine's speed, decides.
    monkeypatch.setattr("leadping_tui.ui.screens.dashboard.LOADING_MARK_DELAY", 3600.0)
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    clock = on_fake_clock(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        modes = _modes_shown(app)
        sim.clear_requests()
        clock.advance(60)
        poller = dashboard(app)._poller
        assert poller is not None
        poller.wake()
        await settle(app, pilot)
        assert [request.number for request in sim.requests] == [HEALTHY]
        assert "loading" not in modes, modes


async def test_a_slow_refresh_is_marked_loading(
    sim: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("leadping_tui.ui.screens.dashboard.LOADING_MARK_DELAY", 0.01)
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    clock = on_fake_clock(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        held = sim.hold(HEALTHY)
        clock.advance(60)
        poller = dashboard(app)._poller
        assert poller is not None
        poller.wake()
        bar = dashboard(app).query_one(StatusBar)
        await wait_until(
            pilot, lambda: bar.state is not None and bar.state.mode == "loading", "LOADING"
        )
        held.release()
        await settle(app, pilot)
        await wait_until(
            pilot, lambda: bar.state is not None and bar.state.mode == "live", "LIVE again"
        )
