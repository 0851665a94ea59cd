"""'Edit settings' from the palette: the user's $EDITOR on the settings file, then a reload.

The app is suspended (``App.suspend``) while the editor has the terminal, as
``leadping-tui config --edit`` would run it, and the file is read back when the
editor exits: problems are shown, and the settings that can change while
running (theme, keys, alerts) take effect at once; the notice names any
others that changed and need a restart.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import Protocol

from textual.app import SuspendNotSupported
from textual.notifications import SeverityLevel

from leadping_tui.alerts import AlertRules
from leadping_tui.commands.config import editor_command, ensure_settings_file, run_editor
from leadping_tui.runtime import Runtime
from leadping_tui.store.settings import LoadedSettings, Settings, load_settings
from leadping_tui.ui.watch_events import WatchEvents


class SettingsHost(Protocol):
    """What editing the settings needs from the app.

    Declared here, so that this module never imports the app that calls it.
    """

    settings: Settings
    theme: str

    @property
    def runtime(self) -> Runtime: ...

    @property
    def watch_events(self) -> WatchEvents: ...

    def suspend(self) -> AbstractContextManager[None]: ...

    def apply_keys(self, overrides: Mapping[str, str]) -> None: ...

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None: ...


#: Settings applied to the running app; any other change waits for a restart.
LIVE = frozenset({"theme", "keys", "alerts", "watchlist_order"})


def edit_settings(app: SettingsHost) -> None:
    """Hand the terminal to the editor on the settings file, then reload it."""
    path = app.runtime.paths.settings_file
    editor = editor_command()
    if editor is None:
        app.notify(f"Set $EDITOR (or $VISUAL), or edit {path} by hand.", severity="warning")
        return
    try:
        ensure_settings_file(path)
        with app.suspend():
            run_editor(editor, path)
    except SuspendNotSupported:
        app.notify(
            "This terminal cannot hand over to an editor; run `leadping-tui config --edit`.",
            severity="warning",
        )
        return
    except OSError as exc:
        app.notify(f"Could not start {editor!r}: {exc.strerror or exc}", severity="error")
        return
    apply_settings(app, load_settings(path))


def apply_settings(app: SettingsHost, loaded: LoadedSettings) -> None:
    """Take the settings just read: the live ones now, a note about the rest."""
    for problem in loaded.problems:
        app.notify(str(problem), title="Settings", severity="warning", timeout=20)
    old, new = app.settings, loaded.settings
    changed = [name for name in Settings.model_fields if getattr(old, name) != getattr(new, name)]
    # Settings first: the theme watcher then sees nothing new to save.
    app.settings = new
    if new.theme != app.theme:
        try:
            app.theme = new.theme
        except Exception:  # an unknown theme name: keep the current one
            app.notify(f"Unknown theme {new.theme!r}; keeping {app.theme}.", severity="warning")
    if "keys" in changed:
        app.apply_keys(new.keys)
    if "alerts" in changed:
        rules = AlertRules.from_settings(new.alerts)
        app.watch_events.rules = rules
        app.watch_events.engine.rules = rules
    later = [name for name in changed if name not in LIVE and name != "api_key"]
    if "api_key" in changed:
        later.append("the API key")
    if not changed:
        app.notify("Settings reloaded: nothing changed.", title="Settings")
    elif later:
        app.notify(
            f"Settings reloaded. Restart to apply: {', '.join(later)}.",
            title="Settings",
            timeout=15,
        )
    else:
        app.notify("Settings reloaded and applied.", title="Settings")
