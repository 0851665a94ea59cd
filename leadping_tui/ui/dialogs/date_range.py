"""Pick the metrics window: a preset, a number of days, or a start and end date."""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from leadping_tui.api.errors import InvalidQuery
from leadping_tui.api.query import DATES_HELP, WINDOW_PRESETS, StatusQuery, build_query
from leadping_tui.terminal.safe_text import literal
from leadping_tui.ui.breakpoints import StyledAtMount

#: Quick choices offered as buttons: the same windows ``w`` steps through.
PRESET_DAYS: tuple[int, ...] = WINDOW_PRESETS
# When the API picks the window itself we do not know its span; a week is the usual default.
_FALLBACK_DAYS = 7


def covered_range(query: StatusQuery, today: date) -> tuple[date, date]:
    """The dates ``query`` covers as of ``today`` (a rolling window ends today)."""
    if query.start is not None and query.end is not None:
        return query.start, query.end
    days = query.window_days or _FALLBACK_DAYS
    return today - timedelta(days=days - 1), today


def query_from_text(days: str, start: str, end: str) -> StatusQuery:
    """The query the dialog's three fields describe; raises :class:`InvalidQuery`.

    A number of days wins when given; otherwise the start and end dates are
    used. The rules are :func:`build_query`'s, the same as the CLI's.
    """
    if days.strip():
        return build_query(window_days=days)
    if not start.strip() and not end.strip():
        raise InvalidQuery("Type a start and an end date (YYYY-MM-DD), or a number of days.")
    return build_query(start=start, end=end)


class DateRangeDialog(StyledAtMount, ModalScreen[StatusQuery | None]):
    """Choose the window; dismisses with a valid :class:`StatusQuery` or ``None``.

    Nothing is returned until the input passes the typo guards the CLI uses
    too: each problem (an impossible date, the wrong format, a reversed range,
    zero days) is named inline and the dialog stays open. Limits beyond that
    are the API's to judge; its refusal is shown on the dashboard.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
    ]

    def __init__(self, current: StatusQuery, today: date) -> None:
        super().__init__()
        self._current = current
        self._today = today
        first, last = covered_range(current, today)
        self._prefill = (first.isoformat(), last.isoformat())

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog") as box:
            box.border_title = "Metrics window"
            yield Static(
                literal(f"Now: {self._current.describe()} · today is {self._today.isoformat()}"),
                classes="dialog-message",
            )
            with Horizontal(id="presets", classes="dialog-presets"):
                for days in PRESET_DAYS:
                    yield Button(
                        f"{days} day{'' if days == 1 else 's'}",
                        id=f"preset-{days}",
                        classes="preset",
                        compact=True,
                    )
            yield Static("Last N days", classes="dialog-field")
            yield Input(
                value=str(self._current.window_days or ""),
                placeholder="e.g. 30",
                restrict=r"[0-9]*",
                id="days",
            )
            yield Static(f"or a date range ({DATES_HELP})", classes="dialog-field")
            with Horizontal(classes="dialog-range"):
                yield Input(value=self._prefill[0], placeholder="start", id="start")
                yield Static("→", classes="dialog-arrow")
                yield Input(value=self._prefill[1], placeholder="end", id="end")
            yield Static("", id="error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Apply", id="apply", variant="primary")
            yield Static("enter apply · tab next · esc cancel", classes="dialog-keys")

    def on_mount(self) -> None:
        first = "#days" if self._current.window_days is not None else "#start"
        self.query_one(first, Input).focus()

    @on(Input.Changed, "#start, #end")
    def _dates_edited(self) -> None:
        # Editing the dates means the user wants a range: the days field would override it.
        dates = (self.query_one("#start", Input).value, self.query_one("#end", Input).value)
        if dates != self._prefill:
            self.query_one("#days", Input).value = ""
        self._show_error("")

    @on(Input.Changed, "#days")
    def _days_edited(self) -> None:
        self._show_error("")

    @on(Button.Pressed, ".preset")
    def _preset(self, event: Button.Pressed) -> None:
        days = int((event.button.id or "").removeprefix("preset-"))
        self.dismiss(StatusQuery.window(days))

    @on(Input.Submitted)
    @on(Button.Pressed, "#apply")
    def _apply(self) -> None:
        try:
            query = query_from_text(
                self.query_one("#days", Input).value,
                self.query_one("#start", Input).value,
                self.query_one("#end", Input).value,
            )
        except InvalidQuery as exc:
            self._show_error(exc.message)
            return
        self.dismiss(query)

    def _show_error(self, message: str) -> None:
        self.query_one("#error", Static).update(literal(message))
        self.set_class(bool(message), "-invalid")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close and keep the current window."""
        self.dismiss(None)
