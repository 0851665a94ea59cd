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
from leadping_tui.times.timefmt import relative
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


def _ramp(channel: str, ramping: bool | None, direction: str | None) -> Content:
    arrow = _RAMP_ARROW.get((direction or "").strip().lower())
    if arrow is None:
        arrow = clean(direction, max_len=12) if direction else "—"
    state = "?" if ramping is None else ("ramping" if ramping else "steady")
    return Content.assemble((f"{channel} ", LABEL), (f"{state} {arrow}", "bold"))


def outbound_content(capacity: OutboundCapacity) -> Content:
    """The outbound health status and its reason."""
    condition = capacity_condition(capacity.health_status)
    style = CONDITION_STYLE[condition]
    health = clean(capacity.health_status, max_len=40) if capacity.health_status else MISSING
    head = Content.assemble(("Outbound ", LABEL), (f"{condition.symbol} {health}", f"bold {style}"))
    if not capacity.health_reason:
        return head
    # One paragraph: the reason follows the status rather than start a line of its own.
    return Content.assemble(head, " · ", (clean(capacity.health_reason, max_len=400), style))


def flag_tokens(capacity: OutboundCapacity) -> list[Content]:
    """Approvals and ramping, one token each (they wrap between tokens)."""
    return [
        _yes_no("SMS approved", capacity.sms_approved),
        _yes_no("capacity available", capacity.capacity_available),
        _ramp("SMS", capacity.sms_ramping, capacity.sms_ramp_direction),
        _ramp("voice", capacity.voice_ramping, capacity.voice_ramp_direction),
    ]


def limits_content(capacity: OutboundCapacity, width: int = 80) -> Content:
    """Used/limit per minute, hour and day, SMS and voice side by side, with bars if room.

    Three rows and a header instead of one row per channel and period: the
    panel shares its column with the metrics and must fit without scrolling.
    """
    cells: dict[str, list[tuple[str, float | None]]] = {}
    for channel in ("sms", "voice"):
        cells[channel] = []
        for _period, suffix, _reset in _PERIODS:
            used: int | None = getattr(capacity, f"{channel}_used_{suffix}")
            limit: int | None = getattr(capacity, f"{channel}_limit_{suffix}")
            text = f"{gauges.count(used)}/{gauges.count(limit)}"
            cells[channel].append((text, gauges.ratio(used, limit)))
    sms_width = max(len("SMS"), *(len(text) for text, _ in cells["sms"]))
    voice_width = max(len("voice"), *(len(text) for text, _ in cells["voice"]))
    # Period (5), SMS, a space and a bar, two spaces, voice, a space and a bar.
    fixed = 5 + sms_width + 2 + voice_width
    bar_width = min(BAR_WIDTH, (width - fixed - 2) // 2)
    with_bars = bar_width >= 3

    def column(text: str, fraction: float | None, size: int) -> Content:
        if not with_bars:
            return Content(text.rjust(size))
        return Content.assemble(text.rjust(size), " ", gauges.bar(fraction, bar_width))

    pad = bar_width + 1 if with_bars else 0
    header = Content.styled(
        " " * 5 + "SMS".rjust(sms_width) + " " * pad + "  " + "voice".rjust(voice_width), LABEL
    )
    note = "  used/limit"
    if header.cell_length + pad + len(note) <= width:
        header = Content.assemble(header, " " * pad, (note, LABEL))
    lines = [header]
    for index, (period, _suffix, _reset) in enumerate(_PERIODS):
        sms_text, sms_fraction = cells["sms"][index]
        voice_text, voice_fraction = cells["voice"][index]
        lines.append(
            Content.assemble(
                (period.ljust(5), LABEL),
                column(sms_text, sms_fraction, sms_width),
                "  ",
                column(voice_text, voice_fraction, voice_width),
            )
        )
    return Content("\n").join(lines)


def resets_tokens(capacity: OutboundCapacity, now: datetime) -> list[Content]:
    """When each limit resets, relative to ``now``: one token per period.

    When SMS and voice reset together (the usual case) they share one list.
    """
    per_channel: dict[str, list[str]] = {}
    for channel in ("sms", "voice"):
        parts: list[str] = []
        for period, _suffix, reset in _PERIODS:
            when: datetime | None = getattr(capacity, f"{channel}_{reset}_resets_at")
            if when is not None:
                parts.append(f"{period} {relative(when, now)}")
        per_channel[channel] = parts
    if per_channel["sms"] == per_channel["voice"]:
        groups = [("Resets", per_channel["sms"])]
    else:
        groups = [("SMS resets", per_channel["sms"]), ("Voice resets", per_channel["voice"])]
    tokens: list[Content] = []
    for title, parts in groups:
        for index, text in enumerate(parts):
            tokens.append(gauges.labelled(title, text) if index == 0 else Content(text))
    return tokens


class CapacityPanel(PartsPanel):
    """Sending and calling capacity of the selected number."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = "Capacity"

    def compose(self) -> ComposeResult:
        yield part("capacity-waiting", text=WAITING)
        yield TokenFlow(id="capacity-totals")
        yield part("capacity-outbound")
        yield TokenFlow(id="capacity-flags")
        yield part("capacity-limits")
        yield TokenFlow(id="capacity-resets", classes="capacity-secondary")

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
        self.set_part("capacity-outbound", outbound_content(capacity) if capacity else Content())
        self.set_flow("capacity-flags", flag_tokens(capacity) if capacity else [])
        self.set_part("capacity-limits", limits_content(capacity, width) if capacity else Content())
        self.set_flow("capacity-resets", resets_tokens(capacity, ctx.now) if capacity else [])
