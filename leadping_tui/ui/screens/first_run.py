"""The screen shown when there is no API key yet (and no ``--demo``)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Static

from leadping_tui.store.secret import mask_secret
from leadping_tui.terminal.safe_text import literal
from leadping_tui.ui.breakpoints import StyledAtMount
from leadping_tui.ui.widgets.key_entry import KeyEntry

FirstRunChoice = Literal["demo", "key", "quit"]


class FirstRunScreen(StyledAtMount, Screen[FirstRunChoice]):
    """Say what the app is and how to give it a key; dismisses with the choice.

    ``"demo"`` starts the simulator, ``"key"`` means a key was just saved to
    ``settings_path``, ``"quit"`` leaves. A typed key is never shown: the
    input is masked and confirmations show only ``sk_…1234``.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "choose('demo')", "Demo", id="first_run.demo"),
        Binding("k", "enter_key", "Enter key", id="first_run.key"),
        Binding("q", "choose('quit')", "Quit", id="first_run.quit"),
        Binding("escape", "close_key_entry", "Back", show=False, id="first_run.back"),
    ]

    # Nothing is focused at first, so d/k/q reach the screen's bindings.
    AUTO_FOCUS = ""

    def __init__(self, settings_path: Path) -> None:
        super().__init__()
        self._settings_path = settings_path

    def compose(self) -> ComposeResult:
        path = str(self._settings_path)
        with Center(), Vertical(id="first-run"):
            yield Static("leadping-tui", id="first-run-title")
            yield Static(
                "Watch your LeadPing phone numbers warm up, from the terminal.",
                classes="first-run-lead",
            )
            yield Static("No API key is set. Give it one of these ways:", classes="first-run-text")
            yield Static("export LEADPING_API_KEY=sk_...", classes="first-run-code")
            yield Static("or add this line to your settings file:", classes="first-run-text")
            yield Static(literal('api_key = "sk_..."'), classes="first-run-code")
            yield Static(literal(path), id="first-run-path")
            yield Static(
                "(the app keeps that file private to you: mode 0600)", classes="first-run-note"
            )
            yield Static(
                "d  try the demo: a built-in simulator, no account needed\n"
                "k  enter a key now\n"
                "q  quit",
                markup=False,
                id="first-run-keys",
            )
            entry = KeyEntry(
                self._settings_path,
                "API key (hidden as you type; enter saves, esc goes back)",
                id="key-entry",
            )
            entry.display = False
            yield entry

    def action_choose(self, choice: FirstRunChoice) -> None:
        """Leave the screen with ``choice``."""
        self.dismiss(choice)

    def action_enter_key(self) -> None:
        """Show the masked key input."""
        entry = self.query_one(KeyEntry)
        entry.display = True
        entry.focus_input()

    def action_close_key_entry(self) -> None:
        """Hide the key input again, forgetting what was typed."""
        entry = self.query_one(KeyEntry)
        entry.clear()
        entry.display = False
        self.set_focus(None)

    @on(KeyEntry.Saved)
    def _key_saved(self, message: KeyEntry.Saved) -> None:
        self.app.notify(
            f"API key {mask_secret(message.key)} saved to {self._settings_path}",
            title="Key saved",
        )
        self.dismiss("key")
