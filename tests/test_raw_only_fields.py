"""Fields that used to be visible only in the raw JSON, shown in the running dashboard.

Trend buckets' ``endAt`` and MMS/call counts (the "Trend" tab), a
warmup action's ``id`` and ``conversationId`` (Enter on an action), and the
location's ``coordinate``, ``coordinateSource`` and ``timeZoneSource``.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from app_harness import dashboard, make_app, settle, wait_until
from textual.widgets import Static, TabbedContent

from leadping_tui.times.timefmt import absolute, resolve_timezone
from leadping_tui.ui.dialogs.action_detail import ActionDetailScreen
from leadping_tui.ui.widgets.actions_table import ActionsTable
from leadping_tui.ui.widgets.health_panel import HealthPanel
from leadping_tui.ui.widgets.trend_table import TrendTable

HEALTHY = "+12025550101"
SIZE = (140, 45)


async def test_trend_tab_and_location_show_what_only_raw_json_held(
    sim: Any, tmp_path: Path
) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = dashboard(app)
        raw = screen.results[HEALTHY].raw
        health = screen.query_one(HealthPanel).plain
        assert "Coordinates 38.9072, -77.0369" in health
        assert "Coordinates from area code (202)" in health
        assert "Zone from area code (202)" in health
        # Shown as a click on its tab does: the table is made when first shown.
        screen.query_one(TabbedContent).active = "tab-trend"
        await wait_until(pilot, lambda: bool(screen.query(TrendTable)), "the table")
        table = screen.query_one(TrendTable)
        buckets = raw["trafficMetrics"]["trend"]
        await wait_until(pilot, lambda: table.row_count == len(buckets), "the trend rows")
        last = buckets[-1]
        cells = [cell.plain for cell in table.get_row_at(table.row_count - 1)]
        assert cells[0] == last["label"]
        end = datetime.fromisoformat(last["endAt"].replace("Z", "+00:00"))
        zone = resolve_timezone(app.settings.timezone)
        assert cells[2] == absolute(end, zone)[:16]
        counts = ("smsSentCount", "smsFailedCount", "mmsSentCount", "mmsFailedCount")
        counts += ("callPlacedCount", "callFailedCount")
        assert cells[3:] == [f"{last[key]:,}" for key in counts]


async def test_enter_on_a_warmup_action_shows_its_ids(sim: Any, tmp_path: Path) -> None:
    sim.shape = "seed"  # the seed shape carries recentActions
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = dashboard(app)
        actions_sent = screen.results[HEALTHY].raw["smsWarmup"]["recentActions"]
        assert actions_sent
        # Shown as a click on its tab does: the table is made when first shown.
        screen.query_one(TabbedContent).active = "tab-actions"
        await wait_until(pilot, lambda: bool(screen.query(ActionsTable)), "the table")
        table = screen.query_one(ActionsTable)
        await wait_until(pilot, lambda: table.row_count > 0, "the action rows")
        table.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ActionDetailScreen), "the detail")
        detail = app.screen
        assert isinstance(detail, ActionDetailScreen)
        sent = next(a for a in actions_sent if a["id"] == table.selected_key)
        fields = str(detail.query_one("#detail-fields", Static).content)
        assert f"ID               {sent['id']}" in fields
        assert f"Conversation     {sent['conversationId']}" in fields
