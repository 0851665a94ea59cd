"""Who gets fetched next, and when.

The app runs one polling loop; all policy lives here, against an injectable
clock, so the UI stays thin and an hour of polling can be simulated::

    while True:
        while (request := scheduler.next_request()) is not None:
            start_fetch(request)  # ends in record_success/_failure/_cancelled
        # Sleep, but wake early on completions, select, `r` or settings.
        await wait_for_wake_up(timeout=scheduler.seconds_until_next())

Never two requests in flight for one number, and the next poll is planned
from when the previous one finished. Every request takes a token from the
shared budget, the selected number first. A failing number's backoff
replaces its interval while the others continue. A 429 holds back *every*
request until its ``Retry-After`` (or a backoff) has passed, because the
quota belongs to the whole organisation; a manual refresh cannot jump that.

With the organisation listing on (:meth:`PollScheduler.set_listing`), the
background rows are read from it instead: a round of listing pages is due
once per background interval, each page a background request from the same
budget, and the numbers the last round listed are not polled one by one.
The selected number keeps its own status polls.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence

from leadping_tui.refresh.backoff import BackoffPolicy, RateLimitHold
from leadping_tui.refresh.budget import Priority, TokenBucket
from leadping_tui.refresh.listing_schedule import (
    ListingScheduling,
    ListingState,
)
from leadping_tui.refresh.schedule_outcomes import ScheduleOutcomes
from leadping_tui.refresh.schedule_state import (
    NEVER,
    TOLERANCE,
    Candidate,
    Entry,
    NumberState,
    Request,
)
from leadping_tui.refresh.schedule_views import ScheduleViews

__all__ = ["NumberState", "PollScheduler", "Request"]


class PollScheduler(ScheduleViews, ListingScheduling, ScheduleOutcomes):
    """Plans every status request the app makes. Pure logic, no I/O."""

    def __init__(
        self,
        *,
        budget: TokenBucket,
        clock: Callable[[], float] = time.monotonic,
        foreground_interval: float = 30.0,
        background_interval: float = 120.0,
        backoff: BackoffPolicy | None = None,
        unfocused_factor: float = 4.0,
        stagger_step: float = 1.0,
    ) -> None:
        _check_positive("foreground_interval", foreground_interval)
        _check_positive("background_interval", background_interval)
        if unfocused_factor < 1:
            raise ValueError(f"unfocused_factor must be at least 1, not {unfocused_factor!r}")
        if stagger_step < 0:
            raise ValueError(f"stagger_step must not be negative, not {stagger_step!r}")
        self._budget = budget
        self._clock = clock
        self._foreground_interval = float(foreground_interval)
        self._background_interval = float(background_interval)
        self._backoff = backoff if backoff is not None else BackoffPolicy()
        self._unfocused_factor = float(unfocused_factor)
        self._stagger_step = float(stagger_step)
        self._entries: dict[str, Entry] = {}
        self._selected: str | None = None
        self._paused = False
        self._focused = True
        self._hold = RateLimitHold(self._backoff)
        self._listing = ListingState()

    # -- configuration ---------------------------------------------------

    def set_numbers(self, numbers: Sequence[str]) -> None:
        """Replace the watchlist, keeping the state of numbers still present.

        Numbers new to the scheduler are staggered: the first poll of the
        ``k``-th new number is ``k * step`` seconds from now, where ``step``
        spreads a large list over at most one background interval.
        """
        now = self._clock()
        wanted = list(dict.fromkeys(numbers))
        wanted_set = set(wanted)
        for number in list(self._entries):
            entry = self._entries[number]
            if number not in wanted_set:
                entry.watched = False
                self._forget_if_unused(entry)
        fresh = [number for number in wanted if number not in self._entries]
        step = 0.0
        if fresh:
            step = min(self._stagger_step, self._interval_pair()[1] / len(fresh))
        for index, number in enumerate(fresh):
            self._entries[number] = Entry(number, watched=True, first_due_at=now + index * step)
        for number in wanted:
            self._entries[number].watched = True
        # Keep watchlist order so ties in due time go in the user's order.
        ordered = {number: self._entries[number] for number in wanted}
        for number, entry in self._entries.items():
            ordered.setdefault(number, entry)
        self._entries = ordered

    def select(self, number: str | None) -> None:
        """Make ``number`` the selected one; it becomes due now unless backing off.

        A number outside the watchlist can be selected; it is tracked while
        selected. Selecting fetches even while paused, because the user asked
        to look at that number.
        """
        if number == self._selected:
            return
        previous = self._entries.get(self._selected) if self._selected is not None else None
        self._selected = number
        if previous is not None:
            if not previous.manual:
                # Arrowing through the list must not queue a fetch per row.
                previous.forced_at = None
            self._forget_if_unused(previous)
        if number is None:
            return
        now = self._clock()
        entry = self._entries.get(number)
        if entry is None:
            entry = Entry(number, watched=False, first_due_at=now)
            self._entries[number] = entry
        if not entry.in_flight and entry.forced_at is None:
            entry.forced_at = now

    def set_paused(self, paused: bool) -> None:
        """Pause or resume auto refresh of the selected number.

        Background polls continue (alerts depend on them) and
        :meth:`request_now` still works.
        """
        self._paused = paused

    def set_intervals(
        self, foreground: float | None = None, background: float | None = None
    ) -> None:
        """Change the refresh intervals; planned times follow at once."""
        if foreground is not None:
            _check_positive("foreground", foreground)
            self._foreground_interval = float(foreground)
        if background is not None:
            _check_positive("background", background)
            self._background_interval = float(background)

    def set_focus(self, focused: bool) -> None:
        """Stretch both intervals by the unfocused factor while the terminal is unfocused."""
        self._focused = focused

    # -- the loop (record_success/_failure/_cancelled: ScheduleOutcomes) --

    def request_now(self, number: str, *, fixed: bool = False) -> float:
        """Ask for ``number`` to be fetched as soon as allowed (the `r` key).

        Returns 0.0 if it will go now (or is already in flight), else the
        seconds until it is allowed: it cuts short the backoff after an
        error, but not a 429's ``Retry-After`` nor an empty budget. ``fixed``
        (the user fixed the cause, e.g. entered a new key) also skips a parked
        refusal's wait, never a 429 hold.
        """
        now = self._clock()
        entry = self._entries.get(number)
        if entry is None:
            # A one-off fetch of an untracked number; forgotten once it finishes.
            entry = Entry(number, watched=False, first_due_at=now)
            self._entries[number] = entry
        if entry.in_flight:
            return 0.0
        entry.forced_at = now
        entry.manual = True
        if entry.retry_at == NEVER or (fixed and not entry.rate_limited):
            # Parked after an answer that would not change by itself (a 400,
            # a 403), or the user fixed the cause (a new key): try again now.
            entry.retry_at = None
        due = self._due(entry, now)
        if self._hold.until > now + TOLERANCE:
            probe_at = self._hold.probe_at()
            if probe_at < due:
                entry.probe = True
                due = max(probe_at, self._planned(entry, now, self._interval_pair(), hold=False))
        wait = max(due - now, self._budget.seconds_until(Priority.FOREGROUND))
        return 0.0 if wait <= TOLERANCE else wait

    def next_request(self) -> Request | None:
        """The most urgent due number with a token available, or None.

        Marks the number in flight and takes a token from the budget. The
        foreground (selected or manually requested) number goes first.
        """
        now = self._clock()
        if self._hold.until > now + TOLERANCE:
            return self._probe(now)
        (fg_at, fg), (bg_at, bg) = self._most_urgent(now)
        if fg is not None and fg_at <= now + TOLERANCE:
            if not self._budget.try_take(Priority.FOREGROUND):
                # Background needs even more tokens than foreground.
                return None
            return self._issue(fg, now, foreground=True)
        listing_at = self._listing_planned(now)
        if listing_at <= now + TOLERANCE and (bg is None or listing_at <= bg_at):
            if not self._budget.try_take(Priority.BACKGROUND):
                return None
            self._listing.in_flight = True
            self._listing.last_attempt_at = now
            return Request("", False, listing=True)
        if bg is None or bg_at > now + TOLERANCE:
            return None
        if not self._budget.try_take(Priority.BACKGROUND):
            return None
        return self._issue(bg, now, foreground=False)

    def foreground_due(self) -> bool:
        """Whether the selected (or an `r`-requested) number is due now and its
        request not yet issued: it goes at the next :meth:`next_request` that
        finds a token (not held by a 429 or a backoff)."""
        now = self._clock()
        if self._hold.until > now + TOLERANCE:
            return False
        (fg_at, fg), _ = self._most_urgent(now)
        return fg is not None and fg_at <= now + TOLERANCE

    def foreground_waits_for_budget(self) -> bool:
        """Whether the selected (or an `r`-requested) number is due now and
        held back only by an empty request budget (not by a 429 or a backoff)."""
        return self.foreground_due() and self._budget.seconds_until(Priority.FOREGROUND) > 0

    def seconds_until_next(self) -> float | None:
        """How long the loop may sleep before something can go (None: nothing planned).

        Includes the time the budget needs to refill. Only completions and
        calls that change the plan (select, `r`, settings) can make work
        appear sooner, so the loop should also wake on those.
        """
        now = self._clock()
        best: float | None = None
        bg_p = Priority.BACKGROUND
        for (planned, entry), priority in zip(
            self._most_urgent(now), (Priority.FOREGROUND, Priority.BACKGROUND), strict=True
        ):
            if entry is None:
                continue
            wait = max(planned, self._hold.until) - now
            wait = max(0.0 if wait <= TOLERANCE else wait, self._budget.seconds_until(priority))
            if best is None or wait < best:
                best = wait
        if self._hold.until > now + TOLERANCE:
            intervals = self._interval_pair()
            for entry in self._entries.values():
                if entry.probe and not entry.in_flight:
                    planned = self._planned(entry, now, intervals, hold=False)
                    wait = max(self._hold.probe_at(), planned) - now
                    wait = max(wait, self._budget.seconds_until(Priority.FOREGROUND), 0.0)
                    best = wait if best is None else min(best, wait)
        listing_at = self._listing_planned(now)
        if listing_at != NEVER:
            wait = max(listing_at, self._hold.until) - now
            wait = max(0.0 if wait <= TOLERANCE else wait, self._budget.seconds_until(bg_p))
            if best is None or wait < best:
                best = wait
        return best

    # -- internals -------------------------------------------------------

    def _probe(self, now: float) -> Request | None:
        """The one manual try a long 429 hold allows, when it is due."""
        if self._hold.probe_at() > now + TOLERANCE:
            return None
        intervals = self._interval_pair()
        for entry in self._entries.values():
            if not entry.probe or entry.in_flight:
                continue
            if self._planned(entry, now, intervals, hold=False) > now + TOLERANCE:
                continue
            if not self._budget.try_take(Priority.FOREGROUND):
                return None
            self._hold.probe_used = True
            return self._issue(entry, now, foreground=True)
        return None

    def _issue(self, entry: Entry, now: float, *, foreground: bool) -> Request:
        entry.in_flight = True
        entry.last_attempt_at = now
        entry.forced_at = None
        entry.manual = False
        entry.probe = False
        return Request(entry.number, foreground)

    def _due(self, entry: Entry, now: float) -> float:
        return max(self._planned(entry, now, self._interval_pair()), self._hold.until)

    def _interval_pair(self) -> tuple[float, float]:
        fg, bg = self._foreground_interval, self._background_interval
        return (
            (fg, bg)
            if self._focused
            else (fg * self._unfocused_factor, bg * self._unfocused_factor)
        )

    def _most_urgent(self, now: float) -> tuple[Candidate, Candidate]:
        """The foreground and the background entry that want to go soonest."""
        intervals = self._interval_pair()
        fg: Candidate = (NEVER, None)
        bg: Candidate = (NEVER, None)
        for entry in self._entries.values():
            if entry.in_flight:
                continue
            planned = self._planned(entry, now, intervals)
            if planned == NEVER:
                continue
            if entry.manual or entry.number == self._selected:
                if planned < fg[0]:
                    fg = (planned, entry)
            elif self._listing.active and self.covered_by_listing(entry.number):
                continue
            elif planned < bg[0]:
                bg = (planned, entry)
        return fg, bg

    def _planned(
        self, entry: Entry, now: float, intervals: tuple[float, float], *, hold: bool = True
    ) -> float:
        # Ranked by this rather than by due time, so that after a 429 hold
        # the longest overdue go first, not whoever is first in the list.
        if entry.in_flight:
            return NEVER
        selected = entry.number == self._selected
        if entry.forced_at is not None:
            planned = entry.forced_at
        elif selected and self._paused:
            return NEVER
        elif entry.failures > 0 and entry.retry_at is not None:
            planned = entry.retry_at
        elif entry.finished_at is None:
            planned = now if selected else entry.first_due_at
        else:
            planned = entry.finished_at + intervals[0 if selected else 1]
        # A rate-limited entry's retry_at is the 429 hold, which a probe may pass.
        # A press of `r` cuts any other backoff short.
        manual = entry.forced_at is not None and not entry.rate_limited
        waits = (hold or not entry.rate_limited) and not manual
        if waits and entry.retry_at is not None and entry.retry_at > planned:
            planned = entry.retry_at
        return planned


def _check_positive(name: str, value: float) -> None:
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive number of seconds, not {value!r}")
