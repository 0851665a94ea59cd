"""The watchlist sidebar, driven with real keys in a small harness app."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Input

from leadping_tui.api.condition import Condition
from leadping_tui.phone import format_number
from leadping_tui.store.watchlist import WatchEntry, Watchlist
from leadping_tui.ui import keymap
from leadping_tui.ui.dialogs.add_number import AddNumberDialog
from leadping_tui.ui.dialogs.confirm import ConfirmDialog
from leadping_tui.ui.dialogs.edit_label import EditLabelDialog
from leadping_tui.ui.stylesheet import stylesheet_path
from leadping_tui.ui.widgets.watchlist_sidebar import (
    ALERT_MARK,
    EMPTY_HINT,
    LOADING_MARK,
    RowState,
    WatchlistSidebar,
)

N1, N2, N3 = "+12025550101", "+12025550102", "+12025550103"


def three() -> Watchlist:
    return Watchlist().add(N1, "Sales 1").add(N2, "Support").add(N3, "Ops")


class SidebarHarness(App[None]):
    """A sidebar alone, with a stand-in for the screen: it records and echoes changes."""

    CSS_PATH = stylesheet_path()
    # The dashboard screen binds the watchlist keys; here the harness does.
    BINDINGS = [b for b in keymap.bindings("screen") if str(b.id).startswith("watchlist.")]  # type: ignore[union-attr]

    def action_add_number(self) -> None:
        self.sidebar.action_add()

    def action_edit_label(self) -> None:
        self.sidebar.action_edit_label()

    def action_remove_number(self) -> None:
        self.sidebar.action_remove()

    def action_move_number(self, delta: int) -> None:
        self.sidebar.action_move(delta)

    def __init__(self, watchlist: Watchlist) -> None:
        super().__init__()
        self.initial = watchlist
        self.selected: list[str] = []
        self.entered: list[str] = []
        self.changes: list[tuple[str, Watchlist]] = []

    def compose(self) -> ComposeResult:
        yield WatchlistSidebar(self.initial)

    @property
    def sidebar(self) -> WatchlistSidebar:
        return self.query_one(WatchlistSidebar)

    def on_watchlist_sidebar_selected(self, message: WatchlistSidebar.Selected) -> None:
        (self.entered if message.by_enter else self.selected).append(message.number)

    def on_watchlist_sidebar_changed(self, message: WatchlistSidebar.Changed) -> None:
        self.changes.append((message.reason, message.watchlist))
        # What the dashboard does after saving: hand back the merged list.
        self.sidebar.set_watchlist(message.watchlist)


def text_of(widget: Widget) -> str:
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, *widget.outer_size)))


async def test_rows_show_title_numbers_and_labels_and_hostile_labels_literally() -> None:
    watchlist = Watchlist().add(N1, "[red]x[/]").add(N2, "[@click=app.quit]")
    app = SidebarHarness(watchlist)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        shown = text_of(app.sidebar)
        assert "Watchlist (2)" in shown
        assert format_number(N1) in shown
        assert "[red]x[/]" in shown
        assert "[@click=app.quit]" in shown  # on its own line, whole and literal
        assert "[@click=app.quit]" in app.sidebar.row_text(N2)
        await pilot.click(WatchlistSidebar, offset=(20, 2))
        await pilot.pause()
        assert app.is_running


async def test_empty_watchlist_shows_a_hint_and_a_adds_the_first_number() -> None:
    app = SidebarHarness(Watchlist())
    async with app.run_test(size=(100, 30)) as pilot:
        app.sidebar.focus()
        await pilot.pause()
        assert EMPTY_HINT in " ".join(text_of(app.sidebar).split())
        assert app.sidebar.selected_number is None
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AddNumberDialog)
        await pilot.press(*"202 555 0105", "tab", *"Ready", "enter")
        await pilot.pause()
        assert app.changes[-1][0] == "add"
        assert app.sidebar.watchlist.numbers() == ("+12025550105",)
        assert app.sidebar.selected_number == "+12025550105"
        assert app.selected[-1] == "+12025550105"


async def test_highlight_moves_emit_selected_once_per_number() -> None:
    app = SidebarHarness(three())
    async with app.run_test(size=(100, 30)) as pilot:
        app.sidebar.focus()
        await pilot.pause()
        assert app.selected == [N1]
        await pilot.press("down", "down", "down", "up")
        await pilot.pause()
        # Down from the last number wraps round to the first.
        assert app.selected == [N1, N2, N3, N1, N3]
        await pilot.press("home", "home")
        await pilot.pause()
        assert app.selected[-2:] == [N3, N1] and len(app.selected) == 6
        await pilot.press("end")
        # Handing back the same list re-highlights N3 without announcing it again.
        app.sidebar.set_watchlist(app.sidebar.watchlist)
        await pilot.pause()
        assert app.selected[-1] == N3 and len(app.selected) == 7
        await pilot.press("enter")
        await pilot.pause()
        assert app.entered == [N3]


async def test_set_watchlist_keeps_the_highlight_on_the_same_number() -> None:
    app = SidebarHarness(three())
    async with app.run_test(size=(100, 30)) as pilot:
        app.sidebar.focus()
        await pilot.press("down")
        await pilot.pause()
        assert app.sidebar.selected_number == N2
        reordered = Watchlist().add(N3).add("+12025550104").add(N2).add(N1)
        app.sidebar.set_watchlist(reordered)
        await pilot.pause()
        assert app.sidebar.selected_number == N2
        assert app.sidebar.highlighted == 2
        assert app.sidebar.border_title == "Watchlist (4)"


async def test_set_row_state_shows_symbol_score_alert_and_error() -> None:
    app = SidebarHarness(three())
    async with app.run_test(size=(120, 30)) as pilot:
        sidebar = app.sidebar
        sidebar.set_row_state(N1, RowState(Condition.WARNING, 63.4, alert=True))
        sidebar.set_row_state(
            N2, RowState(Condition.CRITICAL, error="unknown number", loading=True)
        )
        sidebar.set_row_state(N3, RowState(Condition.OK, 91.0, stale=True))
        await pilot.pause()
        row1, row2, row3 = (sidebar.row_text(n) for n in (N1, N2, N3))
        assert row1.startswith(Condition.WARNING.symbol)
        assert " 63 " in row1 and row1.rstrip().endswith(ALERT_MARK)
        assert row2.startswith(Condition.CRITICAL.symbol) and "unknown number" in row2
        assert row2.rstrip().endswith("—" + LOADING_MARK)
        assert row3.startswith(Condition.OK.symbol) and "91~" in row3
        shown = text_of(sidebar)
        assert Condition.WARNING.symbol in shown and "63" in shown and "unknown number" in shown
        # The same state again leaves the row object alone (no redraw).
        before = sidebar.get_option(N1).prompt
        sidebar.set_row_state(N1, RowState(Condition.WARNING, 63.4, alert=True))
        assert sidebar.get_option(N1).prompt is before
        sidebar.set_row_state("+19999999999", RowState(Condition.OK))  # unknown: ignored
        # The error word takes the place of the state word; the score stays.
        sidebar.set_row_state(N3, RowState(Condition.OK, 91.0, error="offline", word="Ready"))
        assert "offline" in sidebar.row_text(N3) and "Ready" not in sidebar.row_text(N3)


async def test_remove_asks_first_n_keeps_y_removes() -> None:
    app = SidebarHarness(three())
    async with app.run_test(size=(100, 30)) as pilot:
        app.sidebar.focus()
        await pilot.press("down", "delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert f"Remove {format_number(N2)} (Support) from the watchlist?" in text_of(
            app.screen.query_one("#message")
        )
        await pilot.press("n")
        await pilot.pause()
        assert app.sidebar.watchlist.numbers() == (N1, N2, N3)
        assert app.changes == []
        await pilot.press("backspace", "y")  # the Mac's "delete" key
        await pilot.pause()
        assert app.changes[-1][0] == "remove"
        assert app.sidebar.watchlist.numbers() == (N1, N3)
        assert app.sidebar.selected_number in (N1, N3)
        assert app.selected[-1] == app.sidebar.selected_number


async def test_relabel() -> None:
    app = SidebarHarness(three())
    async with app.run_test(size=(100, 30)) as pilot:
        app.sidebar.focus()
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, EditLabelDialog)
        app.screen.query_one("#label", Input).value = ""
        await pilot.press(*"Front desk", "enter")
        await pilot.pause()
        assert app.changes[-1][0] == "label"
        entry = app.sidebar.watchlist.get(N1)
        assert entry is not None and entry.label == "Front desk"
        assert "Front desk" in app.sidebar.row_text(N1)
        # Escape changes nothing.
        await pilot.press("l", "escape")
        await pilot.pause()
        assert len(app.changes) == 1


async def test_reorder_with_shift_arrows_and_j_k() -> None:
    app = SidebarHarness(three())
    async with app.run_test(size=(100, 30)) as pilot:
        app.sidebar.focus()
        await pilot.press("shift+down")
        await pilot.pause()
        assert app.sidebar.watchlist.numbers() == (N2, N1, N3)
        assert app.sidebar.selected_number == N1
        await pilot.press("J")
        await pilot.pause()
        assert app.sidebar.watchlist.numbers() == (N2, N3, N1)
        await pilot.press("J")  # already last: no change, no message
        await pilot.pause()
        assert len(app.changes) == 2
        await pilot.press("shift+up", "K")
        await pilot.pause()
        assert app.sidebar.watchlist.numbers() == (N1, N2, N3)
        assert [reason for reason, _ in app.changes] == ["move"] * 4
        assert app.changes[-1][1].numbers() == (N1, N2, N3)


async def test_a_thousand_numbers_stay_responsive() -> None:
    entries = tuple(WatchEntry(f"+1202555{i:04d}", f"Line {i}") for i in range(1000))
    app = SidebarHarness(Watchlist(entries))
    async with app.run_test(size=(100, 30)) as pilot:
        sidebar = app.sidebar
        sidebar.focus()
        await pilot.press("end")
        await pilot.pause()
        assert sidebar.selected_number == "+12025550999"
        assert sidebar.border_title == "Watchlist (1000)"
        prompts = [option.prompt for option in sidebar.options]
        await pilot.press("pageup", "up", "up", "home", "down")
        await pilot.pause()
        assert sidebar.selected_number == "+12025550001"
        # Moving the highlight rebuilt no rows.
        assert all(a is b.prompt for a, b in zip(prompts, sidebar.options, strict=True))
        for i in range(0, 1000, 7):
            sidebar.set_row_state(f"+1202555{i:04d}", RowState(Condition.OK, 90.0))
        await pilot.press("shift+down")
        await pilot.pause()
        assert sidebar.watchlist.numbers()[:3] == ("+12025550000", "+12025550002", "+12025550001")
        assert sidebar.row_text("+12025550994").startswith(Condition.OK.symbol)


def test_the_state_word_survives_narrow_rows_and_the_label_gives_way_first() -> None:
    from leadping_tui.ui.widgets.watchlist_row import SidebarRow

    class Plain:
        style_generation = 0

        def part_style(self, component: str) -> Any:
            from textual.style import Style

            return Style()

    shown = format_number(N1)
    paused = RowState(Condition.WARNING, 71.0, word="Paused")
    attention = RowState(Condition.WARNING, 55.0, word="Needs attention")
    label = "Sales line one in Denver"
    for width in (60, 40, 36, 30):  # 30: the list at 80 columns
        p = SidebarRow(Plain(), shown, label, paused, len(shown)).content(width).plain
        a = SidebarRow(Plain(), shown, label, attention, len(shown)).content(width).plain
        assert "Paused" in p, (width, p)
        assert "Needs attention" in a or "Attention" in a, (width, a)
        assert p != a
    wide = SidebarRow(Plain(), shown, label, paused, len(shown)).content(60).plain
    assert label in wide, "a label is not cut when there is room"
    assert " 71" in wide


async def test_a_long_label_is_read_whole_on_a_line_of_its_own() -> None:
    label = "Billing alerts (main line) for the Denver office"
    watchlist = Watchlist().add(N1, label).add(N2)
    app = SidebarHarness(watchlist)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        lines = text_of(app.sidebar).splitlines()
        first = next(i for i, line in enumerate(lines) if format_number(N1) in line)
        # The label is the next line, indented under the number, not cut.
        assert label in lines[first + 1]
        assert format_number(N1) not in lines[first + 1]
        # An unlabelled number keeps a single line.
        second = next(i for i, line in enumerate(lines) if format_number(N2) in line)
        assert second == first + 2


def test_a_row_too_narrow_for_a_label_line_keeps_one_line() -> None:
    from textual.style import Style
    from textual.visual import RenderOptions

    from leadping_tui.ui.widgets.watchlist_row import SidebarRow

    class Plain:
        style_generation = 0

        def part_style(self, component: str) -> Style:
            return Style()

    shown = format_number(N1)
    row = SidebarRow(Plain(), shown, "Front desk", RowState(Condition.OK, 90.0), len(shown))
    assert row.get_height(None, 38) == 2  # type: ignore[arg-type]
    strips = row.render_strips(38, None, Style(), RenderOptions(lambda _: Style(), {}))
    assert [strip.cell_length for strip in strips] == [38, 38]
    assert "Front desk" in strips[1].text
    assert row.get_height(None, 9) == 1  # type: ignore[arg-type]
