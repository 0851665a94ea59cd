"""A sidebar key shows the new number in its first frame, highlight and panels together.

The sidebar announced a move with a message that bubbled through the pane and
the body to the screen; the screen's frame timer usually got in first, so
the new highlight was painted alone (a whole sidebar render once the list
scrolls) and the new number's panels a frame (~17 ms) later. The move is now
announced from the key's own handler, straight to the screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from app_harness import dashboard, drawn, make_app, settle, wait_until

from leadping_tui.ui.textual_compat import on_frame

FIRST = "+12025550101"
PRESSES = 6


def many_numbers() -> list[str]:
    return [FIRST] + [f"+1202555{n:04d}" for n in range(2000, 2059)]


async def test_the_new_number_is_drawn_before_the_next_frame(
    sim: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    watch = many_numbers()
    app = make_app(sim, tmp_path, watchlist=watch)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        screen = dashboard(app)
        screen.query_one("#sidebar").focus()
        await pilot.pause()
        events: list[str] = []
        on_frame(app, lambda: events.append("frame"))
        select = screen._select

        def recorded(number: str | None) -> None:
            select(number)
            events.append(f"select {number}")

        monkeypatch.setattr(screen, "_select", recorded)
        for index in range(1, PRESSES + 1):
            # Quiet first: the last number's answer and its frames are done.
            await settle(app, pilot)
            await drawn(app, pilot)
            events.clear()
            await pilot.press("down")
            number = watch[index]
            await wait_until(
                pilot,
                lambda n=number: screen.selected == n and "frame" in events,  # type: ignore[misc]
                "the move and a frame",
            )
            # The first thing after the key is the new number drawn, then a frame.
            assert events[0] == f"select {number}", events
