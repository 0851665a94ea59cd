"""PollScheduler: unit rules plus an hour of 200 numbers on a simulated clock."""

from __future__ import annotations

import bisect
import heapq
import math
import random
from dataclasses import dataclass, field

import pytest

from leadping_tui.refresh.backoff import BackoffPolicy
from leadping_tui.refresh.budget import TokenBucket
from leadping_tui.refresh.scheduler import PollScheduler, Request


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def make(
    clock: FakeClock,
    *,
    rate: float = 240,
    burst: int = 5,
    fg: float = 30,
    bg: float = 120,
    jitter: float = 0.0,
    seed: int = 1,
) -> PollScheduler:
    budget = TokenBucket(rate, burst=burst, clock=clock)
    backoff = BackoffPolicy(jitter=jitter, rng=random.Random(seed))
    return PollScheduler(
        budget=budget,
        clock=clock,
        foreground_interval=fg,
        background_interval=bg,
        backoff=backoff,
    )


def drain(sched: PollScheduler) -> list[Request]:
    out = []
    while (req := sched.next_request()) is not None:
        out.append(req)
    return out


NUMS = [f"+1202555{n:04d}" for n in range(200)]


# -- unit rules -----------------------------------------------------------


def test_first_round_is_staggered_over_the_background_interval() -> None:
    clock = FakeClock()
    sched = make(clock, rate=10_000, burst=1000)
    sched.set_numbers(NUMS)
    dues = [sched.state(n).next_due_at - clock.now for n in NUMS]  # type: ignore[union-attr]
    assert dues == sorted(dues)
    assert dues[0] == 0.0
    assert max(dues) < 120.0
    assert len(drain(sched)) == 1  # not all 200 at once
    started = 1
    for _ in range(120):
        clock.advance(1.0)
        started += len(drain(sched))
    assert started == 200


def test_small_list_is_not_spread_over_a_whole_interval() -> None:
    clock = FakeClock()
    sched = make(clock)
    sched.set_numbers(NUMS[:3])
    dues = [sched.state(n).next_due_at - clock.now for n in NUMS[:3]]  # type: ignore[union-attr]
    assert dues == [0.0, 1.0, 2.0]


def test_never_two_in_flight_and_interval_counts_from_completion() -> None:
    clock = FakeClock()
    sched = make(clock)
    sched.set_numbers(NUMS[:1])
    assert drain(sched) == [Request(NUMS[0], foreground=False)]
    clock.advance(500)
    assert drain(sched) == []  # still in flight, however overdue
    assert sched.seconds_until_next() is None
    sched.record_success(NUMS[0])
    state = sched.state(NUMS[0])
    assert state is not None
    assert state.next_due_at == clock.now + 120
    assert sched.seconds_until_next() == pytest.approx(120)


def test_selected_number_goes_first_and_uses_the_foreground_interval() -> None:
    clock = FakeClock()
    sched = make(clock, rate=60, burst=2)
    sched.set_numbers(NUMS[:5])
    clock.advance(10)  # all five background numbers are overdue now
    sched.select(NUMS[4])
    first = sched.next_request()
    assert first == Request(NUMS[4], foreground=True)
    clock.advance(1)
    sched.record_success(NUMS[4])
    assert sched.state(NUMS[4]).next_due_at == clock.now + 30  # type: ignore[union-attr]
    assert sched.interval_for(NUMS[4]) == 30
    assert sched.interval_for(NUMS[0]) == 120


def test_moving_the_selection_drops_the_previous_pending_fetch() -> None:
    clock = FakeClock()
    sched = make(clock, rate=60, burst=1)
    sched.set_numbers(NUMS[:3])
    for n in NUMS[:3]:
        sched.select(n)  # arrowing down the list within an instant
    # Only the number the cursor rests on is fetched in the foreground.
    req = sched.next_request()
    assert req == Request(NUMS[2], foreground=True)


def test_background_keeps_a_reserve_for_the_selected_number() -> None:
    clock = FakeClock()
    sched = make(clock, rate=60, burst=5)
    sched.set_numbers(NUMS[:50])
    clock.advance(60)  # every background number overdue, bucket full (5)
    background = drain(sched)
    assert len(background) == 4  # one token held back
    assert all(not r.foreground for r in background)
    sched.select(NUMS[40])
    assert sched.next_request() == Request(NUMS[40], foreground=True)


