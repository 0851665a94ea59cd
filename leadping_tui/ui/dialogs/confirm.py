"""A yes/no question in a small centred box."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from leadping_tui.terminal.safe_text import literal
from leadping_tui.ui.breakpoints import StyledAtMount


class ConfirmDialog(StyledAtMount, ModalScreen[bool]):
    """Ask before doing something; dismisses with ``True`` for yes.

    The message may hold user text (a label), so it is shown literally, never
    as markup. ``y`` answers yes, ``n`` and escape answer no, and Enter presses
    the focused button (the yes button at first).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="dialog.yes"),
        Binding("n", "answer(False)", "No", id="dialog.no"),
        Binding("escape", "answer(False)", "Cancel", id="dialog.cancel"),
        Binding("left,right", "app.focus_previous", "Switch", show=False, id="dialog.switch"),
    ]

    def __init__(
        self, message: str, *, yes: str = "Remove", no: str = "Cancel", title: str = "Confirm"
    ) -> None:
        super().__init__()
        self._message = message
        self._yes = yes
        self._no = no
        self._title = title

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog") as box:
            box.border_title = self._title
            yield Static(literal(self._message), id="message", classes="dialog-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self._no, id="no", variant="default")
                yield Button(self._yes, id="yes", variant="error")
            yield Static("y yes · n / esc no", classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    @on(Button.Pressed, "#yes")
    def _pressed_yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def _pressed_no(self) -> None:
        self.dismiss(False)

    def action_answer(self, answer: bool) -> None:
        """Close the dialog with ``answer``."""
        self.dismiss(answer)
