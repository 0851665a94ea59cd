"""The first paint with an early answer (issue 12).

When the answer of the request sent at process start is already here as the
dashboard mounts, the panels are drawn once, with it: the waiting panels are
never drawn only to be replaced before the first frame. When it is still on
its way, the waiting panels show until it lands.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from app_harness import dashboard, make_app, on_fake_clock, settle, wait_until

from leadping_tui.api.early import EarlyStatus, EarlyTarget
from leadping_tui.ui.app import LeadPingApp
from leadping_tui.ui.view import PanelContext
from leadping_tui.ui.widgets.health_panel import WAITING, HealthPanel

HEALTHY = "+12025550101"
SIZE = (120, 40)


def early_for(app: LeadPingApp, number: str) -> EarlyStatus:
    runtime = app.runtime
    params = tuple(app.initial_query.params().items())
    return EarlyStatus(EarlyTarget(runtime.base_url, runtime.api_key or "", number, params))


def record_panels(monkeypatch: pytest.MonkeyPatch) -> list[PanelContext]:
    """Every context the health panel is drawn with, in order."""
    drawn: list[PanelContext] = []
    show = HealthPanel.show

    def recording(panel: HealthPanel, ctx: PanelContext) -> None:
        drawn.append(ctx)
        show(panel, ctx)

    monkeypatch.setattr(HealthPanel, "show", recording)
    return drawn


async def test_an_early_answer_already_here_is_the_first_thing_the_panels_draw(
    sim: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn = record_panels(monkeypatch)
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    on_fake_clock(app)
    early = early_for(app, HEALTHY)
    assert early.future.result(timeout=10) is not None  # answered while "importing"
    app.config.early_status = early
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = dashboard(app)
        assert HEALTHY in screen.results
        assert drawn, "the panels were never drawn"
        assert drawn[0].status is not None, "the waiting panels were drawn first"
        assert drawn[0].number == HEALTHY
        assert WAITING not in str(screen.query_one("#health-summary").render())


async def test_an_early_answer_still_on_its_way_shows_the_waiting_panels_until_it_lands(
    sim: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn = record_panels(monkeypatch)
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    on_fake_clock(app)
    held = sim.hold(HEALTHY)
    try:
        app.config.early_status = early_for(app, HEALTHY)
        async with app.run_test(size=SIZE) as pilot:
            screen = dashboard(app)
            await wait_until(pilot, lambda: bool(drawn), "the panels drawn")
            assert drawn[0].status is None
            assert WAITING in str(screen.query_one("#health-summary").render())
            held.release()
            await wait_until(pilot, lambda: HEALTHY in screen.results, "the early answer")
            await settle(app, pilot)
            assert drawn[-1].status is not None
    finally:
        held.release()
