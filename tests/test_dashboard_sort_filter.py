"""Sorting (``o``) and filtering (``f``) the watchlist, in the real app against the simulator."""

from __future__ import annotations

import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app_harness import FakeClock, dashboard, make_app, on_fake_clock, settle
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Input

from leadping_tui.api.condition import Condition
from leadping_tui.store.watchlist import Watchlist
from leadping_tui.store.watchlist_file import WatchlistStore
from leadping_tui.ui.app import LeadPingApp
from leadping_tui.ui.stylesheet import stylesheet_path
from leadping_tui.ui.textual_compat import on_frame
from leadping_tui.ui.watchlist_view import RowState, SortOrder, parse_filter
from leadping_tui.ui.widgets.health_panel import HealthPanel
from leadping_tui.ui.widgets.watchlist_pane import WatchlistPane
from leadping_tui.ui.widgets.watchlist_sidebar import WatchlistSidebar

HEALTHY, ATTENTION, PAUSED, BLOCKED, READY = (f"+1202555010{i}" for i in range(1, 6))
WATCHED = [HEALTHY, ATTENTION, BLOCKED, READY]
SIZE = (120, 40)


async def until(pilot: Pilot[Any], condition: Callable[[], bool], limit: float = 30.0) -> None:
    """Let the app run until ``condition`` holds (fails after ``limit`` seconds)."""
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await pilot.pause(0.01)


async def all_fetched(app: LeadPingApp, pilot: Pilot[int], clock: FakeClock) -> None:
    """Move the fake clock until every watched number has a status."""
    screen = dashboard(app)
    for _ in range(20):
        if set(WATCHED) <= set(screen.results):
            return
        clock.advance(5)
        assert screen._poller is not None
        screen._poller.wake()
        await settle(app, pilot)
    raise AssertionError(f"not all fetched: {sorted(screen.results)}")


def labelled_app(sim: Any, tmp_path: Path, labels: list[str]) -> tuple[LeadPingApp, FakeClock]:
    """An app watching WATCHED with these labels, HEALTHY selected, on a fake clock."""
    app = make_app(sim, tmp_path)
    labelled = Watchlist()
    for number, label in zip(WATCHED, labels, strict=True):
        labelled = labelled.add(number, label)
    WatchlistStore(app.runtime.paths.watchlist_file).save(labelled.select(HEALTHY))
    return app, on_fake_clock(app)


def sidebar_of(app: LeadPingApp) -> WatchlistSidebar:
    return dashboard(app).query_one(WatchlistSidebar)


def saved_order(app: LeadPingApp) -> str | None:
    path = app.runtime.paths.settings_file
    if not path.exists():
        return None
    value = tomllib.loads(path.read_text("utf-8")).get("watchlist_order")
    return value if isinstance(value, str) else None


async def test_o_puts_the_critical_number_on_top_and_cycles_back_without_reordering(
    sim: Any, tmp_path: Path
) -> None:
    app = make_app(sim, tmp_path, watchlist=WATCHED)
    clock = on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await all_fetched(app, pilot, clock)
        sidebar = sidebar_of(app)
        assert sidebar.shown_numbers == tuple(WATCHED)
        assert sidebar.border_title == "Watchlist (4)"
        assert sidebar.row_state(BLOCKED).condition is Condition.CRITICAL

        await pilot.press("o")
        assert sidebar.order is SortOrder.WORST
        assert sidebar.shown_numbers[0] == BLOCKED
        assert sidebar.shown_numbers[1] == ATTENTION
        assert sidebar.border_title == "Watchlist (4) · worst first"
        # The order is saved in the settings; the watchlist keeps the user's order.
        assert saved_order(app) == "worst"
        assert app.watchlist.numbers() == tuple(WATCHED)
        assert dashboard(app).selected == HEALTHY  # the highlight stayed on its number

        # Moving a number is refused while sorted (it would change the user's order).
        await pilot.press("shift+up")
        await pilot.pause()
        assert app.watchlist.numbers() == tuple(WATCHED)
        assert sidebar.watchlist.numbers() == tuple(WATCHED)

        await pilot.press("o", "o", "o")
        assert sidebar.order is SortOrder.LABEL
        await pilot.press("o")
        assert sidebar.order is SortOrder.USER
        assert sidebar.shown_numbers == tuple(WATCHED)
        assert sidebar.border_title == "Watchlist (4)"
        assert saved_order(app) == "user"


