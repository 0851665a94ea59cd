"""A panel whose state classes change is restyled alone, and looks as if restyled whole.

``PartsPanel.mark`` restyles only the panel when its ``-empty``, ``-stale`` or
condition class changes (Textual restyles every part below it too: ~27 style
applications per number switch). That is right only while no rule below a
panel reads those classes: this drives the real app through numbers in every
state and checks that the screen is the same after a full restyle.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app_harness import dashboard, make_app, wait_until
from textual.pilot import Pilot

from leadping_tui.ui.app import LeadPingApp
from leadping_tui.ui.textual_compat import screen_strips
from leadping_tui.ui.widgets.capacity_panel import CapacityPanel
from leadping_tui.ui.widgets.health_panel import HealthPanel
from leadping_tui.ui.widgets.metrics_panel import MetricsPanel

HEALTHY, ATTENTION, PAUSED, BLOCKED = (f"+1202555010{i}" for i in range(1, 5))
#: Answers held from the start: moving to it shows the empty panels.
WAITING = "+12025550199"
PANELS = (HealthPanel, CapacityPanel, MetricsPanel)


def picture(app: LeadPingApp) -> list[list[tuple[str, Any]]]:
    return [[(seg.text, seg.style) for seg in strip] for strip in screen_strips(app)]


async def steady_picture(app: LeadPingApp, pilot: Pilot[int]) -> list[list[tuple[str, Any]]]:
    """The screen once it stops changing (history reads, trends, refits).

    Not ``workers_done``: one number's answer is held for the whole test.
    """
    last = picture(app)
    for _ in range(100):
        await pilot.pause()
        now = picture(app)
        if now == last:
            return now
        last = now
    raise AssertionError("the screen kept changing")


async def same_after_full_restyle(app: LeadPingApp, pilot: Pilot[int]) -> None:
    # A timer (a loading mark, an age) may redraw between the two pictures
    # once; a rule that reads a panel's classes differs every time.
    for _ in range(3):
        before = await steady_picture(app, pilot)
        for panel_type in PANELS:
            app.update_styles(dashboard(app).query_one(panel_type))
        after = await steady_picture(app, pilot)
        if after == before:
            return
    assert after == before


async def test_panels_restyled_alone_look_as_restyled_whole(sim: Any, tmp_path: Path) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY, ATTENTION, BLOCKED, WAITING, PAUSED])
    seen: set[frozenset[str]] = set()
    with sim.hold(WAITING):
        async with app.run_test(size=(120, 40)) as pilot:
            screen = dashboard(app)
            health = screen.query_one(HealthPanel)
            await wait_until(pilot, lambda: HEALTHY in screen.results, "the first status")
            await wait_until(pilot, lambda: screen.deferred_ready, "the tabs")
            # The other numbers' background polls start once the first status is
            # on screen: their rows change when they land, so wait for them first.
            await wait_until(
                pilot,
                lambda: all(n in screen.results for n in (ATTENTION, BLOCKED, PAUSED)),
                "the background statuses",
            )
            screen.query_one("#sidebar").focus()
            for number in (HEALTHY, ATTENTION, BLOCKED, WAITING, PAUSED, HEALTHY):
                if screen.selected != number:
                    screen.jump_to(number)
                await wait_until(pilot, lambda n=number: screen.selected == n, number)  # type: ignore[misc]
                if number != WAITING:
                    await wait_until(pilot, lambda n=number: n in screen.results, number)  # type: ignore[misc]
                await wait_until(
                    pilot,
                    lambda n=number: health.last_ctx is not None and health.last_ctx.number == n,  # type: ignore[misc]
                    "the panels drawn",
                )
                seen.add(frozenset(c for c in health.classes if c.startswith("-")))
                await same_after_full_restyle(app, pilot)
    # The walk went through the empty state and more than one condition.
    assert any("-empty" in classes for classes in seen), seen
    assert len(seen) >= 3, seen
