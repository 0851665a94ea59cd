"""The status panels, the event log, the actions table, the raw view and the event dialog."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import pytest
from app_harness import drawn, wait_until
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from leadping_tui.api.condition import Condition, assess
from leadping_tui.api.models import PhoneNumberStatus
from leadping_tui.ui.dialogs.action_detail import ActionDetailScreen
from leadping_tui.ui.dialogs.event_detail import EventDetailScreen
from leadping_tui.ui.stylesheet import stylesheet_path
from leadping_tui.ui.view import PanelContext
from leadping_tui.ui.widgets import gauges
from leadping_tui.ui.widgets.actions_table import ActionsTable
from leadping_tui.ui.widgets.capacity_panel import CapacityPanel
from leadping_tui.ui.widgets.event_log import EventLog
from leadping_tui.ui.widgets.health_panel import HealthPanel, countdown
from leadping_tui.ui.widgets.metrics_panel import MetricsPanel
from leadping_tui.ui.widgets.raw_view import RawView, render_json
from leadping_tui.ui.widgets.trend_table import TrendTable

NOW = datetime(2026, 11, 27, 12, 0, 0, tzinfo=UTC)
HOSTILE = [
    "[red]x[/red]",
    "[@click=app.quit]q[/]",
    "[link=http://evil]y[/link]",
    "\x1b[2J",
    "abc\u202edef",
    "界😀",
]


def iso(when: datetime) -> str:
    return when.isoformat().replace("+00:00", "Z")


def seed_payload() -> dict[str, Any]:
    """The seed page's shape: every number a string, the full smsWarmup."""
    return {
        "number": "+12025550101",
        "messagesPossible": "1200",
        "messagesWarmed": "830",
        "callsPossible": "40",
        "warmupCallsMade": "12",
        "smsWarmup": {
            "phoneNumberId": "pn_0101",
            "phoneNumber": "+12025550101",
            "healthScore": "82",
            "progressPercent": "45",
            "sentCount": "1234",
            "receivedCount": "56",
            "deliveredCount": "1200",
            "failureCount": "3",
            "carrierRejectionCount": "1",
            "optOutSignalCount": "2",
            "spamSignalCount": "0",
            "deliverySuccessRate": "97.5",
            "nextScheduledActionAt": iso(NOW + timedelta(minutes=12, seconds=30)),
            "lastSuccessfulMessageAt": iso(NOW - timedelta(minutes=25)),
            "lastHealthSnapshotAt": iso(NOW - timedelta(minutes=5)),
            "startedAt": iso(NOW - timedelta(days=10)),
            "completedAt": None,
            "pauseReason": "Opt-out rate above 2 %",
            "blockReason": "Carrier filtering detected",
            "warmupEnabled": True,
            "isInternalPool": False,
            "isApprovedTestDestination": None,
            "isMessagingProgramApproved": True,
            "globalWarmupEnabled": True,
            "canPause": False,
            "canResume": True,
            "uiState": {"tone": "warning", "description": "Sending is slowed down."},
            "recentActions": [
                {
                    "id": "act1",
                    "conversationId": "c1",
                    "fromPhoneNumber": "+12025550101",
                    "toPhoneNumber": "+12025550177",
                    "body": "Hi, checking in",
                    "scheduledAt": iso(NOW - timedelta(hours=2)),
                    "executedAt": iso(NOW - timedelta(hours=2)),
                    "failureReason": None,
                },
                {
                    "id": "act2",
                    "fromPhoneNumber": "+12025550101",
                    "toPhoneNumber": "+12025550178",
                    "body": "Future hello",
                    "scheduledAt": iso(NOW + timedelta(minutes=30)),
                },
                {
                    "id": "act3",
                    "body": "broken",
                    "scheduledAt": iso(NOW - timedelta(hours=3)),
                    "failureReason": "Carrier rejected",
                },
            ],
        },
        "optOutMetrics": {
            "windowDays": "7",
            "windowStartedAt": iso(NOW - timedelta(days=7)),
            "distinctContactedCount": "300",
            "optOutCount": "3",
            "optOutRatePercent": "1.0",
        },
        "trafficMetrics": {
            "windowDays": "7",
            "windowStartedAt": iso(NOW - timedelta(days=7)),
            "smsSentCount": "1000",
            "smsFailedCount": "3",
            "callPlacedCount": "20",
            "callFailedCount": "1",
        },
        "recentEvents": [event(i) for i in range(3)],
    }


