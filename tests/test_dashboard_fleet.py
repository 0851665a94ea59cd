"""The dashboard and the organisation listing: sidebar rounds, fallback, import, follow.

Real app, real simulator over loopback HTTP, the scheduler on a fake clock.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from app_harness import FakeClock, dashboard, make_app, on_fake_clock, settle
from textual.pilot import Pilot

from leadping_tui.api.condition import Condition
from leadping_tui.simulator import Fault, Simulator
from leadping_tui.simulator.fleet import LISTING_FAULT_KEY, fleet_numbers
from leadping_tui.ui.app import LeadPingApp
from leadping_tui.ui.dialogs.confirm import ConfirmDialog
from leadping_tui.ui.widgets.status_bar import StatusBar
from leadping_tui.ui.widgets.watchlist_sidebar import WatchlistSidebar

HEALTHY, ATTENTION, PAUSED, BLOCKED, READY, NOT_STARTED = (f"+1202555010{i}" for i in range(1, 7))
OUTSIDER = "+19175550000"
SIZE = (120, 40)
BACKGROUND = 120.0  # the default background interval


@pytest.fixture
def fleet250() -> Iterator[Simulator]:
    with Simulator(fleet=250) as sim:
        yield sim


async def advance(app: LeadPingApp, pilot: Pilot[int], clock: FakeClock, seconds: float) -> None:
    clock.advance(seconds)
    poller = dashboard(app)._poller
    assert poller is not None
    poller.wake()
    await settle(app, pilot)


def status_polls(sim: Any) -> list[str]:
    return [r.number for r in sim.requests if r.endpoint == "status"]


def listing_requests(sim: Any) -> list[Any]:
    return [r for r in sim.requests if r.endpoint == "organization"]


def bar_message(app: LeadPingApp) -> str:
    state = dashboard(app).query_one(StatusBar).state
    assert state is not None
    return state.message


async def test_sidebar_states_come_from_the_listing_without_per_number_polls(
    sim: Any, tmp_path: Path
) -> None:
    watched = [HEALTHY, ATTENTION, PAUSED, BLOCKED, READY]
    app = make_app(sim, tmp_path, watchlist=watched, listing=True)
    clock = on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        sidebar = dashboard(app).query_one(WatchlistSidebar)
        assert status_polls(sim) == [HEALTHY]  # only the selected number
        assert len(listing_requests(sim)) == 1
        assert sidebar.row_state(BLOCKED).condition is Condition.CRITICAL
        assert sidebar.row_state(ATTENTION).condition is Condition.WARNING
        assert sidebar.row_state(READY).condition is Condition.OK
        score = sidebar.row_state(BLOCKED).score
        assert score is not None and 12 <= score <= 24
        listed = app.fleet.get(READY)
        assert listed is not None and listed.row.sms_ready is True
        assert listed.row.ten_dlc_campaign_status == "Approved"

        for _ in range(3):  # three background rounds: one listing page each
            await advance(app, pilot, clock, BACKGROUND)
        assert set(status_polls(sim)) == {HEALTHY}
        assert len(listing_requests(sim)) == 4
        assert not dashboard(app).lp_app.scheduler.is_stale(BLOCKED)
        assert app.fleet.rounds == 4


async def test_a_key_that_cannot_list_falls_back_to_polling_and_says_so_once(
    sim: Any, tmp_path: Path
) -> None:
    sim.faults.set(Fault("status", status=403), LISTING_FAULT_KEY)
    app = make_app(sim, tmp_path, watchlist=[HEALTHY, BLOCKED, READY], listing=True)
    clock = on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "Cannot list the organisation's numbers (403)" in bar_message(app)
        assert "read one by one" in bar_message(app)
        await advance(app, pilot, clock, 5)
        assert set(status_polls(sim)) == {HEALTHY, BLOCKED, READY}
        sidebar = dashboard(app).query_one(WatchlistSidebar)
        assert sidebar.row_state(BLOCKED).condition is Condition.CRITICAL
        await advance(app, pilot, clock, BACKGROUND * 3)
        assert len(listing_requests(sim)) == 1  # never asked again
        assert not app.scheduler.listing_active


async def test_i_imports_a_250_number_fleet_in_3_requests_and_saves_once(
    fleet250: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(fleet250, tmp_path, watchlist=[READY])
    on_fake_clock(app)
    saves: list[int] = []
    real_save = app.store.save
    monkeypatch.setattr(app.store, "save", lambda w: (saves.append(len(w)), real_save(w))[1])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await settle(app, pilot)
        assert len(listing_requests(fleet250)) == 3
        assert saves == [250]
        assert "Added 249, already there 1, skipped 0." in bar_message(app)
        document = json.loads(app.runtime.paths.watchlist_file.read_text("utf-8"))
        entries = document["entries"]
        assert len(entries) == 250 and entries[0] == dict(entries[0], number=READY)
        assert entries[0]["label"] == "Line 1"  # the user's label is kept
        assert entries[1]["label"] == "Main line"  # the listing's name for a new number
        sidebar = dashboard(app).query_one(WatchlistSidebar)
        assert sidebar.row_state(BLOCKED).condition is Condition.CRITICAL
        assert set(status_polls(fleet250)) == {READY}


async def test_the_import_runs_from_the_command_palette(sim: Any, tmp_path: Path) -> None:
    from leadping_tui.ui.commands import DashboardCommands

    app = make_app(sim, tmp_path, watchlist=[READY])
    on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        provider = DashboardCommands(app.screen)
        found = [spec for spec, _run in provider._actions() if spec.id == "fleet.import"]
        assert found and found[0].description == "Import org"
        run = next(run for spec, run in provider._actions() if spec.id == "fleet.import")
        started = run()
        if inspect.isawaitable(started):
            await started
        await settle(app, pilot)
        assert app.watchlist.numbers()[0] == READY
        assert set(app.watchlist.numbers()) == set(sim.organization)


async def test_following_the_organisation_marks_new_and_gone_and_removes_on_confirm(
    fleet250: Simulator, tmp_path: Path
) -> None:
    fleet250.organization = fleet_numbers(6)
    app = make_app(
        fleet250,
        tmp_path,
        watchlist=[HEALTHY, OUTSIDER],
        listing=True,
        settings_toml="follow_organisation = true\n",
    )
    clock = on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        sidebar = dashboard(app).query_one(WatchlistSidebar)
        assert sidebar.row_state(OUTSIDER).mark == "gone"
        assert app.watchlist.numbers() == (HEALTHY, OUTSIDER)  # nothing added in round one

        newcomer = fleet_numbers(8)[7]
        fleet250.organization = [*fleet_numbers(6), newcomer]
        await advance(app, pilot, clock, BACKGROUND)
        assert app.watchlist.numbers() == (HEALTHY, OUTSIDER, newcomer)
        assert sidebar.row_state(newcomer).mark == "new"
        assert OUTSIDER in app.watchlist  # gone is only a mark until confirmed

        await pilot.press("G")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(app, pilot)
        assert app.watchlist.numbers() == (HEALTHY, newcomer)
        saved = json.loads(app.runtime.paths.watchlist_file.read_text("utf-8"))
        assert [entry["number"] for entry in saved["entries"]] == [HEALTHY, newcomer]


async def test_a_big_organisation_and_a_short_watchlist_poll_one_by_one(
    fleet250: Simulator, tmp_path: Path
) -> None:
    app = make_app(fleet250, tmp_path, watchlist=[HEALTHY, BLOCKED], listing=True)
    clock = on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await advance(app, pilot, clock, 10)
        assert len(listing_requests(fleet250)) == 3  # one round, to learn the cost
        assert not app.scheduler.listing_active
        assert "one by one" in bar_message(app)
        await advance(app, pilot, clock, BACKGROUND)
        assert BLOCKED in status_polls(fleet250)
        assert len(listing_requests(fleet250)) == 3


async def test_i_fills_an_empty_watchlist(sim: Any, tmp_path: Path) -> None:
    app = make_app(sim, tmp_path, watchlist=[])
    on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await settle(app, pilot)
        assert app.watchlist.numbers() == tuple(sim.organization)
        assert "Added 6" in bar_message(app)
        assert dashboard(app).selected == HEALTHY
