"""The dashboard, driven with real keys against the simulator over loopback HTTP.

Most tests run the scheduler and the request budget on a fake clock, so
"thirty seconds later" is one call instead of a wait, and background polls
only happen when a test moves the clock.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from app_harness import (
    TEST_KEY,
    FakeClock,
    dashboard,
    make_app,
    on_fake_clock,
    settle,
    wait_until,
    write_watchlist,
)
from textual.pilot import Pilot
from textual.widgets import Input, Static

from leadping_tui.api.client import StatusClient
from leadping_tui.api.condition import Condition
from leadping_tui.phone import format_number
from leadping_tui.ui.app import LeadPingApp
from leadping_tui.ui.dialogs.add_number import AddNumberDialog
from leadping_tui.ui.dialogs.date_range import DateRangeDialog
from leadping_tui.ui.dialogs.event_detail import EventDetailScreen
from leadping_tui.ui.widgets.event_log import EventLog, EventTable
from leadping_tui.ui.widgets.health_panel import HealthPanel
from leadping_tui.ui.widgets.raw_view import RawView
from leadping_tui.ui.widgets.status_bar import BarState, StatusBar
from leadping_tui.ui.widgets.watchlist_sidebar import WatchlistSidebar

HEALTHY, ATTENTION, PAUSED, BLOCKED, READY = (f"+1202555010{i}" for i in range(1, 6))
SIZE = (120, 40)


async def advance(app: LeadPingApp, pilot: Pilot[int], clock: FakeClock, seconds: float) -> None:
    """Move the fake clock and let the poll loop catch up."""
    clock.advance(seconds)
    poller = dashboard(app)._poller
    assert poller is not None
    poller.wake()
    await settle(app, pilot)


def bar(app: LeadPingApp) -> BarState:
    state = dashboard(app).query_one(StatusBar).state
    assert state is not None
    return state


def requested(sim: Any, number: str) -> list[dict[str, str]]:
    """The queries the simulator received for ``number``, oldest first."""
    return [request.query for request in sim.requests if request.number == number]


def saved(app: LeadPingApp) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(app.runtime.paths.watchlist_file.read_text("utf-8"))
    return document


def saved_numbers(app: LeadPingApp) -> list[str]:
    return [entry["number"] for entry in saved(app)["entries"]]


def score_of(app: LeadPingApp, number: str) -> int:
    warmup = dashboard(app).results[number].status.sms_warmup
    assert warmup is not None and warmup.health_score is not None
    return round(warmup.health_score)


# -- start-up -------------------------------------------------------------------


async def test_start_up_restores_the_selected_number_and_fills_the_sidebar(
    sim: Any, tmp_path: Path
) -> None:
    app = make_app(sim, tmp_path)
    write_watchlist(app.runtime.paths, [HEALTHY, BLOCKED, ATTENTION], selected=BLOCKED)
    clock = on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = dashboard(app)
        assert screen.selected == BLOCKED
        # The selected number is fetched at once; the others are staggered a second apart.
        assert BLOCKED in {r.number for r in sim.requests}
        assert ATTENTION not in {r.number for r in sim.requests}
        assert f"{score_of(app, BLOCKED)}/100" in screen.query_one(HealthPanel).plain
        assert bar(app).number == format_number(BLOCKED)
        assert bar(app).mode == "live"
        sidebar = screen.query_one(WatchlistSidebar)
        assert sidebar.highlighted == 1
        assert sidebar.row_state(ATTENTION).score is None

        await advance(app, pilot, clock, 5)
        assert {r.number for r in sim.requests} == {HEALTHY, BLOCKED, ATTENTION}
        expected = {
            HEALTHY: Condition.OK,
            ATTENTION: Condition.WARNING,
            BLOCKED: Condition.CRITICAL,
        }
        for number, condition in expected.items():
            row = sidebar.row_text(number)
            assert row.startswith(condition.symbol), row
            assert f" {score_of(app, number)}" in row, row
        # Background answers never replace what the panels show.
        assert f"{score_of(app, BLOCKED)}/100" in screen.query_one(HealthPanel).plain


async def test_numbers_given_on_the_command_line_are_added_and_the_first_is_selected(
    sim: Any, tmp_path: Path
) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY], numbers=[PAUSED, READY])
    on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert dashboard(app).selected == PAUSED
        assert saved_numbers(app) == [HEALTHY, PAUSED, READY]
        assert saved(app)["selected"] == PAUSED
        assert PAUSED in {r.number for r in sim.requests}
        assert READY not in {r.number for r in sim.requests}
        assert bar(app).number == format_number(PAUSED)


async def test_a_selection_made_just_before_quitting_is_saved(
    sim: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The delayed save must not fire during the test, however slow the machine.
    monkeypatch.setattr("leadping_tui.ui.app_persistence.SELECTION_SAVE_DELAY", 3600.0)
    app = make_app(sim, tmp_path, watchlist=[HEALTHY, READY])
    on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("down")
        await settle(app, pilot)
        assert dashboard(app).selected == READY
        assert saved(app)["selected"] == HEALTHY, "saved after a pause, not on every arrow"
        await pilot.press("q")
    assert app.return_code == 0
    assert saved(app)["selected"] == READY


# -- editing the watchlist --------------------------------------------------------


async def test_a_adds_a_number_which_is_saved_selected_and_fetched(
    sim: Any, tmp_path: Path
) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("a")
        assert isinstance(app.screen, AddNumberDialog)
        # Not a number: the dialog stays open and says why.
        await pilot.press(*"12", "enter")
        assert isinstance(app.screen, AddNumberDialog)
        reason = str(app.screen.query_one("#error", Static).content)
        assert reason.startswith("Not added"), reason
        number_box = app.screen.query_one("#number", Input)
        number_box.value = ""
        await pilot.press(*"2025550106", "tab", *"Desk", "enter")
        await settle(app, pilot)
        screen = dashboard(app)
        new = "+12025550106"
        assert saved_numbers(app) == [HEALTHY, new]
        entry = saved(app)["entries"][1]
        assert entry["label"] == "Desk"
        assert saved(app)["selected"] == new
        assert screen.selected == new
        assert new in screen.results
        assert requested(sim, new) == [{"windowDays": "7"}]
        assert bar(app).number == format_number(new)
        assert bar(app).label == "Desk"


async def test_remove_reorder_and_relabel_are_saved(sim: Any, tmp_path: Path) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY, ATTENTION, PAUSED])
    on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        # Move the first number down one place.
        await pilot.press("shift+down")
        await pilot.pause()
        assert saved_numbers(app) == [ATTENTION, HEALTHY, PAUSED]
        assert dashboard(app).selected == HEALTHY

        # Label editing is on l (e exports).
        await pilot.press("l")
        label_box = app.screen.query_one("#label", Input)
        label_box.value = ""
        await pilot.press(*"Main", "enter")
        await pilot.pause()
        assert saved(app)["entries"][1] == {**saved(app)["entries"][1], "label": "Main"}
        assert bar(app).label == "Main"

        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert saved_numbers(app) == [ATTENTION, PAUSED]
        screen = dashboard(app)
        assert screen.selected in (ATTENTION, PAUSED)
        assert HEALTHY not in screen.results
        assert HEALTHY not in app.scheduler.numbers


# -- selection and refresh ---------------------------------------------------------


async def test_arrows_select_and_a_late_answer_for_a_number_left_is_never_drawn(
    sim: Any, tmp_path: Path
) -> None:
    app = make_app(sim, tmp_path, watchlist=[BLOCKED, HEALTHY])
    on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = dashboard(app)
        health = screen.query_one(HealthPanel)
        blocked_score = score_of(app, BLOCKED)
        assert f"{blocked_score}/100" in health.plain
        held = sim.hold(HEALTHY)
        sim.clear_requests()

        await pilot.press("down")
        assert screen.selected == HEALTHY
        assert bar(app).number == format_number(HEALTHY)
        assert bar(app).mode == "loading"
        await pilot.press("up")  # back before the slow answer arrives
        assert screen.selected == BLOCKED
        assert bar(app).number == format_number(BLOCKED)

        held.release()
        await settle(app, pilot)  # both answers are in, the slow one last
        assert HEALTHY in screen.results, "the slow answer was received"
        assert score_of(app, HEALTHY) != blocked_score
        assert [r.number for r in sim.requests].count(HEALTHY) == 1
        assert f"{blocked_score}/100" in health.plain
        assert f"{score_of(app, HEALTHY)}/100" not in health.plain
        assert health.last_ctx is not None and health.last_ctx.number == BLOCKED
        assert bar(app).number == format_number(BLOCKED)


async def test_p_during_a_fetch_says_paused_without_laying_the_line_out_again(
    sim: Any, tmp_path: Path
) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        mode = dashboard(app).query_one("#status-mode", Static)
        held = sim.hold(HEALTHY)
        await pilot.press("r")
        await wait_until(pilot, lambda: bar(app).mode == "loading", "the bar says LOADING")
        await pilot.press("p")
        await wait_until(pilot, lambda: "PAUSED" in str(mode.render()), "the bar says PAUSED")
        assert "LOADING" in str(mode.render())
        # Unpaused while the fetch is out: the field says LOADING alone, in the
        # room it had, and the app asks for no layout; pausing again fits that
        # room. (What the app asks for, not the field's size: a layout that
        # something else asks for in between sizes the field to its text.)
        await wait_until(
            pilot,
            lambda: mode.size.width >= len(str(mode.render()).strip()),
            "the field to make room for PAUSED",
        )
        layouts: list[bool] = []
        update = mode.update

        def spy(content: Any = "", *, layout: bool = True) -> None:
            layouts.append(layout)
            update(content, layout=layout)

        mode.update = spy  # type: ignore[method-assign]
        await pilot.press("p")
        await wait_until(pilot, lambda: "PAUSED" not in str(mode.render()), "PAUSED gone")
        assert "LOADING" in str(mode.render())
        await pilot.press("p")
        await wait_until(pilot, lambda: "PAUSED" in str(mode.render()), "PAUSED again")
        assert layouts and not any(layouts), "a p press laid out the line"
        paused_width = len(str(mode.render()).strip())
        await pilot.press("p")
        await wait_until(pilot, lambda: "PAUSED" not in str(mode.render()), "PAUSED gone again")
        # Once the fetch ends the line is laid out for what it says.
        held.release()
        await settle(app, pilot)
        assert bar(app).mode == "live"
        await wait_until(pilot, lambda: mode.size.width < paused_width, "the field shrinks")
        assert str(mode.render()).strip() == "● LIVE"


async def test_r_refreshes_and_never_sends_two_requests_for_one_number(
    sim: Any, tmp_path: Path
) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        sim.clear_requests()
        await pilot.press("r")
        await settle(app, pilot)
        assert requested(sim, HEALTHY) == [{"windowDays": "7"}]

        held = sim.hold(HEALTHY)
        sim.clear_requests()
        await pilot.press("r", "r", "r", "r", "r")
        assert app.scheduler.in_flight_count == 1
        held.release()
        await settle(app, pilot)
        assert len(requested(sim, HEALTHY)) == 1


async def test_p_pauses_auto_refresh_and_resumes_it(sim: Any, tmp_path: Path) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY], refresh=5)
    clock = on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        sim.clear_requests()
        await advance(app, pilot, clock, 6)
        assert len(requested(sim, HEALTHY)) == 1, "auto refresh runs every 5 s"

        body = dashboard(app).query_one("#body")
        body_before = body.region
        await pilot.press("p")
        assert bar(app).mode == "paused"
        mode = str(dashboard(app).query_one("#status-mode", Static).content)
        assert "PAUSED" in mode and "p resumes" in mode, mode
        # Said on the status line itself: no message line appears, so the
        # screen's body does not move (that relaid out the whole screen).
        assert bar(app).message == ""
        assert not dashboard(app).query_one("#status-message", Static).display
        await pilot.pause()
        assert body.region == body_before
        sim.clear_requests()
        await advance(app, pilot, clock, 60)
        assert requested(sim, HEALTHY) == [], "no automatic request while paused"
        await pilot.press("r")  # a refresh asked for still goes
        await settle(app, pilot)
        assert len(requested(sim, HEALTHY)) == 1
        assert bar(app).mode == "paused"

        await pilot.press("p")
        assert bar(app).mode == "live"
        assert bar(app).message == ""
        sim.clear_requests()
        await advance(app, pilot, clock, 6)
        assert len(requested(sim, HEALTHY)) == 1


async def test_auto_refresh_runs_by_itself_on_the_real_clock(sim: Any, tmp_path: Path) -> None:
    # No fake clock here: the poll loop's own timer must fire.
    app = make_app(sim, tmp_path, watchlist=[HEALTHY], refresh=0.2)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await wait_until(pilot, lambda: len(requested(sim, HEALTHY)) >= 3, "three polls")


# -- the window ------------------------------------------------------------------


async def test_window_keys_change_what_is_asked_for_and_what_the_bar_says(
    sim: Any, tmp_path: Path
) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    clock = on_fake_clock(app)
    today = date.today()

    async def press(key: str) -> dict[str, str]:
        sim.clear_requests()
        clock.advance(2)  # a token for the request budget (30 a minute)
        await pilot.press(key)
        await settle(app, pilot)
        queries = requested(sim, HEALTHY)
        assert len(queries) == 1, (key, queries)
        return queries[0]

    def days_ago(days: int) -> str:
        return (today - timedelta(days=days)).isoformat()

    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert requested(sim, HEALTHY) == [{"windowDays": "7"}]
        assert bar(app).window == "last 7 d"
        assert await press("w") == {"windowDays": "14"}
        assert bar(app).window == "last 14 d"
        assert await press("W") == {"windowDays": "7"}
        assert await press("W") == {"windowDays": "1"}
        assert bar(app).window == "last 1 d"
        assert await press("t") == {"windowDays": "7"}
        assert await press("left_square_bracket") == {
            "startDate": days_ago(13),
            "endDate": days_ago(7),
        }
        assert bar(app).window == f"{days_ago(13)} → {days_ago(7)}"
        assert await press("right_square_bracket") == {
            "startDate": days_ago(6),
            "endDate": today.isoformat(),
        }
        assert await press("t") == {"windowDays": "7"}

        await pilot.press("d")
        dialog = app.screen
        assert isinstance(dialog, DateRangeDialog)
        start, end = days_ago(40), days_ago(31)
        # Typing into an Input is the dialog tests' business; fill the fields, press Enter.
        dialog.query_one("#start", Input).value = start
        dialog.query_one("#end", Input).value = end
        dialog.query_one("#end", Input).focus()
        sim.clear_requests()
        clock.advance(2)
        await pilot.press("enter")
        await settle(app, pilot)
        assert requested(sim, HEALTHY) == [{"startDate": start, "endDate": end}]
        assert bar(app).window == f"{start} → {end}"
        assert dashboard(app).results[HEALTHY].query.params() == {
            "startDate": start,
            "endDate": end,
        }

        # A window changed while the old one is still being fetched: one request at a
        # time, and the last window asked for is the one fetched and drawn.
        held = sim.hold(HEALTHY)
        sim.clear_requests()
        clock.advance(4)
        await pilot.press("t", "w")
        held.release()
        await settle(app, pilot)
        assert requested(sim, HEALTHY) == [{"windowDays": "7"}, {"windowDays": "14"}]
        assert dashboard(app).results[HEALTHY].query.window_days == 14
        assert bar(app).window == "last 14 d" and bar(app).mode == "live"
        assert not dashboard(app).query_one(HealthPanel).has_class("-stale")


# -- raw JSON, events, time zone ---------------------------------------------------------


class ExtraFieldsTransport(httpx.AsyncHTTPTransport):
    """Real HTTP to the simulator, plus fields a newer API version might add.

    The simulator has no switch for unknown fields, so they are added to its
    real answer on the way in.
    """

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await super().handle_async_request(request)
        body = await response.aread()
        await response.aclose()
        data = json.loads(body)
        if response.status_code == 200 and isinstance(data, dict):
            data["futureSection"] = {"carrierTrustTier": "gold"}
            data["smsWarmup"]["warmupPhaseName"] = "ramp-2"
        return httpx.Response(response.status_code, json=data)


async def test_j_shows_the_raw_json_with_fields_the_app_does_not_know(
    sim: Any, tmp_path: Path
) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    on_fake_clock(app)
    app._client = StatusClient(
        base_url=sim.base_url, api_key=TEST_KEY, transport=ExtraFieldsTransport()
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = dashboard(app)
        assert f"{score_of(app, HEALTHY)}/100" in screen.query_one(HealthPanel).plain
        await pilot.press("j")
        raw = screen.query_one(RawView)
        assert raw.display and screen.focused is raw
        for text in ('"smsWarmup"', '"healthScore"', '"futureSection"', '"carrierTrustTier"'):
            assert text in raw.text, text
        assert '"warmupPhaseName": "ramp-2"' in raw.text
        await pilot.press("j")
        assert not raw.display
        assert screen.query_one(HealthPanel).display


async def test_event_log_filter_detail_and_a_refresh_keeps_the_selected_row(
    sim: Any, tmp_path: Path
) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    clock = on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = dashboard(app)
        log = screen.query_one(EventLog)
        table = log.query_one(EventTable)
        status = screen.results[HEALTHY].status
        inbound = [e for e in status.recent_events if "inbound" in (e.event_type or "")]
        assert 2 < len(inbound) < table.row_count, "the simulator's events changed shape"

        await pilot.press("slash", *"inbound", "enter")
        await wait_until(pilot, lambda: table.row_count == len(inbound), "the filter")
        assert all(
            any("inbound" in cell.plain.lower() for cell in row.cells[1:])
            for row in table.shown_rows
        )
        assert log.note.startswith(f"{len(inbound)} matching")
        assert screen.focused is table

        await pilot.press("down", "down")
        await wait_until(pilot, lambda: table.cursor_row == 2, "the cursor on the third row")
        chosen = table.selected_key
        assert chosen is not None
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, EventDetailScreen), "the detail")
        detail = app.screen
        assert isinstance(detail, EventDetailScreen)
        assert detail.event.id == chosen
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, "the detail to close")
        assert table.selected_key == chosen and log.note.startswith(f"{len(inbound)} matching")

        sim.clear_requests()
        clock.advance(2)
        await pilot.press("r")
        await settle(app, pilot)
        assert len(requested(sim, HEALTHY)) == 1
        assert screen.results[HEALTHY].status is not status, "a new answer was drawn"
        shown = [row.key for row in table.shown_rows]
        assert table.selected_key == chosen, (chosen, table.cursor_row, shown, log.note)
        assert table.row_count >= len(inbound), "the filter is kept"


@pytest.fixture
def new_york_local_time() -> Iterator[None]:
    """Local time is New York's, so "local" and "UTC" read differently."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


async def test_z_switches_between_local_time_and_utc(
    sim: Any, tmp_path: Path, new_york_local_time: None
) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        zone = dashboard(app).query_one("#status-zone", Static)
        assert bar(app).zone.startswith(("EST (UTC-05:00)", "EDT (UTC-04:00)"))
        await pilot.press("z")
        assert bar(app).zone == "UTC"
        assert str(zone.content) == "UTC"
        await pilot.press("z")
        assert bar(app).zone.startswith(("EST", "EDT"))
        assert str(zone.content).startswith(("EST", "EDT"))
