"""The API judges the window: the app sends what the user asked for and shows the API's 400.

The app keeps only typo guards (``api/query.py``); the limits here are the
simulator's own (``simulator/window.py``, README "The simulator"), so these
tests see a server refuse rather than the app agree with itself.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from app_harness import dashboard, make_app, on_fake_clock, settle, wait_until
from test_cli_status import run_status
from textual.widgets import Input

from leadping_tui.ui.dialogs.date_range import DateRangeDialog
from leadping_tui.ui.widgets.status_bar import StatusBar

HEALTHY = "+12025550101"
#: The title of the simulator's validation problem: the API's words, not the app's.
API_SAYS = "One or more validation errors occurred."


def test_cli_sends_a_long_window_and_prints_the_apis_refusal(sim: Any) -> None:
    completed = run_status(sim, HEALTHY, "--window", "400")
    assert sim.requests[-1].query == {"windowDays": "400"}
    assert completed.returncode == 3
    assert "(400)" in completed.stderr
    assert API_SAYS in completed.stderr
    # The API's own words for the field it refused.
    assert "windowDays must be between 1 and 365" in completed.stderr


def test_cli_sends_a_future_range_and_prints_the_apis_refusal(sim: Any) -> None:
    start = (date.today() + timedelta(days=30)).isoformat()
    end = (date.today() + timedelta(days=31)).isoformat()
    completed = run_status(sim, HEALTHY, "--from", start, "--to", end)
    assert sim.requests[-1].query == {"startDate": start, "endDate": end}
    assert completed.returncode == 3
    assert "(400)" in completed.stderr and API_SAYS in completed.stderr
    assert "startDate must not be in the future" in completed.stderr


def test_cli_help_says_the_end_date_is_included_and_local() -> None:
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "leadping_tui", "status", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    flat = " ".join(out.split())
    assert "local calendar days" in flat
    assert "end date is included" in flat


async def test_dialog_sends_a_long_window_and_the_dashboard_shows_the_apis_400(
    sim: Any, tmp_path: Path
) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    clock = on_fake_clock(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("d")
        dialog = app.screen
        assert isinstance(dialog, DateRangeDialog)
        dialog.query_one("#days", Input).value = "400"
        dialog.query_one("#days", Input).focus()
        sim.clear_requests()
        clock.advance(2)  # a token for the request budget
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: any(r.query == {"windowDays": "400"} for r in sim.requests),
            "the 400-day window to reach the API",
        )
        bar = dashboard(app).query_one(StatusBar)

        def refused() -> bool:
            state = bar.state
            return state is not None and API_SAYS in state.message

        await wait_until(pilot, refused, "the API's refusal on the status bar")
        state = bar.state
        assert state is not None and "(400)" in state.message
        assert "windowDays must be between 1 and 365" in state.message
