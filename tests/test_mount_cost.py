"""A dashboard start does not redo its CSS work (issues 12 and 14).

Textual computes a widget's styles (``Stylesheet.apply``) when it mounts,
for each of its component classes, and again for a widget and everything in
it whenever a class changes.  A settled one-number dashboard needs about 250
of those today (``python -m benchmarks --only mount_cost``); it needed 655
before the breakpoint classes (before the widgets mount), the footer's keys
and the panels' ``-empty`` were set up front and the first resume stopped restyling the screen.
The bound leaves room for new widgets, not for a whole-screen restyle (~65)
or a footer rebuild (~30 a time) coming back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app_harness import dashboard, make_app, settle

from leadping_tui.ui.widgets.gauges import PartsPanel

BOUND = 290


async def test_a_settled_start_applies_styles_a_bounded_number_of_times(
    sim: Any, tmp_path: Path
) -> None:
    app = make_app(sim, tmp_path, watchlist=["+12025550101"])
    applied: list[str] = []
    original = app.stylesheet.apply

    def apply(node: Any, *args: Any, **kwargs: Any) -> None:
        applied.append(type(node).__name__)
        original(node, *args, **kwargs)

    app.stylesheet.apply = apply  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        screen = dashboard(app)
        assert screen.results, "no status arrived"
        assert screen.deferred_ready
        panels = list(screen.query(PartsPanel))
        assert len(panels) == 3
        assert not any(panel.has_class("-empty") for panel in panels)
        assert 0 < len(applied) <= BOUND, f"{len(applied)} style applications"
