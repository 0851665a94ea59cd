"""One global request budget shared by every request the app makes.

LeadPing allows 300 requests per 60 s per organisation, shared with every
other tool the organisation runs, and sends no quota headers. The app
therefore budgets its own rate with a token bucket: tokens refill
continuously at ``rate_per_minute / 60`` per second up to ``burst``.

A bucket alone lets ``rate_per_minute + burst`` tokens go in one 60 s
window (the burst on top of a minute's refill), which would break the very
limit it budgets. So every take is also logged, and no take is allowed
while the last 60 s already hold ``rate_per_minute`` of them: no 60 s window
ever exceeds the configured rate, and the burst only shapes how fast the
requests within it may come.
"""

from __future__ import annotations

import enum
import math
import time
from collections import deque
from collections.abc import Callable

__all__ = [
    "DEFAULT_BURST",
    "DEFAULT_RATE_PER_MINUTE",
    "MAX_RATE_PER_MINUTE",
    "ORG_LIMIT_PER_MINUTE",
    "Priority",
    "TokenBucket",
]

ORG_LIMIT_PER_MINUTE = 300
"""The organisation-wide limit documented by LeadPing (requests per 60 s)."""

MAX_RATE_PER_MINUTE = ORG_LIMIT_PER_MINUTE - 1
"""The most this app may budget: below the organisation's whole quota."""

WINDOW_SECONDS = 60.0

DEFAULT_RATE_PER_MINUTE = 150.0
"""Half the organisation limit: the quota is shared with other tools."""

DEFAULT_BURST = 5

# Float refill arithmetic can leave a bucket a hair short of a whole token
# after sleeping exactly the advertised time; without this tolerance the
# poll loop would wake, find nothing to do and spin on tiny sleeps.
_EPSILON = 1e-9
# Added to advertised waits so that waking up after them always succeeds.
_WAIT_MARGIN = 1e-6


class Priority(enum.Enum):
    """Who is asking for a token."""

    FOREGROUND = "foreground"
    """The selected number's auto refresh, or a refresh the user asked for."""

    BACKGROUND = "background"
    """Sidebar polls of the other watched numbers."""


class TokenBucket:
    """A continuously refilling token bucket with a reserve for foreground work.

    Background requests may only take a token while more than ``reserve``
    tokens remain, so when the budget runs short the selected number is
    served first and sidebar polls stretch out.
    """

    def __init__(
        self,
        rate_per_minute: float = DEFAULT_RATE_PER_MINUTE,
        *,
        burst: int | None = None,
        reserve: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not math.isfinite(rate_per_minute) or rate_per_minute <= 0:
            raise ValueError(f"rate_per_minute must be a positive number, not {rate_per_minute!r}")
        burst = DEFAULT_BURST if burst is None else burst
        if burst < 1:
            raise ValueError(f"burst must be at least 1, not {burst!r}")
        if reserve is None:
            # 20 % of the burst, but at least one token so a burst of
            # background polls can never starve a foreground refresh.
            reserve = min(float(burst - 1), max(1.0, 0.2 * burst))
        if reserve < 0 or reserve > burst - 1:
            raise ValueError(f"reserve must be between 0 and burst - 1, not {reserve!r}")
        self._rate_per_second = rate_per_minute / 60.0
        self._rate_per_minute = float(rate_per_minute)
        self._burst = burst
        self._reserve = float(reserve)
        self._clock = clock
        self._tokens = float(burst)
        self._updated_at = clock()
        self._taken = 0
        self._taken_by_priority = dict.fromkeys(Priority, 0)
        self._window_limit = max(1, math.floor(rate_per_minute))
        self._recent: deque[float] = deque()
        """Times of the takes in the last 60 s (at most the window limit)."""

    @property
    def rate_per_minute(self) -> float:
        """Steady refill rate."""
        return self._rate_per_minute

    @property
    def burst(self) -> int:
        """Bucket capacity: the most tokens that can be taken at once."""
        return self._burst

    @property
    def reserve(self) -> float:
        """Tokens kept back for foreground requests."""
        return self._reserve

    @property
    def taken(self) -> int:
        """Total tokens taken since the bucket was created (for stats)."""
        return self._taken

    def taken_for(self, priority: Priority) -> int:
        """Tokens taken for ``priority`` since the bucket was created."""
        return self._taken_by_priority[priority]

    @property
    def available(self) -> float:
        """Tokens in the bucket right now (fractional)."""
        self._refill()
        return self._tokens

    def try_take(self, priority: Priority) -> bool:
        """Take one token for ``priority`` if the budget allows it now."""
        self._refill()
        needed = self._needed(priority)
        if self._tokens + _EPSILON < needed or self._window_wait(priority) > 0.0:
            return False
        self._recent.append(self._updated_at)
        self._tokens = max(0.0, self._tokens - 1.0)
        self._taken += 1
        self._taken_by_priority[priority] += 1
        return True

    def seconds_until(self, priority: Priority) -> float:
        """Seconds until :meth:`try_take` for ``priority`` would succeed (0.0 if now)."""
        self._refill()
        window = self._window_wait(priority)
        missing = self._needed(priority) - self._tokens
        if missing <= _EPSILON:
            return window
        return max(window, missing / self._rate_per_second + _WAIT_MARGIN)

    def _window_wait(self, priority: Priority) -> float:
        """Seconds until the last 60 s leave room for a take by ``priority`` (0.0 if now).

        Background takes leave the reserve free in the window too, or a busy
        sidebar would fill every minute and make the selected number wait.
        """
        now = self._updated_at
        while self._recent and self._recent[0] < now - WINDOW_SECONDS:
            self._recent.popleft()
        limit = self._window_limit
        if priority is Priority.BACKGROUND:
            limit = max(1, limit - math.ceil(self._reserve))
        excess = len(self._recent) - limit
        if excess < 0:
            return 0.0
        return self._recent[excess] + WINDOW_SECONDS - now + _WAIT_MARGIN

    def _needed(self, priority: Priority) -> float:
        if priority is Priority.FOREGROUND:
            return 1.0
        return 1.0 + self._reserve

    def _refill(self) -> None:
        now = self._clock()
        elapsed = now - self._updated_at
        # A clock that steps backwards (only possible with a fake clock) must
        # never mint tokens; just re-anchor.
        if elapsed > 0:
            self._tokens = min(float(self._burst), self._tokens + elapsed * self._rate_per_second)
        self._updated_at = now
