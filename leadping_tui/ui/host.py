"""What the dashboard needs from the running app, as a protocol.

:class:`~leadping_tui.ui.app.LeadPingApp` opens the dashboard, so the
dashboard must not import the app module back (an import cycle). It depends
on this description instead; the app satisfies it, and mypy checks that it does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from leadping_tui.api.errors import LeadPingError
from leadping_tui.api.query import StatusQuery
from leadping_tui.api.result import FetchResult
from leadping_tui.refresh.fleet import Fleet
from leadping_tui.refresh.scheduler import PollScheduler
from leadping_tui.runtime import Runtime
from leadping_tui.store.settings import Settings
from leadping_tui.store.watchlist import Watchlist
from leadping_tui.ui.watch_events import WatchEvents

if TYPE_CHECKING:
    from concurrent.futures import Future

    from leadping_tui.api.client import StatusClient
    from leadping_tui.api.early import EarlyAnswer


class DashboardHost(Protocol):
    """The app's services the dashboard uses: polling, the watchlist, alerts, the clipboard."""

    @property
    def settings(self) -> Settings: ...

    @property
    def runtime(self) -> Runtime: ...

    @property
    def scheduler(self) -> PollScheduler: ...

    @property
    def client(self) -> StatusClient: ...

    @property
    def watchlist(self) -> Watchlist: ...

    @property
    def initial_query(self) -> StatusQuery: ...

    @property
    def is_demo(self) -> bool: ...

    @property
    def refresh_seconds(self) -> float: ...

    def set_refresh_seconds(self, seconds: float) -> None: ...

    @property
    def fleet(self) -> Fleet: ...

    @property
    def watch_events(self) -> WatchEvents: ...

    def save_watchlist(self, watchlist: Watchlist) -> Watchlist: ...

    def remember_selection(self, number: str) -> None: ...

    def remember_order(self, order: str) -> None: ...

    def note_status(self, result: FetchResult) -> None: ...

    def after_display(self, callback: Callable[[], object]) -> None: ...

    def end_startup(self) -> None: ...

    @property
    def early_status_pending(self) -> bool: ...

    def parse_early_status(
        self, number: str, query: StatusQuery, answer: EarlyAnswer
    ) -> FetchResult: ...

    def take_early_status(
        self, number: str, query: StatusQuery
    ) -> Future[EarlyAnswer | None] | None: ...

    def note_tabs_mounted(self) -> None: ...

    def note_failure(self, number: str, error: LeadPingError) -> None: ...

    def has_unseen_alert(self, number: str) -> bool: ...

    def copy_to_clipboard(self, text: str) -> None: ...

    def use_api_key(self, key: str) -> None: ...