def sdk_payload() -> dict[str, Any]:
    """The generated SDK's shape: JSON numbers, capacity, location, trend."""
    return {
        "number": "+12025550101",
        "messagesPossible": 1200,
        "callsPossible": 40,
        "smsWarmup": {
            "phoneNumberId": "pn_0101",
            "phoneNumber": "+12025550101",
            "healthScore": 35,
            "progressPercent": 60,
            "warmupEnabled": True,
            "status": "In Progress",
            "healthStatus": "Needs Attention",
            "uiState": {"tone": "fuchsia", "description": "Watch it", "label": "In Progress"},
        },
        "outboundCapacity": {
            "healthStatus": "cooling_down",
            "healthReason": "Too many failures",
            "smsApproved": True,
            "capacityAvailable": False,
            "smsUsedThisMinute": 3,
            "smsLimitThisMinute": 10,
            "smsRemainingThisMinute": 7,
            "smsUsedThisHour": 40,
            "smsLimitThisHour": 100,
            "smsRemainingThisHour": 60,
            "smsUsedToday": 300,
            "smsLimitToday": 1000,
            "smsRemainingToday": 700,
            "smsMinutelyResetsAt": iso(NOW + timedelta(seconds=42)),
            "smsHourlyResetsAt": iso(NOW + timedelta(minutes=35)),
            "smsDailyResetsAt": iso(NOW + timedelta(hours=5)),
            "smsRamping": True,
            "smsRampDirection": "up",
            "voiceUsedToday": 2,
            "voiceLimitToday": 20,
            "voiceRemainingToday": 18,
            "voiceRamping": False,
            "voiceRampDirection": "none",
        },
        "location": {
            "location": "Washington",
            "state": "DC",
            "countryCode": "US",
            "timeZoneId": "America/New_York",
            "coordinate": {"latitude": 38.9072, "longitude": -77.0369},
            "coordinateSource": {"method": "area code", "query": "202"},
            "timeZoneSource": {"method": "carrier record"},
        },
        "optOutMetrics": {"windowDays": 30, "optOutCount": 4, "optOutRatePercent": 0.35},
        "trafficMetrics": {
            "windowDays": 30,
            "windowStartedAt": iso(NOW - timedelta(days=30)),
            "smsSentCount": 5000,
            "smsFailedCount": 12,
            "mmsSentCount": 7,
            "mmsFailedCount": 1,
            "callPlacedCount": 50,
            "callFailedCount": 2,
            "callConnectedCount": 40,
            "callShortCount": 5,
            "callInvalidNumberCount": 3,
            "trend": [
                {"label": "Nov 20", "smsSentCount": 10, "smsFailedCount": 0},
                {"label": "Nov 21", "smsSentCount": 40, "smsFailedCount": 2},
                {
                    "label": "Nov 22",
                    "startAt": "2026-11-22T00:00:00Z",
                    "endAt": "2026-11-23T00:00:00Z",
                    "smsSentCount": 80,
                    "smsFailedCount": 1,
                    "mmsSentCount": 6,
                    "mmsFailedCount": 1,
                    "callPlacedCount": 13,
                    "callFailedCount": 2,
                },
            ],
        },
        "recentEvents": [],
    }


def event(index: int, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"ev{index}",
        "createdAt": iso(NOW - timedelta(minutes=index)),
        "label": f"Message {index}",
        "eventType": "sms",
        "direction": "outbound" if index % 2 else "inbound",
        "fromPhoneNumber": "+12025550101",
        "toPhoneNumber": "+12025550177",
        "textPreview": f"preview {index}",
        "providerStatus": "delivered",
        "isOptOut": index == 1,
        **extra,
    }


def ctx_for(payload: dict[str, Any] | None, **kwargs: Any) -> PanelContext:
    status = None if payload is None else PhoneNumberStatus.model_validate(payload)
    return PanelContext(status=status, now=kwargs.pop("now", NOW), tz=UTC, **kwargs)


class PanelsApp(App[None]):
    CSS_PATH = stylesheet_path()

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield HealthPanel(id="health")
            with Vertical():
                yield CapacityPanel(id="capacity")
                yield MetricsPanel(id="metrics")
        with Horizontal():
            yield EventLog(id="events")
            yield ActionsTable(id="actions")
        yield RawView(id="raw")

    def show(self, ctx: PanelContext) -> None:
        show_all(self, ctx)