def test_foreground_waits_for_budget_only_when_the_budget_holds_it() -> None:
    clock = FakeClock()
    sched = make(clock, rate=60, burst=1)
    sched.set_numbers(NUMS[:2])
    sched.select(NUMS[0])
    assert not sched.foreground_waits_for_budget()  # a token is there: it goes now
    assert sched.foreground_due()
    assert sched.next_request() == Request(NUMS[0], foreground=True)
    assert not sched.foreground_due()  # on its way
    sched.record_success(NUMS[0])
    sched.select(NUMS[1])
    assert sched.next_request() is None  # the only token is spent
    assert sched.foreground_waits_for_budget()
    assert sched.foreground_due()
    clock.advance(1.5)  # one token a second at 60 a minute
    assert not sched.foreground_waits_for_budget()
    assert sched.foreground_due()  # the tokens are back, the request not issued yet
    assert sched.next_request() == Request(NUMS[1], foreground=True)
    assert not sched.foreground_due()
    sched.record_failure(NUMS[1], retry_after=30, rate_limited=True)
    sched.request_now(NUMS[1])
    assert not sched.foreground_waits_for_budget()  # a 429 holds it, not the budget
    assert not sched.foreground_due()


def test_pause_stops_auto_refresh_of_selected_only() -> None:
    clock = FakeClock()
    sched = make(clock)
    sched.set_numbers(NUMS[:2])
    sched.select(NUMS[0])
    clock.advance(1)  # past the stagger of the second number
    assert {r.number for r in drain(sched)} == {NUMS[0], NUMS[1]}
    sched.record_success(NUMS[0])
    sched.record_success(NUMS[1])
    sched.set_paused(True)
    assert sched.state(NUMS[0]).next_due_at == math.inf  # type: ignore[union-attr]
    clock.advance(200)
    # The background number is polled; the paused selected one is not.
    assert drain(sched) == [Request(NUMS[1], foreground=False)]
    # A manual refresh still works while paused.
    assert sched.request_now(NUMS[0]) == 0.0
    assert drain(sched) == [Request(NUMS[0], foreground=True)]
    sched.record_success(NUMS[0])
    clock.advance(100)
    assert drain(sched) == []
    sched.set_paused(False)
    assert drain(sched) == [Request(NUMS[0], foreground=True)]


def test_unfocused_stretches_both_intervals() -> None:
    clock = FakeClock()
    sched = make(clock)
    sched.set_numbers(NUMS[:2])
    sched.select(NUMS[0])
    drain(sched)
    sched.record_success(NUMS[0])
    sched.record_success(NUMS[1])
    sched.set_focus(False)
    assert sched.interval_for(NUMS[0]) == 120
    assert sched.interval_for(NUMS[1]) == 480
    clock.advance(119)
    assert drain(sched) == []
    clock.advance(1)
    assert drain(sched) == [Request(NUMS[0], foreground=True)]
    sched.set_focus(True)
    assert sched.interval_for(NUMS[1]) == 120
    assert drain(sched) == [Request(NUMS[1], foreground=False)]


def test_set_intervals_takes_effect_at_once() -> None:
    clock = FakeClock()
    sched = make(clock)
    sched.set_numbers(NUMS[:1])
    drain(sched)
    sched.record_success(NUMS[0])
    clock.advance(20)
    assert drain(sched) == []
    sched.set_intervals(background=15)
    assert drain(sched) == [Request(NUMS[0], foreground=False)]
    with pytest.raises(ValueError):
        sched.set_intervals(foreground=0)


def test_manual_refresh_waits_for_retry_after() -> None:
    clock = FakeClock()
    sched = make(clock)
    sched.set_numbers(NUMS[:3])
    sched.select(NUMS[0])
    drain(sched)
    sched.record_failure(NUMS[0], retry_after=30, rate_limited=True)
    clock.advance(10)
    assert sched.request_now(NUMS[0]) == pytest.approx(20)
    assert sched.request_now(NUMS[2]) == pytest.approx(20)  # the hold is global
    assert drain(sched) == []
    assert sched.rate_limited_until == pytest.approx(clock.now + 20)
    assert sched.seconds_until_next() == pytest.approx(20)
    clock.advance(20)
    assert sched.rate_limited_until is None
    got = drain(sched)
    assert set(got[:2]) == {Request(NUMS[0], foreground=True), Request(NUMS[2], foreground=True)}


