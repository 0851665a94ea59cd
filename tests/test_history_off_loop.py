"""A slow disk never stalls a keypress: SQLite runs on the history's own thread."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from app_harness import dashboard, make_app, on_fake_clock, settle, wait_until, workers_done

HEALTHY, OTHER = "+12025550101", "+12025550102"


async def test_a_key_is_handled_while_a_history_write_is_stuck(sim: Any, tmp_path: Path) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY, OTHER])
    clock = on_fake_clock(app)
    started, released, finished = threading.Event(), threading.Event(), threading.Event()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        history = app.watch_events.history
        assert history is not None
        real_record = history.record

        def stuck_record(*args: Any, **kwargs: Any) -> Any:
            # A disk that takes its time: the write waits until the test lets it go
            # (at most 10 s, so an app that blocks on it cannot hang the test).
            started.set()
            released.wait(timeout=10)
            try:
                return real_record(*args, **kwargs)
            finally:
                finished.set()

        history.record = stuck_record  # type: ignore[method-assign]
        screen = dashboard(app)
        assert screen.selected == HEALTHY
        clock.advance(2)  # a token for the request budget
        await pilot.press("r")
        await wait_until(pilot, started.is_set, "the history write to start")
        # The write is stuck; the keypress must still move the selection.
        await pilot.press("down")
        await wait_until(pilot, lambda: screen.selected == OTHER, "the key to be handled")
        assert not finished.is_set(), "the key waited for the disk"
        released.set()
        await workers_done(app)
        assert finished.is_set()
        history.record = real_record  # type: ignore[method-assign]


async def test_history_calls_run_in_order_on_one_thread_off_the_loop(
    sim: Any, tmp_path: Path
) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        loop_thread = threading.get_ident()
        seen: list[tuple[int, int]] = []

        def note(index: int) -> int:
            seen.append((index, threading.get_ident()))
            return index

        futures = [app.watch_events.thread.run(lambda i=i: note(i)) for i in range(20)]
        results = [await future for future in futures]
        assert results == list(range(20))
        assert [index for index, _ in seen] == list(range(20))
        threads = {ident for _, ident in seen}
        assert len(threads) == 1 and loop_thread not in threads


async def test_timeline_and_trends_are_read_from_the_history_thread(
    sim: Any, tmp_path: Path
) -> None:
    from leadping_tui.ui.widgets.health_panel import HealthPanel
    from leadping_tui.ui.widgets.history_tables import TimelineTable

    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        screen = dashboard(app)
        health = screen.query_one(HealthPanel)
        await wait_until(
            pilot, lambda: "Trends" in health.part_text("health-trends"), "the trend lines"
        )
        await pilot.press("T")
        table = screen.query_one(TimelineTable)
        await wait_until(
            pilot,
            lambda: str(table.border_title).startswith("Timeline ·"),
            "the timeline read",
        )


async def test_the_alert_log_is_written_and_read_on_the_history_thread(
    sim: Any, tmp_path: Path
) -> None:
    from datetime import UTC, datetime, timedelta

    from test_alerts_in_app import GOOD, PAUSED, result

    from leadping_tui.ui.widgets.history_tables import AlertsTable

    app = make_app(sim, tmp_path, watchlist=[HEALTHY, OTHER])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        events = app.watch_events
        log = events.alert_log
        assert log is not None
        real_extend = log.extend
        writers: list[int] = []

        def extend(alerts: Any) -> None:
            real_extend(alerts)
            # Recorded once the write is done: the test reads the log next.
            writers.append(threading.get_ident())

        log.extend = extend  # type: ignore[method-assign]
        start = datetime.now(UTC)
        events.status(result(OTHER, GOOD, start))
        events.status(result(OTHER, PAUSED, start + timedelta(seconds=30)))
        await workers_done(app)
        await wait_until(pilot, lambda: bool(writers), "the alert-log write")
        assert threading.get_ident() not in writers
        assert events.recent_alerts()[-1].number == OTHER
        await pilot.press("A")
        table = dashboard(app).query_one(AlertsTable)
        await wait_until(pilot, lambda: table.row_count >= 1, "the alert log in its tab")


async def test_a_closed_store_thread_drops_calls_instead_of_raising() -> None:
    from leadping_tui.store.store_thread import StoreThread

    thread = StoreThread()
    assert await thread.run(lambda: 41 + 1) == 42
    thread.close()
    dropped = thread.run(lambda: 1)
    assert dropped.cancelled()


async def test_start_up_ending_after_the_quit_began_does_not_crash(
    sim: Any, tmp_path: Path
) -> None:
    # q at the moment the first status is painted: the app's unmount closes the
    # store thread, then start-up's end opens the history (it crashed with
    # "the store thread is closed", exit code 1, once under load).
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    held = sim.hold(HEALTHY)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_until(pilot, lambda: any(sim.requests), "the first request")
            app.watch_events.close()
            held.release()
            await wait_until(pilot, lambda: app.watch_events.opened, "start-up's end")
            await workers_done(app)
            assert app.is_running and app.return_code is None
    finally:
        held.release()
    assert app.return_code in (None, 0), "the app stopped on an error"


async def test_settle_waits_for_the_writes_queued_at_the_end_of_start_up(
    sim: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    """The history opens once the first status is painted, and the statuses
    that came before are written then. ``settle`` must wait for those writes:
    a test that reads the history straight after it ran into the store thread
    still writing (a CI run of 4 December)."""
    from leadping_tui.store.history import History

    real_record = History.record

    def slow_record(self: History, *args: Any, **kwargs: Any) -> Any:
        # A slow disk widens the window in which the old settle returned early.
        threading.Event().wait(0.3)
        return real_record(self, *args, **kwargs)

    monkeypatch.setattr(History, "record", slow_record)
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        history = app.watch_events.history
        assert history is not None and history.latest(HEALTHY) is not None
