"""TokenBucket: the one global request budget."""

from __future__ import annotations

import bisect
import random

import pytest

from leadping_tui.refresh.budget import ORG_LIMIT_PER_MINUTE, Priority, TokenBucket

FG = Priority.FOREGROUND
BG = Priority.BACKGROUND


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_starts_full_and_empties_after_burst() -> None:
    clock = FakeClock()
    bucket = TokenBucket(60, burst=5, clock=clock)
    assert [bucket.try_take(FG) for _ in range(6)] == [True] * 5 + [False]
    assert bucket.taken == 5
    assert bucket.taken_for(FG) == 5
    assert bucket.taken_for(BG) == 0


def test_background_leaves_a_reserve_for_foreground() -> None:
    clock = FakeClock()
    bucket = TokenBucket(60, burst=5, clock=clock)
    assert bucket.reserve == 1
    assert [bucket.try_take(BG) for _ in range(5)] == [True] * 4 + [False]
    assert bucket.seconds_until(BG) == pytest.approx(1.0, abs=1e-3)
    assert bucket.seconds_until(FG) == 0.0
    assert bucket.try_take(FG)
    assert not bucket.try_take(FG)
    assert bucket.taken_for(BG) == 4
    assert bucket.taken_for(FG) == 1


def test_large_burst_reserves_a_fifth() -> None:
    assert TokenBucket(60, burst=20, clock=FakeClock()).reserve == 4
    assert TokenBucket(60, burst=1, clock=FakeClock()).reserve == 0


def test_refills_continuously_up_to_burst() -> None:
    clock = FakeClock()
    bucket = TokenBucket(120, burst=3, clock=clock)  # 2 tokens a second
    for _ in range(3):
        assert bucket.try_take(FG)
    clock.now += 0.25
    assert bucket.available == pytest.approx(0.5)
    assert not bucket.try_take(FG)
    clock.now += 0.25
    assert bucket.try_take(FG)
    clock.now += 3600
    assert bucket.available == 3.0  # never more than the burst


def test_seconds_until_is_exact_enough_to_wake_on() -> None:
    clock = FakeClock()
    bucket = TokenBucket(7, burst=2, clock=clock)
    taken = 0
    for _ in range(500):
        wait = bucket.seconds_until(FG)
        assert wait >= 0
        clock.now += wait
        # Waking up after the advertised wait always finds a token.
        assert bucket.try_take(FG)
        taken += 1
    assert bucket.taken == taken


def test_clock_going_backwards_does_not_mint_tokens() -> None:
    clock = FakeClock()
    bucket = TokenBucket(60, burst=2, clock=clock)
    bucket.try_take(FG)
    bucket.try_take(FG)
    clock.now -= 50
    assert not bucket.try_take(FG)
    clock.now += 1
    assert bucket.try_take(FG)


@pytest.mark.parametrize("rate,burst", [(240, 5), (299, 5), (300 - 5, 5), (60, 10), (30, 5)])
def test_no_sixty_second_window_exceeds_the_rate(rate: float, burst: int) -> None:
    clock = FakeClock()
    rng = random.Random(rate)
    bucket = TokenBucket(rate, burst=burst, clock=clock)
    times = []
    end = clock.now + 900
    while clock.now < end:
        priority = FG if rng.random() < 0.2 else BG
        if bucket.try_take(priority):
            times.append(clock.now)
        else:
            clock.now += rng.choice([0.0, 0.001, 0.05, 0.3, bucket.seconds_until(priority)])
        if rng.random() < 0.01:
            clock.now += rng.uniform(0, 30)  # idle spells refill to the burst
    # Closed windows [t, t + 60]: the burst must not come on top of the rate.
    worst = max(bisect.bisect_right(times, t + 60) - i for i, t in enumerate(times))
    assert worst <= rate
    assert worst < ORG_LIMIT_PER_MINUTE
    assert worst >= 0.65 * rate  # and the budget is used (less the random idle spells)


@pytest.mark.parametrize(
    "kwargs",
    [{"rate_per_minute": 0}, {"rate_per_minute": -1}, {"burst": 0}, {"reserve": 5}],
)
def test_rejects_nonsense(kwargs: dict[str, float]) -> None:
    args: dict[str, float] = {"rate_per_minute": 60, **kwargs}
    with pytest.raises(ValueError):
        TokenBucket(args.pop("rate_per_minute"), **args)  # type: ignore[arg-type]


def test_a_full_window_says_how_long_to_wait() -> None:
    clock = FakeClock()
    bucket = TokenBucket(10, burst=10, clock=clock)
    for _ in range(10):
        assert bucket.try_take(FG)
        clock.now += 1
    # The bucket has refilled a token and more, but the last 60 s hold 10 takes.
    assert bucket.available >= 1
    assert not bucket.try_take(FG)
    assert bucket.seconds_until(FG) == pytest.approx(50, abs=1e-3)
    clock.now += bucket.seconds_until(FG)
    assert bucket.try_take(FG)


def test_the_rate_setting_is_capped_below_the_organisation_limit() -> None:
    from pydantic import ValidationError

    from leadping_tui.store.settings import Settings

    assert Settings(requests_per_minute=299).requests_per_minute == 299
    with pytest.raises(ValidationError):
        Settings(requests_per_minute=300)