class Showable(Protocol):
    def show(self, ctx: PanelContext) -> None: ...


def show_all(app: App[None], ctx: PanelContext) -> None:
    """What the dashboard does on every poll: hand the same context to every panel."""
    panels: list[Showable] = [
        *app.query(HealthPanel),
        *app.query(CapacityPanel),
        *app.query(MetricsPanel),
        *app.query(EventLog),
        *app.query(ActionsTable),
    ]
    for panel in panels:
        panel.show(ctx)


def texts(app: PanelsApp) -> dict[str, str]:
    """Plain text of every panel, keyed by kind."""
    return {
        "health": app.query_one(HealthPanel).plain,
        "capacity": app.query_one(CapacityPanel).plain,
        "metrics": app.query_one(MetricsPanel).plain,
        "events": app.query_one(EventLog).note,
    }


def table_text(table: Any) -> list[str]:
    return [" | ".join(cell.plain for cell in table.get_row_at(i)) for i in range(table.row_count)]


# -- pure helpers -------------------------------------------------------------------


def test_number_and_percent_text() -> None:
    assert gauges.count(None) == "—"
    assert gauges.count(1234567) == "1,234,567"
    assert gauges.percent(97.5) == "97.5 %"
    assert gauges.percent(100.0) == "100 %"
    assert gauges.percent(0.35) == "0.35 %"
    assert gauges.percent(None) == "—"


def test_bars_and_sparklines_carry_meaning_in_shape() -> None:
    assert gauges.bar(0.5, 10).plain == "█████░░░░░"
    assert gauges.bar(1.5, 4).plain == "████"
    assert gauges.bar(None, 4).plain == "····"
    assert gauges.gauge(82, 10).plain.endswith("82/100")
    assert gauges.gauge(10, 10).spans[0].style == "$text-error"
    assert gauges.gauge(0, 10, judged=False).spans[0].style == gauges.MUTED
    assert gauges.sparkline([0, 4, 8, None]).plain == "▁▅█ "
    assert gauges.sparkline([0, 0]).plain == "▁▁"


def test_countdown_shows_seconds_only_in_the_last_two_minutes() -> None:
    assert countdown(NOW + timedelta(minutes=12, seconds=30), NOW) == "in 12 min"
    assert countdown(NOW + timedelta(seconds=95), NOW) == "in 1 min 35 s"
    assert countdown(NOW + timedelta(seconds=9), NOW) == "in 9 s"
    assert countdown(NOW - timedelta(seconds=10), NOW) == "due now"
    assert countdown(NOW - timedelta(minutes=5), NOW) == "due 5 min ago"


def test_raw_json_is_literal_bounded_and_neutralised() -> None:
    text = render_json({"a": "[red]x[/red]\u202e\x1b[2J\u2028", "b": "😀界"})
    assert "[red]x[/red]" in text
    assert "\\u202e" in text and "\u202e" not in text
    assert "\\u001b" in text and "\x1b" not in text
    assert "\\u2028" in text
    assert "😀界" in text
    big = render_json({"items": list(range(100))}, max_lines=10)
    assert big.splitlines()[-1] == "… 94 more lines"  # 104 lines in all


# -- panels -------------------------------------------------------------------------


async def test_placeholders_before_any_data() -> None:
    app = PanelsApp()
    async with app.run_test(size=(120, 40)) as pilot:
        health = app.query_one(HealthPanel)
        # Before the first show(): only the placeholder, no empty highlighted bars.
        shown_parts = [child.id for child in health.children if child.display]
        assert shown_parts == ["health-summary"]
        app.show(ctx_for(None))
        app.query_one(RawView).show_raw(None)
        await pilot.pause()
        shown = texts(app)
        assert shown["health"] == "Waiting for the first status…"
        assert shown["capacity"] == "No data yet"
        assert shown["metrics"] == "No data yet"
        assert shown["events"] == "No data yet"
        assert app.query_one(RawView).text == "No response yet."
        assert app.query_one(ActionsTable).row_count == 0


