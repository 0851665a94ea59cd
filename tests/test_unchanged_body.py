"""An unchanged answer costs next to nothing (issue 12), and polls reuse one connection.

Against a simulator whose clock stands still, every answer for a number is
byte-identical: the client does not decode or validate it again, and the
dashboard neither records it in history nor redraws the panels; only the
"updated" time moves on.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from app_harness import TEST_KEY, dashboard, make_app, on_fake_clock, settle

from leadping_tui.api import json_body
from leadping_tui.api.client import StatusClient
from leadping_tui.simulator import Simulator
from leadping_tui.ui.widgets.health_panel import HealthPanel

HEALTHY = "+12025550101"
SIZE = (120, 40)


class StillClock:
    """The simulator's "now": moves only when a test says so."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def still() -> Iterator[tuple[Simulator, StillClock]]:
    clock = StillClock()
    with Simulator(shape="sdk", clock=clock) as sim:
        yield sim, clock


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """One entry per body the client decoded and validated."""
    seen: list[str] = []
    original = json_body.decode_and_parse

    def counting(*args: Any) -> Any:
        raw, status = original(*args)
        seen.append(type(status).__name__)
        return raw, status

    monkeypatch.setattr(json_body, "decode_and_parse", counting)
    return seen


async def test_an_unchanged_body_is_not_parsed_again_and_the_connection_is_reused(
    still: tuple[Simulator, StillClock], parses: list[str]
) -> None:
    sim, clock = still
    async with StatusClient(base_url=sim.base_url, api_key=TEST_KEY) as client:
        first = await client.fetch(HEALTHY)
        second = await client.fetch(HEALTHY)
        assert len(parses) == 1, "the same bytes were decoded twice"
        assert second.unchanged and not first.unchanged
        assert second.status is first.status and second.raw is first.raw
        assert second.received_at >= first.received_at

        clock.now += timedelta(hours=6)  # new events: a different body
        third = await client.fetch(HEALTHY)
        assert len(parses) == 2 and not third.unchanged
        assert third.status is not first.status

    peers = {request.peer for request in sim.requests if request.number == HEALTHY}
    assert len(sim.requests) == 3
    assert len(peers) == 1, f"each poll opened a new connection: {peers}"


async def test_a_new_window_is_parsed_even_when_the_number_is_the_same(
    still: tuple[Simulator, StillClock], parses: list[str]
) -> None:
    from leadping_tui.api.query import StatusQuery

    sim, _clock = still
    async with StatusClient(base_url=sim.base_url, api_key=TEST_KEY) as client:
        await client.fetch(HEALTHY)
        other = await client.fetch(HEALTHY, StatusQuery.window(30))
        assert not other.unchanged and len(parses) == 2


async def test_the_dashboard_skips_history_and_redraw_for_an_unchanged_answer(
    still: tuple[Simulator, StillClock], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sim, _clock = still
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    fake = on_fake_clock(app)
    recorded: list[str] = []
    original = type(app).note_status

    def note_status(self: Any, result: Any) -> None:
        recorded.append(result.number)
        original(self, result)

    monkeypatch.setattr(type(app), "note_status", note_status)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = dashboard(app)
        first = screen.results[HEALTHY]
        drawn = screen.query_one(HealthPanel).last_ctx
        assert recorded == [HEALTHY] and drawn is not None

        fake.advance(10)
        await pilot.press("r")
        await settle(app, pilot)
        latest = screen.results[HEALTHY]
        assert len([r for r in sim.requests if r.number == HEALTHY]) == 2
        assert latest.unchanged and latest is not first
        assert latest.received_at >= first.received_at, "updated moves on"
        assert recorded == [HEALTHY], "an unchanged answer was recorded in history again"
        assert screen.query_one(HealthPanel).last_ctx is drawn, "the panels were redrawn"
        assert screen.lp_app.scheduler.state(HEALTHY) is not None
