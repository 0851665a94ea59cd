"""Ask where to export the current status and events."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class ExportDialog(ModalScreen[Path | None]):
    """Returns the chosen folder, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export.cancel")]

    def __init__(self, default_folder: Path) -> None:
        super().__init__()
        self._default = default_folder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as dialog:
            dialog.border_title = "Export status and events"
            yield Static(
                "JSON (the raw response) and CSV (summary and events) go into this folder:",
                classes="dialog-message",
            )
            yield Input(value=str(self._default), id="export-folder")
            yield Static("", classes="dialog-error", id="export-error")
            yield Static("Enter exports · Esc cancels", classes="dialog-keys")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self.query_one("#export-error", Static).update("Type a folder, e.g. ~/exports.")
            return
        self.dismiss(Path(text).expanduser())

    def action_cancel(self) -> None:
        self.dismiss(None)
