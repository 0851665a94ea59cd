"""A layout that fits (issue 9, section 3).

The real app against a frozen simulator (the snapshot tests' data), in both
response shapes:

* at 120x40 every top panel shows its whole content, no scrollbar, for every
  demo number; at 200x60 too, and the extra rows go to the tabs only after
  the panels have what they need;
* a value is never split from its unit or relative time, and a sparkline's
  value stays on its line, at any width;
* tables cut by the width say which columns are out of view;
* the Timeline and Alerts tabs say "no ... yet" when empty, and alert titles
  are not cut.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual.widgets import TabbedContent

from leadping_tui.api.models import PhoneNumberStatus
from leadping_tui.demo.screenshots import build_app, frozen_simulator, frozen_time, settle
from leadping_tui.demo.session import DEMO_NUMBERS
from leadping_tui.simulator import Simulator
from leadping_tui.ui.app import LeadPingApp
from leadping_tui.ui.screens.dashboard import DashboardScreen
from leadping_tui.ui.screens.dashboard_drawing import MIN_TABS_ROWS
from leadping_tui.ui.widgets.actions_table import ActionsTable
from leadping_tui.ui.widgets.capacity_panel import CapacityPanel
from leadping_tui.ui.widgets.event_log import EventLog
from leadping_tui.ui.widgets.gauges import PartsPanel
from leadping_tui.ui.widgets.health_panel import HealthPanel, times_content
from leadping_tui.ui.widgets.history_tables import AlertsTable, TimelineTable
from leadping_tui.ui.widgets.metrics_panel import MetricsPanel
from leadping_tui.ui.widgets.metrics_panel import trend_content as traffic_trend

PANELS = (HealthPanel, CapacityPanel, MetricsPanel)
# Every demo number the simulator knows (the last one answers 404).
KNOWN = [number for number, _label in DEMO_NUMBERS if not number.endswith("99")]


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    with frozen_time():
        yield


@pytest.fixture(scope="module", params=["seed", "sdk"])
def shaped_sim(request: pytest.FixtureRequest) -> Iterator[Simulator]:
    with frozen_simulator(shape=request.param) as sim:
        yield sim


def screen_of(app: LeadPingApp) -> DashboardScreen:
    screen = app.screen
    assert isinstance(screen, DashboardScreen)
    return screen


def assert_whole(panel: PartsPanel) -> None:
    """The panel shows all its content: no scrollbar, nothing below the fold."""
    name = type(panel).__name__
    assert panel.display
    assert not panel.show_vertical_scrollbar, f"{name} has a scrollbar"
    assert panel.max_scroll_y == 0, f"{name} hides {panel.max_scroll_y} rows"
    for child in panel.children:
        if child.display:
            assert panel.region.contains_region(child.region), f"{name}: {child.id} cut"


def layout(app: LeadPingApp) -> object:
    """Where every widget is and how much it holds: what these size checks read.

    ``settle`` waits for this to stop changing (instead of for the exported
    screen, which costs far more to make at 200x60).
    """
    return [
        (widget, widget.region, widget.virtual_size, widget.display)
        for widget in app.screen.walk_children()
    ]


@pytest.mark.parametrize("size", [(120, 40), (200, 60)], ids=["120x40", "200x60"])
async def test_every_top_panel_fits_without_a_scrollbar(
    shaped_sim: Simulator, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = build_app(shaped_sim.base_url, tmp_path, selected=KNOWN[0])
    async with app.run_test(size=size) as pilot:
        await settle(pilot, layout)
        screen = screen_of(app)
        for index, number in enumerate(KNOWN):
            if index:
                screen.query_one("#sidebar").focus()
                await pilot.press("down")
                await settle(pilot, layout)
            assert screen.selected == number
            for panel_type in PANELS:
                assert_whole(screen.query_one(panel_type))
            tabs = screen.query_one("#tabs")
            assert tabs.size.height >= MIN_TABS_ROWS
            needed = max(
                screen.query_one(HealthPanel).rows_needed(),
                screen.query_one(CapacityPanel).rows_needed()
                + screen.query_one(MetricsPanel).rows_needed(),
            )
            # The panels get what they need and no more: the rest is the tabs'.
            assert screen.query_one("#top-panels").size.height == needed


async def test_extra_height_goes_to_the_tabs_once_the_panels_fit(
    shaped_sim: Simulator, tmp_path: Path
) -> None:
    heights = {}
    for size in ((120, 40), (120, 60)):
        app = build_app(shaped_sim.base_url, tmp_path / f"{size[1]}", selected=KNOWN[0])
        async with app.run_test(size=size) as pilot:
            await settle(pilot, layout)
            screen = screen_of(app)
            heights[size[1]] = (
                screen.query_one("#top-panels").size.height,
                screen.query_one("#tabs").size.height,
            )
    assert heights[60][0] == heights[40][0]
    assert heights[60][1] == heights[40][1] + 20


WARMUP = {
    "healthScore": "80",
    "nextScheduledActionAt": "2026-11-27T14:21:10Z",
    "lastSuccessfulMessageAt": "2026-11-27T14:17:00Z",
    "lastHealthSnapshotAt": "2026-11-27T14:15:00Z",
    "startedAt": "2025-11-18T09:12:00Z",
    "completedAt": "2026-11-18T09:12:00Z",
}


@pytest.mark.parametrize("width", range(16, 61))
def test_times_never_split_a_value_from_its_relative_time(width: int) -> None:
    status = PhoneNumberStatus.model_validate({"smsWarmup": WARMUP})
    now = datetime(2026, 11, 27, 14, 20, tzinfo=UTC)
    lines = times_content(status.sms_warmup, now, UTC, width).plain.splitlines()
    relatives = ("in 1 min 10 s", "3 min ago", "5 min ago", "1 y", "9 d 5 h ago")
    text = "\n".join(lines)
    for rel in ("in 1 min 10 s", "3 min ago", "5 min ago"):
        assert rel in text, (rel, lines)
    for line in lines:
        # Every line fits, so the terminal never wraps inside "3 min ago".
        assert len(line) <= max(width, 30), (width, line)
    assert relatives


@pytest.mark.parametrize("width", range(24, 61, 4))
def test_sparklines_keep_their_value_on_their_line(width: int) -> None:
    from leadping_tui.api.models import TrafficMetrics

    start = datetime(2026, 11, 20, tzinfo=UTC)
    trend = [
        {
            "startAt": (start + timedelta(hours=i)).isoformat(),
            "smsSentCount": 100 + i,
            "smsFailedCount": i % 7,
        }
        for i in range(168)
    ]
    metrics = TrafficMetrics.model_validate({"trend": trend})
    lines = traffic_trend(metrics.trend, UTC, width).plain.splitlines()
    sparks = [line for line in lines if line.startswith(("SMS sent", "failures"))]
    assert len(sparks) == 2
    for line in sparks:
        assert "max" in line
        assert len(line) <= width, (width, line)


async def test_cut_tables_say_which_columns_are_out_of_view(tmp_path: Path) -> None:
    with frozen_simulator(shape="seed") as sim:
        app = build_app(sim.base_url, tmp_path, selected=KNOWN[0])
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            screen = screen_of(app)
            log = screen.query_one(EventLog)
            for column in ("Provider", "Type", "From → To"):
                assert column in log.note, log.note
            assert "more →" in log.note
            # Scrolled to the far right, the note names what is now off to the left.
            log.table.scroll_to(x=log.table.max_scroll_x, animate=False, immediate=True)
            await pilot.pause()
            assert "← Time" in log.note, log.note
            assert "Provider" not in log.note.split("←")[1]
            screen.query_one(TabbedContent).active = "tab-actions"
            await settle(pilot)
            actions = screen.query_one(ActionsTable)
            assert "more →" in str(actions.border_title), actions.border_title
            assert "To" in str(actions.border_title)


async def test_empty_timeline_and_alerts_say_so(tmp_path: Path) -> None:
    with frozen_simulator(shape="seed") as sim:
        app = build_app(sim.base_url, tmp_path, selected=KNOWN[0])
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("T")
            await settle(pilot)
            timeline = screen_of(app).query_one(TimelineTable)
            assert timeline.row_count == 0
            assert "no changes recorded yet" in str(timeline.border_title)
            assert timeline.region.height > 0 and timeline.styles.border_top[0] != ""
            await pilot.press("A")
            await settle(pilot)
            alerts = screen_of(app).query_one(AlertsTable)
            # The blocked demo number raised one alert at start; clear the log view.
            alerts.show_alerts([], UTC)
            assert "no alerts yet" in str(alerts.border_title)


async def test_alert_titles_are_not_cut_at_120(tmp_path: Path) -> None:
    with frozen_simulator(shape="seed") as sim:
        app = build_app(sim.base_url, tmp_path, selected=KNOWN[0])
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            events = app.watch_events
            number = KNOWN[1]
            from leadping_tui.alerts import Alert
            from leadping_tui.api.condition import Condition

            alert = Alert(
                number,
                "score_drop",
                Condition.WARNING,
                f"{number} health score dropped",
                "Health score fell 25 points, from 80 to 55, within 6 h.",
                datetime(2026, 11, 27, 14, 0, tzinfo=UTC),
                f"{number}:score_drop",
            )
            await pilot.press("A")
            await settle(pilot)
            table = screen_of(app).query_one(AlertsTable)
            table.show_alerts([*events.recent_alerts(), alert], UTC)
            await pilot.pause()
            cell = table.get_row_at(0)[2].plain
            assert cell == "! health score dropped"
            column = table.ordered_columns[2]
            assert len(cell) <= column.width