def test_failing_number_backs_off_exponentially_up_to_the_cap() -> None:
    clock = FakeClock()
    sched = make(clock)
    sched.set_numbers(NUMS[:1])
    delays = []
    for _ in range(10):
        assert drain(sched) == [Request(NUMS[0], foreground=False)]
        sched.record_failure(NUMS[0])
        state = sched.state(NUMS[0])
        assert state is not None
        delays.append(state.retry_at - clock.now)  # type: ignore[operator]
        assert state.next_due_at == state.retry_at
        clock.advance(delays[-1])
    assert delays == [5, 10, 20, 40, 80, 160, 300, 300, 300, 300]
    assert sched.state(NUMS[0]).failures == 10  # type: ignore[union-attr]
    drain(sched)
    sched.record_success(NUMS[0])
    state = sched.state(NUMS[0])
    assert state is not None
    assert (state.failures, state.retry_at, state.rate_limited) == (0, None, False)


def test_a_failing_number_does_not_hold_back_others() -> None:
    clock = FakeClock()
    sched = make(clock)
    sched.set_numbers(NUMS[:2])
    clock.advance(2)
    assert len(drain(sched)) == 2
    sched.record_failure(NUMS[0])
    sched.record_success(NUMS[1])
    clock.advance(120)
    # NUMS[0] retried after its 5 s backoff; NUMS[1] on its interval.
    got = drain(sched)
    assert Request(NUMS[1], foreground=False) in got


def test_429_without_retry_after_holds_everyone_with_growing_backoff() -> None:
    clock = FakeClock()
    sched = make(clock, rate=10_000, burst=100)
    sched.set_numbers(NUMS[:4])
    clock.advance(10)
    assert len(drain(sched)) == 4
    clock.advance(0.5)
    # Three 429s from the same burst count as one strike.
    for n in NUMS[:3]:
        sched.record_failure(n, rate_limited=True)
    assert sched.rate_limited_until == pytest.approx(clock.now + 5)
    sched.record_success(NUMS[3])  # sent before the 429: does not clear the hold
    assert sched.rate_limited_until == pytest.approx(clock.now + 5)
    clock.advance(5)
    got = drain(sched)
    assert got
    # A 429 for a request sent after the last one is a new strike: 10 s.
    sched.record_failure(got[0].number, rate_limited=True)
    assert sched.rate_limited_until == pytest.approx(clock.now + 10)
    state = sched.state(got[0].number)
    assert state is not None and state.rate_limited


def test_success_after_rate_limit_resets_strikes() -> None:
    clock = FakeClock()
    sched = make(clock)
    sched.set_numbers(NUMS[:1])
    drain(sched)
    sched.record_failure(NUMS[0], rate_limited=True)
    clock.advance(5)
    drain(sched)
    sched.record_success(NUMS[0])
    sched.request_now(NUMS[0])
    drain(sched)
    sched.record_failure(NUMS[0], rate_limited=True)
    assert sched.rate_limited_until == pytest.approx(clock.now + 5)


def test_cancelled_is_not_a_failure() -> None:
    clock = FakeClock()
    sched = make(clock)
    sched.set_numbers(NUMS[:1])
    drain(sched)
    sched.record_cancelled(NUMS[0])
    state = sched.state(NUMS[0])
    assert state is not None
    assert (state.in_flight, state.failures, state.retry_at) == (False, 0, None)
    assert drain(sched) == [Request(NUMS[0], foreground=False)]


def test_staleness() -> None:
    clock = FakeClock()
    sched = make(clock)
    assert sched.clock() == clock.now
    sched.set_numbers(NUMS[:2])
    clock.advance(2)
    drain(sched)
    assert not sched.is_stale(NUMS[0])  # never tried is not stale
    sched.record_failure(NUMS[0])
    assert sched.is_stale(NUMS[0])  # failed without ever succeeding
    sched.record_success(NUMS[1])
    clock.advance(240)
    assert not sched.is_stale(NUMS[1])
    sched.record_failure(NUMS[1])  # a failure never moves last_success_at
    clock.advance(1)
    assert sched.is_stale(NUMS[1])
    assert not sched.is_stale("+19999999999")


