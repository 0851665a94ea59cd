"""Key bindings can be remapped by id from the settings file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app_harness import make_app, settle, wait_until, workers_done

from leadping_tui.ui.screens.dashboard import DashboardScreen

HEALTHY = "+12025550101"


async def test_remapped_binding_ids_take_effect(sim: Any, tmp_path: Path) -> None:
    settings = '[keys]\nrefresh = "f5"\n"window.next" = "n"\n'
    app = make_app(sim, tmp_path, watchlist=[HEALTHY], settings_toml=settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await workers_done(app)
        await pilot.pause()
        assert app.runtime.problems == ()
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        await pilot.press("n")
        # Wait for the request itself: the request budget may hold a fetch back
        # for a moment, and then no worker is running yet to wait for.
        await wait_until(
            pilot,
            lambda: bool(sim.requests) and sim.requests[-1].query == {"windowDays": "14"},
            "the 14-day request",
        )
        assert screen.window_query.window_days == 14
        # The old key no longer steps the window.
        await pilot.press("w")
        await pilot.pause()
        assert screen.window_query.window_days == 14
        before = len(sim.requests)
        await pilot.press("f5")
        await wait_until(pilot, lambda: len(sim.requests) > before, "the refresh's request")
        await settle(app, pilot)
        assert len(sim.requests) == before + 1


async def test_every_screen_binding_has_an_id() -> None:
    from leadping_tui.ui.app import LeadPingApp
    from leadping_tui.ui.widgets.event_log import EventLog
    from leadping_tui.ui.widgets.watchlist_sidebar import WatchlistSidebar

    for owner in (DashboardScreen, LeadPingApp, WatchlistSidebar, EventLog):
        for binding in owner.__dict__.get("BINDINGS", []):
            assert getattr(binding, "id", None), (owner.__name__, binding)
