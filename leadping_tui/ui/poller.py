"""The one polling loop: asks the scheduler what is due and starts fetches.

There are no per-number timers.  A single Textual timer is armed for the
scheduler's next due time; when it fires, every request the budget allows is
started as a worker, and the timer is armed again.  When nothing is due the
app sleeps: no spinning at idle.
"""

from __future__ import annotations

import asyncio
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.dom import DOMNode
from textual.timer import Timer

from leadping_tui.api.early import THREAD_PARSE_BYTES
from leadping_tui.api.errors import InternalError, LeadPingError
from leadping_tui.api.listing import ListingQuery
from leadping_tui.api.query import StatusQuery
from leadping_tui.refresh.scheduler import PollScheduler
from leadping_tui.ui.messages import FetchFailed, ListingFailed, ListingPageFetched, StatusFetched

if TYPE_CHECKING:
    from concurrent.futures import Future

    from leadping_tui.api.client import StatusClient
    from leadping_tui.api.early import EarlyAnswer
    from leadping_tui.api.result import FetchResult

    #: The answer of the request sent at process start, if it is this request.
    EarlyLookup = Callable[[str, StatusQuery], Future[EarlyAnswer | None] | None]
    #: Its answer as a result, parsed as the client parses (without building the client).
    EarlyParse = Callable[[str, StatusQuery, EarlyAnswer], FetchResult]

# Never sleep longer than this, so a changed clock (laptop sleep) is noticed.
MAX_SLEEP = 30.0
MIN_SLEEP = 0.05


