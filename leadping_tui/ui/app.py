"""The Textual application: wiring between the store, the client and the screens."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from textual.app import SystemCommand
from textual.events import AppBlur, AppFocus
from textual.notifications import SeverityLevel
from textual.screen import Screen

from leadping_tui.api.errors import LeadPingError
from leadping_tui.api.query import StatusQuery
from leadping_tui.api.result import FetchResult
from leadping_tui.refresh.backoff import BackoffPolicy
from leadping_tui.refresh.budget import TokenBucket
from leadping_tui.refresh.fleet import Fleet
from leadping_tui.refresh.scheduler import PollScheduler
from leadping_tui.runtime import Runtime
from leadping_tui.store.atomic import LockTimeout
from leadping_tui.store.settings import Settings
from leadping_tui.store.settings_save import update_settings
from leadping_tui.store.watchlist import Watchlist
from leadping_tui.store.watchlist_file import WatchlistSaveError, WatchlistStore
from leadping_tui.ui import keymap
from leadping_tui.ui.commands import DashboardCommands
from leadping_tui.ui.stylesheet import stylesheet_path
from leadping_tui.ui.textual_compat import CompatApp
from leadping_tui.ui.themes import HIGH_CONTRAST
from leadping_tui.ui.watch_events import WatchEvents

if TYPE_CHECKING:
    from leadping_tui.api.client import StatusClient
    from leadping_tui.ui.host import DashboardHost

SELECTION_SAVE_DELAY = 2.0
# The event log shows the newest 500; a few more are parsed for filtering.
MAX_PARSED_EVENTS = 2000
# Seconds after mount when the garbage collector is back on even if no status came.
STARTUP_GC_LIMIT = 10.0


@dataclass
class AppConfig:
    """How the app was started."""

    runtime: Runtime
    numbers: list[str] = field(default_factory=list)
    demo: bool = False
    demo_stopper: Any = None  # a Simulator to stop on exit, when --demo started one
    # The launcher turned the cyclic garbage collector off for start-up; the
    # app turns it back on once the first status is on screen.
    startup_gc_paused: bool = False


class LeadPingApp(CompatApp):
    """leadping-tui."""

    TITLE = "leadping-tui"
    CSS_PATH = stylesheet_path()
    # Below 40x12 the dashboard gives way to a "terminal too small" note.
    HORIZONTAL_BREAKPOINTS = [
        (0, "-htiny"),
        (40, "-tiny"),
        (70, "-compact"),
        (100, "-narrow"),
        (120, "-wide"),
    ]
    VERTICAL_BREAKPOINTS = [(0, "-vtiny"), (12, "-short"), (30, "-tall")]
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = keymap.bindings("app")
    COMMANDS = CompatApp.COMMANDS | {DashboardCommands}

    def __init__(self, config: AppConfig) -> None:
        super().__init__()
        self.config = config
        self.runtime = config.runtime
        self.settings: Settings = config.runtime.settings
        self.store = WatchlistStore(self.runtime.paths.watchlist_file)
        self.watchlist = Watchlist()
        self.initial_query = StatusQuery.window(self.settings.default_window_days)
        self.use_clock(time.monotonic)
        self._client: StatusClient | None = None
        self.watch_events = WatchEvents(self)
        self.fleet = Fleet()
        """Each number's latest organisation-listing row (for the sidebar and the Fleet view)."""
        self._selection_timer: Any = None
        self.register_theme(HIGH_CONTRAST)

    def use_clock(
        self,
        clock: Callable[[], float],
        *,
        backoff: BackoffPolicy | None = None,
        burst: int | None = None,
        stagger_step: float = 1.0,
    ) -> None:
        """Build the request budget and the poll scheduler on ``clock``.

        The app runs on ``time.monotonic``; tests, screenshots and benchmarks
        pass a clock they move themselves (before the app starts).
        """
        self.budget = TokenBucket(self.settings.requests_per_minute, burst=burst, clock=clock)
        self.scheduler = PollScheduler(
            budget=self.budget,
            clock=clock,
            foreground_interval=self.runtime.refresh_seconds,
            background_interval=max(
                self.settings.background_refresh_seconds, self.runtime.refresh_seconds
            ),
            backoff=backoff,
            stagger_step=stagger_step,
        )

    @property
    def is_demo(self) -> bool:
        """Showing the built-in simulator, not a real API."""
        return self.config.demo

    @property
    def refresh_seconds(self) -> float:
        """Seconds between refreshes of the selected number."""
        return self.runtime.refresh_seconds

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

    @property
    def client(self) -> StatusClient:
        # httpx is imported here, after the first frame, not at start-up.
        from leadping_tui.api.client import StatusClient

        if self._client is None:
            self._client = StatusClient(
                base_url=self.runtime.base_url,
                api_key=self.runtime.api_key,
                allow_insecure_http=self.runtime.allow_insecure_http,
                deadline=self.runtime.settings.request_deadline_seconds,
                max_events=MAX_PARSED_EVENTS,
            )
        return self._client

    # -- start-up -------------------------------------------------------------

    def _handle_stop_signals(self) -> None:
        """SIGTERM and SIGHUP (a closed SSH session) quit like q: save, restore the terminal.

        Without this the default action kills the process on the spot, leaving
        the terminal on the alternate screen with mouse tracking on.
        """
        import asyncio
        import signal

        loop = asyncio.get_running_loop()
        for name in ("SIGTERM", "SIGHUP"):
            signum = getattr(signal, name, None)
            if signum is None:  # Windows has neither
                continue
            try:
                loop.add_signal_handler(signum, self._quit_on_signal, int(signum))
            except (NotImplementedError, RuntimeError, ValueError):
                continue  # not the main thread (tests), or no signal support

    def _forget_stop_signals(self) -> None:
        import asyncio
        import signal

        loop = asyncio.get_running_loop()
        for name in ("SIGTERM", "SIGHUP"):
            signum = getattr(signal, name, None)
            if signum is not None:
                with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                    loop.remove_signal_handler(signum)

    def _quit_on_signal(self, signum: int) -> None:
        # The shell convention for "ended by signal n"; on_unmount still saves.
        self.exit(return_code=128 + signum)

    def deliver_screenshot(
        self,
        filename: str | None = None,
        path: str | None = None,
        time_format: str | None = None,
    ) -> str | None:
        """Save a screenshot 0600 in a 0700 folder, replacing (never following) a symlink.

        The screen shows recipients' numbers and messages; Textual's own save
        writes with the umask's mode and follows whatever sits at the path.
        """
        from pathlib import Path

        from platformdirs import user_downloads_path

        from leadping_tui.store.atomic import atomic_write_text, make_private_dirs
        from leadping_tui.times import clock

        stamp = clock.now_utc().astimezone().strftime(time_format or "%Y-%m-%dT%H_%M_%S")
        folder = Path(path).expanduser() if path else user_downloads_path()
        target = folder / (filename or f"leadping-tui_{stamp}.svg")
        try:
            make_private_dirs(folder)
            atomic_write_text(target, self.export_screenshot(), mode=0o600)
        except OSError as exc:
            self.notify(f"{target}: {exc.strerror or exc}", title="Screenshot not saved")
            return None
        self.notify(str(target), title="Screenshot saved")
        return str(target)

    def on_mount(self) -> None:
        self._handle_stop_signals()
        if self.config.startup_gc_paused:
            # No status (no key, no numbers, a dead network): start-up ends anyway.
            self.set_timer(STARTUP_GC_LIMIT, self._settle_startup_gc)
        try:
            self.theme = self.settings.theme
        except Exception:  # an unknown theme name must not stop the app
            self.theme = "textual-dark"
        if self.settings.keys:
            self.apply_keys(self.settings.keys)
        for problem in self.runtime.problems:
            # Problems quote the user's file: "[" there is text, not markup.
            self.notify(str(problem), title="Settings", severity="warning", timeout=15)
        if not self.runtime.api_key and not self.config.demo:
            from leadping_tui.ui.screens.first_run import FirstRunScreen

            self.push_screen(
                FirstRunScreen(self.runtime.paths.settings_file), self._after_first_run
            )
            return
        self._open_dashboard()

    def _after_first_run(self, choice: str | None) -> None:
        if choice == "demo":
            from leadping_tui.demo.session import start_demo

            runtime, simulator = start_demo(self.runtime)
            self.config.demo = True
            self.config.demo_stopper = simulator
            self.runtime = runtime
            self.store = WatchlistStore(runtime.paths.watchlist_file)
            self._open_dashboard()
        elif choice == "key":
            from leadping_tui.logs.redact import default_redactor
            from leadping_tui.runtime import load_runtime

            self.runtime = load_runtime(paths=self.runtime.paths).with_overrides(
                base_url=self.runtime.base_url
            )
            if self.runtime.api_key:
                default_redactor.add(self.runtime.api_key)
            self._open_dashboard()
        else:
            self.exit(0)

    def _open_dashboard(self) -> None:
        from leadping_tui.ui.screens.dashboard import DashboardScreen

        self.watchlist = self._load_watchlist()
        self.watch_events.open()
        self.push_screen(DashboardScreen())

    def _load_watchlist(self) -> Watchlist:
        try:
            loaded = self.store.load()
        except LockTimeout as exc:
            self.notify(str(exc), title="Watchlist", severity="error", timeout=30)
            return Watchlist()
        if loaded.notice:
            self.notify(loaded.notice, title="Watchlist", severity="warning", timeout=30)
        watchlist = loaded.watchlist
        added = [number for number in self.config.numbers if number not in watchlist]
        for number in added:
            watchlist = watchlist.add(number)
        if self.config.numbers:
            watchlist = watchlist.select(self.config.numbers[0])
        if added or self.config.numbers:
            watchlist = self.save_watchlist(watchlist)
        return watchlist

    async def on_unmount(self) -> None:
        self._forget_stop_signals()
        if self._selection_timer is not None:
            self._selection_timer.stop()
            # Moved, then quit before the save delay ran out: keep that selection too.
            if self.watchlist.selected != self.store.base.selected:
                self.save_watchlist(self.watchlist)
        self.watch_events.close()
        if self._client is not None:
            await self._client.aclose()
        if self.config.demo_stopper is not None:
            self.config.demo_stopper.stop()

    # -- watchlist persistence -------------------------------------------------

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

    # -- hooks from the dashboard ------------------------------------------------

    def note_status(self, result: FetchResult) -> None:
        self.watch_events.status(result)
        if self.config.startup_gc_paused:
            self.call_after_refresh(self._settle_startup_gc)

    def _settle_startup_gc(self) -> None:
        """Start-up is over: collect once, freeze what survives, collect normally again.

        Start-up makes a great many objects that live for the whole session;
        without this, two full collections (~80 ms each) land between the
        first answer and its paint. Frozen objects are never scanned again, so
        later collections stay short for a process left open for days.
        """
        if not self.config.startup_gc_paused:
            return
        import gc

        self.config.startup_gc_paused = False
        gc.collect()
        gc.freeze()
        gc.enable()

    def note_failure(self, number: str, error: LeadPingError) -> None:
        self.watch_events.failure(number, error)

    def has_unseen_alert(self, number: str) -> bool:
        return self.watch_events.has_unseen(number)

    def refresh_alert_marks(self, numbers: set[str]) -> None:
        """Redraw the sidebar rows whose unseen-alert mark changed."""
        from leadping_tui.ui.screens.dashboard import DashboardScreen

        for screen in self.screen_stack:
            if isinstance(screen, DashboardScreen):
                screen.refresh_rows(numbers)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notice is shown literally.

        Notices quote file paths, labels and API reasons; Textual would read
        ``[...]`` in them as markup (and raise on a stray ``[/red]``), so
        markup is off for all of them, whoever calls.
        """
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    # -- terminal -------------------------------------------------------------

    def on_app_focus(self, _event: AppFocus) -> None:
        self.scheduler.set_focus(True)

    def on_app_blur(self, _event: AppBlur) -> None:
        self.scheduler.set_focus(False)

    def copy_to_clipboard(self, text: str) -> None:
        """OSC 52, wrapped for tmux passthrough when running inside tmux."""
        from leadping_tui.terminal.terminal_seq import (
            ClipboardTooLarge,
            osc52_copy,
            wrap_for_terminal,
        )

        self.remember_clipboard(text)
        try:
            sequence = osc52_copy(text)
        except ClipboardTooLarge:
            self.notify(
                "Too large for the terminal clipboard; use e to export.", severity="warning"
            )
            return
        self.write_escape(wrap_for_terminal(sequence, os.environ))

    def watch_theme(self, theme: str) -> None:
        if self.config.demo or theme == self.settings.theme:
            return
        try:
            update_settings(self.runtime.paths.settings_file, theme=theme)
        except Exception as exc:
            self.notify(f"Could not save the theme: {exc}", severity="warning")

    def crash_report(self) -> str:
        # Textual's default shows local variables, which could include a
        # request's headers; print a plain, redacted traceback instead.
        import traceback

        from leadping_tui.logs.redact import default_redactor

        details = default_redactor.redact(traceback.format_exc())
        return (
            "leadping-tui stopped on an unexpected error (a bug). Your watchlist "
            "and settings are saved.\n\n" + details
        )

    def action_edit_settings(self) -> None:
        """Suspend the app, edit the settings file in $EDITOR, then reload it."""
        from leadping_tui.ui.edit_settings import edit_settings

        edit_settings(self)

    def apply_keys(self, overrides: Mapping[str, str]) -> None:
        """Remap keys from the settings file, refusing (with a notice) any that clash."""
        usable, problems = keymap.usable_overrides(overrides)
        self.set_keymap(usable)
        for problem in problems:
            self.notify(problem, title="Settings", severity="warning", timeout=15)

    def action_help_quit(self) -> None:
        # Ctrl+C quits, as in every terminal monitor (Textual only shows a notice).
        self.exit(0)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        # The dashboard's own actions come from DashboardCommands, once each;
        # Textual's "Keys" panel lists framework internals, so `?` replaces it.
        ours = {spec.description for spec in keymap.KEYS}
        for command in super().get_system_commands(screen):
            if command.title not in ours and command.title != "Keys":
                yield command
        yield SystemCommand(
            "Edit settings",
            "Open the settings file in $EDITOR, then reload it",
            self.action_edit_settings,
        )


if TYPE_CHECKING:

    def _the_app_is_a_dashboard_host(app: LeadPingApp) -> DashboardHost:
        return app  # mypy checks that the app offers what the dashboard uses