async def test_seed_shape_shows_every_field() -> None:
    app = PanelsApp()
    async with app.run_test(size=(120, 40)) as pilot:
        app.show(ctx_for(seed_payload()))
        await pilot.pause()
        shown = texts(app)
        health = shown["health"]
        for expected in (
            "✗ CRIT",
            "82/100",
            "45 %",
            "Tone warning",
            "Sending is slowed down.",
            "✓ warmup enabled",
            "✓ global warmup",
            "✓ messaging program approved",
            "✗ internal pool",
            "? approved test destination",
            "✗ can pause",
            "✓ can resume",
            "Next action  12:12  in 12 min",
            "Last success 11:35  25 min ago",
            "Snapshot     11:55  5 min ago",
            "Started      11-17 12:00  10 d ago",
            "Completed    —",
            "Number +1 202-555-0101",
            "ID pn_0101",
        ):
            assert expected in health, expected
        panel = app.query_one(HealthPanel)
        # Reasons get their own loud lines, marked in words as well as colour.
        block = panel.query_one("#health-block")
        pause = panel.query_one("#health-pause")
        assert block.display and block.has_class("-critical")
        assert pause.display and pause.has_class("-warning")
        assert panel.part_text("health-block") == "✗ BLOCKED  Carrier filtering detected"
        assert panel.part_text("health-pause") == "❚❚ PAUSED  Opt-out rate above 2 %"
        assert panel.has_class("-critical")
        for expected in (
            "Messages possible 1,200",
            "Calls possible 40",
            "Messages warmed 830",
            "Warmup calls made 12",
        ):
            assert expected in shown["capacity"]
        metrics = shown["metrics"]
        for expected in (
            "sent 1,234",
            "received 56",
            "delivered 1,200",
            "failures 3",
            "carrier rejections 1",
            "opt-out signals 2",
            "spam signals 0",
            "delivery success 97.5 %",
            "Window · 7 d since 2026-11-20",
            "contacted 300",
            "opt-outs 3",
            "rate 1 %",
            "SMS sent 1,000",
            "SMS failed 3",
            "calls placed 20",
            "calls failed 1",
        ):
            assert expected in metrics, expected
        actions = app.query_one(ActionsTable)
        rows = table_text(actions)
        assert [row.key for row in actions.shown_rows] == ["act2", "act1", "act3"]
        assert "pending" in rows[0] and "Future hello" in rows[0]
        assert "+1 202-555-0178" in rows[0]
        assert "failed" in rows[2] and "Carrier rejected" in rows[2]
        events = app.query_one(EventLog)
        assert events.note.split(" · ")[0] == "3 events"
        event_rows = table_text(events.table)
        assert event_rows[0].startswith("just now | ↓ in | ")
        assert "| Message 0" in event_rows[0]
        assert "OPT-OUT" in event_rows[1] and "↑ out" in event_rows[1]
        assert "+1 202-555-0101 → +1 202-555-0177" in event_rows[0]
        for text in (*shown.values(), *rows, *event_rows):
            assert "None" not in text


async def test_sdk_shape_shows_new_sections() -> None:
    app = PanelsApp()
    async with app.run_test(size=(120, 40)) as pilot:
        app.show(ctx_for(sdk_payload()))
        await pilot.pause()
        shown = texts(app)
        health = shown["health"]
        for expected in (
            "health score 35",
            "35/100",
            "60 %",
            "State In Progress",
            "Health Needs Attention",
            "Label In Progress",
            "Tone fuchsia",
            "Location Washington",
            "State DC",
            "Country US",
            "Zone America/New_York",
            "Coordinates 38.9072, -77.0369",
            "Coordinates from area code (202)",
            "Zone from carrier record",
        ):
            assert expected in health, expected
        assert "Next action" not in health  # no timestamps in this shape: no empty block
        capacity = shown["capacity"]
        for expected in (
            "Messages possible 1,200",
            "! cooling_down",
            "Too many failures",
            "✓ SMS approved",
            "✗ capacity available",
            "3/10",
            "300/1,000",
            "—/—",
            "SMS ramping ↑  voice steady —",
            "SMS resets min in 42 s  hour in 35 min  day in 5 h",
        ):
            assert expected in capacity, expected
        assert "Messages warmed" not in capacity  # the SDK dropped that pair
        assert app.query_one(CapacityPanel).has_class("-warning")
        metrics = shown["metrics"]
        for expected in (
            "Opt-outs · 30 d",
            "rate 0.35 %",
            "contacted —",
            "Traffic · 30 d since 2026-10-28",
            "MMS sent 7",
            "MMS failed 1",
            "connected 40",
            "short 5",
            "invalid number 3",
            "Nov 20 → Nov 22 (to 11-23 00:00)",
            "SMS sent ▂▅█ max 80",
        ):
            assert expected in metrics, expected
        assert "SMS warmup" not in metrics  # no counters in this shape: no empty group
        for text in shown.values():
            assert "None" not in text


