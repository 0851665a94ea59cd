"""A fast, read-only table for the Fleet view: only the lines on screen are drawn.

Textual's ``DataTable`` measures every cell of every row when rows are
added; with 1,000 numbers a re-sort took seconds.  This grid uses the line
API of a :class:`~textual.scroll_view.ScrollView` instead: rows are plain
text cells of fixed column widths, and ``render_line`` builds just the
visible lines, so sorting or refreshing 1,000 rows costs the same as 20.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

GridRow = tuple[tuple[str, str], ...]
"""One row: (text, component class or "") per column."""

_GAP = 2


class FleetGrid(ScrollView, can_focus=True):
    """Rows of fixed-width cells with a row cursor; Enter posts :class:`Chosen`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False, id="fleet.grid.up"),
        Binding("down", "cursor(1)", "Down", show=False, id="fleet.grid.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="fleet.grid.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="fleet.grid.page_down"),
        Binding("home", "jump(0)", "First", show=False, id="fleet.grid.first"),
        Binding("end", "jump(-1)", "Last", show=False, id="fleet.grid.last"),
        Binding("enter", "choose", "Select", id="fleet.grid.choose"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "fleet-grid--cursor",
        "fleet-grid--critical",
        "fleet-grid--warning",
        "fleet-grid--ok",
        "fleet-grid--muted",
    }

    cursor_row: reactive[int] = reactive(0)

    class Chosen(Message):
        """Enter (or a click) on a row."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, widths: Sequence[int], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.widths = tuple(widths)
        self._rows: list[GridRow] = []
        self._styles: dict[str, Style] = {}

    @property
    def row_count(self) -> int:
        return len(self._rows)

    def row_text(self, index: int) -> tuple[str, ...]:
        """The cells of one row as plain text."""
        return tuple(text for text, _ in self._rows[index])

    def set_rows(self, rows: list[GridRow]) -> None:
        """Replace every row; the cursor stays at its index (clamped)."""
        self._rows = rows
        width = sum(self.widths) + _GAP * len(self.widths)
        self.virtual_size = Size(width, len(rows))
        self.cursor_row = min(self.cursor_row, max(0, len(rows) - 1))
        self.refresh()

    def validate_cursor_row(self, value: int) -> int:
        return max(0, min(value, len(self._rows) - 1)) if self._rows else 0

    def watch_cursor_row(self, old: int, new: int) -> None:
        self.scroll_to_region_of(new)
        self.refresh()

    def scroll_to_region_of(self, index: int) -> None:
        height = self.scrollable_content_region.height
        top = round(self.scroll_offset.y)
        if index < top:
            self.scroll_to(y=index, animate=False)
        elif height and index >= top + height:
            self.scroll_to(y=index - height + 1, animate=False)

    # -- drawing -----------------------------------------------------------------

    def notify_style_update(self) -> None:
        self._styles.clear()
        super().notify_style_update()

    def _style(self, component: str) -> Style:
        style = self._styles.get(component)
        if style is None:
            style = self._styles[component] = self.get_component_rich_style(component)
        return style

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if index >= len(self._rows):
            return Strip.blank(width, base)
        cursor = index == self.cursor_row
        line_style = base + self._style("fleet-grid--cursor") if cursor else base
        segments: list[Segment] = []
        for (text, component), cell_width in zip(self._rows[index], self.widths, strict=False):
            style = line_style
            if component:
                part = self._style(component)
                style = line_style + Style(color=part.color, bold=part.bold)
            shown = text if len(text) <= cell_width else text[: cell_width - 1] + "…"
            segments.append(Segment(shown.ljust(cell_width), style))
            segments.append(Segment(" " * _GAP, line_style))
        strip = Strip(segments).crop(scroll_x, scroll_x + width)
        return strip.extend_cell_length(width, line_style)

    # -- moving ------------------------------------------------------------------

    def action_cursor(self, delta: int) -> None:
        self.cursor_row += delta

    def action_page(self, direction: int) -> None:
        self.cursor_row += direction * max(1, self.scrollable_content_region.height - 1)

    def action_jump(self, where: int) -> None:
        self.cursor_row = len(self._rows) - 1 if where < 0 else 0

    def action_choose(self) -> None:
        if self._rows:
            self.post_message(self.Chosen(self.cursor_row))

    def on_click(self, event: events.Click) -> None:
        index = round(self.scroll_offset.y) + event.y
        if 0 <= index < len(self._rows):
            if index == self.cursor_row and event.chain > 1:
                self.action_choose()
            self.cursor_row = index