def test_stale_marks_agree_with_is_stale_and_say_when_the_next_flips() -> None:
    clock = FakeClock()
    sched = make(clock)
    sched.set_numbers(NUMS[:3])
    clock.advance(2)
    drain(sched)
    sched.record_failure(NUMS[0])
    sched.record_success(NUMS[1])
    sched.select(NUMS[2])
    drain(sched)
    sched.record_success(NUMS[2])  # selected: the shorter interval
    watched = [*NUMS[:3], "+19999999999"]
    # Failed without a success: stale; fresh successes and an unknown number: not.
    assert sched.stale_marks(watched)[0] == {
        NUMS[0]: True,
        NUMS[1]: False,
        NUMS[2]: False,
        "+19999999999": False,
    }
    for _ in range(6):
        marks, soonest = sched.stale_marks(watched)
        assert marks == {number: sched.is_stale(number) for number in watched}
        flips = [
            state.last_success_at + 2 * sched.interval_for(number) - sched.clock()
            for number in NUMS[:3]
            if (state := sched.state(number)) is not None and state.last_success_at is not None
        ]
        assert soonest == (min(f for f in flips if f > 0) if any(f > 0 for f in flips) else None)
        clock.advance(50)
    assert marks[NUMS[1]] and marks[NUMS[2]] and soonest is None


def test_set_numbers_keeps_state_and_handles_removal_in_flight() -> None:
    clock = FakeClock()
    sched = make(clock)
    sched.set_numbers(NUMS[:2])
    clock.advance(2)
    drain(sched)
    sched.record_success(NUMS[0])
    sched.set_numbers([NUMS[2], NUMS[0]])
    assert sched.numbers == [NUMS[2], NUMS[0]]
    assert sched.state(NUMS[0]).last_success_at is not None  # type: ignore[union-attr]
    # Removed while in flight: tracked until it finishes, never doubled.
    sched.set_numbers([NUMS[1], NUMS[2], NUMS[0]])
    assert sched.state(NUMS[1]).in_flight  # type: ignore[union-attr]
    assert all(r.number != NUMS[1] for r in drain(sched))
    sched.set_numbers([NUMS[0]])
    sched.record_success(NUMS[1])
    assert sched.state(NUMS[1]) is None


def test_unwatched_number_can_be_selected_and_fetched_once() -> None:
    clock = FakeClock()
    sched = make(clock)
    sched.select("+12025550199")
    assert drain(sched) == [Request("+12025550199", foreground=True)]
    sched.record_failure("+12025550199")
    sched.select(None)
    assert sched.state("+12025550199") is None
    assert sched.request_now("+12025550105") == 0.0
    assert drain(sched) == [Request("+12025550105", foreground=True)]
    sched.record_success("+12025550105")
    assert sched.state("+12025550105") is None
    assert sched.seconds_until_next() is None


def test_request_now_while_in_flight_does_not_duplicate() -> None:
    clock = FakeClock()
    sched = make(clock)
    sched.set_numbers(NUMS[:1])
    drain(sched)
    assert sched.request_now(NUMS[0]) == 0.0
    assert drain(sched) == []


def test_seconds_until_next_includes_budget_refill() -> None:
    clock = FakeClock()
    sched = make(clock, rate=60, burst=1)
    sched.set_numbers(NUMS[:1])
    sched.select(NUMS[1])
    drain(sched)
    sched.request_now(NUMS[0])
    # One token a second; the selected took the only one.
    wait = sched.seconds_until_next()
    assert wait == pytest.approx(1.0, abs=1e-3)
    assert sched.next_request() is None
    clock.advance(wait)  # type: ignore[arg-type]
    assert sched.next_request() == Request(NUMS[0], foreground=True)


# -- an hour of 200 numbers -------------------------------------------------


@dataclass
class SimLog:
    starts: list[tuple[float, str, bool]] = field(default_factory=list)
    completions: list[tuple[float, str, str]] = field(default_factory=list)
    rate_limits: list[tuple[float, float | None]] = field(default_factory=list)
    holds: list[tuple[float, float]] = field(default_factory=list)
    double_in_flight: list[str] = field(default_factory=list)
    spins: int = 0


