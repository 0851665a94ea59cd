"""PollScheduler with the organisation listing: rounds of pages instead of background polls."""

from __future__ import annotations

import math

from leadping_tui.refresh.backoff import BackoffPolicy
from leadping_tui.refresh.budget import TokenBucket
from leadping_tui.refresh.scheduler import PollScheduler, Request

NUMBERS = [f"+1202555{n:04d}" for n in range(1000)]
PAGE = 100


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make(clock: Clock, rate: float = 30) -> PollScheduler:
    sched = PollScheduler(
        budget=TokenBucket(rate, burst=5, clock=clock),
        clock=clock,
        foreground_interval=30,
        background_interval=120,
        backoff=BackoffPolicy(jitter=0.0),
    )
    sched.set_numbers(NUMBERS)
    sched.select(NUMBERS[0])
    sched.set_listing(True)
    return sched


def run(sched: PollScheduler, clock: Clock, seconds: float) -> list[Request]:
    """Serve every request at once (instant answers) for ``seconds`` of clock time."""
    issued: list[Request] = []
    pages_in_round = 0
    end = clock.now + seconds
    while clock.now <= end:
        while (request := sched.next_request()) is not None:
            issued.append(request)
            if request.listing:
                pages_in_round += 1
                more = pages_in_round < math.ceil(len(NUMBERS) / PAGE)
                sched.record_listing_page(more=more)
                if not more:
                    sched.record_listing_round(frozenset(NUMBERS))
                    pages_in_round = 0
            else:
                sched.record_success(request.number)
        wait = sched.seconds_until_next()
        clock.now += max(0.01, min(wait if wait is not None else 1.0, 1.0))
    return issued


def test_a_round_of_1000_numbers_is_10_pages_and_no_background_status_polls() -> None:
    clock = Clock()
    sched = make(clock)
    issued = run(sched, clock, 600)
    listing = [r for r in issued if r.listing]
    polled = {r.number for r in issued if not r.listing}
    assert polled == {NUMBERS[0]}  # only the selected number
    rounds = len(listing) / 10
    # Five background intervals of 120 s in 600 s: a round each (the first at once).
    assert 5 <= rounds <= 6 and len(listing) % 10 == 0
    # Every row is fresh within one background interval.
    assert not any(sched.is_stale(number) for number in NUMBERS)
    state = sched.state(NUMBERS[999])
    assert state is not None and state.last_success_at is not None
    assert clock.now - state.last_success_at <= 120 + 20


def test_numbers_the_listing_does_not_hold_are_polled_one_by_one() -> None:
    clock = Clock()
    sched = make(clock)
    assert sched.next_request() == Request(NUMBERS[0], True)
    assert sched.next_request() == Request("", False, listing=True)
    sched.record_listing_page(more=False)
    sched.record_listing_round(frozenset(NUMBERS[:-1]))
    clock.now += 121  # past its staggered first poll
    background = [r.number for r in iter(sched.next_request, None) if not r.listing]
    assert background == [NUMBERS[-1]]


def test_repeated_listing_failures_bring_back_per_number_polls() -> None:
    clock = Clock()
    sched = make(clock, rate=600)
    sched.record_success(NUMBERS[0]) if sched.next_request() else None
    for _ in range(3):
        request = sched.next_request()
        while request is not None and not request.listing:
            request = sched.next_request()
        assert request is not None and request.listing
        sched.record_listing_failure()
        clock.now = (sched.seconds_until_next() or 0) + clock.now + 0.01
    assert not sched.covered_by_listing(NUMBERS[5])
    clock.now += 2
    polled = [r for r in iter(sched.next_request, None) if not r.listing]
    assert polled


def test_a_429_on_the_listing_holds_every_request() -> None:
    clock = Clock()
    sched = make(clock)
    sched.next_request()  # the selected number
    sched.record_success(NUMBERS[0])
    listing = sched.next_request()
    assert listing is not None and listing.listing
    sched.record_listing_failure(retry_after=30, rate_limited=True)
    assert sched.rate_limited_until is not None
    assert sched.request_now(NUMBERS[0]) >= 29
    assert sched.next_request() is None


def test_turning_the_listing_off_polls_every_number_again() -> None:
    clock = Clock()
    sched = make(clock)
    sched.set_listing(False)
    clock.now += 200
    requests = [r for r in iter(sched.next_request, None)]
    assert requests and not any(r.listing for r in requests)


def test_an_import_round_goes_even_with_the_listing_off() -> None:
    clock = Clock()
    sched = make(clock)
    sched.set_listing(False)
    sched.request_listing_round()
    requests = list(iter(sched.next_request, None))
    assert any(r.listing for r in requests)
    sched.record_listing_page(more=False)
    clock.now += 500
    assert not any(r.listing for r in iter(sched.next_request, None))
