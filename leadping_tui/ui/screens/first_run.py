"""The screen shown when there is no API key yet (and no ``--demo``)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from leadping_tui.store.atomic import LockTimeout
from leadping_tui.store.secret import mask_secret
from leadping_tui.store.settings import SettingsWriteError
from leadping_tui.store.settings_save import update_settings
from leadping_tui.terminal.safe_text import literal

FirstRunChoice = Literal["demo", "key", "quit"]


def _key_problem(key: str) -> str:
    if not key:
        return "Paste or type your API key first (it starts with sk_)."
    if any(ch.isspace() or not ch.isprintable() for ch in key):
        return "That key has spaces or control characters in it; paste it again."
    return ""


class FirstRunScreen(Screen[FirstRunChoice]):
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
            with Vertical(id="key-entry") as entry:
                entry.display = False
                yield Static("API key (hidden as you type; enter saves, esc goes back)")
                yield Input(password=True, placeholder="sk_...", id="api-key")
                yield Static("", id="key-error", classes="first-run-error")

    def action_choose(self, choice: FirstRunChoice) -> None:
        """Leave the screen with ``choice``."""
        self.dismiss(choice)

    def action_enter_key(self) -> None:
        """Show the masked key input."""
        self.query_one("#key-entry").display = True
        self.query_one("#api-key", Input).focus()

    def action_close_key_entry(self) -> None:
        """Hide the key input again, forgetting what was typed."""
        key_input = self.query_one("#api-key", Input)
        key_input.value = ""
        self.query_one("#key-error", Static).update("")
        self.query_one("#key-entry").display = False
        self.set_focus(None)

    @on(Input.Submitted, "#api-key")
    def _save_key(self, event: Input.Submitted) -> None:
        key = event.value.strip()
        error = self.query_one("#key-error", Static)
        problem = _key_problem(key)
        if problem:
            error.update(problem)
            return
        try:
            update_settings(self._settings_path, api_key=key)
        except (SettingsWriteError, LockTimeout, OSError) as exc:
            # Our own messages never hold the key, but an OS one could quote anything.
            message = str(exc).replace(key, mask_secret(key))
            error.update(literal(f"Could not save the key: {message}"))
            return
        event.input.value = ""
        self.app.notify(
            f"API key {mask_secret(key)} saved to {self._settings_path}",
            title="Key saved",
        )
        self.dismiss("key")
