"""Status first (issue 12): the footer and the tabs mount after the first status, raw view on j.

The dashboard paints the status bar, the sidebar and the selected number's
panels first; the footer, the tabs (events, actions, trend, timeline,
alerts; each tab but the events gets its table when first shown) are
mounted once the first status is on screen (the raw view with its key, j), or
after a short fallback when none comes; so do the listing, the background
polls and the httpx client start.  Keys that need the tabs before then wait
for the mount.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from app_harness import TEST_KEY, dashboard, make_app, on_fake_clock, settle, wait_until
from textual.widgets import Footer, TabbedContent

from leadping_tui.api.early import EarlyStatus, EarlyTarget
from leadping_tui.api.models import PhoneNumberStatus
from leadping_tui.ui.app import LeadPingApp
from leadping_tui.ui.screens import dashboard as dashboard_module
from leadping_tui.ui.screens.dashboard import DashboardScreen
from leadping_tui.ui.widgets.event_log import EventLog, EventTable
from leadping_tui.ui.widgets.history_tables import AlertsTable
from leadping_tui.ui.widgets.raw_view import RawView

HEALTHY = "+12025550101"
SIZE = (120, 40)


async def test_tabs_mount_after_the_first_status_and_fill_from_it(sim: Any, tmp_path: Path) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = dashboard(app)
        await wait_until(pilot, lambda: screen.deferred_ready, "the tabs mounted")
        assert HEALTHY in screen.results
        await wait_until(
            pilot, lambda: screen.query_one(EventTable).row_count > 0, "the event log filled"
        )
        assert screen.query_one(TabbedContent).active == "tab-events"


async def test_a_tab_other_than_events_and_the_raw_view_are_made_when_first_shown(
    sim: Any, tmp_path: Path
) -> None:
    from leadping_tui.ui.widgets.actions_table import ActionsTable
    from leadping_tui.ui.widgets.history_tables import TimelineTable
    from leadping_tui.ui.widgets.trend_table import TrendTable

    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = dashboard(app)
        later = (ActionsTable, TrendTable, TimelineTable, AlertsTable)
        assert screen.query(EventLog)
        assert [cls.__name__ for cls in later if screen.query(cls)] == []
        assert not screen.query(RawView)
        await pilot.press("3")
        await wait_until(pilot, lambda: isinstance(app.focused, TrendTable), "the trend table")
        await wait_until(pilot, lambda: app.focused.row_count > 0, "the trend rows")  # type: ignore[union-attr]
        assert [cls.__name__ for cls in later if screen.query(cls)] == ["TrendTable"]
        # Shown again: the same table, not a second one.
        await pilot.press("1", "3")
        await wait_until(pilot, lambda: isinstance(app.focused, TrendTable), "the trend again")
        assert len(screen.query(TrendTable)) == 1
        await pilot.press("j")
        await wait_until(pilot, lambda: isinstance(app.focused, RawView), "the raw view")
        assert '"healthScore"' in screen.query_one(RawView).text
        await pilot.press("j", "j")
        await wait_until(pilot, lambda: isinstance(app.focused, RawView), "the raw view again")
        assert len(screen.query(RawView)) == 1


async def test_keys_pressed_before_the_tabs_mount_work(
    sim: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No fallback within the test: only the keys (or the status) mount the tabs.
    monkeypatch.setattr(dashboard_module, "DEFERRED_FALLBACK", 600.0)
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    on_fake_clock(app)
    held = sim.hold(HEALTHY)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(
                pilot, lambda: any(r.number == HEALTHY for r in sim.requests), "the first request"
            )
            screen = dashboard(app)
            assert not screen.deferred_ready
            assert not screen.query(EventLog) and not screen.query(RawView)

            await pilot.press("A")  # the alert log: mounts the tabs first
            assert screen.deferred_ready
            assert screen.query_one(TabbedContent).active == "tab-alerts"
            assert screen.query_one(AlertsTable).display
            await pilot.press("j")
            raw = screen.query_one(RawView)
            assert raw.display and raw.text == "No response yet."
            await pilot.press("j")
            assert not raw.display

            held.release()
            await settle(app, pilot)
            assert HEALTHY in screen.results
            await pilot.press("j")
            await wait_until(pilot, lambda: '"healthScore"' in raw.text, "the raw response")
    finally:
        held.release()


async def test_slash_before_the_tabs_mount_opens_the_event_filter(
    sim: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dashboard_module, "DEFERRED_FALLBACK", 600.0)
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    on_fake_clock(app)
    with sim.hold(HEALTHY):
        async with app.run_test(size=SIZE) as pilot:
            screen = dashboard(app)
            assert not screen.deferred_ready
            await pilot.press("slash")
            assert screen.query_one(TabbedContent).active == "tab-events"
            log = screen.query_one(EventLog)
            assert log.query_one("#events-filter").has_focus


async def test_s_before_the_tabs_mount_hides_the_list_and_focuses_the_table(
    sim: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dashboard_module, "DEFERRED_FALLBACK", 600.0)
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    on_fake_clock(app)
    with sim.hold(HEALTHY):
        async with app.run_test(size=SIZE) as pilot:
            screen = dashboard(app)
            assert not screen.deferred_ready
            await pilot.press("s")
            await wait_until(
                pilot,
                lambda: screen.focused is screen.query_one(EventLog).table,
                "the focus on the event table",
            )


async def test_start_up_ending_while_the_screen_is_taken_down_ends_quietly(
    sim: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # q pressed as the first status is painted: the screen's slots are being
    # taken down when start-up's end mounts the footer, and Textual refuses
    # (exit code 1 and a MountError once, under load, in test_terminals).
    from textual.containers import Vertical
    from textual.widget import MountError

    monkeypatch.setattr(dashboard_module, "DEFERRED_FALLBACK", 600.0)
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    on_fake_clock(app)
    with sim.hold(HEALTHY):
        async with app.run_test(size=SIZE) as pilot:
            screen = dashboard(app)
            assert not screen.deferred_ready

            async def refuse(self: Vertical, *widgets: Any, **kwargs: Any) -> None:
                raise MountError(f"Can't mount widget(s) before {self!r} is mounted")

            monkeypatch.setattr(Vertical, "mount", refuse)
            await screen._finish_startup()
            assert not screen.deferred_ready
            await pilot.pause()
            assert app.return_code is None  # still running, nothing raised


async def test_the_tabs_mount_after_a_fallback_when_no_status_comes(
    sim: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dashboard_module, "DEFERRED_FALLBACK", 0.05)
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    on_fake_clock(app)
    with sim.hold(HEALTHY):
        async with app.run_test(size=SIZE) as pilot:
            screen = dashboard(app)
            await wait_until(pilot, lambda: screen.deferred_ready, "the fallback mount")
            assert HEALTHY not in screen.results
            assert screen.query_one(EventLog).display


async def test_an_empty_watchlist_mounts_the_tabs_at_once(sim: Any, tmp_path: Path) -> None:
    app = make_app(sim, tmp_path, watchlist=[])
    on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = dashboard(app)
        await wait_until(pilot, lambda: screen.deferred_ready, "the tabs mounted")
        assert screen.query_one(TabbedContent).active == "tab-events"


#: Widgets in the first frame: the status bar, the sidebar and the three
#: panels (46 today); the footer and its keys (10) or the tabs would pass this.
FIRST_FRAME_WIDGETS = 50


async def test_the_first_frame_shown_has_the_status_and_nothing_started_before_it(
    sim: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the early answer in hand, the first frame of the dashboard is the status.

    The first frame displayed while the dashboard is the screen must already
    carry the status, and nothing of what the status does not need may have
    started: no footer, no tabs, no listing round, no history, start-up not
    finished. (Not "the first frame after Textual's Ready event": the app
    handles Ready from its message queue, and on a busy machine the status
    frame was displayed before it, so the first frame after it was the
    finished dashboard.)
    """
    app = make_app(sim, tmp_path, watchlist=[HEALTHY], listing=True)
    on_fake_clock(app)
    runtime = app.runtime
    params = tuple(app.initial_query.params().items())
    early = EarlyStatus(EarlyTarget(runtime.base_url, runtime.api_key or "", HEALTHY, params))
    assert early.future.result(timeout=10) is not None
    app.config.early_status = early

    frames: list[dict[str, Any]] = []
    post_display_hook = LeadPingApp.post_display_hook

    def noting_display(self: LeadPingApp) -> None:
        if isinstance(self.screen, DashboardScreen) and not frames:
            screen = self.screen
            frames.append(
                {
                    "status": HEALTHY in screen.results,
                    "widgets": sum(1 for _ in screen.walk_children()),
                    "footer": bool(screen.query(Footer)),
                    "tabs": bool(screen.query(TabbedContent)),
                    "finished": screen.startup_finished,
                    "listing": any(worker.group == "listing" for worker in self.workers),
                    "history": self.watch_events.opened,
                }
            )
        post_display_hook(self)

    monkeypatch.setattr(LeadPingApp, "post_display_hook", noting_display)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: bool(frames), "the dashboard's first frame")
        first = frames[0]
        assert first["status"], "the first frame shown has no status"
        assert not first["footer"] and not first["tabs"], first
        assert not first["finished"] and not first["listing"], first
        assert not first["history"], first
        assert first["widgets"] <= FIRST_FRAME_WIDGETS, first
        screen = dashboard(app)
        await wait_until(pilot, lambda: screen.startup_finished, "start-up to finish")
        await settle(app, pilot)
        assert screen.query(Footer) and screen.deferred_ready
        await wait_until(
            pilot,
            lambda: any(r.endpoint == "organization" for r in sim.requests),
            "the listing round",
        )
        # The history opened after the first frame, and the first status is in it.
        recorded = await app.watch_events.read(
            lambda history: history is not None and history.latest(HEALTHY) is not None
        )
        assert recorded


