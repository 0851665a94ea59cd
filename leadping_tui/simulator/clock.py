"""Time for the simulator: an injectable clock, a frozen clock and UTC formatting."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]
"""A zero-argument callable returning the current time as an aware UTC datetime."""


def system_clock() -> datetime:
    """The real current time, in UTC."""
    return datetime.now(UTC)


def as_utc(when: datetime) -> datetime:
    """Convert an aware datetime to UTC; reject naive ones (their zone is a guess)."""
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError("the simulator's clock must return timezone-aware datetimes")
    return when.astimezone(UTC)


class FrozenClock:
    """A clock that only moves when told to. Safe to share between threads.

    Pass an instance as ``Simulator(clock=...)`` to get byte-identical responses
    (snapshot tests) and move time on with :meth:`advance` to watch a warmup evolve.
    """

    def __init__(self, start: datetime) -> None:
        self._now = as_utc(start)
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, delta: timedelta | float) -> datetime:
        """Move forward by ``delta`` (a timedelta or seconds) and return the new time."""
        step = delta if isinstance(delta, timedelta) else timedelta(seconds=delta)
        with self._lock:
            self._now += step
            return self._now

    def set(self, when: datetime) -> None:
        """Jump to ``when`` (forwards or backwards)."""
        with self._lock:
            self._now = as_utc(when)


def iso(when: datetime) -> str:
    """ISO 8601 in UTC with a ``Z`` suffix, to the second, as the API sends it."""
    return as_utc(when).replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def iso_ts(epoch_seconds: float) -> str:
    """Like :func:`iso` for epoch seconds; fast, for big event lists."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch_seconds))


def floor_to(when: datetime, step: timedelta) -> datetime:
    """Round ``when`` down to a multiple of ``step`` since the Unix epoch."""
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    return epoch + ((when - epoch) // step) * step
