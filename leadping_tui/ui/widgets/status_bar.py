"""The line at the top: which number, live/paused/loading/stale, age, window, zone.

The screen computes a :class:`BarState` about once a second; the bar only
touches the terminal when the visible text changes, so an idle dashboard
writes almost nothing over SSH.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from leadping_tui.terminal.safe_text import clean

MODES = ("live", "paused", "loading", "stale", "error")
MODE_TEXT = {
    "live": "● LIVE",
    # In the bar's mode slot, beside LIVE and LOADING: our polling, not a
    # warmup state. Said on this line rather than on a line of its own below,
    # so pausing never moves the screen's body (a layout of the whole screen).
    "paused": "❚❚ PAUSED · p resumes",
    "loading": "⟳ LOADING",
    "stale": "◌ STALE",
    "error": "◌ STALE",
}
#: A fetch still out when polling was paused: it ends, then nothing more goes.
LOADING_PAUSED_TEXT = "⟳ LOADING · ❚❚ PAUSED"


def mode_text(mode: str, paused: bool) -> str:
    """What the mode field says, e.g. ``● LIVE``; a pause shows even while loading."""
    if paused and mode == "loading":
        return LOADING_PAUSED_TEXT
    return MODE_TEXT.get(mode, mode)


@dataclass(frozen=True)
class BarState:
    number: str = ""
    label: str = ""
    mode: str = "live"
    updated: str = ""
    window: str = ""
    interval: str = ""
    """How often the selected number is refreshed, e.g. ``every 30 s``."""
    zone: str = ""
    demo: bool = False
    """Showing the built-in simulator, not a real API."""
    message: str = ""
    message_level: str = "warning"  # "warning" or "error"
    paused: bool = False
    """Auto-refresh is paused (shown in the mode field whatever the mode)."""


class StatusBar(Vertical):
    """Top status line plus an error line that appears only when needed."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._state: BarState | None = None
        self._widths: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        with Horizontal(id="status-line"):
            yield Static("", id="status-number")
            yield Static("", id="status-mode")
            yield Static("", id="status-updated")
            yield Static("", id="status-interval")
            yield Static("", id="status-window")
            yield Static("", id="status-zone")
        yield Static("", id="status-message")

    @property
    def state(self) -> BarState | None:
        return self._state

    def show(self, state: BarState) -> None:
        if state == self._state:
            return
        old = self._state or BarState(mode="")
        self._state = state
        if (state.number, state.label, state.demo) != (old.number, old.label, old.demo):
            title = state.number or "no number selected"
            if state.label:
                title += f" · {clean(state.label, max_len=30)}"
            # The badge leads the line, so it survives where the line is cut.
            badge = Content.styled(" DEMO ", "bold reverse") if state.demo else Content("")
            spacer = " " if state.demo else ""
            self._put("status-number", Content.assemble(badge, spacer, title))
        if (state.mode, state.paused) != (old.mode, old.paused):
            text = Content(mode_text(state.mode, state.paused))
            # p pressed and pressed again while a fetch is out: the field keeps
            # the room "⟳ LOADING · ❚❚ PAUSED" took until the fetch ends, so
            # each press repaints one field instead of laying out the screen.
            loading = state.mode == old.mode == "loading"
            mode = self._put("status-mode", text, shrink=not loading)
            mode.update_classes({f"-{name}": state.mode == name for name in MODES})
        if state.updated != old.updated:
            self._put("status-updated", Content(state.updated))
        if state.window != old.window:
            self._put("status-window", Content(f"window: {state.window}"))
        if state.interval != old.interval:
            self._put("status-interval", Content(state.interval))
        if state.zone != old.zone:
            self._put("status-zone", Content(state.zone))
        if (state.message, state.message_level) != (old.message, old.message_level):
            message = self.query_one("#status-message", Static)
            message.update(Content(clean(state.message, max_len=400)))
            message.display = bool(state.message)
            error = state.message_level == "error"
            message.update_classes({"-error": error, "-warning": not error})

    def _put(self, part: str, content: Content, *, shrink: bool = True) -> Static:
        """Show ``content`` in one field; lay the line out again only if its width changed.

        A layout pass arranges the whole screen; the number, the mode and the
        age change on every move through the list and every few seconds, mostly
        to text of the same width. Without ``shrink``, narrower text is drawn
        in the room the field has (the rest blank) and no layout is asked for.
        """
        field = self.query_one(f"#{part}", Static)
        width = content.cell_length
        laid = self._widths.get(part)
        if not shrink and laid is not None and width <= laid:
            field.update(content, layout=False)
            return field
        field.update(content, layout=laid != width)
        self._widths[part] = width
        return field
