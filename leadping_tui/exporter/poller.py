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
        self._history_failed = False

    def watch(self, labels: dict[str, str]) -> None:
        """Poll exactly these numbers (E.164 -> label), in this order."""
        self.board.set_numbers(labels)
        self.scheduler.set_numbers(list(labels))
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
        while (request := self.scheduler.next_request()) is not None:
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
            delay = self.scheduler.seconds_until_next()
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
        self._record(number, result)

    def _failed(self, number: str, error: LeadPingError, seconds: float) -> None:
        rate_limited = isinstance(error, RateLimitedError)
        self.scheduler.record_failure(
            number,
            retry_after=error.retry_after if isinstance(error, RateLimitedError) else None,
            rate_limited=rate_limited,
        )
        self.stats.observe(error, seconds)
        self.errors[number] = error
        before = self.board.get(number)
        if before is None:
            return
        self.board.update(before.failed(self._wall()))
        if before.up or before.last_error is None:
            # Once per outage per number, not once per retry.
            log.warning("%s: poll failed: %s", number, error.message)

    def _record(self, number: str, result: FetchResult) -> None:
        if self.history is None:
            return
        try:
            self.history.record(
                number, result.status, window=result.query.describe(), at=result.received_at
            )
        except HistoryError as exc:
            if not self._history_failed:
                self._history_failed = True
                log.warning("could not record history: %s", exc)