async def test_numbers_outside_the_pattern_show_as_unknown_and_stay_in_raw() -> None:
    payload = seed_payload()
    payload["messagesPossible"] = "1,200"
    payload["smsWarmup"]["failureCount"] = "0,27"
    payload["smsWarmup"]["deliverySuccessRate"] = "97,5"
    app = PanelsApp()
    async with app.run_test(size=(120, 40)) as pilot:
        app.show(ctx_for(payload))
        app.query_one(RawView).show_raw(payload)
        await pilot.pause()
        shown = texts(app)
        # Not 27 (100x the intent of "0,27") nor 1200: unknown, shown as —.
        assert "failures —" in shown["metrics"]
        assert "delivery success —" in shown["metrics"]
        assert "Messages possible —" in shown["capacity"]
        raw = app.query_one(RawView).text
        for sent in ('"0,27"', '"1,200"', '"97,5"'):
            assert sent in raw


@pytest.mark.parametrize(
    ("health", "expected"),
    [
        ("cooling_down", Condition.WARNING),
        ("CoolingDown", Condition.WARNING),
        ("Cooling down", Condition.WARNING),
        ("suspended", Condition.CRITICAL),
        ("warmup", Condition.OK),
        ("new", Condition.UNKNOWN),
        ("Hibernating", Condition.UNKNOWN),
    ],
)
async def test_capacity_panel_and_assess_read_one_health_table(
    health: str, expected: Condition
) -> None:
    payload = {"outboundCapacity": {"healthStatus": health, "smsLimitToday": 10}}
    assert assess(PhoneNumberStatus.model_validate(payload)).condition is expected
    app = PanelsApp()
    async with app.run_test(size=(120, 40)) as pilot:
        app.show(ctx_for(payload))
        await pilot.pause()
        panel = app.query_one(CapacityPanel)
        marked = [c for c in Condition if panel.has_class(f"-{c.value}")]
        assert marked == [expected]
        assert f"{expected.symbol} {health}" in panel.plain


async def test_empty_payload_and_stale_marking() -> None:
    app = PanelsApp()
    async with app.run_test(size=(120, 40)) as pilot:
        app.show(ctx_for({}, stale=True))
        await pilot.pause()
        shown = texts(app)
        assert "no health signals in the response" in shown["health"]
        assert "? 7 flags not reported" in shown["health"]
        assert shown["capacity"] == "No capacity figures in this response"
        assert shown["metrics"] == "No metrics in this response"
        assert shown["events"] == "No events in this response"
        for text in shown.values():
            assert "None" not in text
        trends = app.query_one("#health-trends")
        assert not trends.display
        app.query_one(HealthPanel).set_trends(gauges.sparkline([1, 2, 3]))
        assert trends.display
        for kind in (HealthPanel, CapacityPanel, MetricsPanel):
            panel = app.query_one(kind)
            assert panel.has_class("-stale")
            assert panel.border_subtitle == "stale"
        app.show(ctx_for({}))
        await pilot.pause()
        assert not app.query_one(HealthPanel).has_class("-stale")


async def test_hostile_text_is_shown_literally() -> None:
    payload = seed_payload()
    warmup = payload["smsWarmup"]
    warmup["blockReason"] = "".join(HOSTILE)
    warmup["uiState"] = {"tone": "[bold]loud[/]", "description": "[@click=app.quit]x[/]\x1b[31m"}
    warmup["recentActions"][0]["body"] = "[link=http://evil]y[/link]\u202e" + "A" * 5_000
    payload["recentEvents"] = [
        event(0, textPreview=text, label=text, providerStatus=text) for text in HOSTILE
    ]
    for index, item in enumerate(payload["recentEvents"]):
        item["id"] = f"h{index}"
    payload["recentEvents"].append(event(99, id="long", textPreview="B" * 5_000))
    app = PanelsApp()
    async with app.run_test(size=(120, 40)) as pilot:
        app.show(ctx_for(payload))
        app.query_one(RawView).show_raw(payload)
        await pilot.pause()
        health = app.query_one(HealthPanel).plain
        assert "[red]x[/red][@click=app.quit]q[/][link=http://evil]y[/link]␛[2Jabcdef界😀" in health
        assert "Tone [bold]loud[/]" in health
        assert "[@click=app.quit]x[/]␛[31m" in health
        events = app.query_one(EventLog).table
        rows = table_text(events)
        joined = "\n".join(rows)
        for text in ("[red]x[/red]", "[@click=app.quit]q[/]", "[link=http://evil]y[/link]", "界😀"):
            assert text in joined
        assert "\x1b" not in joined and "\u202e" not in joined
        assert "␛[2J" in joined
        long_row = next(r for r in events.shown_rows if r.key == "long")
        assert max(cell.cell_len for cell in long_row.cells) <= 120
        actions = table_text(app.query_one(ActionsTable))
        assert any("[link=http://evil]y[/link]" in row for row in actions)
        raw = app.query_one(RawView).text
        assert "\\u202e" in raw and "\u202e" not in raw
        # Nothing above was taken as markup: the app is still running and draws.
        assert app.is_running
        assert "PanelsApp" in app.export_screenshot()


