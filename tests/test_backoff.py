"""BackoffPolicy and RateLimitHold."""

from __future__ import annotations

import math
import random

import pytest

from leadping_tui.refresh.backoff import (
    MAX_RETRY_AFTER,
    MIN_RETRY_AFTER,
    BackoffPolicy,
    RateLimitHold,
)


def test_grows_exponentially_and_caps_without_jitter() -> None:
    policy = BackoffPolicy(jitter=0)
    assert [policy.delay(n) for n in range(10)] == [0, 5, 10, 20, 40, 80, 160, 300, 300, 300]


def test_huge_failure_counts_do_not_overflow() -> None:
    policy = BackoffPolicy(jitter=0.2, rng=random.Random(1))
    assert policy.raw_delay(10_000) == 300
    assert 240 <= policy.delay(10_000) <= 300


def test_jitter_stays_in_bounds_and_varies() -> None:
    policy = BackoffPolicy(rng=random.Random(42))
    for failures in range(1, 12):
        raw = policy.raw_delay(failures)
        samples = [policy.delay(failures) for _ in range(200)]
        assert all(raw * 0.8 <= s <= min(300, raw * 1.2) for s in samples)
        assert len(set(samples)) > 50  # genuinely spread, not a constant


def test_seeded_rng_is_reproducible() -> None:
    a = BackoffPolicy(rng=random.Random(5))
    b = BackoffPolicy(rng=random.Random(5))
    assert [a.delay(3) for _ in range(5)] == [b.delay(3) for _ in range(5)]


@pytest.mark.parametrize(
    "retry_after,expected",
    [
        (2.5, 2.5),
        (120, 120),
        (0.3, MIN_RETRY_AFTER),
        # Zero or a date in the past is no hint: exponential backoff (5 * 2**5),
        # never a retry every second for ever.
        (0, 160.0),
        (-30, 160.0),
        (86_400 * 7, MAX_RETRY_AFTER),
        (math.inf, MAX_RETRY_AFTER),
    ],
)
def test_retry_after_wins_and_is_clamped(retry_after: float, expected: float) -> None:
    policy = BackoffPolicy(jitter=0)
    assert policy.retry_delay(6, retry_after) == expected


def test_missing_or_nan_retry_after_falls_back_to_backoff() -> None:
    policy = BackoffPolicy(jitter=0)
    assert policy.retry_delay(3, None) == 20
    assert policy.retry_delay(3, math.nan) == 20


@pytest.mark.parametrize(
    "kwargs",
    [{"base": 0}, {"factor": 0.5}, {"cap": 1}, {"jitter": 1.0}, {"jitter": -0.1}],
)
def test_rejects_nonsense(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        BackoffPolicy(**kwargs)  # type: ignore[arg-type]


def test_hold_counts_one_strike_per_episode() -> None:
    hold = RateLimitHold(BackoffPolicy(jitter=0))
    assert hold.until == -math.inf
    assert hold.record_429(100.0, sent_at=99.0, retry_after=None) == 105.0
    # Sent before the first 429 arrived: same episode, still 5 s.
    assert hold.record_429(100.5, sent_at=99.5, retry_after=None) == 105.5
    # Sent after it: a new strike, 10 s.
    assert hold.record_429(106.0, sent_at=105.5, retry_after=None) == 116.0
    # Retry-After wins, but never shortens a hold already in force.
    assert hold.record_429(107.0, sent_at=106.5, retry_after=2) == 116.0
    assert hold.record_429(108.0, sent_at=107.5, retry_after=60) == 168.0


def test_hold_success_after_the_last_429_resets_the_backoff() -> None:
    hold = RateLimitHold(BackoffPolicy(jitter=0))
    hold.record_429(100.0, sent_at=99.0, retry_after=None)
    hold.record_success(sent_at=99.9)  # in flight before the 429: no reset
    assert hold.record_429(106.0, sent_at=105.0, retry_after=None) == 116.0
    hold.record_success(sent_at=117.0)
    assert hold.record_429(120.0, sent_at=119.0, retry_after=None) == 125.0