def simulate(*, rate: float, burst: int, seed: int, hours: float = 1.0) -> SimLog:
    """Drive the scheduler the way the app's loop will, against a flaky fake API."""
    rng = random.Random(seed)
    clock = FakeClock(start=50_000.0)
    sched = PollScheduler(
        budget=TokenBucket(rate, burst=burst, clock=clock),
        clock=clock,
        backoff=BackoffPolicy(rng=random.Random(seed + 1)),
    )
    sched.set_numbers(NUMS)
    sched.select(NUMS[0])
    start = clock.now
    end = start + hours * 3600
    log = SimLog()
    pending: list[tuple[float, int, str, str, float | None]] = []
    in_flight: set[str] = set()
    seq = 0
    switched = False
    while clock.now < end:
        if not switched and clock.now >= start + 1800:
            switched = True
            sched.select(NUMS[57])
        while (req := sched.next_request()) is not None:
            if req.number in in_flight:
                log.double_in_flight.append(req.number)
            in_flight.add(req.number)
            log.starts.append((clock.now, req.number, req.foreground))
            roll = rng.random()
            retry_after: float | None = None
            if roll < 0.003:
                outcome, retry_after = "429", float(rng.randint(1, 15))
            elif roll < 0.006:
                outcome = "429"
            elif roll < 0.07:
                outcome = "error"
            else:
                outcome = "ok"
            latency = rng.uniform(5, 20) if rng.random() < 0.02 else rng.uniform(0.05, 2.0)
            seq += 1
            heapq.heappush(pending, (clock.now + latency, seq, req.number, outcome, retry_after))
        wait = sched.seconds_until_next()
        if wait is not None and wait <= 0:
            log.spins += 1  # next_request said nothing can go, yet no sleep
        target = min(
            clock.now + wait if wait is not None else math.inf,
            pending[0][0] if pending else math.inf,
            start + 1800 if not switched else math.inf,
            end,
        )
        clock.now = max(target, clock.now)
        while pending and pending[0][0] <= clock.now:
            _, _, number, outcome, retry_after = heapq.heappop(pending)
            in_flight.discard(number)
            log.completions.append((clock.now, number, outcome))
            if outcome == "ok":
                sched.record_success(number)
            elif outcome == "429":
                log.rate_limits.append((clock.now, retry_after))
                sched.record_failure(number, retry_after=retry_after, rate_limited=True)
                hold_until = sched.rate_limited_until
                assert hold_until is not None
                log.holds.append((clock.now, hold_until))
            else:
                sched.record_failure(number)
    return log


def max_in_any_window(times: list[float], width: float) -> int:
    times = sorted(times)
    return max(bisect.bisect_left(times, t + width) - i for i, t in enumerate(times))


def held_between(log: SimLog, a: float, b: float) -> bool:
    return any(s < b and e > a for s, e in log.holds)


def check_simulation(log: SimLog, *, rate: float, burst: int, min_polls: int) -> None:
    starts = [t for t, _, _ in log.starts]
    assert len(starts) > 1000
    assert log.double_in_flight == []
    assert log.spins == 0
    assert max_in_any_window(starts, 60.0) <= min(rate + burst, 300)

    # Every 429's Retry-After (or the minimum backoff without one) was
    # honoured by every number, not just the one that got it.
    assert len(log.rate_limits) > 10
    for t, retry_after in log.rate_limits:
        quiet = retry_after if retry_after is not None else 5 * 0.8
        i = bisect.bisect_right(starts, t)
        assert i == len(starts) or starts[i] >= t + quiet - 1e-6, (t, retry_after)

    # Background numbers were all polled, and fairly.
    polls: dict[str, int] = dict.fromkeys(NUMS, 0)
    for _, number, _ in log.starts:
        polls[number] += 1
    assert min(polls.values()) >= min_polls

    # The selected number came back on its 30 s interval after each success,
    # unless a 429 hold got in the way.
    for selected, lo, hi in ((NUMS[0], 0.0, 1800.0), (NUMS[57], 1800.0, 3600.0)):
        base = log.starts[0][0]
        mine = [t for t, n, fg in log.starts if n == selected and fg]
        done = [t for t, n, o in log.completions if n == selected and o == "ok"]
        checked = 0
        for finished in done:
            if not lo + 60 <= finished - base <= hi - 60:
                continue
            later = [t for t in mine if t > finished]
            if not later or held_between(log, finished, later[0] + 0.1):
                continue
            gap = later[0] - finished
            assert 30 - 1e-6 <= gap <= 30 + 60 / rate + 0.01, (selected, finished, gap)
            checked += 1
        print(selected, checked, len(done))
        assert checked >= 20


