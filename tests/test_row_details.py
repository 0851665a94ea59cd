"""Enter on a row of the Trend, Timeline and Alerts tabs opens every field of it.

Driven against the real simulator over loopback HTTP. The timeline and the
alert come from a real change: a simulator whose clock the test moves shows
the paused demo number still warming, then paused, and the app records the
change and raises the alert from those two answers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from app_harness import FakeClock, dashboard, make_app, on_fake_clock, settle, wait_until
from textual.widgets import Static

from leadping_tui.alerts.alert_log import alert_to_json
from leadping_tui.phone import format_number
from leadping_tui.simulator import Simulator
from leadping_tui.terminal.safe_text import clean_multiline
from leadping_tui.ui.app import LeadPingApp
from leadping_tui.ui.dialogs.history_detail import AlertDetailScreen, TransitionDetailScreen
from leadping_tui.ui.dialogs.trend_detail import TrendBucketDetailScreen
from leadping_tui.ui.screens.dashboard import DashboardScreen
from leadping_tui.ui.widgets.gauges import TREND_COUNTS
from leadping_tui.ui.widgets.history_tables import AlertsTable, TimelineTable
from leadping_tui.ui.widgets.trend_table import TrendTable

HEALTHY = "+12025550101"
PAUSED = "+12025550103"  # the demo number paused 5 h before the simulator's anchor
SIZE = (120, 40)
#: A key-like string a server put in its text: never copied whole.
LEAKED = "sk_live_0123456789abcdef"


def line(label: str, value: str) -> str:
    """A detail line as the dialog draws it: the label padded to 16, then the value."""
    return f"{label.ljust(16)} {value}"


def fields_of(app: LeadPingApp) -> str:
    return str(app.screen.query_one("#detail-fields", Static).content)


async def close_with(pilot: Any, app: LeadPingApp, key: str) -> None:
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen), f"{key} to close")


class MovableClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def moving_sim() -> Iterator[tuple[Simulator, MovableClock]]:
    """A simulator of its own whose time the test sets."""
    clock = MovableClock(datetime.now(UTC))
    with Simulator(shape="sdk", clock=clock) as sim:
        yield sim, clock


async def test_enter_on_a_trend_row_shows_every_count_of_its_bucket(
    sim: Any, tmp_path: Path
) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = dashboard(app)
        status = screen.results[HEALTHY].status
        assert status.traffic_metrics is not None
        buckets = status.traffic_metrics.trend
        assert len(buckets) >= 2, "the simulator's trend changed shape"
        await pilot.press("3")
        table = screen.query_one(TrendTable)
        await wait_until(pilot, lambda: table.has_focus and table.row_count > 0, "the trend")
        await pilot.press("down", "enter")
        await wait_until(
            pilot, lambda: isinstance(app.screen, TrendBucketDetailScreen), "the bucket detail"
        )
        detail = app.screen
        assert isinstance(detail, TrendBucketDetailScreen)
        bucket = buckets[1]  # oldest first, as the API orders them
        assert detail.bucket == bucket
        fields = fields_of(app)
        assert line("Label", bucket.label or "—") in fields
        assert bucket.start_at is not None and bucket.end_at is not None
        assert f"UTC {bucket.start_at.isoformat()}" in fields
        assert f"UTC {bucket.end_at.isoformat()}" in fields
        for title, name in TREND_COUNTS:
            value = getattr(bucket, name)
            assert line(title, f"{value:,}" if value is not None else "—") in fields, title
        # c copies the bucket as the API sent it.
        await pilot.press("c")
        await wait_until(pilot, lambda: bool(app.clipboard), "the copy")
        assert json.loads(app.clipboard) == bucket.model_dump(mode="json", by_alias=True)
        await close_with(pilot, app, "escape")
        for key in ("q", "enter"):
            await pilot.press("enter")
            await wait_until(
                pilot, lambda: isinstance(app.screen, TrendBucketDetailScreen), "the detail again"
            )
            await close_with(pilot, app, key)
        assert table.has_focus


async def _paused_for_real(
    pilot: Any, app: LeadPingApp, sim: Simulator, clock: MovableClock, budget: FakeClock
) -> tuple[str, str]:
    """Poll PAUSED while it still warms, then once it is paused: (state before, after)."""
    await settle(app, pilot)
    screen = dashboard(app)
    before = screen.results[PAUSED].status.sms_warmup
    assert before is not None and before.status
    clock.now = sim.anchor
    budget.advance(2)  # a token for the request budget
    await pilot.press("r")
    await wait_until(
        pilot,
        lambda: (
            (warmup := screen.results[PAUSED].status.sms_warmup) is not None
            and warmup.status != before.status
        ),
        "the paused answer",
    )
    await settle(app, pilot)
    after = screen.results[PAUSED].status.sms_warmup
    assert after is not None and after.status
    return before.status, after.status


async def test_enter_on_a_timeline_row_shows_the_whole_change(
    moving_sim: tuple[Simulator, MovableClock], tmp_path: Path
) -> None:
    sim, clock = moving_sim
    clock.now = sim.anchor - timedelta(hours=6)  # before the pause
    app = make_app(sim, tmp_path, watchlist=[PAUSED])
    budget = on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        old, new = await _paused_for_real(pilot, app, sim, clock, budget)
        screen = dashboard(app)
        await pilot.press("T")
        table = screen.query_one(TimelineTable)
        await wait_until(
            pilot,
            lambda: table.has_focus and any(r.cells[1].plain == "state" for r in table.shown_rows),
            "the state change in the timeline",
        )
        row = next(i for i, r in enumerate(table.shown_rows) if r.cells[1].plain == "state")
        for _ in range(row):
            await pilot.press("down")
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: isinstance(app.screen, TransitionDetailScreen), "the change detail"
        )
        detail = app.screen
        assert isinstance(detail, TransitionDetailScreen)
        change = detail.change
        assert (change.number, change.field, change.old, change.new) == (PAUSED, "state", old, new)
        fields = fields_of(app)
        assert line("Number", format_number(PAUSED)) in fields
        assert line("What", "state  (state)") in fields
        assert line("From", old) in fields
        assert line("To", new) in fields
        assert f"UTC {change.at.isoformat()}" in fields
        await pilot.press("c")
        await wait_until(pilot, lambda: bool(app.clipboard), "the copy")
        copied = json.loads(app.clipboard)
        assert (copied["number"], copied["field"], copied["old"], copied["new"]) == (
            PAUSED,
            "state",
            old,
            new,
        )
        await close_with(pilot, app, "q")


async def test_enter_on_an_alert_shows_every_field_and_the_whole_message(
    moving_sim: tuple[Simulator, MovableClock], tmp_path: Path
) -> None:
    sim, clock = moving_sim
    clock.now = sim.anchor - timedelta(hours=6)
    app = make_app(sim, tmp_path, watchlist=[PAUSED])
    budget = on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        _old, new = await _paused_for_real(pilot, app, sim, clock, budget)
        screen = dashboard(app)
        alerts = app.watch_events.recent_alerts()
        assert alerts and alerts[-1].number == PAUSED
        newest = alerts[-1]
        await pilot.press("A")
        table = screen.query_one(AlertsTable)
        await wait_until(pilot, lambda: table.has_focus and table.row_count > 0, "the alert log")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, AlertDetailScreen), "the detail")
        detail = app.screen
        assert isinstance(detail, AlertDetailScreen)
        assert detail.alert == newest  # the table is newest first
        fields = fields_of(app)
        assert line("Number", format_number(PAUSED)) in fields
        severity = newest.severity
        assert line("Severity", f"{severity.symbol} {severity.word}  ({severity.value})") in fields
        assert line("Kind", newest.kind) in fields
        assert line("Title", newest.title) in fields
        assert line("Key", newest.key) in fields
        assert f"UTC {newest.at.isoformat()}" in fields
        message = str(app.screen.query_one("#detail-text", Static).content)
        assert message == clean_multiline(newest.message)
        await pilot.press("c")
        await wait_until(pilot, lambda: bool(app.clipboard), "the copy")
        assert json.loads(app.clipboard) == alert_to_json(newest)
        await close_with(pilot, app, "enter")
        assert table.has_focus
        # The condition alert the pause raised names the simulator's new state.
        row = next(i for i, a in enumerate(reversed(alerts)) if a.kind == "condition")
        for _ in range(row):
            await pilot.press("down")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, AlertDetailScreen), "the detail")
        assert isinstance(app.screen, AlertDetailScreen)
        assert app.screen.alert.kind == "condition"
        message = str(app.screen.query_one("#detail-text", Static).content)
        assert f"state {new}" in message
        await close_with(pilot, app, "escape")


@pytest.fixture
def hostile_server() -> Iterator[Any]:
    from test_hostile_text import PayloadServer

    running = PayloadServer()
    yield running
    running.close()


async def test_hostile_text_in_a_change_and_an_alert_is_shown_whole_and_inert(
    hostile_server: Any, tmp_path: Path
) -> None:
    from test_hostile_text import (
        NUMBER,
        QUIT_CLICK,
        RED,
        assert_terminal_safe,
        click_actions_on_screen,
        loaded,
        payload_with,
    )

    # Longer than the tables' cells, with markup, an escape sequence and a bidi override.
    reason = f"{QUIT_CLICK} {RED} \x1b[2J\u202e" + "carrier " * 20 + f"tail-end {LEAKED}"
    hostile_server.payloads[NUMBER] = payload_with()
    app = make_app(hostile_server, tmp_path, watchlist=[NUMBER])
    budget = on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(app, pilot)
        hostile_server.payloads[NUMBER] = payload_with(reason=reason)
        budget.advance(2)
        await pilot.press("r")
        await wait_until(
            pilot,
            lambda: (
                (w := screen.results[NUMBER].status.sms_warmup) is not None
                and w.block_reason == reason
            ),
            "the blocked answer",
        )
        await settle(app, pilot)
        shown_reason = f"{QUIT_CLICK} {RED} ␛[2J" + "carrier " * 20 + "tail-end"

        await pilot.press("T")
        table = screen.query_one(TimelineTable)
        await wait_until(
            pilot,
            lambda: (
                table.has_focus
                and any(r.cells[1].plain == "block reason" for r in table.shown_rows)
            ),
            "the block reason in the timeline",
        )
        row = next(i for i, r in enumerate(table.shown_rows) if r.cells[1].plain == "block reason")
        for _ in range(row):
            await pilot.press("down")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, TransitionDetailScreen), "detail")
        assert line("To", shown_reason) in fields_of(app)
        assert not any("quit" in action for action in click_actions_on_screen(app))
        assert_terminal_safe(app)
        await close_with(pilot, app, "escape")

        await pilot.press("A")
        alerts = screen.query_one(AlertsTable)
        await wait_until(pilot, lambda: alerts.has_focus and alerts.row_count > 0, "the alerts")
        logged = list(reversed(app.watch_events.recent_alerts()))
        row = next(i for i, alert in enumerate(logged) if "tail-end" in alert.message)
        for _ in range(row):
            await pilot.press("down")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, AlertDetailScreen), "detail")
        message = str(app.screen.query_one("#detail-text", Static).content)
        assert shown_reason in message and "\x1b" not in message and "\u202e" not in message
        assert not any("quit" in action for action in click_actions_on_screen(app))
        assert_terminal_safe(app)
        # The copy is the alert as logged; a key in it would be masked, never copied whole.
        await pilot.press("c")
        await wait_until(pilot, lambda: "tail-end" in app.clipboard, "the copy")
        copied = json.loads(app.clipboard)
        assert copied["key"] == logged[row].key and copied["number"] == NUMBER
        assert LEAKED not in app.clipboard and "sk_…cdef" in copied["message"]
        await close_with(pilot, app, "escape")
