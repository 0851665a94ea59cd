"""The simulator's organisation listing: cursor paging, search, counts, agreement with status."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from leadping_tui.simulator import DEMO_NUMBERS, Fault, FrozenClock, Simulator
from leadping_tui.simulator.fleet import LISTING_FAULT_KEY, LISTING_PATH, fleet_numbers

T0 = datetime.datetime(2026, 3, 10, 15, 30, tzinfo=datetime.UTC)
AUTH = {"Authorization": "Bearer sk_test"}


@pytest.fixture
def fleet() -> Iterator[tuple[Simulator, httpx.Client, FrozenClock]]:
    clock = FrozenClock(T0)
    with Simulator(clock=clock, fleet=250) as sim, httpx.Client(base_url=sim.base_url) as http:
        yield sim, http, clock


def post(http: httpx.Client, body: Any, headers: dict[str, str] = AUTH) -> httpx.Response:
    return http.post(LISTING_PATH, json=body, headers=headers)


def read_all(http: httpx.Client, **body: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    token = None
    while True:
        page = post(http, dict(body, continuationToken=token)).json()
        rows += page["items"]
        token = page.get("continuationToken")
        if not token:
            return rows


def test_fleet_numbers_are_unique_and_start_with_the_demo_numbers() -> None:
    numbers = fleet_numbers(5000)
    assert len(set(numbers)) == 5000
    assert numbers[:6] == [demo.number for demo in DEMO_NUMBERS]


def test_pages_follow_the_cursor_and_cap_the_page_size(
    fleet: tuple[Simulator, httpx.Client, FrozenClock],
) -> None:
    sim, http, _ = fleet
    first = post(http, {"pageSize": 1000, "includeCount": True}).json()
    assert first["pageSize"] == 100 and len(first["items"]) == 100
    assert first["totalCount"] == 250 and first["continuationToken"]
    assert "totalCount" not in post(http, {"pageSize": 10}).json()
    rows = read_all(http, pageSize=100)
    assert [row["number"] for row in rows] == sim.organization
    assert len(sim.organization) == 250


def test_search_filters_and_its_token_belongs_to_it(
    fleet: tuple[Simulator, httpx.Client, FrozenClock],
) -> None:
    _, http, _ = fleet
    rows = read_all(http, search="miami", pageSize=7)
    assert rows and all(row["location"] == "Miami, FL" for row in rows)
    token = post(http, {"search": "miami", "pageSize": 7}).json()["continuationToken"]
    mixed = post(http, {"search": "boston", "continuationToken": token})
    assert mixed.status_code == 400
    assert post(http, {"continuationToken": "garbage!"}).status_code == 400
    assert post(http, {"pageSize": 0}).status_code == 400


def test_listing_needs_a_key_and_a_post(
    fleet: tuple[Simulator, httpx.Client, FrozenClock],
) -> None:
    _, http, _ = fleet
    assert post(http, {}, headers={}).status_code == 401
    refused = http.get(LISTING_PATH, headers=AUTH)
    assert refused.status_code == 405 and refused.headers["Allow"] == "POST"


def test_listing_faults_are_its_own(fleet: tuple[Simulator, httpx.Client, FrozenClock]) -> None:
    sim, http, _ = fleet
    sim.faults.set(Fault("status", status=403, times=1), LISTING_FAULT_KEY)
    assert post(http, {}).status_code == 403
    assert post(http, {}).status_code == 200
    # A fault for every number is about status requests, not the listing.
    sim.faults.set(Fault("status", status=500))
    assert post(http, {}).status_code == 200


def test_a_row_agrees_with_its_status_and_both_move_with_the_clock(
    fleet: tuple[Simulator, httpx.Client, FrozenClock],
) -> None:
    _, http, clock = fleet

    def compare() -> list[tuple[str, Any]]:
        seen = []
        for row in read_all(http, pageSize=100)[:80]:
            path = f"/phone-numbers/{quote(row['number'], safe='')}/status"
            warmup = http.get(path, headers=AUTH).json()["smsWarmup"]
            readiness = row["warmup"]
            assert readiness["state"] == warmup["status"], row["number"]
            assert readiness["healthStatus"] == warmup["healthStatus"]
            assert readiness["healthScore"] == warmup["healthScore"]
            assert readiness["progressPercent"] == warmup["progressPercent"]
            seen.append((row["number"], (readiness["state"], readiness["healthScore"])))
        return seen

    before = compare()
    states = {state for _, (state, _) in before}
    assert {"In Progress", "Ready", "Blocked", "Paused", "Not Started"} <= states
    clock.advance(datetime.timedelta(days=3))
    after = compare()
    assert sum(a != b for a, b in zip(before, after, strict=True)) > 5
