"""The "Capacity" panel: what the number may still send and call.

Top-level totals (``messagesPossible`` and friends, seed shape) always; the
SDK shape's ``outboundCapacity`` adds a small used / limit / left table for SMS
and voice per minute, hour and day, the reset times, ramping, approvals and
the outbound health status with its reason.
"""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.content import Content

from leadping_tui.api.condition import Condition, capacity_condition
from leadping_tui.api.models import OutboundCapacity, PhoneNumberStatus
from leadping_tui.terminal.safe_text import clean
from leadping_tui.timefmt import relative
from leadping_tui.ui.view import PanelContext
from leadping_tui.ui.widgets import gauges
from leadping_tui.ui.widgets.gauges import (
    CONDITION_STYLE,
    LABEL,
    MISSING,
    MUTED,
    PartsPanel,
    TokenFlow,
    part,
)

WAITING = "No data yet"
ABSENT = "No capacity figures in this response"
BAR_WIDTH = 6

_RAMP_ARROW = {"up": "↑", "down": "↓", "none": "—"}
_PERIODS = (
    ("min", "this_minute", "minutely"),
    ("hour", "this_hour", "hourly"),
    ("day", "today", "daily"),
)


def _yes_no(label: str, value: bool | None) -> Content:
    mark = "?" if value is None else ("✓" if value else "✗")
    style = MUTED if not value else CONDITION_STYLE[Condition.OK]
    return Content.assemble((mark, style), " ", (label, "" if value else MUTED))


def totals_tokens(status: PhoneNumberStatus) -> list[Content]:
    """The top-level counters; a pair the response lacks entirely is left out.

    The seed shape has all four; the SDK shape dropped the "warmed" pair.
    """
    tokens: list[Content] = []
    for pair in (
        (
            ("Messages possible", status.messages_possible),
            ("Calls possible", status.calls_possible),
        ),
        (
            ("Messages warmed", status.messages_warmed),
            ("Warmup calls made", status.warmup_calls_made),
        ),
    ):
        if any(value is not None for _, value in pair):
            tokens += [gauges.labelled(label, gauges.count(value), "bold") for label, value in pair]
    return tokens


def _ramp(ramping: bool | None, direction: str | None) -> str:
    arrow = _RAMP_ARROW.get((direction or "").strip().lower())
    if arrow is None:
        arrow = clean(direction, max_len=12) if direction else "—"
    state = "?" if ramping is None else ("ramping" if ramping else "steady")
    return f"{state} {arrow}"


def outbound_content(capacity: OutboundCapacity, width: int = 80) -> Content:
    """Health and reason, approvals, the used/limit/left table with bars, and ramping."""
    condition = capacity_condition(capacity.health_status)
    style = CONDITION_STYLE[condition]
    health = clean(capacity.health_status, max_len=40) if capacity.health_status else MISSING
    lines = [
        Content.assemble(("Outbound ", LABEL), (f"{condition.symbol} {health}", f"bold {style}"))
    ]
    if capacity.health_reason:
        lines.append(Content.styled(clean(capacity.health_reason, max_len=400), style))
    lines.append(
        gauges.join(
            [
                _yes_no("SMS approved", capacity.sms_approved),
                _yes_no("capacity available", capacity.capacity_available),
            ]
        )
    )
    rows: list[tuple[str, str, str, str, float | None]] = []
    for channel, title in (("sms", "SMS"), ("voice", "Voice")):
        for index, (period, suffix, _reset) in enumerate(_PERIODS):
            used: int | None = getattr(capacity, f"{channel}_used_{suffix}")
            limit: int | None = getattr(capacity, f"{channel}_limit_{suffix}")
            left: int | None = getattr(capacity, f"{channel}_remaining_{suffix}")
            used_limit = f"{gauges.count(used)}/{gauges.count(limit)}"
            shown_title = title if index == 0 else ""
            rows.append(
                (shown_title, period, used_limit, gauges.count(left), gauges.ratio(used, limit))
            )
    used_width = max(len("used/limit"), *(len(row[2]) for row in rows))
    left_width = max(len("left"), *(len(row[3]) for row in rows))
    # Title and period (11), used/limit, the bar with a space each side, left.
    bar_width = min(BAR_WIDTH, width - (11 + used_width + 2 + left_width))
    bar_gap = bar_width + 2 if bar_width >= 3 else 1
    header = " " * 11 + "used/limit".rjust(used_width) + " " * bar_gap
    lines.append(Content.styled(header + "left".rjust(left_width), LABEL))
    for title, period, used_limit, left_text, fraction in rows:
        lines.append(
            Content.assemble(
                (title.ljust(6), "bold"),
                (period.ljust(5), LABEL),
                used_limit.rjust(used_width),
                " ",
                Content.assemble(gauges.bar(fraction, bar_width), " ") if bar_width >= 3 else "",
                left_text.rjust(left_width),
            )
        )
    lines.append(
        Content.assemble(
            ("Ramping ", LABEL),
            "SMS ",
            (_ramp(capacity.sms_ramping, capacity.sms_ramp_direction), "bold"),
            "  voice ",
            (_ramp(capacity.voice_ramping, capacity.voice_ramp_direction), "bold"),
        )
    )
    return Content("\n").join(lines)


def resets_content(capacity: OutboundCapacity, now: datetime) -> Content:
    """When each SMS and voice limit resets, relative to ``now``."""
    lines: list[Content] = []
    for channel, title in (("sms", "SMS"), ("voice", "Voice")):
        parts: list[str] = []
        for period, _suffix, reset in _PERIODS:
            when: datetime | None = getattr(capacity, f"{channel}_{reset}_resets_at")
            if when is not None:
                parts.append(f"{period} {relative(when, now)}")
        if parts:
            lines.append(Content.assemble((f"{title} resets ", LABEL), ", ".join(parts)))
    return Content("\n").join(lines)


class CapacityPanel(PartsPanel):
    """Sending and calling capacity of the selected number."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = "Capacity"

    def compose(self) -> ComposeResult:
        yield part("capacity-waiting", text=WAITING)
        yield TokenFlow(id="capacity-totals")
        yield part("capacity-outbound")
        yield part("capacity-resets", "capacity-secondary")

    def show(self, ctx: PanelContext) -> None:
        """Draw the capacity in ``ctx``, or a placeholder before any data."""
        self.last_ctx = ctx
        status = ctx.status
        capacity = status.outbound_capacity if status else None
        self.mark(
            stale=ctx.stale,
            empty=status is None,
            condition=capacity_condition(capacity.health_status) if capacity else None,
        )
        totals = totals_tokens(status) if status else []
        note = WAITING if status is None else "" if totals or capacity else ABSENT
        self.set_part("capacity-waiting", Content.styled(note, MUTED))
        self.set_flow("capacity-totals", totals)
        width = self.fit(0, least=1, most=200, default=80)
        self.set_part(
            "capacity-outbound", outbound_content(capacity, width) if capacity else Content()
        )
        self.set_part(
            "capacity-resets", resets_content(capacity, ctx.now) if capacity else Content()
        )