async def test_event_log_is_bounded_and_newest_first() -> None:
    payload = seed_payload()
    events = [event(i) for i in range(20_000)]
    events.reverse()  # oldest first on the wire: the log must still show newest first
    events.insert(5_000, event(-1, id="no-time", createdAt=None))
    payload["recentEvents"] = events
    app = PanelsApp()
    async with app.run_test(size=(120, 40)) as pilot:
        log = app.query_one(EventLog)
        log.show(ctx_for(payload))
        # The first rows at once, the rest a slice per frame.
        assert 0 < log.table.row_count < 500 and log.table.filling
        await wait_until(pilot, lambda: not log.table.filling, "the rest of the rows")
        assert log.table.row_count == 500
        assert log.note.startswith("showing 500 of 20,001 events (newest)")
        keys = [row.key for row in log.table.shown_rows]
        assert keys[:3] == ["ev0", "ev1", "ev2"]
        assert "no-time" not in keys


async def test_event_log_keeps_selection_and_scroll_across_refreshes() -> None:
    payload = seed_payload()
    payload["recentEvents"] = [event(i) for i in range(200)]
    app = PanelsApp()
    async with app.run_test(size=(120, 40)) as pilot:
        log = app.query_one(EventLog)
        table = log.table
        log.show(ctx_for(payload))
        await wait_until(pilot, lambda: not table.filling, "the rows")
        table.focus()
        table.move_cursor(row=60)
        # The table scrolls to the cursor once it is laid out again.
        await wait_until(pilot, lambda: table.scroll_y > 0, "the table to scroll to row 60")
        await drawn(app, pilot)
        assert table.selected_key == "ev60"
        offset_on_screen = table.cursor_row - round(table.scroll_y)
        rebuilds = table.rebuilds

        # The same data again (a poll with nothing new) rebuilds nothing.
        log.show(ctx_for(payload))
        await pilot.pause()
        assert table.rebuilds == rebuilds
        assert table.selected_key == "ev60"

        # Five newer events arrive on top: same event selected, same place on screen.
        later = NOW + timedelta(minutes=5)
        payload["recentEvents"] = [
            event(i, id=f"new{i}", createdAt=iso(later - timedelta(seconds=i))) for i in range(5)
        ] + payload["recentEvents"]
        log.show(ctx_for(payload, now=later))
        await wait_until(pilot, lambda: not table.filling, "the rows")
        await drawn(app, pilot)
        assert table.rebuilds == rebuilds + 1
        assert table.row_count == 205
        assert table.selected_key == "ev60"
        assert table.cursor_row == 65
        assert table.cursor_row - round(table.scroll_y) == offset_on_screen


async def test_event_log_filter_narrows_and_escape_restores() -> None:
    payload = seed_payload()
    payload["recentEvents"] = [event(i) for i in range(30)]
    app = PanelsApp()
    async with app.run_test(size=(120, 40)) as pilot:
        log = app.query_one(EventLog)
        log.show(ctx_for(payload))
        log.table.focus()
        await pilot.pause()
        box = log.query_one("#events-filter")
        assert not box.display
        # The dashboard binds / on its screen; here the widget's action stands in.
        log.action_open_filter()
        await pilot.pause()
        assert box.display and box.has_focus
        await pilot.press(*"e 2")
        await pilot.pause()
        keys = [row.key for row in log.table.shown_rows]
        assert keys == ["ev2", *(f"ev{i}" for i in range(20, 30))]
        assert log.note.startswith("11 matching “e 2”")
        # Matching is across the visible columns, case-insensitively.
        box.value = "OPT-out"
        await pilot.pause()
        assert [row.key for row in log.table.shown_rows] == ["ev1"]
        await pilot.press("escape")
        await pilot.pause()
        assert not box.display
        assert log.table.row_count == 30
        assert log.table.has_focus


