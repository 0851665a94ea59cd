"""The Fleet view (``F``): contents, column sort, movement and Enter, driven with real keys."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app_harness import dashboard, make_app, on_fake_clock, settle
from textual.app import App
from textual.pilot import Pilot

from leadping_tui.api.condition import Condition
from leadping_tui.ui.fleet_table import BETTER, WORSE, Column, FleetSnapshot, FleetViewRow
from leadping_tui.ui.screens.fleet import FleetScreen
from leadping_tui.ui.stylesheet import stylesheet_path
from leadping_tui.ui.widgets.fleet_grid import FleetGrid
from leadping_tui.ui.widgets.watchlist_sidebar import WatchlistSidebar

HEALTHY, ATTENTION, PAUSED, BLOCKED, READY = (f"+1202555010{i}" for i in range(1, 6))
WATCHED = [HEALTHY, ATTENTION, BLOCKED, READY]
SIZE = (120, 40)


async def until(pilot: Pilot[Any], condition: Callable[[], bool], limit: float = 30.0) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await pilot.pause(0.01)


def table_text(screen: FleetScreen) -> list[list[str]]:
    grid = screen.query_one(FleetGrid)
    return [list(grid.row_text(i)) for i in range(grid.row_count)]


def fleet(app: App[Any]) -> FleetScreen:
    assert isinstance(app.screen, FleetScreen), f"expected the Fleet view, got {app.screen!r}"
    return app.screen


async def test_f_lists_every_number_sorts_by_column_and_enter_selects(
    sim: Any, tmp_path: Path
) -> None:
    app = make_app(sim, tmp_path, watchlist=WATCHED)
    clock = on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = dashboard(app)
        for _ in range(20):
            if set(WATCHED) <= set(screen.results):
                break
            clock.advance(5)
            assert screen._poller is not None
            screen._poller.wake()
            await settle(app, pilot)

        await pilot.press("F")
        view = fleet(app)
        assert view.summary == "4 numbers  ✗ 1  ! 1  ? 0  ✓ 2"
        assert "second round" in view.movement  # every number has had one status so far
        rows = table_text(view)
        assert len(rows) == 4
        # Worst first to begin with: the blocked number on top.
        assert rows[0][0] == "+1 202-555-0104" and rows[0][2] == "✗ CRIT"
        assert rows[0][3] == "Blocked"
        score = screen.results[BLOCKED].status.sms_warmup
        assert score is not None and rows[0][5] == f"{score.health_score:.0f}"
        assert {row[2] for row in rows[1:]} == {"! WARN", "✓ OK"}

        await pilot.press("o")  # next column: state
        assert view.sort_column is Column.STATE and not view.descending
        states = [row[3] for row in table_text(view)]
        assert states == sorted(states, key=str.casefold)
        await pilot.press("O")
        assert view.descending
        assert [row[3] for row in table_text(view)] == sorted(states, key=str.casefold)[::-1]
        view.sort_by(Column.SCORE, descending=True)
        scores = [int(row[5]) for row in table_text(view)]
        assert scores == sorted(scores, reverse=True)

        # Enter on the last row (the lowest score, the blocked number): back, selected.
        await pilot.press("end", "enter")
        await until(pilot, lambda: screen.selected == BLOCKED)
        assert screen.query_one(WatchlistSidebar).selected_number == BLOCKED


async def test_enter_on_a_number_the_sidebar_filter_hides_clears_the_filter(
    sim: Any, tmp_path: Path
) -> None:
    app = make_app(sim, tmp_path, watchlist=WATCHED)
    on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        board = dashboard(app)
        sidebar = board.query_one(WatchlistSidebar)
        await pilot.press("f", *"0101", "enter")
        await until(pilot, lambda: sidebar.shown_numbers == (HEALTHY,))
        await pilot.press("F")
        view = fleet(app)
        view.sort_by(Column.NUMBER)
        await pilot.press("end", "enter")
        # Not dashboard(app) here: the Fleet view may still be closing.
        await until(pilot, lambda: board.selected == READY)
        await until(pilot, lambda: len(sidebar.shown_numbers) == 4)
        assert sidebar.selected_number == READY
        assert not board.query_one("#watchlist-filter").display


# -- movement, with a snapshot the test controls -------------------------------


class FleetApp(App[None]):
    CSS_PATH = stylesheet_path()

    def __init__(self) -> None:
        super().__init__()
        self.snapshot = FleetSnapshot()
        self.chosen: list[str | None] = []

    def on_mount(self) -> None:
        self.push_screen(FleetScreen(lambda: self.snapshot), self.chosen.append)


def rows(*moves: str | None) -> tuple[FleetViewRow, ...]:
    conditions = [Condition.OK, Condition.WARNING, Condition.CRITICAL]
    return tuple(
        FleetViewRow(f"+1202555{i:04d}", f"L{i}", conditions[i % 3], score=90 - i, moved=moved)
        for i, moved in enumerate(moves)
    )


async def test_the_view_follows_the_fleet_and_shows_how_it_moved() -> None:
    app = FleetApp()
    app.snapshot = FleetSnapshot(rows(None, None, None), rounds_known=False)
    async with app.run_test(size=SIZE) as pilot:
        view = fleet(app)
        assert view.summary == "3 numbers  ✗ 1  ! 1  ? 0  ✓ 1"
        assert "second round" in view.movement
        view.query_one(FleetGrid).cursor_row = 2
        kept = view.shown[2].number

        # The next round: one number went worse, one better (the view polls its source).
        app.snapshot = FleetSnapshot(rows(WORSE, None, BETTER), 1, 1, rounds_known=True)
        await until(pilot, lambda: "worse" in view.movement)
        assert view.movement == "Since the previous round: ▼ 1 worse  ▲ 1 better"
        moved = {row[0]: row[-1] for row in table_text(view)}
        assert moved["+1 202-555-0000"] == "▼ worse"
        assert moved["+1 202-555-0002"] == "▲ better"
        assert moved["+1 202-555-0001"] == ""
        # The cursor stays on the number it was on.
        assert view.shown[view.query_one(FleetGrid).cursor_row].number == kept

        view.sort_by(Column.MOVED)
        assert [row[-1] for row in table_text(view)] == ["▼ worse", "▲ better", ""]

        await pilot.press("escape")
        assert app.chosen == [None]


async def test_a_thousand_numbers_fill_the_grid_and_sort() -> None:
    app = FleetApp()
    app.snapshot = FleetSnapshot(rows(*([None] * 1000)), rounds_known=True)
    async with app.run_test(size=SIZE) as pilot:
        view = fleet(app)
        grid = view.query_one(FleetGrid)
        assert grid.row_count == 1000
        assert view.summary.startswith("1000 numbers")
        view.sort_by(Column.SCORE)  # lowest first: the last number
        assert grid.row_text(0)[0] == "+1 202-555-0999"
        await pilot.press("end")
        assert grid.cursor_row == 999
        # Only the lines on screen are drawn, so the last row is on screen now.
        assert "+1 202-555-0000" in app.export_screenshot().replace("&#160;", " ")


# -- with the organisation listing ------------------------------------------------


async def test_listing_columns_and_round_to_round_movement(sim: Any, tmp_path: Path) -> None:
    app = make_app(sim, tmp_path, watchlist=WATCHED, listing=True)
    clock = on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        board = dashboard(app)
        assert app.fleet.rounds == 1
        await pilot.press("F")
        view = fleet(app)
        by_number = {row[0]: row for row in table_text(view)}
        ready = by_number["+1 202-555-0105"]
        # SMS ready, voice ready and 10DLC come from the listing row.
        listed = app.fleet.get(READY)
        assert listed is not None
        assert ready[7] == ("✓" if listed.row.sms_ready else "✗")
        assert ready[8] == ("✓" if listed.row.voice_ready else "✗")
        assert ready[9] == listed.row.ten_dlc_campaign_status == "Approved"
        assert "second round" in view.movement

        # A second background round of the listing: nothing moved.
        await pilot.press("escape")
        clock.advance(120)
        assert board._poller is not None
        board._poller.wake()
        await settle(app, pilot)
        assert app.fleet.rounds == 2
        await pilot.press("F")
        view = fleet(app)
        assert view.movement == "Since the previous round: no number changed condition"

        # A round in which the ready number got blocked (the simulator's numbers
        # do not change condition within a test, so this round is made here).
        rows = {number: entry.row for number, entry in app.fleet.rows.items()}
        warmup = rows[READY].warmup
        assert warmup is not None
        blocked = warmup.model_copy(update={"state": "Blocked", "health_status": "Blocked"})
        rows[READY] = rows[READY].model_copy(update={"warmup": blocked})
        app.fleet.record_round(rows, app.fleet.updated_at or listed.received_at)
        board.fleet_changed()
        await until(pilot, lambda: "worse" in view.movement)
        assert view.movement == "Since the previous round: ▼ 1 worse  ▲ 0 better"
        moved = {row[0]: row[-1] for row in table_text(view)}
        assert moved["+1 202-555-0105"] == "▼ worse"
