"""The exporter's polling loop: the dashboard's scheduler, budget and backoff, no UI.

One asyncio loop asks :class:`~leadping_tui.refresh.scheduler.PollScheduler`
what is due, starts those fetches as tasks, and sleeps until the next due
time or a completion.  Every request takes a token from the one
:class:`~leadping_tui.refresh.budget.TokenBucket`; a 429 holds every number
back until its ``Retry-After``; a failing number backs off on its own.  A
result only updates the :class:`~leadping_tui.exporter.board.Board` (and the
history with ``--record``); scrapes read the board and never wait on this.
"""

from __future__ import annotations

import asyncio
import logging
import time
import traceback
from collections.abc import Awaitable, Callable, Iterable

from leadping_tui.api.errors import InternalError, LeadPingError, RateLimitedError
from leadping_tui.api.listing import PhoneNumberTableRow
from leadping_tui.api.models import PhoneNumberStatus
from leadping_tui.api.query import StatusQuery
from leadping_tui.api.result import FetchResult
from leadping_tui.exporter.board import Board
from leadping_tui.exporter.readings import reading_from_status
from leadping_tui.exporter.stats import ExporterStats
from leadping_tui.refresh.scheduler import PollScheduler
from leadping_tui.store.history import History, HistoryError

log = logging.getLogger("leadping_tui.exporter")

Fetch = Callable[[str], Awaitable[FetchResult]]

# Never sleep longer than this, so a stepped clock (suspend) is noticed.
MAX_SLEEP = 30.0
MIN_SLEEP = 0.01


