"""Exponential backoff with jitter, ``Retry-After``, and the global hold after a 429."""

from __future__ import annotations

import math
import random

__all__ = ["MAX_RETRY_AFTER", "MIN_RETRY_AFTER", "PROBE_AFTER", "BackoffPolicy", "RateLimitHold"]

MIN_RETRY_AFTER = 1.0
"""A positive ``Retry-After`` below this still waits this long, so we never hammer."""

PROBE_AFTER = 60.0
"""During a longer hold, a manual refresh may try once this long after the 429."""

MAX_RETRY_AFTER = 3600.0
"""A ``Retry-After`` beyond an hour is treated as an hour: a wrong header must
not silence the app for days."""


class BackoffPolicy:
    """Delays for consecutive failures: ``base * factor ** (failures - 1)``, capped.

    Jitter spreads retries of many numbers that failed together (a server
    hiccup) so they do not all come back in the same instant. The jitter
    multiplies the delay by a factor in ``[1 - jitter, 1 + jitter]`` and the
    result is still capped.
    """

    def __init__(
        self,
        base: float = 5,
        factor: float = 2,
        cap: float = 300,
        jitter: float = 0.2,
        rng: random.Random | None = None,
    ) -> None:
        if base <= 0 or not math.isfinite(base):
            raise ValueError(f"base must be a positive number, not {base!r}")
        if factor < 1 or not math.isfinite(factor):
            raise ValueError(f"factor must be at least 1, not {factor!r}")
        if cap < base or not math.isfinite(cap):
            raise ValueError(f"cap must be at least base, not {cap!r}")
        if not 0 <= jitter < 1:
            raise ValueError(f"jitter must be in [0, 1), not {jitter!r}")
        self.base = float(base)
        self.factor = float(factor)
        self.cap = float(cap)
        self.jitter = float(jitter)
        self._rng = rng if rng is not None else random.Random()

    def raw_delay(self, failures: int) -> float:
        """The delay after ``failures`` consecutive failures, before jitter."""
        if failures <= 0:
            return 0.0
        try:
            delay = self.base * self.factor ** (failures - 1)
        except OverflowError:
            return self.cap
        return min(self.cap, delay)

    def delay(self, failures: int) -> float:
        """Seconds to wait after ``failures`` consecutive failures (0 for none)."""
        raw = self.raw_delay(failures)
        if raw == 0.0 or self.jitter == 0.0:
            return raw
        spread = self._rng.uniform(1.0 - self.jitter, 1.0 + self.jitter)
        return min(self.cap, raw * spread)

    def retry_delay(self, failures: int, retry_after: float | None) -> float:
        """Seconds to wait before retrying; the server's ``Retry-After`` wins when given.

        ``Retry-After`` is clamped to ``[MIN_RETRY_AFTER, MAX_RETRY_AFTER]``;
        a missing or meaningless one (NaN, zero, negative: a date in the past)
        is no hint and falls back to :meth:`delay`, so it can never make the
        app retry every second for ever.
        """
        if retry_after is not None and not math.isnan(retry_after) and retry_after > 0:
            return min(MAX_RETRY_AFTER, max(MIN_RETRY_AFTER, retry_after))
        return self.delay(failures)


class RateLimitHold:
    """The organisation-wide pause after a 429.

    The quota is shared by every request, so a 429 for one number holds
    back all of them until ``Retry-After`` (or a backoff) has passed.
    Repeated 429s grow the backoff, but 429s for requests sent before the
    previous 429 arrived are the same episode: counting each of them would
    escalate the backoff for one burst.
    """

    def __init__(self, policy: BackoffPolicy) -> None:
        self._policy = policy
        self._strikes = 0
        self._last_at: float | None = None
        self.until = -math.inf
        """Clock time before which no request may start."""
        self.probe_used = False
        """Whether the one manual try allowed during this hold has been spent."""

    def record_429(self, now: float, sent_at: float | None, retry_after: float | None) -> float:
        """Note a 429 received at ``now`` for a request sent at ``sent_at``; returns ``until``."""
        if self._is_newer(sent_at) or self._strikes == 0:
            self._strikes += 1
        self._last_at = now
        hold = self._policy.retry_delay(self._strikes, retry_after)
        self.until = max(self.until, now + hold)
        self.probe_used = False
        return self.until

    def probe_at(self) -> float:
        """When a manual refresh may try once despite a long hold (-inf: no hold to beat).

        A wrong or huge ``Retry-After`` (capped at an hour) must not lock the
        user out for that long: one try is allowed a minute after the 429.
        """
        if self._last_at is None or self.probe_used:
            return math.inf if self._last_at is not None else -math.inf
        return self._last_at + PROBE_AFTER

    def record_success(self, sent_at: float | None) -> bool:
        """A request sent at ``sent_at`` got through: later 429s start the backoff over.

        Returns True when this lifted a hold that was still running (a manual
        try through a long ``Retry-After`` found the quota back).
        """
        if not self._is_newer(sent_at):
            return False
        self._strikes = 0
        lifted = self.until > (sent_at if sent_at is not None else -math.inf)
        if lifted:
            self.until = -math.inf
        return lifted

    def _is_newer(self, sent_at: float | None) -> bool:
        return self._last_at is None or sent_at is None or sent_at > self._last_at