async def test_enter_opens_event_detail_with_every_field() -> None:
    payload = seed_payload()
    payload["recentEvents"] = [
        event(
            0,
            isDemo=True,
            customField={"nested": "[red]v[/red]"},
            textPreview="line one\nline two\u202e",
        )
    ]
    app = PanelsApp()
    async with app.run_test(size=(120, 40)) as pilot:
        log = app.query_one(EventLog)
        log.show(ctx_for(payload))
        log.table.focus()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EventDetailScreen)
        fields = str(screen.query_one("#detail-fields", Static).content)
        for expected in (
            "ev0",
            "2026-11-27 12:00:00 (just now)",
            "Message 0",
            "sms",
            "↓ in  (inbound)",
            "+1 202-555-0101  (+12025550101)",
            "+1 202-555-0177",
            "delivered",
            "Demo",
            "Other fields",
            "customField",
            '{"nested": "[red]v[/red]"}',
        ):
            assert expected in fields, expected
        preview = str(screen.query_one("#detail-text", Static).content)
        assert preview == "line one\nline two"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, EventDetailScreen)
        for key in ("q", "enter"):
            log.table.focus()
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, EventDetailScreen)
            await pilot.press(key)
            await pilot.pause()
            assert not isinstance(app.screen, EventDetailScreen)


async def test_enter_on_a_warmup_action_shows_its_ids_and_whole_body() -> None:
    payload = seed_payload()
    first = payload["smsWarmup"]["recentActions"][0]
    first["body"] = "Hi, checking in\nsecond line"
    first["campaignRef"] = "[b]cmp-9[/b]"
    app = PanelsApp()
    async with app.run_test(size=(120, 40)) as pilot:
        actions = app.query_one(ActionsTable)
        actions.show(ctx_for(payload))
        actions.focus()
        await pilot.pause()
        assert [row.key for row in actions.shown_rows] == ["act2", "act1", "act3"]
        await pilot.press("down", "enter")
        await wait_for_screen(pilot, app, ActionDetailScreen)
        screen = app.screen
        assert isinstance(screen, ActionDetailScreen)
        fields = str(screen.query_one("#detail-fields", Static).content)
        for expected in (
            "ID               act1",
            "Conversation     c1",
            "Scheduled        2026-11-27 10:00:00 (2 h ago)",
            "+1 202-555-0177",
            "Other fields",
            "campaignRef",
            "[b]cmp-9[/b]",
        ):
            assert expected in fields, expected
        body = str(screen.query_one("#detail-text", Static).content)
        assert body == "Hi, checking in\nsecond line"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ActionDetailScreen)
        # An action the API sent without ids still opens, with — for each.
        await pilot.press("down", "enter")
        await wait_for_screen(pilot, app, ActionDetailScreen)
        fields = str(app.screen.query_one("#detail-fields", Static).content)
        assert "ID               act3" in fields and "Conversation     —" in fields


async def wait_for_screen(pilot: Any, app: App[None], kind: type) -> None:
    await wait_until(pilot, lambda: isinstance(app.screen, kind), f"{kind.__name__} to open")


async def test_tick_moves_countdown_and_repaints_only_on_change() -> None:
    app = PanelsApp()
    async with app.run_test(size=(120, 40)) as pilot:
        panel = app.query_one(HealthPanel)
        panel.show(ctx_for(seed_payload()))
        await pilot.pause()
        times = panel.query_one("#health-times", Static)
        refreshes: list[int] = []
        original = times.refresh

        def counting_refresh(*args: Any, **kwargs: Any) -> Any:
            refreshes.append(1)
            return original(*args, **kwargs)

        times.refresh = counting_refresh  # type: ignore[method-assign]
        other_parts = [child for child in panel.children if child is not times]
        other_refreshes: list[int] = []
        for child in other_parts:
            child_original = child.refresh

            def other_refresh(*args: Any, _orig: Any = child_original, **kwargs: Any) -> Any:
                other_refreshes.append(1)
                return _orig(*args, **kwargs)

            child.refresh = other_refresh  # type: ignore[method-assign]

        for seconds in range(1, 20):
            panel.tick(NOW + timedelta(seconds=seconds))
        assert refreshes == []
        assert "in 12 min" in panel.part_text("health-times")

        panel.tick(NOW + timedelta(minutes=11))
        assert "in 1 min 30 s" in panel.part_text("health-times")
        assert len(refreshes) == 1
        panel.tick(NOW + timedelta(minutes=11, seconds=1))
        assert "in 1 min 29 s" in panel.part_text("health-times")
        assert len(refreshes) == 2
        panel.tick(NOW + timedelta(minutes=13))
        assert "due now" in panel.part_text("health-times")
        assert other_refreshes == []