class Poller:
    """Polls every watched number into ``board`` within the scheduler's budget."""

    def __init__(
        self,
        *,
        board: Board,
        stats: ExporterStats,
        scheduler: PollScheduler,
        fetch: Fetch,
        query: StatusQuery,
        history: History | None = None,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.board = board
        self.stats = stats
        self.scheduler = scheduler
        self.query = query
        self.history = history
        self._fetch = fetch
        self._wall = wall
        self._wake = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()
        self.finished: set[str] = set()
        """Numbers whose poll has finished at least once (either way)."""
        self.errors: dict[str, LeadPingError] = {}
        """The error of each number whose latest poll failed."""
        self.paused = False
        """Status polls wait while set (a listing round has the budget first)."""
        self._statuses: dict[str, PhoneNumberStatus] = {}
        self._history_failed = False

    def watch(self, labels: dict[str, str]) -> None:
        """Poll exactly these numbers (E.164 -> label), in this order."""
        self.board.set_numbers(labels)
        self.scheduler.set_numbers(list(labels))
        for gone in set(self._statuses) - set(labels):
            del self._statuses[gone]
        self.wake()

    def request_now(self, numbers: Iterable[str]) -> None:
        """Poll ``numbers`` first, as soon as the budget allows (the start-up check)."""
        for number in numbers:
            self.scheduler.request_now(number)
        self.wake()

    def wake(self) -> None:
        self._wake.set()

    # -- the loop ---------------------------------------------------------------

    def start_due(self) -> int:
        """Start every fetch the scheduler allows now; returns how many started."""
        started = 0
        while not self.paused and (request := self.scheduler.next_request()) is not None:
            task = asyncio.get_running_loop().create_task(self.poll_one(request.number))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            started += 1
        return started

    async def run(self, stop: asyncio.Event, until: Callable[[], bool] | None = None) -> None:
        """Poll until ``stop`` is set (or ``until()`` holds); in-flight fetches go on."""
        while not stop.is_set() and not (until is not None and until()):
            self._wake.clear()
            self.start_due()
            delay = None if self.paused else self.scheduler.seconds_until_next()
            timeout = MAX_SLEEP if delay is None else min(max(delay, MIN_SLEEP), MAX_SLEEP)
            waiters = [asyncio.ensure_future(self._wake.wait()), asyncio.ensure_future(stop.wait())]
            try:
                await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for waiter in waiters:
                    waiter.cancel()

    async def aclose(self) -> None:
        """Cancel in-flight fetches and wait for them to finish."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    # -- one fetch --------------------------------------------------------------

    async def poll_one(self, number: str) -> None:
        started = time.perf_counter()
        try:
            result = await self._fetch(number)
        except asyncio.CancelledError:
            self.scheduler.record_cancelled(number)
            raise
        except LeadPingError as error:
            self._failed(number, error, time.perf_counter() - started)
        except Exception as exc:  # a bug of ours must not leave the number in flight
            bug = InternalError(
                f"Unexpected {type(exc).__name__} while reading the status.",
                details="".join(traceback.format_exception(exc)),
            )
            log.error("%s: %s\n%s", number, bug.message, bug.details)
            self._failed(number, bug, time.perf_counter() - started)
        else:
            self._succeeded(number, result, time.perf_counter() - started)
        finally:
            self.finished.add(number)
            self.wake()

    def _succeeded(self, number: str, result: FetchResult, seconds: float) -> None:
        self.scheduler.record_success(number)
        self.stats.observe(None, seconds)
        self.errors.pop(number, None)
        before = self.board.get(number)
        if before is None:  # no longer watched
            return
        self._statuses[number] = result.status
        reading = reading_from_status(
            number,
            result.status,
            label=before.label,
            at=self._wall(),
            last_error=before.last_error,
        )
        self.board.update(reading)
        if not before.up and before.last_error is not None:
            log.info("%s: polled again after errors", number)
        if before.condition is not reading.condition and before.last_success is not None:
            log.info("%s: condition %s -> %s", number, before.condition, reading.condition)
        self._record(number, result.status, result.query.describe())

    def _failed(self, number: str, error: LeadPingError, seconds: float) -> None:
        rate_limited = isinstance(error, RateLimitedError)
        self.scheduler.record_failure(
            number,
            retry_after=error.retry_after if isinstance(error, RateLimitedError) else None,
            rate_limited=rate_limited,
        )
        self.stats.observe(error, seconds)
        self.mark_failed(number, error)

    def mark_failed(self, number: str, error: LeadPingError) -> None:
        """Keep ``number``'s last values, mark it down and move its error time."""
        self.errors[number] = error
        before = self.board.get(number)
        if before is None:
            return
        self.board.update(before.failed(self._wall()))
        if before.up or before.last_error is None:
            # Once per outage per number, not once per retry.
            log.warning("%s: poll failed: %s", number, error.message)

    def apply_row(self, number: str, row: PhoneNumberTableRow) -> None:
        """A listing row arrived: its readiness over the number's last full status."""
        before = self.board.get(number)
        if before is None:
            return
        self.errors.pop(number, None)
        status = overlay(self._statuses.get(number), row)
        reading = reading_from_status(
            number, status, label=before.label, at=self._wall(), last_error=before.last_error
        )
        self.board.update(reading)
        if before.condition is not reading.condition and before.last_success is not None:
            log.info("%s: condition %s -> %s", number, before.condition, reading.condition)
        self._record(number, status, self.query.describe())

    def _record(self, number: str, status: PhoneNumberStatus, window: str) -> None:
        if self.history is None:
            return
        try:
            self.history.record(number, status, window=window)
        except HistoryError as exc:
            if not self._history_failed:
                self._history_failed = True
                log.warning("could not record history: %s", exc)


def overlay(status: PhoneNumberStatus | None, row: PhoneNumberTableRow) -> PhoneNumberStatus:
    """``status`` with its readiness replaced by the fresher listing ``row``'s.

    The condition is then assessed on both: the row's state, health and score,
    and the status's pause or block reasons and capacity, so a listing round
    does not flip a number the status found critical back to ok.  Without a
    status yet, the row alone (as the dashboard's sidebar reads it).
    """
    readiness = row.warmup
    if status is None:
        return row.as_status()
    if readiness is None or status.sms_warmup is None:
        return status
    warmup = status.sms_warmup
    update: dict[str, object] = {
        "status": readiness.state,
        "health_status": readiness.health_status,
        "health_score": None if readiness.health_score is None else float(readiness.health_score),
        "progress_percent": (
            None if readiness.progress_percent is None else float(readiness.progress_percent)
        ),
        "warmup_enabled": readiness.enabled,
    }
    fresh: dict[str, object] = {k: v for k, v in update.items() if v is not None}
    if warmup.ui_state is not None and warmup.ui_state.label and readiness.state:
        fresh["ui_state"] = warmup.ui_state.model_copy(update={"label": readiness.state})
    return status.model_copy(update={"sms_warmup": warmup.model_copy(update=fresh)})
