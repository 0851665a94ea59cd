"""The event log: ``recentEvents`` newest first, filterable, with a detail view.

At most :data:`~leadping_tui.ui.widgets.stable_table.MAX_ROWS` events are put
in the table (the newest); the note above it says how many the response held.
A refresh keeps the selected event (by id) and the scroll position, and does
not touch the table at all when nothing visible changed.
"""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Static

from leadping_tui.api.models import MessagingEvent
from leadping_tui.terminal.safe_text import clean, literal
from leadping_tui.ui import keymap
from leadping_tui.ui.event_text import OPT_OUT_MARK, direction_text
from leadping_tui.ui.view import PanelContext
from leadping_tui.ui.widgets.stable_table import (
    CELL_MAX,
    MAX_ROWS,
    StableTable,
    TableRow,
    newest,
    phone_text,
    short_time,
    unique_keys,
)


class EventTable(StableTable):
    """The table inside :class:`EventLog`."""

    # What happened and what was said first, so the dashboard's main width
    # shows them without scrolling sideways; routing details last.
    COLUMNS = (
        ("Time", 11),
        ("Dir", 5),
        ("Opt-out", 7),
        ("Label", 24),
        ("Preview", 40),
        ("Provider", 11),
        ("Type", 14),
        ("From → To", 35),
    )


class EventLog(Vertical):
    """Recent messaging events of the selected number."""

    # `/` (open the filter) is bound on the dashboard screen; Esc is about this box only.
    BINDINGS = keymap.widget_bindings("events.filter.clear")

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = "Recent events"
        self._rows: list[TableRow] = []
        # What the filter matches in each row, made when a filter is first typed.
        self._search: dict[str, str] = {}
        self._events: dict[str, MessagingEvent] = {}
        self._filter = ""
        self._ctx: PanelContext | None = None
        self._matching = 0
        self.total = 0

    def compose(self) -> ComposeResult:
        yield Input(placeholder="filter events (esc clears)", id="events-filter")
        yield Static("No data yet", id="events-note", markup=False)
        yield EventTable(id="events-table")

    def on_mount(self) -> None:
        # A query, not query_one: the app may be closing while the tabs mount.
        self.query("#events-filter").set(display=False)

    @property
    def table(self) -> EventTable:
        return self.query_one(EventTable)

    @property
    def note(self) -> str:
        """The line above the table, e.g. ``showing 500 of 20,000 events``."""
        return str(self.query_one("#events-note", Static).content)

    # -- drawing ---------------------------------------------------------------

    def show(self, ctx: PanelContext) -> None:
        """Draw the events in ``ctx``; keeps the selection, touches only what changed."""
        self._ctx = ctx
        self.set_class(ctx.stale, "-stale")
        events = ctx.status.recent_events if ctx.status else []
        self.total = ctx.status.events_total if ctx.status else 0
        kept = newest(events, lambda event: event.created_at, MAX_ROWS)
        keys = unique_keys(event.id for event in kept)
        self._events = dict(zip(keys, kept, strict=True))
        table = self.table
        styles = (table.style_for("table--muted"), table.style_for("table--alert"))
        self._rows = [
            TableRow(key, make=partial(self._cells, event, ctx, styles))
            for key, event in self._events.items()
        ]
        self._search = {}
        self._apply()

    @staticmethod
    def _cells(
        event: MessagingEvent, ctx: PanelContext, styles: tuple[str, str]
    ) -> tuple[Text, ...]:
        muted, alert = styles
        label = literal(event.label or "", max_len=60)
        if event.is_demo:
            label.append(" (demo)", style=muted)
        route = f"{phone_text(event.from_phone_number)} → {phone_text(event.to_phone_number)}"
        opt_out = Text(OPT_OUT_MARK, style=alert) if event.is_opt_out else Text("")
        cells = (
            Text(short_time(event.created_at, ctx.now, ctx.tz)),
            Text(direction_text(event.direction)),
            opt_out,
            label,
            literal(event.text_preview or "", max_len=CELL_MAX),
            literal(event.provider_status or "", max_len=40),
            literal(event.event_type or "", max_len=40),
            Text(route),
        )
        return cells

    def _search_text(self, row: TableRow) -> str:
        """The row's text the filter looks in (every column but the time), lower case."""
        text = self._search.get(row.key)
        if text is None:
            text = self._search[row.key] = "\t".join(cell.plain for cell in row.cells[1:]).lower()
        return text

    def _apply(self) -> None:
        needle = self._filter.strip().lower()
        if needle:
            rows = [row for row in self._rows if needle in self._search_text(row)]
        else:
            rows = self._rows
        self.table.set_rows(rows)
        self._matching = len(rows)
        self._apply_note()

    def _describe(self, matching: int, needle: str) -> str:
        if self._ctx is None or self._ctx.status is None:
            return "No data yet"
        if self.total == 0:
            return "No events in this response"
        kept = len(self._rows)
        if kept < self.total:
            shown = f"showing {kept:,} of {self.total:,} events (newest)"
        else:
            shown = f"{self.total:,} event{'s' if self.total != 1 else ''}"
        if needle:
            return f"{matching:,} matching “{clean(needle, max_len=40)}” · {shown}"
        return shown

    @on(StableTable.ColumnsCut, "#events-table")
    def _columns_cut(self, message: StableTable.ColumnsCut) -> None:
        message.stop()
        self._apply_note()

    def _apply_note(self) -> None:
        text = self._describe(self._matching, self._filter.strip().lower())
        cut = self.table.cut_note
        if cut and self._matching:
            text = f"{text} · {cut} (←/→ scrolls)"
        if text != self.note:
            self.query_one("#events-note", Static).update(Text(text))

    # -- filter ----------------------------------------------------------------

    def action_open_filter(self) -> None:
        """Show the filter box and type into it."""
        box = self.query_one("#events-filter", Input)
        box.display = True
        self.screen.set_focus(box)  # now: the keys typed next go into it

    def action_close_filter(self) -> None:
        """Clear and hide the filter; back to the table."""
        box = self.query_one("#events-filter", Input)
        box.value = ""
        box.display = False
        self._filter = ""
        self._apply()
        self.screen.set_focus(self.table)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Escape belongs to whoever is above us unless there is a filter to clear.
        if action == "close_filter":
            return bool(self.query_one("#events-filter", Input).display or self._filter)
        return True

    @on(Input.Changed, "#events-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._filter = event.value
        self._apply()

    @on(Input.Submitted, "#events-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.screen.set_focus(self.table)

    # -- detail ----------------------------------------------------------------

    @on(DataTable.RowSelected, "#events-table")
    def _open_detail(self, message: DataTable.RowSelected) -> None:
        message.stop()
        key = message.row_key.value
        event = self._events.get(key) if key is not None else None
        if event is None or self._ctx is None:
            return
        from leadping_tui.ui.dialogs.event_detail import EventDetailScreen

        self.app.push_screen(EventDetailScreen(event, tz=self._ctx.tz, now=self._ctx.now))
