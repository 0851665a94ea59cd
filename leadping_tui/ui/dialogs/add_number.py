"""Add a number to the watchlist: type it, see it normalised, get a clear reason if not."""

from __future__ import annotations

from collections.abc import Collection
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from leadping_tui.phone import InvalidNumber, format_number, normalize_number
from leadping_tui.terminal.safe_text import clean, literal
from leadping_tui.ui.breakpoints import StyledAtMount
from leadping_tui.ui.dialogs.edit_label import MAX_LABEL_LENGTH

#: What :class:`AddNumberDialog` dismisses with: the E.164 number and its label.
NewEntry = tuple[str, str]


class AddNumberDialog(StyledAtMount, ModalScreen[NewEntry | None]):
    """Ask for a number and an optional label; dismisses with ``(e164, label)`` or ``None``.

    While typing, a valid number shows its normalised form. A rejected number
    keeps the dialog open with what was typed and says why; after the first
    rejection the reason follows the typing, so the user sees when it is fixed.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
    ]

    def __init__(self, existing: Collection[str], *, default_region: str = "US") -> None:
        super().__init__()
        self._existing = frozenset(existing)
        self._region = default_region
        self._complain_live = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog") as box:
            box.border_title = "Add a number"
            yield Static("Phone number", classes="dialog-field")
            yield Input(placeholder="+1 202 555 0101 or (202) 555-0101", id="number")
            yield Static("", id="preview", classes="dialog-preview")
            yield Static("Label (optional)", classes="dialog-field")
            yield Input(placeholder="e.g. Sales line 1", max_length=MAX_LABEL_LENGTH, id="label")
            yield Static("", id="error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Add", id="add", variant="primary")
            yield Static("enter add · tab next field · esc cancel", classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#number", Input).focus()

    def _check(self, text: str) -> tuple[str | None, str]:
        """The E.164 form (if it is one) and why it cannot be added (``""`` if it can)."""
        if not text.strip():
            return None, "Type a phone number, for example +1 202 555 0101."
        try:
            number = normalize_number(text, default_region=self._region)
        except InvalidNumber as exc:
            return None, f"Not added: {exc}."
        if number in self._existing:
            return number, f"{format_number(number)} is already on your watchlist."
        return number, ""

    @on(Input.Changed, "#number")
    def _number_changed(self, event: Input.Changed) -> None:
        number, reason = self._check(event.value)
        preview = self.query_one("#preview", Static)
        if number is not None and not reason:
            preview.update(literal(f"Will add {format_number(number)}  ({number})"))
        else:
            preview.update(Content(""))
        # Half-typed numbers are not complained about until the first try to add;
        # a duplicate is worth knowing at once.
        if number is not None or self._complain_live:
            self._show_error(reason)

    @on(Input.Submitted)
    @on(Button.Pressed, "#add")
    def _submit(self) -> None:
        number_input = self.query_one("#number", Input)
        number, reason = self._check(number_input.value)
        if number is None or reason:
            self._complain_live = True
            self._show_error(reason)
            number_input.focus()
            return
        label = clean(self.query_one("#label", Input).value).strip()
        self.dismiss((number, label[:MAX_LABEL_LENGTH]))

    def _show_error(self, reason: str) -> None:
        # The reason can quote what was typed: show it literally.
        self.query_one("#error", Static).update(literal(reason))
        self.set_class(bool(reason), "-invalid")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without adding anything."""
        self.dismiss(None)
