"""A masked API key input that saves the key to the settings file on Enter.

The first-run screen and the dialog offered after a 401 both use it. The key
is never shown: the input is masked, and an error that could quote it shows
``sk_…1234`` instead.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
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


class KeyEntry(Vertical):
    """A prompt, the masked input (``#api-key``), an optional note and an error line."""

    DEFAULT_CSS = """
    KeyEntry { height: auto; }
    KeyEntry > #key-error { color: $error; height: auto; }
    """

    class Saved(Message):
        """The key was checked and saved to the settings file."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(
        self, settings_path: Path, prompt: str, *, note: str = "", id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self._settings_path = settings_path
        self._prompt = prompt
        self._note = note

    def compose(self) -> ComposeResult:
        yield Static(self._prompt)
        yield Input(password=True, placeholder="sk_...", id="api-key")
        if self._note:
            yield Static(literal(self._note))
        yield Static("", id="key-error")

    def focus_input(self) -> None:
        self.query_one(Input).focus()

    def clear(self) -> None:
        """Forget what was typed and any error."""
        self.query_one(Input).value = ""
        self.query_one("#key-error", Static).update("")

    @on(Input.Submitted, "#api-key")
    def _save(self, event: Input.Submitted) -> None:
        event.stop()
        key = event.value.strip()
        error = self.query_one("#key-error", Static)
        problem = key_problem(key)
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
        self.post_message(self.Saved(key))
