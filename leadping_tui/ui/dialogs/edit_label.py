"""Change the label of one watched number."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from leadping_tui.phone import format_number
from leadping_tui.terminal.safe_text import clean, literal
from leadping_tui.ui.breakpoints import StyledAtMount

MAX_LABEL_LENGTH = 64


class EditLabelDialog(StyledAtMount, ModalScreen[str | None]):
    """Edit a label; dismisses with the new label (``""`` clears it) or ``None``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
    ]

    def __init__(self, number: str, label: str) -> None:
        super().__init__()
        self._number = number
        self._label = clean(label, max_len=MAX_LABEL_LENGTH)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog") as box:
            box.border_title = "Edit label"
            yield Static(
                literal(f"Label for {format_number(self._number)}"), classes="dialog-message"
            )
            yield Input(
                value=self._label,
                placeholder="e.g. Sales line 1 (empty for none)",
                max_length=MAX_LABEL_LENGTH,
                id="label",
            )
            yield Static("", id="error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")
            yield Static("enter save · esc cancel", classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#label", Input).focus()

    @on(Input.Submitted, "#label")
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        text = self.query_one("#label", Input).value
        label = clean(text).strip()
        if len(label) > MAX_LABEL_LENGTH:
            # Paste can get round max_length on some terminals; say so rather than cut silently.
            self.query_one("#error", Static).update(
                f"A label can be at most {MAX_LABEL_LENGTH} characters (this one has {len(label)})."
            )
            return
        self.dismiss(label)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without changing anything."""
        self.dismiss(None)
