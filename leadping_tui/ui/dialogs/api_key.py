"""Enter a new API key without leaving the dashboard (offered after a 401)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from leadping_tui.store.atomic import LockTimeout
from leadping_tui.store.secret import mask_secret
from leadping_tui.store.settings import SettingsWriteError
from leadping_tui.store.settings_save import update_settings
from leadping_tui.terminal.safe_text import literal


def key_problem(key: str) -> str:
    """Why ``key`` cannot be an API key ("" when it can)."""
    if not key:
        return "Paste or type your API key first (it starts with sk_)."
    if any(ch.isspace() or not ch.isprintable() for ch in key) or not key.isascii():
        return "That key has spaces, control or non-ASCII characters in it; paste it again."
    return ""


class ApiKeyDialog(ModalScreen[str | None]):
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
    ApiKeyDialog #api-key-error { color: $error; }
    """

    def __init__(self, settings_path: Path, reason: str = "") -> None:
        super().__init__()
        self._settings_path = settings_path
        self._reason = reason

    def compose(self) -> ComposeResult:
        with Vertical():
            if self._reason:
                yield Static(literal(self._reason, single_line=False))
            yield Static("New API key (hidden as you type; enter saves, esc cancels)")
            yield Input(password=True, placeholder="sk_...", id="api-key")
            yield Static(literal(f"Saved to {self._settings_path} (mode 0600)"))
            yield Static("", id="api-key-error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def action_cancel(self) -> None:
        self.query_one(Input).value = ""
        self.dismiss(None)

    @on(Input.Submitted, "#api-key")
    def _save(self, event: Input.Submitted) -> None:
        key = event.value.strip()
        error = self.query_one("#api-key-error", Static)
        problem = key_problem(key)
        if problem:
            error.update(problem)
            return
        try:
            update_settings(self._settings_path, api_key=key)
        except (SettingsWriteError, LockTimeout, OSError) as exc:
            message = str(exc).replace(key, mask_secret(key))
            error.update(literal(f"Could not save the key: {message}"))
            return
        event.input.value = ""
        self.dismiss(key)
