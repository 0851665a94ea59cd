"""A number's timeline of activity slots, and fast counts over any span of it.

The timeline is cut into segments (one per warmup day, as volume ramps up,
then an open-ended one once the warmup is done). Slot ``k`` holds one event at
a stable time, so event ids stay the same from poll to poll. Counts are kept as
per-hour cells with prefix sums, so a 365-day window costs no more than a
1-day one after the first request.
"""

from __future__ import annotations

import bisect
import math
import threading
from dataclasses import dataclass
from datetime import UTC, datetime

from leadping_tui.simulator.activity import ZERO, Counts, expected_counts, weights_at
from leadping_tui.simulator.hashing import mix, unit
from leadping_tui.simulator.scenarios import RAMP_DAYS, Profile

_DAY = 86400.0
_HOUR = 3600
_READY_SLOWDOWN = 2.5  # after warmup, traffic is calmer than the ramp's peak


@dataclass(frozen=True)
class Segment:
    """A stretch of the timeline with evenly spaced slots."""

    start: float  # epoch seconds
    end: float  # epoch seconds, math.inf when open-ended
    interval: float  # seconds between slots
    first: int  # index of its first slot

    @property
    def count(self) -> float:
        """How many slots it holds (math.inf when open-ended)."""
        if math.isinf(self.end):
            return math.inf
        return math.ceil((self.end - self.start) / self.interval)


def build_segments(profile: Profile, base_interval: float) -> tuple[Segment, ...]:
    """The segments of ``profile``'s timeline; events every ``base_interval`` s at full ramp."""
    if profile.started_at is None:
        return ()
    start = profile.started_at.timestamp()
    stop = profile.stopped_at.timestamp() if profile.stopped_at else math.inf
    done = profile.completes_at.timestamp() if profile.completes_at else math.inf
    trouble = profile.trouble_at.timestamp() if profile.trouble_at else math.inf
    warm_end = min(stop, done)
    segments: list[Segment] = []
    first, day, t = 0, 0, start
    while t < warm_end:
        end = min(t + _DAY, warm_end) if day < RAMP_DAYS - 1 else warm_end
        # Volume ramps from 0.6x to 1.4x the base rate, and is cut back in trouble.
        ramp = 0.6 + 0.8 * min(day, 20) / 20
        if t >= trouble:
            ramp *= 0.75
        segment = Segment(t, end, base_interval / ramp, first)
        segments.append(segment)
        if math.isinf(end):
            break
        first += int(segment.count)
        t, day = end, day + 1
    if done < stop and not math.isinf(done):
        segments.append(Segment(done, math.inf, base_interval * _READY_SLOWDOWN, first))
    return tuple(segments)


class Timeline:
    """One number's activity: slot times, and counts over any span. Thread-safe."""

    def __init__(self, profile: Profile, base_interval: float) -> None:
        self.profile = profile
        self.segments = build_segments(profile, base_interval)
        self._starts = [s.start for s in self.segments]
        self._firsts = [s.first for s in self.segments]
        self._first_hour = int(self._starts[0] // _HOUR) if self.segments else 0
        self._cells: list[Counts] = []
        self._prefix: list[Counts] = [ZERO]
        self._lock = threading.Lock()
        self._jitter_seed = mix(profile.seed, 11)

    # -- slots -----------------------------------------------------------------

    def slots_before(self, t: float) -> int:
        """How many slots start (nominally) before epoch second ``t``."""
        i = bisect.bisect_left(self._starts, t) - 1
        if i < 0:
            return 0
        seg = self.segments[i]
        n = math.ceil((min(t, seg.end) - seg.start) / seg.interval)
        return seg.first + int(min(n, seg.count))

    def slot_time(self, k: int) -> float:
        """When slot ``k``'s event happens (epoch seconds); negative ``k`` extrapolates back."""
        i = max(0, bisect.bisect_right(self._firsts, k) - 1)
        seg = self.segments[i]
        t = seg.start + (k - seg.first + 0.1 + 0.8 * unit(self._jitter_seed, k)) * seg.interval
        return min(t, seg.end - 0.001)

    def latest_slot(self, t: float) -> int:
        """The index of the newest event at or before ``t`` (-1 when there is none)."""
        k = self.slots_before(t) - 1
        if k >= 0 and self.slot_time(k) > t:
            k -= 1
        return k

    def next_slot_time(self, t: float) -> float | None:
        """When the next event after ``t`` is due, or None when the timeline has ended."""
        if not self.segments:
            return None
        last = self.segments[-1]
        k = self.latest_slot(t) + 1
        if k >= last.first + last.count:
            return None
        return self.slot_time(k)

    def interval_at(self, t: float) -> float | None:
        """Seconds between events at ``t``, or None when nothing is happening."""
        i = bisect.bisect_right(self._starts, t) - 1
        if i < 0 or t >= self.segments[i].end:
            return None
        return self.segments[i].interval

    # -- counts ----------------------------------------------------------------

    def _cell(self, hour: int) -> Counts:
        a, b = hour * _HOUR, (hour + 1) * _HOUR
        slots = self.slots_before(b) - self.slots_before(a)
        if slots == 0:
            return ZERO
        weights = weights_at(self.profile, datetime.fromtimestamp(a + _HOUR / 2, UTC))
        seed = self.profile.seed
        # Random rounding keeps hourly counts whole without biasing the totals.
        return Counts._make(
            int(e + unit(seed, 13, hour, i)) for i, e in enumerate(expected_counts(weights, slots))
        )

    def _ensure(self, upto: int) -> None:
        with self._lock:
            while len(self._cells) <= upto:
                cell = self._cell(self._first_hour + len(self._cells))
                self._cells.append(cell)
                self._prefix.append(self._prefix[-1].plus(cell))

    def cumulative(self, t: float) -> Counts:
        """All activity before epoch second ``t``."""
        if not self.segments or t <= self._starts[0]:
            return ZERO
        hour = int(t // _HOUR)
        i = hour - self._first_hour
        self._ensure(i)
        cell = self._cells[i]
        if cell == ZERO:
            return self._prefix[i]
        begin = hour * _HOUR
        full = self.slots_before(begin + _HOUR) - self.slots_before(begin)
        part = self.slots_before(t) - self.slots_before(begin)
        share = Counts._make(x * part // full for x in cell)
        return self._prefix[i].plus(share)

    def counts(self, a: datetime, b: datetime) -> Counts:
        """Activity in ``[a, b)``."""
        if b <= a:
            return ZERO
        return self.cumulative(b.timestamp()).minus(self.cumulative(a.timestamp()))
