"""The Textual application: wiring between the store, the client and the screens.

What the app saves for the user is in :mod:`.app_persistence`; its dealings with
the terminal (signals, clipboard, screenshots, the crash report) in
:mod:`.app_terminal`; how it was started in :mod:`.app_config`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping
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
from leadping_tui.store.atomic import LockTimeout
from leadping_tui.store.settings import Settings
from leadping_tui.store.watchlist import Watchlist
from leadping_tui.store.watchlist_file import WatchlistStore
from leadping_tui.ui import keymap
from leadping_tui.ui.app_config import AppConfig
from leadping_tui.ui.app_persistence import AppPersistence
from leadping_tui.ui.app_terminal import AppTerminal, animation_level
from leadping_tui.ui.commands import DashboardCommands
from leadping_tui.ui.stylesheet import stylesheet_path
from leadping_tui.ui.textual_compat import CompatApp
from leadping_tui.ui.themes import HIGH_CONTRAST
from leadping_tui.ui.watch_events import WatchEvents

__all__ = ["AppConfig", "LeadPingApp"]

if TYPE_CHECKING:
    from concurrent.futures import Future

    from leadping_tui.api.client import StatusClient
    from leadping_tui.api.early import EarlyAnswer
    from leadping_tui.ui.host import DashboardHost

# The event log shows the newest 500; a few more are parsed for filtering.
MAX_PARSED_EVENTS = 2000
# Seconds after mount when the garbage collector is back on even if no status came.
STARTUP_GC_LIMIT = 10.0
#: The collector's thresholds once start-up is over (launched app only). With
#: start-up frozen, Python's (700, 10, 10) made every hundredth young collection
#: a full one over everything made since: 20-30 ms with 1,000 numbers, in the
#: middle of a key every few dozen keys. A young collection after 2,000
#: allocations (~0.3 ms), a middle one after 5 of those (~3 ms: it scans only
#: what survived them), a full one after 100 middle ones: about 14x rarer.
#: (10,000 young ones, as the suite uses, made the middle collection ~30-45 ms.)
SESSION_GC_THRESHOLDS = (2_000, 5, 100)


class LeadPingApp(AppPersistence, AppTerminal):
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
        self.animation_level = animation_level(os.environ)
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
        self._freeze_after_tabs = False
        self._display_waiters: list[Callable[[], object]] = []
        self._textual_ready = False
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

    def on_mount(self) -> None:
        self._handle_stop_signals()
        self._watch_terminal()
        if self.config.startup_gc_paused:
            # No status (no key, no numbers, a dead network): start-up ends anyway.
            self.set_timer(STARTUP_GC_LIMIT, self._settle_startup_gc)
            self._freeze_after_tabs = True
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

            runtime, demo = start_demo(self.runtime)
            self.config.demo = True
            self.config.demo_session = demo
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
        # The history and the alert log open once the first status is on screen (end_startup).
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
        if self.config.demo_session is not None:
            self.config.demo_session.stop()

    # -- hooks from the dashboard ------------------------------------------------

    def note_status(self, result: FetchResult) -> None:
        self.watch_events.status(result)

    def after_display(self, callback: Callable[[], object]) -> None:
        """Call ``callback`` once the screen as it is now has been displayed.

        Textual holds every frame back until its own start-up is over (it
        then sends Ready), and until then runs ``call_after_refresh``
        callbacks at once, before anything reached the terminal: so this
        waits for Ready first, then for the refresh.
        """
        if self._textual_ready:
            self.call_after_refresh(callback)
        else:
            self._display_waiters.append(callback)

    def on_ready(self) -> None:
        self._textual_ready = True
        waiters, self._display_waiters = self._display_waiters, []
        for waiter in waiters:
            self.call_after_refresh(waiter)

    def end_startup(self) -> None:
        """The first status is painted and the rest of the dashboard mounted.

        The history (SQLite) and the alert log are open by now (the dashboard
        opens them first; statuses that came before are recorded then). The
        tabs are mounted by now, so the freeze takes them too: no second one
        is needed when they report in (note_tabs_mounted).
        """
        self.watch_events.open()
        if self.config.startup_gc_paused:
            self._freeze_after_tabs = False
        self._settle_startup_gc()

    @property
    def early_status_pending(self) -> bool:
        """Whether a status request sent at process start waits to be used."""
        return self.config.early_status is not None

    def take_early_status(
        self, number: str, query: StatusQuery
    ) -> Future[EarlyAnswer | None] | None:
        """The answer of the request sent at process start, if it is exactly this one (once)."""
        early = self.config.early_status
        if early is None:
            return None
        self.config.early_status = None
        return early.take(self.runtime.base_url, self.runtime.api_key, number, query.params())

    def parse_early_status(
        self, number: str, query: StatusQuery, answer: EarlyAnswer
    ) -> FetchResult:
        """The early answer as this app's client would parse it (same event cap, same key)."""
        return answer.result(
            number, query, max_events=MAX_PARSED_EVENTS, api_key=self.runtime.api_key or ""
        )

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
        gc.set_threshold(*SESSION_GC_THRESHOLDS)
        gc.enable()

    def note_tabs_mounted(self) -> None:
        """The dashboard's tabs are mounted (after the first status): freeze them too.

        They live for the whole session, like start-up's objects, but are made
        after the first status's freeze; left unfrozen, every full collection
        scanned them again (~15-30 ms with 1,000 numbers, in the middle of a
        key press). Once, and only for an app launched with the collector off.
        """
        if not self._freeze_after_tabs:
            return
        self._freeze_after_tabs = False
        if self.config.startup_gc_paused:
            return  # the tabs came first: the first status's freeze takes them
        import gc

        gc.collect()
        gc.freeze()

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

    # -- terminal ---------------------------------------------------------------

    def on_app_focus(self, _event: AppFocus) -> None:
        self.scheduler.set_focus(True)

    def on_app_blur(self, _event: AppBlur) -> None:
        self.scheduler.set_focus(False)

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