async def test_the_saved_order_is_used_at_start_up(sim: Any, tmp_path: Path) -> None:
    app = make_app(sim, tmp_path, watchlist=WATCHED, settings_toml='watchlist_order = "worst"\n')
    clock = on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await all_fetched(app, pilot, clock)
        sidebar = sidebar_of(app)
        assert sidebar.order is SortOrder.WORST
        # Results arrive one by one; the list is re-sorted once they have.
        await until(pilot, lambda: sidebar.shown_numbers[0] == BLOCKED)
        assert "worst first" in str(sidebar.border_title)


async def test_the_summary_line_counts_numbers_per_condition(sim: Any, tmp_path: Path) -> None:
    app = make_app(sim, tmp_path, watchlist=WATCHED)
    clock = on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        sidebar = sidebar_of(app)
        await all_fetched(app, pilot, clock)
        assert sidebar.border_subtitle == "✗ 1  ! 1  ? 0  ✓ 2"


async def test_f_filters_by_number_or_label_and_esc_clears(sim: Any, tmp_path: Path) -> None:
    app, clock = labelled_app(sim, tmp_path, ["Sales east", "Support", "Billing", "Sales west"])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await all_fetched(app, pilot, clock)
        sidebar = sidebar_of(app)
        box = dashboard(app).query_one("#watchlist-filter", Input)
        assert not box.display

        await pilot.press("f")
        assert box.display and box.has_focus
        await pilot.press(*"555-0104")
        await until(pilot, lambda: sidebar.shown_numbers == (BLOCKED,))
        assert sidebar.border_title == "Watchlist (1 of 4)"
        # What is shown becomes the selection, as with any highlight move.
        await until(pilot, lambda: dashboard(app).selected == BLOCKED)

        await pilot.press(*("backspace" for _ in "555-0104"), *"sales")
        await until(pilot, lambda: sidebar.shown_numbers == (HEALTHY, READY))
        await pilot.press(*" WEST")
        await until(pilot, lambda: sidebar.shown_numbers == (READY,))
        await pilot.press("enter")
        assert sidebar.has_focus and box.display  # the filter stays while browsing
        await pilot.press("escape")
        assert not box.display
        await until(pilot, lambda: sidebar.shown_numbers == tuple(WATCHED))
        assert sidebar.has_focus
        # Filtering never touched the watchlist.
        assert app.watchlist.numbers() == tuple(WATCHED)


async def test_a_filter_that_hides_the_selection_draws_the_list_before_the_match(
    sim: Any, tmp_path: Path
) -> None:
    """The narrowed list goes out in the key's own frame; the first match's
    panels follow. Drawn in the same frame, the key waited for the panels'
    layout, and for the match's status too when it landed first (``!c`` with
    1,000 numbers: ~70 ms, issue 12). A highlight the user moves (the ↓ key)
    is still drawn with its panels in one frame: test_sidebar_keys."""
    app, clock = labelled_app(sim, tmp_path, ["Alpha", "Beta", "Bravo", "Delta"])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await all_fetched(app, pilot, clock)
        screen = dashboard(app)
        sidebar = sidebar_of(app)
        health = screen.query_one(HealthPanel)
        frames: list[tuple[tuple[str, ...], str | None, str | None]] = []
        on_frame(
            app,
            lambda: frames.append(
                (sidebar.shown_numbers, sidebar.selected_number, screen.selected)
            ),
        )
        await pilot.press("f", "b")
        await until(pilot, lambda: screen.selected == ATTENTION)
        assert ((ATTENTION, BLOCKED), ATTENTION, HEALTHY) in frames, frames
        await pilot.press("r")
        await until(pilot, lambda: screen.selected == BLOCKED)
        assert ((BLOCKED,), BLOCKED, ATTENTION) in frames, frames
        await settle(app, pilot)
        assert health.last_ctx is not None and health.last_ctx.number == BLOCKED


