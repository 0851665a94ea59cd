"""The running exporter: budget, scheduler, board, poller, HTTP server, history.

Kept apart from argument handling so tests and benchmarks can build one with
their own clock and client.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from leadping_tui.api.errors import AuthenticationError, NotFoundError
from leadping_tui.api.query import StatusQuery
from leadping_tui.api.result import FetchResult
from leadping_tui.exporter.board import Board, render_all
from leadping_tui.exporter.plan import Plan, StartupError
from leadping_tui.exporter.poller import Fetch, Poller
from leadping_tui.exporter.server import ListenError, MetricsServer
from leadping_tui.exporter.stats import ExporterStats
from leadping_tui.refresh.budget import TokenBucket
from leadping_tui.refresh.scheduler import PollScheduler
from leadping_tui.runtime import Runtime

if TYPE_CHECKING:
    from leadping_tui.api.client import StatusClient
    from leadping_tui.exporter.listing_rounds import ListingRounds
    from leadping_tui.store.history import History

log = logging.getLogger("leadping_tui.exporter")

# A burst of one token spreads the requests evenly over the minute: a
# service has no user waiting, so there is no reason to send in bursts (the
# bucket's own 60 s window keeps any minute within the rate either way).
BURST = 1


def build_parts(
    plan: Plan,
    fetch: Fetch,
    *,
    clock: Callable[[], float] = time.monotonic,
    wall: Callable[[], float] = time.time,
    history: History | None = None,
) -> tuple[TokenBucket, Board, ExporterStats, Poller]:
    """The budget, board, stats and poller for ``plan``, on ``clock``."""
    budget = TokenBucket(plan.requests_per_minute, burst=BURST, clock=clock)
    scheduler = PollScheduler(
        budget=budget,
        clock=clock,
        foreground_interval=plan.interval,
        background_interval=plan.interval,
    )
    board = Board()
    stats = ExporterStats(lambda: budget.available, lambda: len(board.numbers))
    poller = Poller(
        board=board,
        stats=stats,
        scheduler=scheduler,
        fetch=fetch,
        query=StatusQuery.window(plan.window_days),
        history=history,
        wall=wall,
    )
    return budget, board, stats, poller


class Service:
    """One exporter process's moving parts."""

    def __init__(self, plan: Plan, runtime: Runtime) -> None:
        self.plan = plan
        self.runtime = runtime
        self.history = self._open_history() if plan.record else None
        self._client: StatusClient | None = None
        query = StatusQuery.window(plan.window_days)

        async def fetch(number: str) -> FetchResult:
            return await self.client.fetch(number, query)

        self.budget, self.board, self.stats, self.poller = build_parts(
            plan, fetch, history=self.history
        )
        self.server = MetricsServer(plan.host, plan.port, self.render)
        self.address = ""
        self.rounds: ListingRounds | None = None
        if plan.organisation:
            from leadping_tui.api.listing_client import fetch_listing_page
            from leadping_tui.exporter.listing_rounds import ListingRounds

            self.rounds = ListingRounds(
                self.poller,
                self.budget,
                lambda listing_query: fetch_listing_page(self.client, listing_query),
                interval=plan.interval,
                saved_labels=plan.saved_labels or {},
            )

    @property
    def client(self) -> StatusClient:
        if self._client is None:
            from leadping_tui.api.client import StatusClient

            self._client = StatusClient(
                base_url=self.runtime.base_url,
                api_key=self.runtime.api_key,
                allow_insecure_http=self.runtime.allow_insecure_http,
                # Metrics need no events; parsing thousands would cost CPU per poll.
                max_events=0,
            )
        return self._client

    def render(self) -> bytes:
        return render_all(self.board, self.stats.registry)

    def _open_history(self) -> History:
        from leadping_tui.store.history import History, HistoryError

        settings = self.runtime.settings
        try:
            history, notice = History.open(
                self.runtime.paths.history_db,
                retention_days=settings.retention_days,
                max_bytes=settings.history_max_mb * 2**20,
            )
        except HistoryError as exc:
            raise StartupError(f"--record: {exc}") from None
        if notice:
            log.warning("%s", notice)
        return history

    async def start(self, stop: asyncio.Event) -> None:
        """Bind, check the key and the given numbers with one poll each, then serve."""
        try:
            host, port = self.server.bind()
        except ListenError as exc:
            raise StartupError(str(exc)) from None
        self.address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        if self.rounds is not None:
            log.info("listening on %s; reading the organisation listing first", self.address)
            await self._first_round(stop)
            self.server.start()
            return
        log.info("listening on %s; checking the API key and numbers first", self.address)
        self.poller.watch(self.plan.labels)
        checks = self.plan.given or (next(iter(self.plan.labels)),)
        self.poller.request_now(checks)
        await self.poller.run(stop, until=lambda: self.poller.finished.issuperset(checks))
        if stop.is_set():
            return
        for number in checks:
            error = self.poller.errors.get(number)
            if isinstance(error, AuthenticationError):
                raise StartupError(f"{error.message} {error.hint}")
            if isinstance(error, NotFoundError) and number in self.plan.given:
                raise StartupError(
                    f"{number} is not a number of your organisation (the API answered 404). "
                    "Check it, or remove it from the command line."
                )
            if error is not None:
                log.warning("%s: first poll failed (%s); serving and retrying", number, error)
        self.server.start()

    async def _first_round(self, stop: asyncio.Event) -> None:
        from leadping_tui.api.listing_client import ListingNotAllowed

        assert self.rounds is not None
        try:
            reader = await self.rounds.round(stop)
        except ListingNotAllowed as exc:
            raise StartupError(
                f"--organisation: {exc.message} Watch NUMBER arguments or the watchlist instead."
            ) from None
        if not reader.done or self.rounds.poller.errors:
            log.warning("the organisation listing could not be read yet; retrying each interval")
        elif not reader.rows:
            log.warning("the organisation listing has no numbers")

    async def close(self) -> None:
        self.server.stop()
        await self.poller.aclose()
        if self._client is not None:
            with contextlib.suppress(Exception):
                await self._client.aclose()
        if self.history is not None:
            from leadping_tui.store.history import HistoryError

            with contextlib.suppress(HistoryError):
                self.history.close()
