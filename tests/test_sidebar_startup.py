"""Start-up with many numbers repaints only the sidebar rows that have something to show.

Every row is built blank ("not read yet"); the start-up sweep of stale marks
used to work out every row's state again and repaint it (1,000 of each before
the first status with 1,000 numbers). Now only a row whose stale mark differs
from the blank row's is worked out, and only a changed row is repainted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from app_harness import dashboard, make_app, wait_until

from leadping_tui.ui.screens.dashboard import DashboardScreen
from leadping_tui.ui.watchlist_view import NOT_READ_YET
from leadping_tui.ui.widgets.watchlist_sidebar import WatchlistSidebar

COUNT = 200
FIRST = "+12025550101"


def many_numbers() -> list[str]:
    return [FIRST] + [f"+1202555{n:04d}" for n in range(2000, 2000 + COUNT - 1)]


async def test_start_up_repaints_only_rows_with_news(
    sim: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repainted: list[int] = []
    drawn: list[str] = []
    repaint_row = WatchlistSidebar._repaint_row
    update_row = DashboardScreen._update_row

    def counted_repaint(self: WatchlistSidebar, index: int, prompt: Any) -> None:
        repainted.append(index)
        repaint_row(self, index, prompt)

    def counted_update(self: DashboardScreen, number: str) -> None:
        drawn.append(number)
        update_row(self, number)

    monkeypatch.setattr(WatchlistSidebar, "_repaint_row", counted_repaint)
    monkeypatch.setattr(DashboardScreen, "_update_row", counted_update)
    watch = many_numbers()
    app = make_app(sim, tmp_path, watchlist=watch)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = dashboard(app)
        await wait_until(pilot, lambda: FIRST in screen.results, "the first status")
        sidebar = screen.query_one(WatchlistSidebar)
        # The first status and the few background answers of the first burst, not every row.
        # Neither worked out (the stale sweep) nor repainted (a blank row drawn blank).
        assert len(drawn) < COUNT // 4, len(drawn)
        assert len(repainted) < COUNT // 4, len(repainted)
        unread = [n for n in watch if n not in screen.results and n not in screen.errors]
        assert unread, "every number was answered already"
        assert NOT_READ_YET in sidebar.row_text(unread[-1])
