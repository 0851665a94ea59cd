"""Outbound sending limits and usage (the SDK shape's ``outboundCapacity``)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from leadping_tui.simulator.activity import EventKind, weights_at
from leadping_tui.simulator.clock import floor_to
from leadping_tui.simulator.scenarios import Kind
from leadping_tui.simulator.state import WarmupState
from leadping_tui.simulator.timeline import Timeline

_SPANS = (timedelta(minutes=1), timedelta(hours=1), timedelta(days=1))


@dataclass(frozen=True)
class Usage:
    """Used and limit for this minute, hour and day, and when each resets."""

    used: tuple[int, int, int]
    limit: tuple[int, int, int]
    resets: tuple[datetime, datetime, datetime]

    @property
    def remaining(self) -> tuple[int, int, int]:
        """What is left of each limit."""
        a, b, c = (max(0, lim - use) for lim, use in zip(self.limit, self.used, strict=True))
        return a, b, c


def _daily_limit(timeline: Timeline, state: WarmupState, now: datetime, voice: bool) -> int:
    phase = state.phase
    if phase in (Kind.PAUSED, Kind.BLOCKED):
        return 0
    if phase is Kind.NOT_STARTED:
        return 10 if voice else 50
    if phase is Kind.READY:
        return 400 if voice else 2000
    interval = timeline.interval_at(now.timestamp())
    if interval is None:
        return 0
    w = weights_at(timeline.profile, now)
    share = (
        w[EventKind.CALL]
        if voice
        else (w[EventKind.SMS_SENT] + w[EventKind.SMS_FAILED] + w[EventKind.REJECTION])
    )
    factor = 1.2 + 0.8 * state.progress / 100 if phase is Kind.WARMING else 1.0
    return math.ceil(86400 / interval * share * factor)


def usage(timeline: Timeline, state: WarmupState, now: datetime, *, voice: bool) -> Usage:
    """SMS (or voice) usage and limits at ``now``."""
    starts = [floor_to(now, span) for span in _SPANS]
    used_counts = [timeline.counts(start, now) for start in starts]
    used = tuple(c.calls_placed if voice else c.sms_sent for c in used_counts)
    day = _daily_limit(timeline, state, now, voice)
    hour = math.ceil(day / 24 * 2.5)
    minute = max(1, math.ceil(hour / 60 * 4)) if day else 0
    # A real limiter never lets usage pass the limit.
    limit = tuple(max(lim, use) for lim, use in zip((minute, hour, day), used, strict=True))
    resets = tuple(start + span for start, span in zip(starts, _SPANS, strict=True))
    return Usage(
        (used[0], used[1], used[2]),
        (limit[0], limit[1], limit[2]),
        (resets[0], resets[1], resets[2]),
    )
