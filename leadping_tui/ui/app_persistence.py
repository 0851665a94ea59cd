"""What the app keeps for the user: the watchlist and the settings it changes.

The watchlist is saved merged with other instances' edits (a moved selection a
moment after the user stops moving); the refresh interval, the sort order and
the theme go to the settings file (never in the demo); a newly saved API key is
used for every later request.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from leadping_tui.refresh.scheduler import PollScheduler
from leadping_tui.runtime import Runtime
from leadping_tui.store.atomic import LockTimeout
from leadping_tui.store.settings import Settings
from leadping_tui.store.watchlist import Watchlist
from leadping_tui.store.watchlist_file import WatchlistSaveError, WatchlistStore
from leadping_tui.ui.app_config import AppConfig
from leadping_tui.ui.textual_compat import CompatApp

SELECTION_SAVE_DELAY = 2.0


def update_settings(path: Path, **changes: Any) -> None:
    """Save ``changes`` in the settings file (tomlkit, ~20 ms to import, loads then)."""
    from leadping_tui.store.settings_save import update_settings as save

    save(path, **changes)


class AppPersistence(CompatApp):
    """The saving side of :class:`~leadping_tui.ui.app.LeadPingApp`."""

    # Set by LeadPingApp.__init__.
    config: AppConfig
    runtime: Runtime
    settings: Settings
    store: WatchlistStore
    watchlist: Watchlist
    scheduler: PollScheduler
    _client: Any
    _selection_timer: Any

    def set_refresh_seconds(self, seconds: float) -> None:
        """Change the refresh interval now, and keep it in the settings file."""
        from dataclasses import replace

        self.runtime = replace(self.runtime, refresh_seconds=seconds)
        self.scheduler.set_intervals(
            foreground=seconds,
            background=max(self.settings.background_refresh_seconds, seconds),
        )
        if self.config.demo:
            return  # the demo runs on its own settings, not the user's
        try:
            update_settings(self.runtime.paths.settings_file, refresh_seconds=seconds)
        except Exception as exc:
            self.notify(f"Could not save the refresh interval: {exc}", severity="warning")

    def save_watchlist(self, watchlist: Watchlist) -> Watchlist:
        """Save, merged with any other instance's edits; on failure keep it in memory."""
        try:
            merged = self.store.save(watchlist)
        except (WatchlistSaveError, LockTimeout, OSError) as exc:
            self.notify(
                f"Could not save the watchlist: {exc}. Your edits are kept in memory.",
                title="Watchlist",
                severity="error",
                timeout=30,
            )
            merged = watchlist
        self.watchlist = merged
        return merged

    def use_api_key(self, key: str) -> None:
        """Switch to ``key`` (just saved to the settings file) for every later request."""
        from dataclasses import replace

        from leadping_tui.logs.redact import default_redactor
        from leadping_tui.store.secret import mask_secret

        default_redactor.add(key)
        self.runtime = replace(self.runtime, api_key=key)
        old = self._client
        self._client = None
        if old is not None:
            # Requests in flight finish on the old client; it is closed after them.
            self.run_worker(old.aclose(), exit_on_error=False)
        note = f"API key {mask_secret(key)} saved to {self.runtime.paths.settings_file}."
        if self.runtime.api_key_source == "env":
            note += " LEADPING_API_KEY still wins at the next start: update it too."
        self.notify(note, title="Key saved", markup=False)

    def remember_selection(self, number: str) -> None:
        """Save the selected number a moment after the user stops moving."""
        self.watchlist = self.watchlist.select(number)
        if self._selection_timer is not None:
            self._selection_timer.stop()
        self._selection_timer = self.set_timer(SELECTION_SAVE_DELAY, self._save_selection)

    def _save_selection(self) -> None:
        """Save a moved selection; another instance's edits merged in are shown at once.

        Otherwise the sidebar keeps its old copy, and its next edit (a remove)
        would be taken as this instance removing the other one's new numbers.
        """
        before = self.watchlist
        merged = self.save_watchlist(before)
        if merged.entries != before.entries:
            from leadping_tui.ui.screens.dashboard import DashboardScreen

            for screen in self.screen_stack:
                if isinstance(screen, DashboardScreen):
                    screen.replace_watchlist(merged)

    def remember_order(self, order: str) -> None:
        """Save the sidebar's sort order in the settings (not in the demo)."""
        self.settings = self.settings.model_copy(update={"watchlist_order": order})
        if self.config.demo:
            return
        try:
            update_settings(self.runtime.paths.settings_file, watchlist_order=order)
        except Exception as exc:  # a settings file we cannot write must not stop sorting
            self.notify(f"Could not save the sort order: {exc}", severity="warning")

    def watch_theme(self, theme: str) -> None:
        if self.config.demo or theme == self.settings.theme:
            return
        try:
            update_settings(self.runtime.paths.settings_file, theme=theme)
        except Exception as exc:
            self.notify(f"Could not save the theme: {exc}", severity="warning")
