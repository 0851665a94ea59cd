"""What the UI may read about the schedule: selection, pause, each number's state.

Read-only; :class:`~leadping_tui.refresh.scheduler.PollScheduler` mixes it in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from leadping_tui.refresh.backoff import RateLimitHold
from leadping_tui.refresh.schedule_state import Entry, NumberState


class ScheduleViews:
    """Read-only views of :class:`~leadping_tui.refresh.scheduler.PollScheduler`'s state."""

    # Set by PollScheduler.__init__.
    _clock: Callable[[], float]
    _selected: str | None
    _paused: bool
    _entries: dict[str, Entry]
    _hold: RateLimitHold

    def _interval_pair(self) -> tuple[float, float]:
        raise NotImplementedError  # PollScheduler's

    def _due(self, entry: Entry, now: float) -> float:
        raise NotImplementedError  # PollScheduler's

    @property
    def clock(self) -> Callable[[], float]:
        """The clock all times in :class:`NumberState` are read from."""
        return self._clock

    @property
    def selected(self) -> str | None:
        """The number shown in the main view."""
        return self._selected

    @property
    def paused(self) -> bool:
        """Whether auto refresh of the selected number is paused."""
        return self._paused

    @property
    def numbers(self) -> list[str]:
        """The watched numbers, in watchlist order."""
        return [entry.number for entry in self._entries.values() if entry.watched]

    @property
    def in_flight_count(self) -> int:
        """How many fetches are running."""
        return sum(1 for entry in self._entries.values() if entry.in_flight)

    @property
    def rate_limited_until(self) -> float | None:
        """Clock time until which a 429 holds every request back, if it still does."""
        if self._hold.until > self._clock():
            return self._hold.until
        return None

    def interval_for(self, number: str) -> float:
        """The effective refresh interval of ``number`` (focus factor included)."""
        return self._interval_pair()[0 if number == self._selected else 1]

    def state(self, number: str) -> NumberState | None:
        """A snapshot of ``number``'s state, or None if it is not tracked."""
        entry = self._entries.get(number)
        if entry is None:
            return None
        now = self._clock()
        return NumberState(
            number=entry.number,
            in_flight=entry.in_flight,
            last_attempt_at=entry.last_attempt_at,
            last_success_at=entry.last_success_at,
            failures=entry.failures,
            retry_at=entry.retry_at,
            rate_limited=entry.rate_limited,
            next_due_at=self._due(entry, now),
        )

    def is_stale(self, number: str) -> bool:
        """Whether the data shown for ``number`` can no longer be trusted as current.

        Stale means the last success is older than twice the number's
        current interval, or it has failed without ever succeeding.
        """
        return self.stale_marks((number,))[0][number]

    def stale_marks(self, numbers: Iterable[str]) -> tuple[dict[str, bool], float | None]:
        """:meth:`is_stale` of each of ``numbers``, and seconds until the first one flips.

        One pass with one clock reading: the dashboard looks at every watched
        number on each repaint, and a snapshot per number (:meth:`state`) made
        that a few milliseconds per key with 1,000 numbers.
        """
        now = self._clock()
        selected_every, other_every = self._interval_pair()
        marks: dict[str, bool] = {}
        soonest: float | None = None
        for number in numbers:
            entry = self._entries.get(number)
            if entry is None:
                marks[number] = False
                continue
            last = entry.last_success_at
            if last is None:
                marks[number] = entry.failures > 0
                continue
            limit = 2 * (selected_every if number == self._selected else other_every)
            marks[number] = now - last > limit
            flips_in = last + limit - now
            if flips_in > 0 and (soonest is None or flips_in < soonest):
                soonest = flips_in
        return marks, soonest