class Poller:
    """Drives ``scheduler`` from ``host``'s timers and workers."""

    def __init__(
        self,
        host: DOMNode,
        scheduler: PollScheduler,
        client_factory: Callable[[], StatusClient],
        query_for: Callable[[str], StatusQuery],
        listing_query: Callable[[], tuple[ListingQuery, int] | None] | None = None,
        on_start: Callable[[list[str]], None] | None = None,
        early: EarlyLookup | None = None,
        early_wait: float = 30.0,
        early_parse: EarlyParse | None = None,
    ) -> None:
        self.host = host
        self.scheduler = scheduler
        # Built on the first fetch, after the first frame: creating the httpx
        # client (transport, TLS context) is the slowest part of start-up.
        self.client: StatusClient | None = None
        self._client_factory = client_factory
        self.query_for = query_for
        # The next listing page to ask for, and the round it belongs to.
        self.listing_query = listing_query
        self.on_start = on_start
        """Told which numbers' fetches just went out (for their loading marks)."""
        self.early = early
        self.early_wait = early_wait
        self.early_parse = early_parse
        # An early answer parsed before the client existed, for its unchanged-body memory.
        self._seed: tuple[str, StatusQuery, bytes, FetchResult] | None = None
        """Seconds to wait for the early answer before asking again normally."""
        self._timer: Timer | None = None
        self._stopped = True  # until start()
        self._held = False
        """An early answer was adopted: nothing more starts until :meth:`release`."""
        self.adopted_early = False
        """The early answer was here at start and is posted (StatusFetched), not fetched."""

    def start(self) -> None:
        self._stopped = False
        self.wake()

    def stop(self) -> None:
        self._stopped = True
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def release(self) -> None:
        """The adopted early answer is on screen: go on with what is due."""
        if self._held:
            self._held = False
            self.wake()

    def wake(self) -> None:
        """Start whatever is due now, then sleep until the next due time."""
        if self._stopped or self._held:
            return
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        started: list[str] = []
        while (request := self.scheduler.next_request()) is not None:
            if request.listing:
                self._start_listing_page()
                continue
            number = request.number
            query = self.query_for(number)
            early = self.early(number, query) if self.early is not None else None
            if early is not None and self._adopt_now(number, query, request.foreground, early):
                # The first status is painted before anything else starts (the
                # listing, background polls and building the client): the
                # host releases the poller once it is on screen.
                self._held = True
                self.adopted_early = True
                break
            started.append(number)
            self.host.run_worker(
                self._fetch(number, query, request.foreground)
                if early is None
                else self._fetch_early(number, query, request.foreground, early),
                name=f"fetch {number}",
                group="fetch",
                exit_on_error=False,
            )
            if early is not None:
                # Its answer is on its way: the rest waits until it is on screen
                # (the host releases the poller then, or after its fallback delay).
                self._held = True
                break
        if started and self.on_start is not None:
            self.on_start(started)
        if request is not None:
            return  # woken again once the early status is on screen (release)
        delay = self.scheduler.seconds_until_next()
        if delay is None:
            return
        delay = min(max(delay, MIN_SLEEP), MAX_SLEEP)
        self._timer = self.host.set_timer(delay, self.wake, name="poll")

    def _start_listing_page(self) -> None:
        planned = self.listing_query() if self.listing_query is not None else None
        if planned is None:
            self.scheduler.record_listing_cancelled()
            return
        query, generation = planned
        self.host.run_worker(
            self._fetch_listing(query, generation),
            name="listing page",
            group="listing",
            exit_on_error=False,
        )

    async def _fetch_listing(self, query: ListingQuery, generation: int) -> None:
        from leadping_tui.api.listing_client import fetch_listing_page

        try:
            result = await fetch_listing_page(self._client(), query)
        except LeadPingError as failure:
            self.host.post_message(ListingFailed(failure, generation=generation))
        except asyncio.CancelledError:
            self.scheduler.record_listing_cancelled()
            raise
        except Exception as exc:  # a bug of ours must not leave the listing in flight forever
            bug = InternalError(
                f"Unexpected {type(exc).__name__} while reading the listing.",
                details="".join(traceback.format_exception(exc)),
            )
            self.host.post_message(ListingFailed(bug, generation=generation))
        else:
            self.host.post_message(ListingPageFetched(result.page, generation=generation))

    def _adopt_now(
        self,
        number: str,
        query: StatusQuery,
        foreground: bool,
        early: Future[EarlyAnswer | None],
    ) -> bool:
        """Use an early answer that is already here, so the first frame can show it.

        False (the worker path decides) while it is on its way, for a body
        large enough to parse in a thread, or when anything goes wrong.
        """
        if not early.done() or self.early_parse is None:
            return False
        answer = early.result()
        if answer is None or len(answer.body) > THREAD_PARSE_BYTES:
            return False
        try:
            result = self._parse_early(number, query, answer)
        except Exception:  # unreadable: the worker asks again normally
            return False
        self.host.post_message(StatusFetched(result, foreground=foreground))
        return True

    def _parse_early(self, number: str, query: StatusQuery, answer: EarlyAnswer) -> FetchResult:
        """Parse an early answer without building the client (httpx), which remembers it."""
        assert self.early_parse is not None
        result = self.early_parse(number, query, answer)
        seed = (number, query, answer.body, result)
        if self.client is None:
            self._seed = seed  # handed to the client when it is built
        else:
            self.client.remember(*seed)
        return result

    def _client(self) -> StatusClient:
        """The client, built on first use (may raise ConfigurationError)."""
        if self.client is None:
            self.client = self._client_factory()
            if self._seed is not None:
                self.client.remember(*self._seed)
                self._seed = None
        return self.client

    async def _fetch_early(
        self,
        number: str,
        query: StatusQuery,
        foreground: bool,
        early: Future[EarlyAnswer | None],
    ) -> None:
        """This fetch was sent at process start: use its answer, or ask again normally.

        It took this fetch's token from the budget; a failed, refused or
        unreadable early answer falls back to the normal request, which
        reports whatever is wrong the usual way.
        """
        try:
            result = await self._early_result(number, query, early)
        except asyncio.CancelledError:
            self.scheduler.record_cancelled(number)
            raise
        if result is None:
            await self._fetch(number, query, foreground)
        else:
            self.host.post_message(StatusFetched(result, foreground=foreground))

    async def _early_result(
        self, number: str, query: StatusQuery, early: Future[EarlyAnswer | None]
    ) -> FetchResult | None:
        try:
            answer = await asyncio.wait_for(asyncio.wrap_future(early), self.early_wait)
            if answer is None:
                return None
            if self.early_parse is not None and len(answer.body) <= THREAD_PARSE_BYTES:
                return self._parse_early(number, query, answer)
            return await self._client().adopt(
                number, query, answer.content_type, answer.body, answer.elapsed
            )
        except Exception:  # not answered in time, unreadable, or no client
            return None

    async def _fetch(self, number: str, query: StatusQuery, foreground: bool) -> None:
        try:
            # May raise ConfigurationError (a socks proxy without the extra):
            # reported like any failure, never a worker that hangs.
            result = await self._client().fetch(number, query)
        except LeadPingError as failure:
            self.host.post_message(FetchFailed(number, query, failure, foreground=foreground))
        except asyncio.CancelledError:
            self.scheduler.record_cancelled(number)
            raise
        except Exception as exc:  # a bug of ours must not leave the number in flight forever
            bug = InternalError(
                f"Unexpected {type(exc).__name__} while reading the status.",
                details="".join(traceback.format_exception(exc)),
            )
            self.host.post_message(FetchFailed(number, query, bug, foreground=foreground))
        else:
            self.host.post_message(StatusFetched(result, foreground=foreground))
