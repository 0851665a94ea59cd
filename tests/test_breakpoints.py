"""Before its widgets mount, the dashboard gets the breakpoint classes of its size."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from app_harness import dashboard, make_app, settle, wait_until

from leadping_tui.ui.breakpoints import breakpoint_classes

ALL = {"-htiny", "-tiny", "-compact", "-narrow", "-wide", "-vtiny", "-short", "-tall"}


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((120, 40), {"-wide", "-tall"}),
        ((80, 24), {"-compact", "-short"}),
        ((30, 8), {"-htiny", "-vtiny"}),
    ],
)
async def test_classes_before_mount_are_the_ones_textual_gives(
    sim: Any, tmp_path: Path, size: tuple[int, int], expected: set[str]
) -> None:
    app = make_app(sim, tmp_path, watchlist=["+12025550101"])
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        screen = dashboard(app)
        given = set(screen.classes) & ALL
        assert set(breakpoint_classes(type(screen), app).split()) == given
        assert given == expected
        await pilot.resize_terminal(size[0] + 45, size[1] + 20)
        await pilot.pause()
        assert set(breakpoint_classes(type(screen), app).split()) == set(screen.classes) & ALL


async def test_the_fleet_screen_opens_styled_once(sim: Any, tmp_path: Path) -> None:
    from leadping_tui.ui.screens.fleet import FleetScreen

    app = make_app(sim, tmp_path, watchlist=["+12025550101", "+12025550102"])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        applied: list[object] = []
        original = app.stylesheet.apply

        def apply(node: Any, *args: Any, **kwargs: Any) -> None:
            applied.append(node)
            original(node, *args, **kwargs)

        app.stylesheet.apply = apply  # type: ignore[method-assign]
        await pilot.press("F")
        await wait_until(pilot, lambda: isinstance(app.screen, FleetScreen), "the fleet view")
        await pilot.pause()
        assert set(app.screen.classes) & ALL == {"-wide", "-tall"}
        # 54 with its footer's keys; 78 when its first Resize and its first
        # resume each restyled it all again.
        assert len(applied) <= 60, " ".join(type(n).__name__ for n in applied)
