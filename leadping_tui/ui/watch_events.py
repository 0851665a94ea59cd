"""What happens around each fetched status: history, alerts and their marks.

Kept out of the screen so the dashboard only draws.  History and alert rules
live in ``store/history.py`` and ``alerts/``; this module wires them to the
app's notices, the terminal bell, desktop notifications and the sidebar's
unseen-alert marks.  Alerts are raised for every watched number, selected or
not: the sidebar's background polls feed them.

Like is compared with like: only statuses fetched for the *baseline* window
(the settings' ``default_window_days``, which the background polls use) are
recorded and compared.  A status fetched for a window or date range the user
is browsing is not a change of the number, so it raises nothing.

Alerts do not depend on the history being writable: the last baseline status
of each number is also kept in memory, and a history that cannot be opened or
written (read-only or full data directory) only loses the trends.

SQLite never runs on the event loop: opening, recording and every read go to
one :class:`~leadping_tui.store.store_thread.StoreThread`, in order, and the
loop awaits the answer in a worker (group ``history``). A slow disk delays the
trend lines and the alerts that need the history, never a keypress.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from textual.notifications import SeverityLevel

from leadping_tui.api.condition import Condition
from leadping_tui.api.errors import LeadPingError
from leadping_tui.api.query import StatusQuery
from leadping_tui.api.result import FetchResult
from leadping_tui.phone import format_number
from leadping_tui.runtime import Runtime
from leadping_tui.store.settings import Settings
from leadping_tui.store.store_thread import StoreThread
from leadping_tui.terminal.safe_text import clean

if TYPE_CHECKING:
    # Loaded when the dashboard opens them, after its first status (SQLite among them).
    from leadping_tui.alerts import Alert, AlertEngine, AlertLog, AlertRules
    from leadping_tui.api.models import PhoneNumberStatus
    from leadping_tui.store.history import History, Snapshot


class AlertHost(Protocol):
    """What alerts need from the app: its settings, paths, notices and terminal.

    Declared here, so that this module never imports the app that creates it.
    """

    @property
    def settings(self) -> Settings: ...

    @property
    def runtime(self) -> Runtime: ...

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None: ...

    def bell(self) -> None: ...

    def write_escape(self, sequence: str) -> None: ...

    def refresh_alert_marks(self, numbers: set[str]) -> None: ...

    def run_worker(self, work: Any, *, group: str = "default", exit_on_error: bool = True) -> Any:
        """Textual's ``App.run_worker``: the history's answers are awaited in workers."""
        ...


T = TypeVar("T")

LISTING_WINDOW = "organisation listing"
SEVERITY = {Condition.CRITICAL: "error", Condition.WARNING: "warning"}


class WatchEvents:
    """Records statuses and raises alerts for every watched number."""

    def __init__(self, app: AlertHost) -> None:
        self.app = app
        self.history: History | None = None
        self.alert_log: AlertLog | None = None
        self._rules: AlertRules | None = None
        self._engine: AlertEngine | None = None
        self.opened = False
        """Whether :meth:`open` ran (the history is open, or opening, on the store thread)."""
        self._waiting: list[Callable[[], None]] = []
        """Statuses and listing rounds that came before :meth:`open`, handled by it in order."""
        self._unseen: dict[str, Alert] = {}
        self._history_failed = False
        #: The window alerts and trends compare: the background polls' default.
        self.baseline = StatusQuery.window(app.settings.default_window_days)
        self._latest: dict[str, Snapshot] = {}
        self._listed: dict[str, Snapshot] = {}
        #: Where every SQLite call runs; ``history`` is only touched from there.
        self.thread = StoreThread("history")

    @property
    def rules(self) -> AlertRules:
        """The alert rules of the settings (made on first use)."""
        if self._rules is None:
            from leadping_tui.alerts import AlertRules

            self._rules = AlertRules.from_settings(self.app.settings.alerts)
        return self._rules

    @rules.setter
    def rules(self, rules: AlertRules) -> None:
        self._rules = rules

    @property
    def engine(self) -> AlertEngine:
        """What compares a number's snapshots and raises alerts (made on first use)."""
        if self._engine is None:
            from leadping_tui.alerts import AlertEngine

            self._engine = AlertEngine(self.rules)
        return self._engine

    def open(self) -> None:
        """Open the alert log, and the history database on the store thread (once).

        Called once the dashboard's first status is on screen. Statuses that
        came before are recorded now, in order; those that arrive before the
        database is open are queued behind the opening, so none is lost.
        """
        if self.opened:
            return
        self.opened = True
        from leadping_tui.alerts import AlertLog
        from leadping_tui.store.history import History

        settings = self.app.settings
        # Each API has its own history: another server's numbers are not these.
        paths = self.app.runtime.paths.for_api(self.app.runtime.base_url)
        self.alert_log = AlertLog(paths.alerts_log)
        # A restart must not repeat alerts raised just before it.
        with contextlib.suppress(OSError):
            self.engine.remember(self.alert_log.recent())

        def open_history() -> str | None:
            # On the store thread, so the calls queued after this one see it.
            self.history, notice = History.open(
                paths.history_db,
                retention_days=settings.retention_days,
                max_bytes=settings.history_max_mb * 2**20,
            )
            return notice

        self.app.run_worker(
            self._opened(self.thread.run(open_history)), group="history", exit_on_error=False
        )
        waiting, self._waiting = self._waiting, []
        for handle in waiting:
            handle()

    async def _opened(self, opening: Awaitable[str | None]) -> None:
        from leadping_tui.store.history import HistoryError

        try:
            notice = await opening
        except HistoryError as exc:
            self.app.notify(
                f"History is off for this session: {exc}. Alerts still work.",
                title="History",
                severity="warning",
            )
            return
        if notice:
            self.app.notify(notice, title="History", severity="warning", timeout=30)

    async def read(self, call: Callable[[History | None], T]) -> T:
        """``call(history)`` on the store thread (``None`` when history is off), awaited."""
        return await self.thread.run(lambda: call(self.history))

    def close(self) -> None:
        """Close the database once the queued writes are done, then stop the thread."""

        def close_history() -> None:
            if self.history is not None:
                from leadping_tui.store.history import HistoryError

                with contextlib.suppress(HistoryError):
                    self.history.close()
                self.history = None

        with contextlib.suppress(RuntimeError):  # closed already
            self.thread.submit(close_history)
        self.thread.close(wait=True)

    # -- per fetch ---------------------------------------------------------------

    def status(self, result: FetchResult) -> None:
        """A status arrived: record it and raise any alerts (baseline window only).

        The in-memory comparison state is updated at once, in arrival order;
        the history write and the reads alerts need run on the store thread,
        and the alerts are raised when they are back.
        """
        if result.query != self.baseline:
            return
        if not self.opened:
            self._waiting.append(lambda: self.status(result))
            return
        from leadping_tui.store.history import snapshot_from_status
        from leadping_tui.store.history_trends import score_baseline

        number = result.number
        window = result.query.describe()
        current = snapshot_from_status(number, result.status, window=window, at=result.received_at)
        previous = self._latest.get(number)
        self._latest[number] = current
        hours = self.rules.score_drop_hours

        def record() -> tuple[Snapshot | None, Snapshot | None]:
            history = self.history
            if history is None:
                return previous, None
            # From an earlier session: a change while the app was closed counts.
            before = previous if previous is not None else history.latest(number)
            history.record(number, result.status, window=window, at=result.received_at)
            return before, score_baseline(history, number, hours)

        self.app.run_worker(
            self._recorded(number, previous, current, self.thread.run(record)),
            group="history",
            exit_on_error=False,
        )

    async def _recorded(
        self,
        number: str,
        previous: Snapshot | None,
        current: Snapshot,
        recording: Awaitable[tuple[Snapshot | None, Snapshot | None]],
    ) -> None:
        from leadping_tui.store.history import HistoryError

        baseline: Snapshot | None = None
        try:
            previous, baseline = await recording
        except HistoryError as exc:
            self._history_broken(exc)
        if not self.app.settings.alerts.enabled:
            return
        alerts = self.engine.evaluate(number, previous, current, score_baseline=baseline)
        if alerts:
            self._raise(alerts)

    def listed(self, rows: Iterable[tuple[str, PhoneNumberStatus]], at: datetime) -> None:
        """A listing round arrived: raise alerts for background rows that changed.

        A listing row holds the readiness only (state, health, score, progress),
        so it is compared with the number's previous listing row, never with a
        full status (that would read every missing reason as a change), and it
        is not written to the history.
        """
        if not self.opened:
            # Compared once the alert log is read: a restart repeats no alert.
            kept = list(rows)
            self._waiting.append(lambda: self.listed(kept, at))
            return
        from leadping_tui.store.history import snapshot_from_status

        if not self.app.settings.alerts.enabled:
            for number, status in rows:
                self._listed[number] = snapshot_from_status(
                    number, status, window=LISTING_WINDOW, at=at
                )
            return
        raised: list[Alert] = []
        for number, status in rows:
            current = snapshot_from_status(number, status, window=LISTING_WINDOW, at=at)
            previous = self._listed.get(number)
            self._listed[number] = current
            raised += self.engine.evaluate(number, previous, current, score_baseline=None)
        if raised:
            self._raise(raised)

    def _history_broken(self, exc: Exception) -> None:
        if not self._history_failed:
            self._history_failed = True
            self.app.notify(
                f"Could not record history: {exc}. Alerts still work; trends pause.",
                title="History",
                severity="warning",
                timeout=30,
            )

    def failure(self, number: str, error: LeadPingError) -> None:
        """A fetch failed: no alert, the status line already says why."""

    # -- alerts ------------------------------------------------------------------

    def _raise(self, alerts: list[Alert]) -> None:
        settings = self.app.settings.alerts
        log = self.alert_log
        if log is not None:
            # A file append: on the store thread too, behind the history writes.
            with contextlib.suppress(RuntimeError):  # the app is closing
                writing = self.thread.run(lambda: log.extend(alerts))
                self.app.run_worker(self._logged(writing), group="history", exit_on_error=False)
        for alert in alerts:
            self._unseen[alert.number] = alert
            text = f"{format_number(alert.number)}: {clean(alert.message, max_len=200)}"
            self.app.notify(
                text,
                title=clean(
                    alert.title.replace(alert.number, format_number(alert.number)), max_len=60
                ),
                severity=SEVERITY.get(alert.severity, "information"),  # type: ignore[arg-type]
                timeout=20,
            )
        # One bell per batch, however many alerts: it marks the tmux window.
        if settings.bell:
            self.app.bell()
        first = alerts[0]
        title = f"leadping-tui: {format_number(first.number)}"
        body = first.message if len(alerts) == 1 else f"{first.message} (+{len(alerts) - 1} more)"
        if settings.desktop != "off":
            from leadping_tui.terminal.terminal_seq import osc9, osc777, wrap_for_terminal

            sequence = (
                osc9(f"{title}: {body}") if settings.desktop == "osc9" else osc777(title, body)
            )
            self.app.write_escape(wrap_for_terminal(sequence, os.environ))
        if settings.notify_send:
            from leadping_tui.terminal.desktop_notify import can_notify_send, notify_send

            if can_notify_send(os.environ):
                notify_send(title, body)
        self.app.refresh_alert_marks({alert.number for alert in alerts})

    async def _logged(self, writing: Awaitable[None]) -> None:
        try:
            await writing
        except OSError as exc:
            self.app.notify(f"Could not write the alert log: {exc}", severity="warning")

    def has_unseen(self, number: str) -> bool:
        return number in self._unseen

    def mark_seen(self, number: str) -> None:
        if self._unseen.pop(number, None) is not None:
            self.app.refresh_alert_marks({number})

    def recent_alerts(self, limit: int = 200) -> list[Alert]:
        if self.alert_log is None:
            return []
        try:
            return self.alert_log.recent(limit)
        except OSError:
            return []
