"""Ask where to export the current status and events."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Static

from leadping_tui.api.result import FetchResult
from leadping_tui.ui.breakpoints import StyledAtMount


class ExportDialog(StyledAtMount, ModalScreen[Path | None]):
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


def export_with_dialog(screen: Screen[None], result: FetchResult) -> None:
    """Ask for a folder, export ``result`` there, and say what was written."""

    def chosen(folder: Path | None) -> None:
        if folder is None:
            return
        from leadping_tui.reports.exports import ExportError, export_status

        try:
            paths = export_status(result, folder)
        except ExportError as exc:
            screen.notify(str(exc), title="Export failed", severity="error", timeout=20)
            return
        screen.notify(
            f"Wrote {paths.json.name}, {paths.summary_csv.name} and "
            f"{paths.events_csv.name} in {folder}",
            title="Exported",
            timeout=15,
        )

    screen.app.push_screen(ExportDialog(Path.cwd() / "leadping-exports"), chosen)