async def test_f_filters_by_condition(sim: Any, tmp_path: Path) -> None:
    app = make_app(sim, tmp_path, watchlist=WATCHED)
    clock = on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await all_fetched(app, pilot, clock)
        sidebar = sidebar_of(app)
        await pilot.press("f", *"!ok")
        await until(pilot, lambda: sidebar.shown_numbers == (HEALTHY, READY))
        await pilot.press("backspace", "backspace", *"bad")
        await until(pilot, lambda: set(sidebar.shown_numbers) == {ATTENTION, BLOCKED})
        await pilot.press("enter", "o")
        assert sidebar.shown_numbers == (BLOCKED, ATTENTION)
        await pilot.press("f", *" nothing-like-this")
        await until(pilot, lambda: sidebar.shown_numbers == ())
        assert "Esc" in str(sidebar.get_option_at_index(0).prompt)
        await pilot.press("escape")
        await until(pilot, lambda: len(sidebar.shown_numbers) == 4)


# -- re-sorting when states change (the sidebar alone) ------------------------


class SidebarApp(App[None]):
    CSS_PATH = stylesheet_path()

    def compose(self) -> ComposeResult:
        yield WatchlistPane()


async def test_a_sorted_list_is_re_sorted_when_a_state_changes() -> None:
    watchlist = Watchlist().add(HEALTHY).add(ATTENTION).add(BLOCKED)
    app = SidebarApp()
    async with app.run_test(size=(80, 20)) as pilot:
        sidebar = app.query_one(WatchlistSidebar)
        sidebar.set_watchlist(watchlist)
        sidebar.set_row_state(HEALTHY, RowState(Condition.OK, 90))
        sidebar.set_row_state(ATTENTION, RowState(Condition.WARNING, 60))
        sidebar.set_row_state(BLOCKED, RowState(Condition.WARNING, 65))
        sidebar.set_order(SortOrder.WORST)
        assert sidebar.shown_numbers == (ATTENTION, BLOCKED, HEALTHY)
        sidebar.highlighted = sidebar.shown_numbers.index(HEALTHY)

        sidebar.set_row_state(BLOCKED, RowState(Condition.CRITICAL, 20))
        await until(pilot, lambda: sidebar.shown_numbers[0] == BLOCKED)
        assert sidebar.shown_numbers == (BLOCKED, ATTENTION, HEALTHY)
        assert sidebar.selected_number == HEALTHY  # the highlight follows its number
        assert sidebar.border_subtitle == "✗ 1  ! 1  ? 0  ✓ 1"
        assert sidebar.watchlist.numbers() == (HEALTHY, ATTENTION, BLOCKED)

        # A condition filter drops a number whose condition no longer matches.
        sidebar.set_filter(parse_filter("!warn"))
        assert sidebar.shown_numbers == (ATTENTION,)
        sidebar.set_row_state(ATTENTION, RowState(Condition.OK, 80))
        await until(pilot, lambda: sidebar.shown_numbers == ())


async def test_typing_a_long_filter_keeps_its_end_in_view_without_a_layout() -> None:
    app = SidebarApp()
    async with app.run_test(size=(80, 20)) as pilot:
        pane = app.query_one(WatchlistPane)
        pane.sidebar.set_watchlist(Watchlist().add(HEALTHY).add(ATTENTION))
        pane.open_filter()
        await pilot.pause()
        box = pane.filter_box
        layouts: list[bool] = []
        refresh = box.refresh

        def spy(*regions: Any, **kwargs: Any) -> Any:
            layouts.append(bool(kwargs.get("layout")))
            return refresh(*regions, **kwargs)

        box.refresh = spy  # type: ignore[method-assign]
        typed = "sales east and west then some more words endXYZ"
        await pilot.press(*typed)
        await until(pilot, lambda: pane.sidebar.active_filter == parse_filter(typed))
        assert box.value == typed
        assert layouts and not any(layouts), "a keystroke laid out the screen"
        shown = "".join(strip.text for strip in box.render_lines(box.region.reset_offset))
        assert box.size.width < len(typed) and "endXYZ" in shown, shown
        await pilot.press(*("backspace" for _ in typed))
        await until(pilot, lambda: not pane.sidebar.active_filter.active)
        assert pane.sidebar.shown_numbers == (HEALTHY, ATTENTION)
