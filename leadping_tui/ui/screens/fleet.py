"""The Fleet view (``F``): every watched number in one table, sortable by column.

It reads a :class:`~leadping_tui.ui.fleet_table.FleetSnapshot` from the
dashboard (no I/O of its own) when it opens and then once a second, and
redraws the table only when the snapshot changed.  Enter on a row closes the
view and hands the number back, for the dashboard to select.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from leadping_tui.ui.breakpoints import StyledAtMount
from leadping_tui.ui.fleet_table import (
    BETTER,
    WORSE,
    Column,
    ConditionTrail,
    FleetSnapshot,
    FleetViewRow,
    build_snapshot,
    cells,
    sort_rows,
)
from leadping_tui.ui.widgets.fleet_grid import FleetGrid, GridRow
from leadping_tui.ui.widgets.quiet_footer import QuietFooter
from leadping_tui.ui.widgets.watchlist_sidebar import WatchlistSidebar

if TYPE_CHECKING:
    from leadping_tui.api.result import FetchResult
    from leadping_tui.refresh.fleet import Fleet


REFRESH_SECONDS = 1.0
COLUMNS = tuple(Column)
_CONDITION_AT = COLUMNS.index(Column.CONDITION)
_MOVED_AT = COLUMNS.index(Column.MOVED)
_CONDITION_STYLE = {
    "critical": "fleet-grid--critical",
    "warning": "fleet-grid--warning",
    "ok": "fleet-grid--ok",
    "unknown": "fleet-grid--muted",
}
_MOVED_STYLE = {WORSE: "fleet-grid--critical", BETTER: "fleet-grid--ok"}
_GAP = 2


def grid_row(row: FleetViewRow) -> GridRow:
    """A row's cells with the component class that colours each (condition, movement)."""
    texts = cells(row)
    styles = [""] * len(texts)
    styles[_CONDITION_AT] = _CONDITION_STYLE[row.condition.value]
    styles[_MOVED_AT] = _MOVED_STYLE.get(row.moved or "", "")
    return tuple(zip(texts, styles, strict=True))


class FleetHeader(Static):
    """The column headings; a click on one sorts by it."""

    class Clicked(Message):
        def __init__(self, column: Column) -> None:
            super().__init__()
            self.column = column

    def show(self, column: Column, descending: bool) -> None:
        arrow = " ▼" if descending else " ▲"
        parts = [
            (c.heading + (arrow if c is column else "")).ljust(c.width)[: c.width + _GAP]
            for c in COLUMNS
        ]
        self.update(Text((" " * _GAP).join(parts)))

    def on_click(self, event: events.Click) -> None:
        x = event.x + round(self.scroll_offset.x)
        left = 0
        for column in COLUMNS:
            if left <= x < left + column.width + _GAP:
                self.post_message(self.Clicked(column))
                return
            left += column.width + _GAP