def status_from(sim: Any, number: str) -> PhoneNumberStatus:
    """``number``'s status as the simulator answers it (read here, outside any app)."""
    import urllib.request
    from urllib.parse import quote

    request = urllib.request.Request(
        f"{sim.base_url}/phone-numbers/{quote(number)}/status",
        headers={"Authorization": f"Bearer {TEST_KEY}"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return PhoneNumberStatus.model_validate_json(answer.read())


async def test_a_listing_round_before_the_history_opens_is_alerted_and_logged_once(
    sim: Any, tmp_path: Path
) -> None:
    """The history and the alert log open after the first status; a listing round that
    came before waits for them, so its alert is logged (and a restart would not repeat
    it: the log is read first)."""
    from datetime import UTC, datetime

    blocked = "+12025550104"
    status = status_from(sim, blocked)
    app = make_app(sim, tmp_path, watchlist=[HEALTHY, blocked])
    on_fake_clock(app)
    assert not app.watch_events.opened
    app.watch_events.listed([(blocked, status)], datetime.now(UTC))
    assert not app.has_unseen_alert(blocked)  # waits for the history and the log
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await wait_until(pilot, lambda: app.has_unseen_alert(blocked), "the alert")
        logged = await app.watch_events.thread.run(app.watch_events.recent_alerts)
        assert [alert.number for alert in logged].count(blocked) == 1
