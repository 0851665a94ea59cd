"""The table of recent things that every tab's table is built on.

:class:`StableTable` is the ``DataTable`` the event log, the actions table,
the trend and the history tables use.  A refresh with the same rows repaints
nothing; a refresh that only changed some cells (relative times, a provider
status) updates those cells in place; only a change of rows rebuilds the
table, and then the selected row is found again by its key and kept where it
was on screen.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from typing import TypeVar

from rich.text import Text
from textual import on
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable

from leadping_tui.phone import format_number
from leadping_tui.terminal.safe_text import clean
from leadping_tui.times.timefmt import absolute, relative
from leadping_tui.ui.widgets.table_rows import FixedCell, LazyCell, TableRow

__all__ = [
    "CELL_MAX",
    "FILL_FIRST",
    "FILL_STEP",
    "MAX_ROWS",
    "FixedCell",
    "LazyCell",
    "StableTable",
    "TableRow",
    "newest",
    "phone_text",
    "short_time",
    "unique_keys",
]

#: Rows kept in a table; the newest win.  Thousands of rows help nobody on a
#: terminal and would make every refresh slow.
MAX_ROWS = 500
#: A rebuilt table gets this many rows at once (more if the selected row is
#: further down: always a screenful below it), then the rest a slice per
#: frame. Rows go in as :class:`LazyCell` s (nothing made or measured until
#: drawn), so a slice costs ~2-5 ms for its rows plus the layout its growth
#: asks for (~20 ms, whatever its size): few large slices, not many small.
FILL_FIRST = 100
FILL_STEP = 200
CELL_MAX = 120
_OLDEST = datetime.min.replace(tzinfo=UTC)

T = TypeVar("T")


def newest(items: Sequence[T], when: Callable[[T], datetime | None], limit: int) -> list[T]:
    """The ``limit`` newest items, newest first; items without a time come last."""

    def order(pair: tuple[int, T]) -> tuple[bool, datetime, int]:
        index, item = pair
        stamp = when(item)
        # Among equal times the API's own order (earlier in the list) wins.
        return (stamp is not None, stamp or _OLDEST, -index)

    return [item for _, item in heapq.nlargest(limit, enumerate(items), key=order)]


def short_time(when: datetime | None, now: datetime, tz: tzinfo) -> str:
    """Relative within the last hour, else the clock time, the date added when not today."""
    if when is None:
        return "—"
    age = (now - when).total_seconds()
    if -3600 < age < 3600:
        return "just now" if abs(age) < 60 else relative(when, now)
    stamp = absolute(when, tz)
    if stamp[:10] == absolute(now, tz)[:10]:
        return stamp[11:]
    if stamp[:4] == absolute(now, tz)[:4]:
        return stamp[5:]
    return stamp


@lru_cache(maxsize=4096)
def phone_text(number: str | None) -> str:
    """A phone number from the payload, formatted for reading; ``—`` when missing."""
    # Cached: a log of hundreds of events involves a handful of numbers, and
    # parsing each one again on every refresh was most of the refresh time.
    return format_number(clean(number, max_len=40)) if number else "—"


def unique_keys(keys: Iterable[str | None]) -> list[str]:
    """Row keys from ids: missing or repeated ids get a positional suffix."""
    seen: set[str] = set()
    result: list[str] = []
    for index, key in enumerate(keys):
        candidate = key if key else f"#{index}"
        if candidate in seen:
            candidate = f"{candidate}#{index}"
        seen.add(candidate)
        result.append(candidate)
    return result


class StableTable(DataTable[Text | LazyCell]):
    """A row-cursor ``DataTable`` that keeps the selection and scroll across refreshes."""

    COMPONENT_CLASSES = {"table--muted", "table--alert", "table--accent"}

    #: Column titles and fixed widths.  Fixed widths keep the layout steady:
    #: auto-sized columns were sometimes measured before their rows arrived and
    #: stayed at header width until a cell changed.
    COLUMNS: tuple[tuple[str, int], ...] = ()

    class ColumnsCut(Message):
        """The columns out of view changed (the table is narrower than its columns)."""

        def __init__(self, table: StableTable, note: str) -> None:
            super().__init__()
            self.table = table
            self.note = note
            """``more → Provider, Type`` or empty when every column is in view."""

        @property
        def control(self) -> StableTable:
            return self.table

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=True)
        self._rows: list[TableRow] = []
        # The tail of _rows not added to the table yet (see FILL_FIRST).
        self._pending: list[TableRow] = []
        # The cells added for each row key (kept here, not on the row: a row
        # holding cells that hold it would be a cycle for the collector).
        self._placed: dict[str, tuple[LazyCell, ...]] = {}
        self._fill_scheduled = False
        self._title = ""
        self._cut_note = ""
        self.rebuilds = 0
        """How many times the rows were rebuilt (not just cells updated); for tests."""

    def on_mount(self) -> None:
        for name, width in self.COLUMNS:
            self.add_column(name, key=name.lower(), width=width)
        self.call_after_refresh(self._note_cut)

    def set_title(self, title: str) -> None:
        """Set the border title; only a real change repaints the table."""
        self._title = title
        shown = f"{title} · {self._cut_note}" if title and self._cut_note else title
        if self.border_title != shown:
            self.border_title = shown

    # -- columns out of view ---------------------------------------------------

    def hidden_columns(self) -> tuple[list[str], list[str]]:
        """Titles of the columns cut off on the left and on the right of the view."""
        visible = self.scrollable_content_region.width
        if visible <= 0:
            return [], []
        left, right = self.scroll_x, self.scroll_x + visible
        before: list[str] = []
        after: list[str] = []
        x = 0
        for column in self.ordered_columns:
            width = column.get_render_width(self)
            # A column with a few cells in view still reads as there.
            shown = min(width, 8)
            if x + width - shown < left:
                before.append(str(column.label))
            elif x + shown > right:
                after.append(str(column.label))
            x += width
        return before, after

    @property
    def cut_note(self) -> str:
        """``more → Provider, Type`` (and ``← Time``) while columns are out of view."""
        return self._cut_note

    def on_resize(self) -> None:
        self._note_cut()

    def watch_scroll_x(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_x(old_value, new_value)
        self._note_cut()

    def _note_cut(self) -> None:
        before, after = self.hidden_columns()
        parts = []
        if before:
            parts.append("← " + ", ".join(before))
        if after:
            parts.append("more → " + ", ".join(after))
        note = "  ".join(parts)
        if note != self._cut_note:
            self._cut_note = note
            self.set_title(self._title)
            self.post_message(self.ColumnsCut(self, note))

    # -- detail ------------------------------------------------------------------

    def detail_for(self, key: str) -> ModalScreen[None] | None:
        """The dialog Enter opens on the row ``key``; ``None`` leaves Enter to the parent."""
        return None

    @on(DataTable.RowSelected)
    def _open_detail(self, message: DataTable.RowSelected) -> None:
        # Enter on a row: every field of it, which the columns have no room for.
        key = message.row_key.value
        detail = self.detail_for(key) if key is not None else None
        if detail is not None:
            message.stop()
            self.app.push_screen(detail)

    @property
    def shown_rows(self) -> list[TableRow]:
        """The rows on display, top first."""
        return list(self._rows)

    @property
    def selected_key(self) -> str | None:
        """The key of the row under the cursor, if any."""
        if not self._rows or not 0 <= self.cursor_row < len(self._rows):
            return None
        return self._rows[self.cursor_row].key

    def style_for(self, component: str) -> str:
        """A rich style string resolved from a component class of this table."""
        return str(self.get_component_rich_style(component, partial=True))

    def set_rows(self, rows: Sequence[TableRow]) -> None:
        """Show ``rows``; repaint only what changed and keep the selected key."""
        rows = list(rows)
        if [row.key for row in rows] == [row.key for row in self._rows]:
            self._update_cells(rows)
            return
        self._rebuild(rows)

    @property
    def filling(self) -> bool:
        """Whether some rows are still to be added to the table (a slice per frame)."""
        return bool(self._pending)

    def _update_cells(self, rows: list[TableRow]) -> None:
        columns = [column.key for column in self.ordered_columns]
        added = len(self._rows) - len(self._pending)
        for old, new in zip(self._rows[:added], rows[:added], strict=True):
            if not old.made:
                # Never drawn: the table's cells draw from the new row instead.
                for cell in self._placed.get(new.key, ()):
                    cell.row = new
                continue
            if old.cells == new.cells:
                continue
            for column, before, after in zip(columns, old.cells, new.cells, strict=False):
                if before != after:
                    self.update_cell(new.key, column, FixedCell.of(after))
        # Rows not added yet are added as they are now.
        self._pending = rows[added:]
        self._rows = rows

    def _rebuild(self, rows: list[TableRow]) -> None:
        old_key = self.selected_key
        old_index = self.cursor_row
        old_scroll = round(self.scroll_y)
        self.rebuilds += 1
        self.clear()
        self._rows = rows
        self._pending = []
        self._placed = {}
        if not rows:
            return
        keys = [row.key for row in rows]
        new_index = keys.index(old_key) if old_key in keys else min(old_index, len(rows) - 1)
        # The selected row and a screenful below it at once, the rest later.
        first = max(FILL_FIRST, new_index + self.size.height + 1)
        self._add_rows(rows[:first])
        self._pending = rows[first:]
        self._fill_soon()
        # Keep the selected row at the same place on screen, unless the user
        # was at the top: then new rows appear above and stay visible.
        scroll = 0 if old_scroll == 0 else max(old_scroll + new_index - old_index, 0)
        self.move_cursor(row=new_index, scroll=False)
        self.call_after_refresh(self._restore_scroll, scroll, new_index)

    def _add_rows(self, rows: Sequence[TableRow]) -> None:
        width = len(self.columns)
        for row in rows:
            placed = self._placed[row.key] = tuple(LazyCell(row, index) for index in range(width))
            self.add_row(*placed, key=row.key)

    def _fill_soon(self) -> None:
        if self._pending and not self._fill_scheduled:
            self._fill_scheduled = True
            self.call_after_refresh(self._fill_more)

    def _fill_more(self) -> None:
        """Add the next slice of rows (after a frame, so keys are handled in between)."""
        self._fill_scheduled = False
        chunk, self._pending = self._pending[:FILL_STEP], self._pending[FILL_STEP:]
        self._add_rows(chunk)
        self._fill_soon()

    def _restore_scroll(self, scroll: int, index: int) -> None:
        visible = max(self.scrollable_content_region.height - self.header_height, 1)
        if index < scroll:
            scroll = index
        elif index >= scroll + visible:
            scroll = index - visible + 1
        self.scroll_to(y=scroll, animate=False, immediate=True)
