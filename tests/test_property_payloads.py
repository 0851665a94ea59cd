"""Property tests: any payload, of either shape, parses, assesses, prints and draws.

How the Textual part works with Hypothesis
------------------------------------------
Starting a Textual app per example would cost a second each, so one harness
app (the five status panels, real stylesheet) is started once per terminal
size by a module-scoped fixture and kept running across examples.  The
fixture owns a private event loop: ``app.run_test()`` is entered in a task
on that loop, and every example is then a small coroutine run to completion
on the same loop (``PanelHarness.draw``) that hands the panels a
``PanelContext``, waits for the app to go idle (``pilot.pause()``) and
renders the whole screen through the compositor, which is what makes every
visible widget render its lines.  Tasks run in the context the app was
started in, so Textual's context variables (the active app) are set.
Because the ``@given`` test is a plain synchronous test, Hypothesis
generates, runs *and shrinks* every example through the real render; a
failure is reported as the smallest payload that breaks a panel.  A meta
test checks that the harness really notices a panel that raises.
"""

from __future__ import annotations

import asyncio
import contextvars
import csv
import io
import json
import math
from collections.abc import Coroutine, Iterator
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any, TypeVar

import pytest
import strategies as S
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.pilot import Pilot

from leadping_tui.api.condition import Assessment, Condition, assess
from leadping_tui.api.models import PhoneNumberStatus
from leadping_tui.api.query import StatusQuery
from leadping_tui.reports.status_report import event_row, summary_row, text_summary, to_csv
from leadping_tui.terminal.safe_text import clean
from leadping_tui.times.timefmt import absolute
from leadping_tui.ui.stylesheet import stylesheet_path
from leadping_tui.ui.textual_compat import screen_strips
from leadping_tui.ui.view import PanelContext
from leadping_tui.ui.widgets.actions_table import ActionsTable
from leadping_tui.ui.widgets.capacity_panel import CapacityPanel
from leadping_tui.ui.widgets.event_log import EventLog
from leadping_tui.ui.widgets.health_panel import HealthPanel
from leadping_tui.ui.widgets.metrics_panel import MetricsPanel

T = TypeVar("T")

# The autouse fixture in conftest only points XDG dirs at a tmp dir; sharing
# it across the examples of one test is harmless.
COMMON = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NUMBER = "+12025550101"


def _parse(payload: dict[str, Any]) -> PhoneNumberStatus:
    return PhoneNumberStatus.model_validate(payload)


