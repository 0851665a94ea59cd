"""Alerts that only fire on real change (issue 9, section 4).

* Browsing windows and date ranges is not a change of the number: only the
  baseline (default) window is recorded and compared, and the background
  polls always ask for it.
* Each API has its own history and alert log.
* Alerts keep working when the history cannot be opened or written.

The app runs against the loopback simulator; where a test feeds statuses
directly it says why.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from app_harness import dashboard, make_app, notices, on_fake_clock, settle, workers_done

from leadping_tui.api.client import FetchResult
from leadping_tui.api.models import PhoneNumberStatus
from leadping_tui.api.query import StatusQuery
from leadping_tui.simulator import Simulator
from leadping_tui.store.history import History
from leadping_tui.store.paths import AppPaths, api_slug

HEALTHY = "+12025550101"
# In the simulator its opt-out rate is about 4.7 % over the last 7 days and
# about 1.4 % the week before: browsing back and forth crosses the 2 % threshold.
ATTENTION = "+12025550102"
OTHER = "+12025550105"
SINCE_EVER = datetime(2000, 1, 1, tzinfo=UTC)


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


async def test_browsing_date_ranges_raises_no_alert(sim: Any, tmp_path: Path) -> None:
    app = make_app(sim, tmp_path, watchlist=[ATTENTION, OTHER])
    bells: list[int] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
        screen = dashboard(app)
        assert screen.selected == ATTENTION
        sim.clear_requests()
        for key in ("left_square_bracket", "left_square_bracket", "right_square_bracket"):
            await pilot.press(key)
            await settle(app, pilot)
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert screen.window_query.is_range
        assert app.watch_events.recent_alerts() == []
        assert bells == []
        # The ranges were fetched and shown, but only the default window is history.
        ranges = [r for r in sim.requests if r.number == ATTENTION and "startDate" in r.query]
        assert len(ranges) >= 3
        history = app.watch_events.history
        assert history is not None
        assert {snap.window for snap in history.series(ATTENTION, SINCE_EVER)} == {"last 7 d"}
        # The other number's background polls keep to the default window.
        await pilot.press("down")
        await settle(app, pilot)
        assert screen.selected == OTHER
        other = [r for r in sim.requests if r.number == OTHER]
        assert other
        assert all(r.query == {"windowDays": "7"} for r in other[:-1])


async def test_selected_number_keeps_its_baseline_check_while_browsing(
    sim: Any, tmp_path: Path
) -> None:
    app = make_app(sim, tmp_path, watchlist=[ATTENTION])
    clock = on_fake_clock(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        screen = dashboard(app)
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        viewed = screen.window_query
        assert viewed.is_range
        sim.clear_requests()
        clock.advance(app.settings.background_refresh_seconds + 1)
        await pilot.press("r")
        await settle(app, pilot)
        assert [r.query for r in sim.requests] == [{"windowDays": "7"}]
        # The panels still show the range the user is looking at.
        assert screen.results[ATTENTION].query == viewed
        await pilot.press("r")
        await settle(app, pilot)
        assert "startDate" in sim.requests[-1].query


def test_each_api_has_its_own_history_and_alert_log(tmp_path: Path) -> None:
    paths = AppPaths.under(tmp_path)
    default = paths.for_api("https://api.leadping.ai/")
    assert default.history_db == tmp_path / "data" / "history.sqlite3"
    assert default.alerts_log == tmp_path / "data" / "alerts.jsonl"
    assert paths.for_api("HTTPS://API.leadping.ai:443") == default
    staging = paths.for_api("https://staging.leadping.ai")
    local = paths.for_api("http://127.0.0.1:8080")
    other_port = paths.for_api("http://127.0.0.1:8081")
    files = {p.history_db for p in (default, staging, local, other_port)}
    logs = {p.alerts_log for p in (default, staging, local, other_port)}
    assert len(files) == 4 and len(logs) == 4
    assert api_slug("http://127.0.0.1:8080/") == api_slug("http://127.0.0.1:8080")
    assert "127.0.0.1-8080" in str(local.history_db)


async def test_another_server_is_never_compared_with_this_one(sim: Any, tmp_path: Path) -> None:
    first = make_app(sim, tmp_path, watchlist=[HEALTHY])
    async with first.run_test(size=(120, 40)) as pilot:
        await settle(first, pilot)
        history = first.watch_events.history
        assert history is not None and history.latest(HEALTHY) is not None
        # This server last said 100: the other server's 88 must not read as a drop.
        first.watch_events.status(result(HEALTHY, dict(GOOD, healthScore=100), datetime.now(UTC)))
    with Simulator(shape="sdk") as other_sim:
        other_url = other_sim.base_url
        second = make_app(other_sim, tmp_path, watchlist=[HEALTHY])
        bells: list[int] = []
        async with second.run_test(size=(120, 40)) as pilot:
            second.bell = lambda: bells.append(1)  # type: ignore[method-assign]
            await settle(second, pilot)
            other_history = second.watch_events.history
            assert other_history is not None
            assert len(other_history.series(HEALTHY, SINCE_EVER)) == 1
            assert second.watch_events.recent_alerts() == []
            assert bells == []
    runtime_paths = first.runtime.paths
    assert runtime_paths.for_api(sim.base_url).history_db.exists()
    assert runtime_paths.for_api(other_url).history_db.exists()
    with History(runtime_paths.for_api(sim.base_url).history_db) as kept:
        assert len(kept.series(HEALTHY, SINCE_EVER)) >= 2


async def test_alerts_work_when_the_data_dir_cannot_hold_a_history(
    sim: Any, tmp_path: Path
) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY, OTHER])
    # Where the data directory should be there is a file: nothing can be created there.
    data_dir = app.runtime.paths.data_dir
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    data_dir.write_text("not a directory", encoding="utf-8")
    bells: list[int] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
        assert app.watch_events.history is None
        start = datetime.now(UTC)
        # The simulator's numbers change only with its clock: feed the change.
        app.watch_events.status(result(OTHER, GOOD, start))
        app.watch_events.status(result(OTHER, PAUSED, start + timedelta(seconds=30)))
        await workers_done(app)  # the history thread
        await pilot.pause()
        assert bells == [1]
        assert app.has_unseen_alert(OTHER)


async def test_alerts_work_when_history_writes_fail(sim: Any, tmp_path: Path) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY, OTHER])
    bells: list[int] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
        history = app.watch_events.history
        assert history is not None
        # SQLite itself refuses every write from now on, as on a read-only file.
        history.conn.execute("PRAGMA query_only = ON")
        start = datetime.now(UTC)
        app.watch_events.status(result(OTHER, GOOD, start + timedelta(minutes=10)))
        app.watch_events.status(result(OTHER, PAUSED, start + timedelta(minutes=20)))
        await workers_done(app)  # the history thread
        await pilot.pause()
        assert bells == [1]
        assert app.has_unseen_alert(OTHER)
        assert any("Alerts still work" in n.message for n in notices(app))
