"""Two app instances on one watchlist file: neither loses the other's edits.

The repro from issue 11: B adds a number; A moves its selection (a delayed
save that merges B's add in), then removes a different number. A's sidebar
must show the merged list, so that its remove is not taken as removing B's
number too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app_harness import dashboard, make_app, settle, wait_until
from textual.pilot import Pilot

from leadping_tui.store.watchlist_file import WatchlistStore
from leadping_tui.ui.app import LeadPingApp
from leadping_tui.ui.widgets.watchlist_sidebar import WatchlistSidebar

N1, N2, N3, N4 = (f"+1202555010{i}" for i in range(1, 5))


def on_disk(app: LeadPingApp) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(app.runtime.paths.watchlist_file.read_text())
    return data


async def wait_for(pilot: Pilot[int], condition: Any, what: str) -> None:
    # A deadline (PATIENCE), not a count of pauses: the selection is saved 2 s
    # after the last move, and a loaded machine stretches that.
    await wait_until(pilot, condition, what)


async def test_a_remove_after_a_merge_keeps_the_other_instances_add(
    sim: Any, tmp_path: Path
) -> None:
    app = make_app(sim, tmp_path, watchlist=[N1, N2, N3])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        sidebar = dashboard(app).query_one(WatchlistSidebar)
        assert sidebar.shown_numbers == (N1, N2, N3)

        other = WatchlistStore(app.runtime.paths.watchlist_file)  # instance B
        other.save(other.load().watchlist.add(N4))

        sidebar.focus()
        await pilot.press("down")
        assert dashboard(app).selected == N2
        await wait_for(pilot, lambda: on_disk(app)["selected"] == N2, "the selection save")
        await wait_for(pilot, lambda: N4 in sidebar.shown_numbers, "B's number in A's sidebar")

        sidebar.action_remove()
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)

        numbers = [entry["number"] for entry in on_disk(app)["entries"]]
        assert numbers == [N1, N3, N4], "B's number was lost"
        assert sidebar.shown_numbers == (N1, N3, N4)
        assert app.watchlist.numbers() == (N1, N3, N4)