def _has_nan(value: Any) -> bool:
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, dict):
        return any(_has_nan(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_nan(item) for item in value)
    return False


# -- models -------------------------------------------------------------------------------


@settings(COMMON, max_examples=250)
@given(S.status_payloads())
def test_model_validate_never_raises_and_json_is_strict(payload: dict[str, Any]) -> None:
    status = _parse(payload)
    out = status.to_api_json()
    # Strict JSON: no NaN or Infinity tokens, which other tools reject.
    text = json.dumps(out, allow_nan=False, ensure_ascii=True)
    # And printable as UTF-8, as `leadping-tui status --json` prints it (no lone surrogates).
    json.dumps(out, allow_nan=False, ensure_ascii=False).encode("utf-8")
    again = _parse(json.loads(text))
    # The API JSON is a fixed point: reading what we wrote gives the same JSON.
    assert again.to_api_json() == out


@settings(COMMON, max_examples=250)
@given(S.status_payloads(nan=False))
def test_to_api_json_round_trips_to_an_equal_model(payload: dict[str, Any]) -> None:
    status = _parse(payload)
    again = _parse(json.loads(json.dumps(status.to_api_json(), allow_nan=False)))
    assert again == status


@settings(COMMON, max_examples=50)
@given(S.status_payloads(nan=True))
def test_unknown_nan_fields_become_null_not_invalid_json(payload: dict[str, Any]) -> None:
    status = _parse(payload)
    out = status.to_api_json()
    assert not _has_nan(out)
    if not _has_nan(payload):
        assert _parse(out) == status


def test_half_a_surrogate_pair_in_keys_or_text_is_replaced_not_fatal() -> None:
    payload = json.loads(
        '{"number": "a\\ud800", "odd\\udc00key": {"k\\ud800": ["v\\udfff"]},'
        ' "smsWarmup": {"blockReason": "\\ud83d\\ude00 ok", "x\\ud800": 1},'
        ' "recentEvents": [{"textPreview": "lone \\ud83d", "k\\udc00": "v"}]}'
    )
    status = _parse(payload)
    assert status.number == "a\ufffd"
    assert status.sms_warmup is not None and status.sms_warmup.block_reason == "😀 ok"
    assert status.recent_events[0].text_preview == "lone \ufffd"
    assert status.recent_events[0].unknown_fields == {"k\ufffd": "v"}
    assert status.unknown_fields == {"odd\ufffdkey": {"k\ufffd": ["v\ufffd"]}}
    json.dumps(status.to_api_json(), ensure_ascii=False).encode("utf-8")


def test_numbers_past_64_bits_and_digit_limits_do_not_raise() -> None:
    huge = 10**600
    payload = {
        "number": 10**4500,  # past Python's int -> str digit limit
        "messagesPossible": huge,
        "callsPossible": -huge,
        "messagesWarmed": 2**53 + 1,
        "smsWarmup": {"healthScore": huge, "progressPercent": "1e400", "sentCount": 2**64},
        "optOutMetrics": {"optOutRatePercent": -huge, "optOutCount": "9" * 4000},
    }
    status = _parse(payload)
    assert status.messages_possible is None
    assert status.calls_possible is None
    assert status.messages_warmed == 2**53 + 1  # exact, not rounded through a float
    assert status.number is None
    assert status.sms_warmup is not None
    assert status.sms_warmup.health_score is None
    assert status.sms_warmup.progress_percent is None
    assert status.sms_warmup.sent_count is None
    json.dumps(status.to_api_json(), allow_nan=False)


# -- condition -----------------------------------------------------------------------------


@settings(COMMON, max_examples=250)
@given(st.one_of(st.none(), S.status_payloads()))
def test_assess_always_gives_a_condition_and_reasons(payload: dict[str, Any] | None) -> None:
    result = assess(None if payload is None else _parse(payload))
    assert isinstance(result, Assessment)
    assert isinstance(result.condition, Condition)
    assert result.condition in set(Condition)
    assert result.reasons and all(isinstance(reason, str) for reason in result.reasons)
    assert isinstance(result.headline, str) and result.headline
    assert result.condition.exit_code in (0, 1, 2, 3)


# -- plain-text and CSV output -----------------------------------------------------------------


def _assert_terminal_safe(text: str, where: str) -> None:
    bad = S.forbidden_controls(text)
    assert not bad, f"{where} holds raw control characters {sorted(map(hex, map(ord, bad)))}"


@settings(COMMON, max_examples=200)
@given(S.status_payloads(), S.moments, S.zones)
def test_status_report_output_is_terminal_safe(
    payload: dict[str, Any], now: datetime, tz: tzinfo
) -> None:
    status = _parse(payload)
    assessment = assess(status)
    summary = text_summary(NUMBER, status, assessment, StatusQuery(), now=now, tz=tz)
    _assert_terminal_safe(summary, "text_summary")
    row = summary_row(NUMBER, status, assessment)
    for key, value in row.items():
        if isinstance(value, str):
            _assert_terminal_safe(value, f"summary_row[{key}]")
            assert "\n" not in value
    events = [event_row(event) for event in status.recent_events]
    for event in events:
        for key, value in event.items():
            if isinstance(value, str):
                _assert_terminal_safe(value, f"event_row[{key}]")
                assert "\n" not in value
    for rows in ([row], events):
        text = to_csv(rows)
        _assert_terminal_safe(text, "to_csv")
        if rows:
            parsed = list(csv.DictReader(io.StringIO(text)))
            assert len(parsed) == len(rows)
            for cell in (value for record in parsed for value in record.values()):
                # Spreadsheets run a cell that starts like a formula.
                assert cell[:1] not in ("=", "+", "@") or _numeric(cell)


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@settings(COMMON, max_examples=300)
@given(S.hostile_text, st.integers(1, 200))
def test_clean_is_one_safe_line_within_its_width(text: str, width: int) -> None:
    line = clean(text, max_len=width)
    _assert_terminal_safe(line, "clean")
    assert "\n" not in line
    assert cell_len(line) <= width
    assert not any(0x202A <= ord(ch) <= 0x202E or 0x2066 <= ord(ch) <= 0x2069 for ch in line)


# -- panels ---------------------------------------------------------------------------------


class PanelsHarnessApp(App[None]):
    """The five status panels as the dashboard lays them out, with the real stylesheet."""

    CSS_PATH = stylesheet_path()

    def compose(self) -> ComposeResult:
        with Horizontal(id="top-panels"):
            yield HealthPanel(id="health")
            with Vertical(id="side-panels"):
                yield CapacityPanel(id="capacity")
                yield MetricsPanel(id="metrics")
        with Horizontal():
            yield EventLog(id="events")
            yield ActionsTable(id="actions")


class PanelHarness:
    """A running :class:`PanelsHarnessApp` on a private loop; see the module docstring."""

    def __init__(self, size: tuple[int, int], app: PanelsHarnessApp | None = None) -> None:
        self.size = size
        self.app = app or PanelsHarnessApp()
        self.loop = asyncio.new_event_loop()
        self.context = contextvars.copy_context()
        self._test = self.app.run_test(size=size)
        self.pilot: Pilot[None] = self._run(self._test.__aenter__())
        self.examples = 0

    def _run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        # One task at a time, all in the context run_test() set its variables in.
        return self.loop.run_until_complete(self.loop.create_task(coroutine, context=self.context))

    def draw(self, ctx: PanelContext) -> list[str]:
        """Show ``ctx`` in every panel, let the app settle, render; the screen's lines."""
        return self._run(self._draw(ctx))

    async def _draw(self, ctx: PanelContext) -> list[str]:
        app = self.app
        for panel in (
            app.query_one(HealthPanel),
            app.query_one(CapacityPanel),
            app.query_one(MetricsPanel),
            app.query_one(EventLog),
            app.query_one(ActionsTable),
        ):
            panel.show(ctx)
        await self.pilot.pause()
        self.examples += 1
        return [strip.text for strip in screen_strips(app)]

    def assert_alive(self) -> None:
        app = self.app
        assert app.return_code is None, "the app raised"
        assert app.is_running

    def close(self) -> None:
        try:
            self._run(self._test.__aexit__(None, None, None))
        finally:
            self.loop.close()


@pytest.fixture(scope="module", params=[(120, 40), (40, 12)], ids=["120x40", "40x12"])
def harness(request: pytest.FixtureRequest) -> Iterator[PanelHarness]:
    running = PanelHarness(request.param)
    yield running
    running.close()


def _check_screen(harness: PanelHarness, lines: list[str]) -> None:
    harness.assert_alive()
    width, height = harness.size
    assert len(lines) == height
    for line in lines:
        # Every row exactly fills the terminal: nothing pushed a column over.
        assert cell_len(line) == width, line
        _assert_terminal_safe(line, "screen")


@settings(COMMON, max_examples=70)
@given(
    payload=st.one_of(st.none(), S.status_payloads(max_items=6, big=300)),
    now=S.moments,
    tz=S.zones,
    stale=st.booleans(),
)
def test_every_panel_draws_any_payload(
    harness: PanelHarness,
    payload: dict[str, Any] | None,
    now: datetime,
    tz: tzinfo,
    stale: bool,
) -> None:
    status = None if payload is None else _parse(payload)
    ctx = PanelContext(status=status, now=now, tz=tz, stale=stale, number=NUMBER)
    before = harness.examples
    lines = harness.draw(ctx)
    assert harness.examples == before + 1
    _check_screen(harness, lines)


async def test_twenty_thousand_events_and_actions_draw_bounded() -> None:
    event = {
        "createdAt": "2026-11-27T11:00:00Z",
        "label": "[red]x[/red]",
        "textPreview": "\x1b[2J" + "界" * 300,
        "direction": "inbound",
        "isOptOut": True,
    }
    action = {"scheduledAt": "2026-11-27T11:00:00Z", "body": "B" * 3_000}
    payload = {
        "smsWarmup": {"recentActions": [{**action, "id": f"a{i}"} for i in range(20_000)]},
        "recentEvents": [
            {**event, "id": f"e{i % 15_000}", "createdAt": f"2026-11-{1 + i % 27:02d}T11:00:00Z"}
            for i in range(20_000)
        ],
    }
    status = _parse(payload)
    assert len(status.recent_events) == 20_000
    app = PanelsHarnessApp()
    async with app.run_test(size=(120, 40)) as pilot:
        ctx = PanelContext(status=status, now=S.NOW, tz=UTC)
        for panel in (app.query_one(EventLog), app.query_one(ActionsTable)):
            panel.show(ctx)
        await pilot.pause()
        log = app.query_one(EventLog)
        assert log.note.startswith("showing 500 of 20,000 events (newest)")
        actions = app.query_one(ActionsTable)
        for _ in range(500):  # the rows after the first come a slice per frame
            if not (log.table.filling or actions.filling):
                break
            await pilot.pause()
        assert log.table.row_count == 500
        assert actions.row_count == 500
        assert "showing 500 of 20,000" in str(actions.border_title)
        lines = [strip.text for strip in screen_strips(app)]
        assert all(cell_len(line) == 120 for line in lines)
        assert not any("\x1b" in line for line in lines)
        assert app.return_code is None


class _BrokenPanelApp(PanelsHarnessApp):
    """The harness app whose capacity panel fails on a marker payload."""

    def on_mount(self) -> None:
        panel = self.query_one(CapacityPanel)
        original = panel.show

        def show(ctx: PanelContext) -> None:
            if ctx.number == "boom":
                raise RuntimeError("panel failed")
            original(ctx)

        panel.show = show  # type: ignore[method-assign]


def test_the_harness_notices_a_panel_that_raises() -> None:
    """Meta test: the pattern above would report a panel error, not swallow it."""
    running = PanelHarness((80, 24), _BrokenPanelApp())
    try:
        running.draw(PanelContext(status=None, now=S.NOW, tz=UTC, number="fine"))
        running.assert_alive()
        with pytest.raises(RuntimeError, match="panel failed"):
            running.draw(PanelContext(status=None, now=S.NOW, tz=UTC, number="boom"))
    finally:
        running.close()


def test_absolute_times_keep_their_fixed_width_at_the_ends_of_the_calendar() -> None:
    plus14 = timezone(timedelta(hours=14))
    # Year 1 at +14:00 cannot be moved to UTC: it is shown as sent, offset and all.
    assert absolute(datetime(1, 1, 1, tzinfo=plus14), UTC) == "0001-01-01 00:00 UTC+14:00"
    assert absolute(datetime(1, 1, 1, 5, tzinfo=UTC), UTC) == "0001-01-01 05:00"
    late = datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(-timedelta(hours=14)))
    assert absolute(late, UTC, with_seconds=True) == "9999-12-31 23:59:59 UTC-14:00"
    for zone in S.ZONES:
        stamp = absolute(datetime(2026, 11, 27, 14, 5, tzinfo=UTC), zone)
        assert len(stamp) == 16 and stamp[4] == "-" and stamp[10] == " "
