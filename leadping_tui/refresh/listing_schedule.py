"""The organisation listing's part of the schedule.

With the listing on, the background rows are read from it: a round of listing
pages is due once per background interval, each page a background request
from the same budget, and the numbers the last round listed are not polled
one by one. :class:`ListingScheduling` holds those rules;
:class:`~leadping_tui.refresh.scheduler.PollScheduler` mixes them in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from leadping_tui.refresh.backoff import BackoffPolicy, RateLimitHold
from leadping_tui.refresh.schedule_state import NEVER, Entry

LISTING_FAILURES_BEFORE_POLLING = 3
"""After this many failed listing pages in a row, background rows are polled one by
one again until the listing answers (it keeps being retried with backoff)."""


@dataclass
class ListingState:
    """The organisation listing's round state."""

    active: bool = False
    in_flight: bool = False
    more_pages: bool = False
    """A round is under way and its next page is due now."""
    finished_at: float | None = None
    last_attempt_at: float | None = None
    failures: int = 0
    retry_at: float | None = None
    covered: frozenset[str] | None = None
    """Numbers the last complete round listed (None before the first round)."""
    forced: bool = False
    """A round was asked for now (an import), even with the listing off."""


class ListingScheduling:
    """The listing's rounds, mixed into :class:`~leadping_tui.refresh.scheduler.PollScheduler`."""

    # Set by PollScheduler.__init__.
    _listing: ListingState
    _hold: RateLimitHold
    _backoff: BackoffPolicy
    _clock: Callable[[], float]
    _entries: dict[str, Entry]
    _selected: str | None

    def _interval_pair(self) -> tuple[float, float]:
        raise NotImplementedError  # PollScheduler's

    @property
    def listing_active(self) -> bool:
        """Whether background rows come from the organisation listing."""
        return self._listing.active

    @property
    def listing_in_flight(self) -> bool:
        return self._listing.in_flight

    def set_listing(self, active: bool) -> None:
        """Read background rows from the listing (True) or poll them one by one (False)."""
        if active == self._listing.active:
            return
        old = self._listing
        self._listing = ListingState(active=active, in_flight=old.in_flight, forced=old.forced)

    def request_listing_round(self) -> None:
        """Read the whole listing as soon as the budget allows (an import asked)."""
        listing = self._listing
        listing.forced = True
        if not listing.in_flight and not listing.more_pages:
            listing.retry_at = None

    def covered_by_listing(self, number: str) -> bool:
        """Whether ``number``'s background refresh comes from the listing now."""
        listing = self._listing
        if not listing.active or listing.failures >= LISTING_FAILURES_BEFORE_POLLING:
            return False
        # Until the first round ends every row waits for it, rather than costing
        # one status request each in the meantime.
        return listing.covered is None or number in listing.covered

    def record_listing_page(self, *, more: bool) -> None:
        """A listing page arrived; ``more`` if the round has further pages (due now)."""
        listing = self._listing
        listing.in_flight = False
        self._hold.record_success(listing.last_attempt_at)
        listing.failures = 0
        listing.retry_at = None
        listing.more_pages = more
        if not more:
            listing.finished_at = self._clock()
            listing.forced = False

    def record_listing_round(self, numbers: Sequence[str] | frozenset[str] | set[str]) -> None:
        """A round ended: ``numbers`` were listed, so their background rows are fresh."""
        now = self._clock()
        listing = self._listing
        listing.covered = frozenset(numbers)
        listing.more_pages = False
        listing.finished_at = now
        for number in listing.covered:
            entry = self._entries.get(number)
            if entry is None or entry.in_flight or entry.manual or number == self._selected:
                continue
            entry.last_success_at = now
            entry.finished_at = now
            entry.failures = 0
            entry.retry_at = None
            entry.rate_limited = False

    def record_listing_failure(
        self, *, retry_after: float | None = None, rate_limited: bool = False
    ) -> None:
        """A listing page failed: the round starts again after a backoff."""
        now = self._clock()
        listing = self._listing
        if rate_limited:
            self._hold.record_429(now, listing.last_attempt_at, retry_after)
        listing.in_flight = False
        listing.more_pages = False
        listing.failures += 1
        retry_at = now + self._backoff.retry_delay(listing.failures, retry_after)
        if rate_limited:
            retry_at = max(retry_at, self._hold.until)
        listing.retry_at = retry_at

    def record_listing_cancelled(self) -> None:
        self._listing.in_flight = False
        self._listing.more_pages = False

    def give_up_listing_round(self) -> None:
        """Stop a forced round that keeps failing (the import gave up)."""
        self._listing.forced = False

    def _listing_planned(self, now: float) -> float:
        listing = self._listing
        if not (listing.active or listing.forced) or listing.in_flight:
            return NEVER
        if listing.retry_at is not None:
            planned = listing.retry_at
        elif listing.more_pages or listing.forced or listing.finished_at is None:
            planned = now
        else:
            planned = listing.finished_at + self._interval_pair()[1]
        return max(planned, self._hold.until)