@pytest.mark.parametrize("seed", [7, 8])
def test_hour_of_200_numbers_with_ample_budget(seed: int) -> None:
    log = simulate(rate=240, burst=5, seed=seed)
    # 200 numbers every ~2 min is ~100/min: well inside 240/min.
    check_simulation(log, rate=240, burst=5, min_polls=15)


def test_hour_of_200_numbers_with_a_short_budget() -> None:
    # 60/min cannot cover 200 numbers every 2 minutes: background polls
    # stretch out while the selected number keeps its interval.
    log = simulate(rate=60, burst=5, seed=3)
    check_simulation(log, rate=60, burst=5, min_polls=8)
    fg = sum(1 for _, _, f in log.starts if f)
    assert fg >= 100


def test_retry_after_zero_is_no_hint_and_backs_off_exponentially() -> None:
    clock = FakeClock()
    sched = make(clock)
    sched.set_numbers(NUMS[:1])
    sched.select(NUMS[0])
    delays = []
    for _ in range(4):
        assert drain(sched) == [Request(NUMS[0], foreground=True)]
        sched.record_failure(NUMS[0], retry_after=None, rate_limited=True)
        until = sched.rate_limited_until
        assert until is not None
        delays.append(until - clock.now)
        clock.advance(until - clock.now + 0.01)
    assert delays == pytest.approx([5, 10, 20, 40], abs=0.02)


def test_a_refusal_that_will_not_change_is_parked_until_the_user_asks() -> None:
    clock = FakeClock()
    sched = make(clock)
    sched.set_numbers(NUMS[:2])
    sched.select(NUMS[0])
    drain(sched)
    sched.record_failure(NUMS[0], retryable=False)
    sched.record_success(NUMS[1])
    clock.advance(3600)
    got = drain(sched)
    assert Request(NUMS[0], foreground=True) not in got, "a 400 was retried with backoff"
    assert NUMS[1] in [request.number for request in got]
    assert sched.request_now(NUMS[0]) == 0.0
    assert drain(sched) == [Request(NUMS[0], foreground=True)]


def test_a_long_retry_after_lets_r_try_once_after_a_minute() -> None:
    clock = FakeClock()
    sched = make(clock)
    sched.set_numbers(NUMS[:3])
    sched.select(NUMS[0])
    drain(sched)
    sched.record_failure(NUMS[0], retry_after=3600, rate_limited=True)
    clock.advance(10)
    # Before a minute has passed, r waits for the minute, not for the hour.
    assert sched.request_now(NUMS[0]) == pytest.approx(50)
    assert drain(sched) == []
    assert sched.seconds_until_next() == pytest.approx(50)
    clock.advance(50)
    assert drain(sched) == [Request(NUMS[0], foreground=True)]
    # Another 429: the next manual try is again a minute away, not an hour.
    sched.record_failure(NUMS[0], retry_after=3600, rate_limited=True)
    assert sched.request_now(NUMS[0]) == pytest.approx(60)
    clock.advance(60)
    assert drain(sched) == [Request(NUMS[0], foreground=True)]
    # That try got through: the hold is lifted for everyone.
    sched.record_success(NUMS[0])
    assert sched.rate_limited_until is None
    clock.advance(1)
    assert {request.number for request in drain(sched)} >= {NUMS[1], NUMS[2]}


def test_manual_refresh_cuts_a_backoff_after_an_error_short() -> None:
    clock = FakeClock()
    sched = make(clock)
    sched.set_numbers(NUMS[:1])
    sched.select(NUMS[0])
    drain(sched)
    for _ in range(4):  # backed off
        sched.record_failure(NUMS[0])
    state = sched.state(NUMS[0])
    assert state is not None and state.retry_at is not None
    assert state.retry_at - clock.now >= 30
    clock.advance(1)
    assert sched.request_now(NUMS[0]) == 0.0
    assert drain(sched) == [Request(NUMS[0], foreground=True)]
