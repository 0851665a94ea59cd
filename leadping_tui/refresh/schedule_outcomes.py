"""What a finished fetch does to the schedule: success, failure (backoff, a 429's
hold on everyone, parking a refusal) or cancellation.

:class:`~leadping_tui.refresh.scheduler.PollScheduler` mixes it in; the
planning (who goes next, and when) stays in the scheduler.
"""

from __future__ import annotations

from collections.abc import Callable

from leadping_tui.refresh.backoff import BackoffPolicy, RateLimitHold
from leadping_tui.refresh.schedule_state import NEVER, Entry


class ScheduleOutcomes:
    """The ``record_*`` bookkeeping of :class:`~leadping_tui.refresh.scheduler.PollScheduler`."""

    # Set by PollScheduler.__init__.
    _clock: Callable[[], float]
    _entries: dict[str, Entry]
    _selected: str | None
    _hold: RateLimitHold
    _backoff: BackoffPolicy

    def record_success(self, number: str) -> None:
        """The fetch of ``number`` succeeded; its next poll is one interval from now."""
        now = self._clock()
        entry = self._entries.get(number)
        if entry is None:
            return
        if self._hold.record_success(entry.last_attempt_at):
            # A try through the hold got an answer: the quota is back for everyone.
            for other in self._entries.values():
                if other.rate_limited and other.retry_at is not None:
                    other.retry_at = min(other.retry_at, now)
        entry.in_flight = False
        entry.finished_at = now
        entry.last_success_at = now
        entry.failures = 0
        entry.retry_at = None
        entry.rate_limited = False
        self._forget_if_unused(entry)

    def record_failure(
        self,
        number: str,
        *,
        retry_after: float | None = None,
        rate_limited: bool = False,
        retryable: bool = True,
    ) -> None:
        """The fetch of ``number`` failed; back it off (and everyone, for a 429).

        A failure that is not ``retryable`` (a 400: the same request will be
        refused again) parks the number until the user asks again (``r``, a
        new window): no backoff loop of identical refusals.
        """
        now = self._clock()
        entry = self._entries.get(number)
        if rate_limited:
            # The quota is the organisation's: a 429 holds everyone back.
            self._hold.record_429(now, entry.last_attempt_at if entry else None, retry_after)
        if entry is None:
            return
        entry.in_flight = False
        entry.finished_at = now
        entry.failures += 1
        entry.rate_limited = rate_limited
        retry_at = now + self._backoff.retry_delay(entry.failures, retry_after)
        if rate_limited:
            retry_at = max(retry_at, self._hold.until)
        elif not retryable:
            retry_at = NEVER
        entry.retry_at = retry_at
        self._forget_if_unused(entry)

    def record_cancelled(self, number: str) -> None:
        """The fetch of ``number`` was abandoned; not a failure, nothing learned."""
        entry = self._entries.get(number)
        if entry is None:
            return
        entry.in_flight = False
        self._forget_if_unused(entry)

    def _forget_if_unused(self, entry: Entry) -> None:
        if entry.watched or entry.in_flight or entry.manual or entry.number == self._selected:
            return
        self._entries.pop(entry.number, None)
