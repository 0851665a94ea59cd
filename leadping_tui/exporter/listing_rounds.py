"""``--organisation``: the watch set and every number's readiness from the listing.

The dashboard's listing-first strategy, headless.  Once per interval one
round reads every page of ``POST /phone-numbers/all/organization`` (one
request per 100 numbers, each taking a token from the same budget, status
polls held back meanwhile) and applies each row's readiness to its number.
Per-number status polls use what budget is left for the full detail (rates,
window counts, capacity).  A complete round also makes the watch set the
organisation's numbers: new ones are added, gone ones dropped.

A 429 holds every request (the scheduler's organisation-wide hold) and the
page is asked again after it.  Any other failure ends the round: the numbers
it did not reach keep their values and go ``leadping_up 0``.  A 401/403/
404/405 means the key may not list: the exporter falls back to per-number
polling of the numbers it has, and says so once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Mapping

from leadping_tui.api.errors import LeadPingError, RateLimitedError
from leadping_tui.api.listing import ListingQuery, ListingReader
from leadping_tui.api.listing_client import ListingNotAllowed, ListingPageResult
from leadping_tui.exporter.poller import Poller
from leadping_tui.refresh.budget import Priority, TokenBucket

log = logging.getLogger("leadping_tui.exporter")

FetchPage = Callable[[ListingQuery], Awaitable[ListingPageResult]]

LISTING_KEY = "(organisation listing)"
"""The scheduler key a listing 429 is recorded under (it holds every number)."""


class ListingRounds:
    """Reads the organisation listing once per ``interval`` into ``poller``."""

    def __init__(
        self,
        poller: Poller,
        budget: TokenBucket,
        fetch_page: FetchPage,
        *,
        interval: float,
        saved_labels: Mapping[str, str],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.poller = poller
        self.budget = budget
        self._fetch_page = fetch_page
        self.interval = interval
        self._saved = dict(saved_labels)
        self._clock = clock
        self.allowed = True
        self.rounds = 0
        self.last_started: float | None = None
        """When the last round began (None: none yet)."""
        self._told_stop_reason = False

    async def run(self, stop: asyncio.Event) -> None:
        """A round per interval until ``stop`` (or until the key may no longer list).

        The first waits for the interval to pass since the round read at
        start-up, if there was one: that round is not read again at once.
        """
        while self.allowed and not stop.is_set():
            if self.last_started is not None:
                wait = self.interval - (self._clock() - self.last_started)
                if wait > 0:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), wait)
                    continue  # stopped, or check the time again
            await self.round(stop)

    async def round(self, stop: asyncio.Event) -> ListingReader:
        """Read every page once; raises ListingNotAllowed only on the first round."""
        self.last_started = self._clock()
        reader = ListingReader(include_count=self.rounds == 0)
        self.poller.paused = True
        error: LeadPingError | None = None
        try:
            while (query := reader.next_query()) is not None and not stop.is_set():
                try:
                    result = await self._page(query, stop)
                except ListingNotAllowed:
                    if self.rounds == 0:
                        raise
                    self.allowed = False
                    log.warning("the listing is no longer allowed; polling numbers one by one")
                    return reader
                except LeadPingError as exc:
                    error = exc
                    break
                if result is None:
                    break
                reader.add_page(result.page)
        finally:
            self.poller.paused = False
            self.poller.wake()
        self.rounds += 1
        self._apply(reader, error)
        return reader

    async def _page(self, query: ListingQuery, stop: asyncio.Event) -> ListingPageResult | None:
        """One page within the budget, asked again after a 429; None if stopped."""
        scheduler = self.poller.scheduler
        while not stop.is_set():
            hold = scheduler.rate_limited_until
            wait = (
                hold - self._clock()
                if hold is not None
                else self.budget.seconds_until(Priority.FOREGROUND)
            )
            if wait > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), wait)
                continue
            if not self.budget.try_take(Priority.FOREGROUND):
                continue
            started = time.perf_counter()
            try:
                result = await self._fetch_page(query)
            except LeadPingError as exc:
                self.poller.stats.observe(exc, time.perf_counter() - started)
                if not isinstance(exc, RateLimitedError):
                    raise
                scheduler.record_failure(
                    LISTING_KEY, retry_after=exc.retry_after, rate_limited=True
                )
                continue
            self.poller.stats.observe(None, time.perf_counter() - started)
            return result
        return None

    def _apply(self, reader: ListingReader, error: LeadPingError | None) -> None:
        rows = reader.rows
        complete = reader.done and reader.stop_reason is None and error is None
        watched = self.poller.board.numbers
        if complete or not watched:
            labels = {number: self._label(number, row.name) for number, row in rows.items()}
            if not complete:
                labels = {**{n: self._label(n, None) for n in watched}, **labels}
            self._log_changes(watched, labels)
            self.poller.watch(labels)
        elif rows:
            # A cut-short round adds numbers it saw but drops none.
            extra = {n: self._label(n, row.name) for n, row in rows.items() if n not in watched}
            if extra:
                self.poller.watch({**{n: self._label(n, None) for n in watched}, **extra})
        for number, row in rows.items():
            self.poller.apply_row(number, row)
        if error is not None:
            log.warning("listing round failed after %d page(s): %s", reader.pages, error.message)
            for number in self.poller.board.numbers:
                if number not in rows:
                    self.poller.mark_failed(number, error)
        if reader.stop_reason and not self._told_stop_reason:
            self._told_stop_reason = True
            log.warning("the listing was cut short: %s", reader.stop_reason)

    def _label(self, number: str, name: str | None) -> str:
        """The user's own label wins, then the listing's name, as ``import`` does."""
        saved = self._saved.get(number) or ""
        if saved:
            return saved
        if name is not None:
            return name.strip()
        reading = self.poller.board.get(number)
        return reading.label if reading is not None else ""

    def _log_changes(self, before: tuple[str, ...], labels: Mapping[str, str]) -> None:
        if not before:
            return
        new = len(set(labels) - set(before))
        gone = len(set(before) - set(labels))
        if new or gone:
            log.info("organisation changed: %d new number(s), %d gone", new, gone)
