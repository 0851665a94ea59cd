"""Enter a new API key without leaving the dashboard (offered after a 401)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from leadping_tui.terminal.safe_text import literal
from leadping_tui.ui.breakpoints import StyledAtMount
from leadping_tui.ui.widgets.key_entry import KeyEntry


class ApiKeyDialog(StyledAtMount, ModalScreen[str | None]):
    """A masked input; enter saves the key to the settings file and dismisses with it.

    The key is never shown: the input is masked and messages show ``sk_…1234``.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="api_key.cancel"),
    ]

    DEFAULT_CSS = """
    ApiKeyDialog { align: center middle; }
    ApiKeyDialog > Vertical {
        width: 70; height: auto; padding: 1 2;
        border: thick $error; background: $panel;
    }
    """

    def __init__(self, settings_path: Path, reason: str = "") -> None:
        super().__init__()
        self._settings_path = settings_path
        self._reason = reason

    def compose(self) -> ComposeResult:
        with Vertical():
            if self._reason:
                yield Static(literal(self._reason, single_line=False))
            yield KeyEntry(
                self._settings_path,
                "New API key (hidden as you type; enter saves, esc cancels)",
                note=f"Saved to {self._settings_path} (mode 0600)",
            )

    def on_mount(self) -> None:
        self.query_one(KeyEntry).focus_input()

    def action_cancel(self) -> None:
        self.query_one(KeyEntry).clear()
        self.dismiss(None)

    @on(KeyEntry.Saved)
    def _saved(self, message: KeyEntry.Saved) -> None:
        self.dismiss(message.key)
