"""The `?` screen: this app's keys, grouped by what they do (no framework internals).

Made from :data:`~leadping_tui.ui.keymap.KEYS`, the same table the
dashboard's bindings and the README's key table come from.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from leadping_tui.ui import keymap
from leadping_tui.ui.breakpoints import StyledAtMount


class HelpScreen(StyledAtMount, Screen[None]):
    """Full-screen key help, k9s style: one box per group."""

    BINDINGS = [
        Binding("escape,question_mark,q", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, overrides: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self._overrides = dict(overrides or {})

    def compose(self) -> ComposeResult:
        rows = keymap.help_rows(self._overrides)
        with VerticalScroll(id="help"):
            yield Static("Keys · Esc, ? or q closes · Ctrl+P finds any action", id="help-title")
            with Grid(id="help-groups"):
                for group in keymap.GROUPS:
                    mine = [(shown, text) for g, shown, text in rows if g == group]
                    width = max(cell_len(shown) for shown, _text in mine) + 2
                    with Vertical(classes="help-group") as box:
                        box.border_title = group
                        for shown, text in mine:
                            with Horizontal(classes="help-row"):
                                key = Static(Content(shown), classes="help-key")
                                key.styles.width = width
                                yield key
                                yield Static(Content(text), classes="help-text")

    def help_text(self) -> list[tuple[str, str, str]]:
        """What the screen shows, as (group, keys, text) rows (for tests and the README)."""
        found = []
        for box in self.query(".help-group"):
            for row in box.query(".help-row"):
                key, text = row.query(Static)
                found.append((str(box.border_title), str(key.content), str(text.content)))
        return found