async def test_actions_table_is_bounded() -> None:
    payload = seed_payload()
    payload["smsWarmup"]["recentActions"] = [
        {"id": f"a{i}", "body": f"b{i}", "scheduledAt": iso(NOW - timedelta(minutes=i))}
        for i in range(1_200)
    ]
    app = PanelsApp()
    async with app.run_test(size=(120, 40)) as pilot:
        actions = app.query_one(ActionsTable)
        actions.show(ctx_for(payload))
        await wait_until(pilot, lambda: not actions.filling, "the rest of the rows")
        assert actions.row_count == 500
        assert str(actions.border_title).startswith("Warmup actions · showing 500 of 1,200")
        assert actions.shown_rows[0].key == "a0"


async def test_raw_view_caps_lines_and_skips_identical_payloads() -> None:
    payload = seed_payload()
    payload["recentEvents"] = [event(i) for i in range(20_000)]
    app = PanelsApp()
    async with app.run_test(size=(120, 40)) as pilot:
        raw = app.query_one(RawView)
        loads: list[int] = []
        original = raw.load_text

        def counting_load(text: str) -> None:
            loads.append(1)
            original(text)

        raw.load_text = counting_load  # type: ignore[method-assign]
        raw.show_raw(payload)
        await pilot.pause()
        assert raw.document.line_count == 5_001
        assert raw.document.get_line(5_000).startswith("… ")
        assert raw.document.get_line(5_000).endswith(" more lines")
        assert raw.read_only
        raw.show_raw(payload)
        assert loads == [1]
        raw.show_raw(None)
        assert raw.text == "No response yet."


class SmallApp(App[None]):
    CSS_PATH = stylesheet_path()
    # As narrow as the dashboard makes it at 80 columns with the sidebar shown.
    CSS = "HealthPanel { width: 28; }"

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield HealthPanel()
            with Vertical():
                yield CapacityPanel()
                yield MetricsPanel()
        yield EventLog()


async def test_small_terminal_does_not_break() -> None:
    app = SmallApp()
    async with app.run_test(size=(80, 24)) as pilot:
        payload = sdk_payload()
        payload["recentEvents"] = [event(i) for i in range(10)]
        show_all(app, ctx_for(payload))
        await pilot.pause()
        health = app.query_one(HealthPanel)
        assert health.size.height > 0
        # More than fits: the panel scrolls rather than cutting content off.
        assert health.virtual_size.height > health.size.height
        # Bars shrink to the panel, so the score and progress lines do not wrap.
        width = health.scrollable_content_region.width
        for line in health.part_text("health-summary").splitlines()[1:]:
            assert len(line) <= width, line
        assert "Warmup&#160;health" in app.export_screenshot()


class TrendApp(App[None]):
    CSS_PATH = stylesheet_path()

    def compose(self) -> ComposeResult:
        yield TrendTable(id="trend")


async def test_trend_table_shows_every_bucket_count_and_its_end() -> None:
    app = TrendApp()
    async with app.run_test(size=(140, 20)) as pilot:
        table = app.query_one(TrendTable)
        table.show(ctx_for(sdk_payload()))
        await pilot.pause()
        assert table.border_title == "Traffic trend · 3 buckets"
        rows = table_text(table)
        assert rows[2] == ("Nov 22 | 2026-11-22 00:00 | 2026-11-23 00:00 | 80 | 1 | 6 | 1 | 13 | 2")
        assert rows[0] == "Nov 20 | — | — | 10 | 0 | — | — | — | —"
        table.show(ctx_for(seed_payload()))
        await pilot.pause()
        assert table.border_title == "Traffic trend · none in this response"
        assert table.row_count == 0
