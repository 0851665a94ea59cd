"""Moving to a number whose status has not come yet keeps the top panels' heights.

Each height change lays out and repaints the whole right side (panels, tabs,
event table): with 1,000 numbers that was most of a slow key. The panels keep
the heights of the last status shown while the next one loads, so neither the
move nor the status landing changes a height; with no status shown yet, they
fit their empty content as before.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app_harness import dashboard, make_app, settle, wait_until

from leadping_tui.ui.screens.dashboard_drawing import MIN_TOP_ROWS
from leadping_tui.ui.widgets.capacity_panel import CapacityPanel
from leadping_tui.ui.widgets.health_panel import HealthPanel
from leadping_tui.ui.widgets.metrics_panel import MetricsPanel

HEALTHY, ATTENTION = "+12025550101", "+12025550102"
SIZE = (120, 40)


def heights(app: Any) -> tuple[int, int]:
    screen = dashboard(app)
    return (
        screen.query_one("#top-panels").size.height,
        screen.query_one(CapacityPanel).size.height,
    )


async def test_panels_keep_their_heights_while_the_next_status_loads(
    sim: Any, tmp_path: Path
) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY, ATTENTION])
    # Held from the start: its background poll would otherwise answer first.
    with sim.hold(ATTENTION) as held:
        async with app.run_test(size=SIZE) as pilot:
            screen = dashboard(app)
            health = screen.query_one(HealthPanel)
            top = screen.query_one("#top-panels")
            await wait_until(
                pilot,
                lambda: (
                    HEALTHY in screen.results
                    and screen.deferred_ready
                    and not health.has_class("-empty")
                    and top.size.height == top_rows_needed(app)
                ),
                "the first status, fitted",
            )
            full = heights(app)
            screen.query_one("#sidebar").focus()
            await pilot.press("down")
            await wait_until(
                pilot,
                lambda: screen.selected == ATTENTION and health.has_class("-empty"),
                "the panels' empty state",
            )
            # Each panel's content now needs fewer rows than it has...
            assert health.rows_needed() < full[0]
            assert screen.query_one(CapacityPanel).rows_needed() < full[1]
            # ...and after the fit that follows the next frames they keep them.
            for _ in range(3):
                await pilot.pause()
            assert ATTENTION not in screen.results
            assert heights(app) == full
            held.release()
            await wait_until(pilot, lambda: ATTENTION in screen.results, "the held status")
            await settle(app, pilot)
            assert not health.has_class("-empty")
            # The new status is fitted as any other (this one needs a row more).
            await wait_until(
                pilot,
                lambda: heights(app)[0] == top_rows_needed(app),
                "the panels to fit the new status",
            )


def top_rows_needed(app: Any) -> int:
    """The rows the top panels' content needs now (the fit's rule, nothing held)."""
    screen = dashboard(app)
    side = (
        screen.query_one(CapacityPanel).rows_needed() + screen.query_one(MetricsPanel).rows_needed()
    )
    return max(screen.query_one(HealthPanel).rows_needed(), side, MIN_TOP_ROWS)


async def test_panels_fit_their_empty_content_before_any_status(sim: Any, tmp_path: Path) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    with sim.hold(HEALTHY) as held:
        async with app.run_test(size=SIZE) as pilot:
            screen = dashboard(app)
            top = screen.query_one("#top-panels")
            await wait_until(pilot, lambda: screen.deferred_ready, "the tabs to mount")
            await wait_until(
                pilot,
                lambda: top.size.height == top_rows_needed(app),
                "the top panels to fit their empty content",
            )
            empty = top.size.height
            held.release()
            await settle(app, pilot)
            await wait_until(pilot, lambda: HEALTHY in screen.results, "the status")
            assert top.size.height == top_rows_needed(app) > empty
