"""Alerts raised inside the running app: notice, sidebar mark, bell, log, de-duplication.

The simulator's scenarios change only with its clock, so these tests feed the
app's alert wiring statuses directly; everything after that is the real app.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from app_harness import make_app, notices, wait_until, workers_done
from textual.pilot import Pilot

from leadping_tui.api.client import FetchResult
from leadping_tui.api.models import PhoneNumberStatus
from leadping_tui.api.query import StatusQuery
from leadping_tui.simulator import Fault
from leadping_tui.ui.app import LeadPingApp
from leadping_tui.ui.screens.dashboard import DashboardScreen

HEALTHY = "+12025550101"
OTHER = "+12025550105"


async def history_open(app: LeadPingApp, pilot: Pilot[int]) -> None:
    """Wait until start-up has opened the history and the alert log (after the first status).

    A status handed in before then is queued behind the opening: a check made
    before it is processed would pass whatever the app does with it.
    """
    await wait_until(pilot, lambda: app.watch_events.opened, "the history to open")
    await workers_done(app)  # the opening, on the history thread


def result(number: str, warmup: dict[str, Any], at: datetime) -> FetchResult:
    status = PhoneNumberStatus.model_validate({"number": number, "smsWarmup": warmup})
    return FetchResult(
        number=number,
        query=StatusQuery.window(7),
        status=status,
        raw={},
        received_at=at,
        elapsed=0.01,
        size=10,
    )


GOOD = {"status": "In Progress", "healthStatus": "Healthy", "healthScore": 90}
PAUSED = {"status": "Paused", "pauseReason": "Carrier rejections", "healthScore": 85}


async def test_a_background_number_turning_bad_rings_marks_and_logs(
    sim: Any, tmp_path: Path
) -> None:
    # Only the statuses given below reach OTHER's alerts: its real polls fail
    # (a failure raises no alert), so none lands between them, whatever the timing.
    sim.faults.set(Fault("status", status=503), OTHER)
    app = make_app(sim, tmp_path, watchlist=[HEALTHY, OTHER])
    bells: list[int] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await history_open(app, pilot)
        await pilot.pause()
        app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        assert screen.selected == HEALTHY
        events = app.watch_events
        start = datetime.now(UTC)
        events.status(result(OTHER, GOOD, start))
        await workers_done(app)  # the history thread
        assert bells == []
        events.status(result(OTHER, PAUSED, start + timedelta(seconds=30)))
        await workers_done(app)  # the history thread
        await pilot.pause()
        assert bells == [1]
        assert app.has_unseen_alert(OTHER)
        sidebar_text = screen.query_one("#sidebar").row_text(OTHER)  # type: ignore[attr-defined]
        assert "●" in sidebar_text
        logged = events.recent_alerts()
        assert logged and logged[-1].number == OTHER
        assert any("Carrier rejections" in str(n.message) for n in notices(app))
        # The same cause again within the cooldown: no second bell.
        events.status(result(OTHER, GOOD, start + timedelta(seconds=60)))
        events.status(result(OTHER, PAUSED, start + timedelta(seconds=90)))
        await workers_done(app)  # the history thread
        await pilot.pause()
        assert bells == [1]
        # Selecting the number marks its alert seen.
        await pilot.press("down")
        await pilot.pause()
        assert not app.has_unseen_alert(OTHER)


async def test_alert_log_survives_a_restart_without_repeating(sim: Any, tmp_path: Path) -> None:
    start = datetime.now(UTC)
    # Only the statuses given below reach OTHER's alerts: its real polls fail
    # (a failure raises no alert), so none lands between them, whatever the timing.
    sim.faults.set(Fault("status", status=503), OTHER)
    app = make_app(sim, tmp_path, watchlist=[HEALTHY, OTHER])
    async with app.run_test(size=(120, 40)) as pilot:
        await history_open(app, pilot)
        app.watch_events.status(result(OTHER, GOOD, start))
        app.watch_events.status(result(OTHER, PAUSED, start + timedelta(seconds=30)))
        await workers_done(app)  # the history thread
        await pilot.pause()
        first = len(app.watch_events.recent_alerts())
    assert first >= 1
    again = make_app(sim, tmp_path, watchlist=None)
    bells: list[int] = []
    async with again.run_test(size=(120, 40)) as pilot:
        await history_open(again, pilot)
        again.bell = lambda: bells.append(1)  # type: ignore[method-assign]
        again.watch_events.status(result(OTHER, PAUSED, start + timedelta(seconds=60)))
        await workers_done(again)  # the history thread
        await pilot.pause()
        assert len(again.watch_events.recent_alerts()) == first
        assert bells == []


async def test_alerts_can_be_turned_off(sim: Any, tmp_path: Path) -> None:
    app = make_app(
        sim, tmp_path, watchlist=[HEALTHY, OTHER], settings_toml="[alerts]\nenabled = false\n"
    )
    bells: list[int] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await history_open(app, pilot)
        app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
        start = datetime.now(UTC)
        app.watch_events.status(result(OTHER, GOOD, start))
        app.watch_events.status(result(OTHER, PAUSED, start + timedelta(seconds=30)))
        await workers_done(app)  # the history thread
        await pilot.pause()
        assert bells == []
        assert app.watch_events.recent_alerts() == []


async def test_history_is_recorded_and_trends_appear(sim: Any, tmp_path: Path) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    async with app.run_test(size=(120, 40)) as pilot:
        await history_open(app, pilot)
        await pilot.pause()
        history = app.watch_events.history
        assert history is not None
        assert history.latest(HEALTHY) is not None
        start = datetime.now(UTC)
        for minutes, score in ((10, 80), (20, 70)):
            warmup = dict(GOOD, healthScore=score)
            app.watch_events.status(result(HEALTHY, warmup, start + timedelta(minutes=minutes)))
        await workers_done(app)  # the history thread
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        screen._draw()
        await workers_done(app)  # the trends are read on the history thread
        await pilot.pause()
        health = screen.query_one("#health")
        assert "Trends" in health.part_text("health-trends")  # type: ignore[attr-defined]
    assert app.runtime.paths.for_api(sim.base_url).history_db.exists()


async def test_focus_loss_slows_polling(sim: Any, tmp_path: Path) -> None:
    from textual.events import AppBlur, AppFocus

    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    async with app.run_test(size=(120, 40)) as pilot:
        await history_open(app, pilot)
        normal = app.scheduler.interval_for(HEALTHY)
        app.post_message(AppBlur())
        await pilot.pause()
        assert app.scheduler.interval_for(HEALTHY) > normal
        app.post_message(AppFocus())
        await pilot.pause()
        assert app.scheduler.interval_for(HEALTHY) == normal