class FleetScreen(StyledAtMount, Screen[str | None]):
    """Every watched number with state, health, score, progress, SMS/voice ready and 10DLC."""

    HELP = """\
**Fleet view.** Every watched number. `o` sorts by the next column, `O`
reverses; clicking a heading sorts by it. Enter selects the number on the
dashboard; Esc (or `F`) goes back. *Moved* says which numbers went worse or
better since the previous round.
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,F", "close", "Back", id="fleet.close"),
        Binding("o", "sort_next", "Sort by next column", id="fleet.sort.next"),
        Binding("O", "sort_reverse", "Reverse sort", id="fleet.sort.reverse"),
    ]

    def __init__(self, snapshot: Callable[[], FleetSnapshot]) -> None:
        super().__init__()
        self._source = snapshot
        self._snapshot = FleetSnapshot()
        self.sort_column = Column.CONDITION
        self.descending = False
        self.shown: list[FleetViewRow] = []
        self._cells: dict[FleetViewRow, GridRow] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="fleet-summary", markup=False)
        yield Static(id="fleet-movement", markup=False)
        yield FleetHeader(id="fleet-header", markup=False)
        yield FleetGrid([column.width for column in COLUMNS], id="fleet-grid")
        yield QuietFooter()

    def on_mount(self) -> None:
        self.refresh_snapshot(force=True)
        self.set_interval(REFRESH_SECONDS, self.refresh_snapshot, name="fleet-refresh")
        self.grid.focus()

    @property
    def grid(self) -> FleetGrid:
        return self.query_one(FleetGrid)

    # -- drawing -----------------------------------------------------------------

    @property
    def summary(self) -> str:
        return str(self.query_one("#fleet-summary", Static).content)

    @property
    def movement(self) -> str:
        return str(self.query_one("#fleet-movement", Static).content)

    def refresh_snapshot(self, *, force: bool = False) -> None:
        """Read the dashboard's snapshot again; redraw only what changed."""
        snapshot = self._source()
        if not force and snapshot == self._snapshot:
            return
        self._snapshot = snapshot
        self.query_one("#fleet-summary", Static).update(snapshot.summary)
        self.query_one("#fleet-movement", Static).update(snapshot.movement)
        self._fill()

    def _fill(self) -> None:
        grid = self.grid
        keep = self._cursor_number()
        self.shown = sort_rows(self._snapshot.rows, self.sort_column, descending=self.descending)
        # Cells are built once per distinct row: a re-sort only reorders them.
        cache = self._cells
        self._cells = {row: cache.get(row) or grid_row(row) for row in self._snapshot.rows}
        grid.set_rows([self._cells[row] for row in self.shown])
        self.query_one(FleetHeader).show(self.sort_column, self.descending)
        if keep is not None:
            index = next((i for i, row in enumerate(self.shown) if row.number == keep), 0)
            grid.cursor_row = index

    def _cursor_number(self) -> str | None:
        cursor = self.grid.cursor_row
        return self.shown[cursor].number if 0 <= cursor < len(self.shown) else None

    # -- sorting -----------------------------------------------------------------

    def sort_by(self, column: Column, *, descending: bool = False) -> None:
        """Sort the table on ``column``."""
        self.sort_column = column
        self.descending = descending
        self._fill()

    def action_sort_next(self) -> None:
        index = (COLUMNS.index(self.sort_column) + 1) % len(COLUMNS)
        self.sort_by(COLUMNS[index])

    def action_sort_reverse(self) -> None:
        self.sort_by(self.sort_column, descending=not self.descending)

    @on(FleetHeader.Clicked)
    def _heading_clicked(self, event: FleetHeader.Clicked) -> None:
        event.stop()
        same = event.column is self.sort_column
        self.sort_by(event.column, descending=same and not self.descending)

    # -- leaving -----------------------------------------------------------------

    @on(FleetGrid.Chosen)
    def _row_chosen(self, event: FleetGrid.Chosen) -> None:
        event.stop()
        if 0 <= event.index < len(self.shown):
            self.dismiss(self.shown[event.index].number)

    def action_close(self) -> None:
        self.dismiss(None)


def dashboard_snapshot(
    labels: Mapping[str, str],
    results: Mapping[str, FetchResult],
    sidebar: WatchlistSidebar,
    fleet: Fleet,
    trail: ConditionTrail,
) -> FleetSnapshot:
    """The Fleet view of what the dashboard knows now.

    Readiness comes from whichever is newer, the number's status or its
    organisation-listing row; SMS/voice readiness and 10DLC from the listing.
    Movement is the listing's round-to-round change where the listing is in
    use, and each number's last two statuses where it is polled one by one.
    """
    conditions = {number: sidebar.row_state(number).condition for number in labels}
    statuses = {}
    listed = {}
    for number in labels:
        result = results.get(number)
        row = fleet.get(number)
        if row is not None:
            listed[number] = row.row
        if row is not None and (result is None or row.received_at > result.received_at):
            statuses[number] = row.status
        elif result is not None:
            statuses[number] = result.status
    moves = dict(trail.moves)
    if fleet.rounds >= 2:
        moves.update(dict.fromkeys(fleet.movement.worse_numbers, WORSE))
        moves.update(dict.fromkeys(fleet.movement.better_numbers, BETTER))
    rounds_known = trail.compared or fleet.rounds >= 2
    return build_snapshot(labels, conditions, statuses, listed, moves, rounds_known=rounds_known)
