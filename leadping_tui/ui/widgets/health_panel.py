"""The "Warmup health" panel: condition, score, progress, reasons, flags and times.

The panel is a fixed set of parts composed once; :meth:`HealthPanel.show`
rebuilds their content and each part repaints only when its text or styling
actually changed.  :meth:`HealthPanel.tick` moves the relative times and the
countdown to the next action; between whole minutes (outside the last two
minutes of the countdown) it changes nothing and so repaints nothing, which
matters for a dashboard left open for days over SSH.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, tzinfo

from textual.app import ComposeResult
from textual.content import Content

from leadping_tui.api.condition import Condition, score_is_judged, tone_condition
from leadping_tui.api.models import (
    Coordinate,
    Location,
    LocationSource,
    PhoneNumberStatus,
    SmsWarmup,
)
from leadping_tui.phone import format_number
from leadping_tui.terminal.safe_text import clean
from leadping_tui.times.timefmt import duration, relative, seconds_until_change, short_absolute
from leadping_tui.ui.styling import condition_badge
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

BAR_WIDTH = 16
WAITING = "Waiting for the first status…"
#: Reasons are written by people; long ones wrap, absurd ones are cut.
REASON_MAX = 600
SHORT_MAX = 80

_FLAGS = (
    ("warmup enabled", "warmup_enabled"),
    ("global warmup", "global_warmup_enabled"),
    ("messaging program approved", "is_messaging_program_approved"),
    ("internal pool", "is_internal_pool"),
    ("approved test destination", "is_approved_test_destination"),
    ("can pause", "can_pause"),
    ("can resume", "can_resume"),
)
_TIMES = (
    ("Next action", "next_scheduled_action_at"),
    ("Last success", "last_successful_message_at"),
    ("Snapshot", "last_health_snapshot_at"),
    ("Started", "started_at"),
    ("Completed", "completed_at"),
)
_LABEL_WIDTH = max(len(label) for label, _ in _TIMES)
#: The countdown shows seconds only this close to the action, so it repaints
#: once a minute rather than once a second for most of its run.
SECONDS_SHOWN_BELOW = 120


def _text(value: str | None, max_len: int = SHORT_MAX) -> str:
    return clean(value, max_len=max_len) if value else ""


def flag_token(label: str, value: bool | None) -> Content:
    """``✓ label`` / ``✗ label`` / ``? label``: the mark carries the meaning, colour helps."""
    if value is None:
        return Content.assemble(("?", MUTED), " ", (label, MUTED))
    if value:
        return Content.assemble(("✓", CONDITION_STYLE[Condition.OK]), " ", label)
    return Content.assemble(("✗", MUTED), " ", (label, MUTED))


def flag_tokens(warmup: SmsWarmup | None) -> list[Content]:
    """The flags the response reported, then one token counting those it did not.

    The SDK shape reports only ``warmupEnabled``; six "? ..." lines would
    push the rest of the panel below the fold.
    """
    values = [(label, getattr(warmup, name) if warmup else None) for label, name in _FLAGS]
    tokens = [flag_token(label, value) for label, value in values if value is not None]
    unknown = [label for label, value in values if value is None]
    if len(unknown) == 1:
        tokens.append(flag_token(unknown[0], None))
    elif unknown:
        tokens.append(Content.styled(f"? {len(unknown)} flags not reported", MUTED))
    return tokens


def countdown(when: datetime, now: datetime) -> str:
    """``in 12 min`` far out, ``in 1 min 05 s`` in the last two minutes, ``due now`` after."""
    seconds = (when - now).total_seconds()
    if seconds > SECONDS_SHOWN_BELOW:
        return f"in {duration(seconds)}"
    if seconds > 0:
        whole = int(seconds)
        minutes, rest = divmod(whole, 60)
        return f"in {minutes} min {rest:02d} s" if minutes else f"in {rest} s"
    if seconds > -60:
        return "due now"
    return f"due {duration(seconds)} ago"


def since(when: datetime, now: datetime) -> str:
    """Relative time that changes at most once a minute (``just now`` for the first one)."""
    seconds = (when - now).total_seconds()
    if -60 < seconds <= 0:
        return "just now"
    if seconds > 0:
        return countdown(when, now)
    return relative(when, now)


def times_content(
    warmup: SmsWarmup | None, now: datetime, tz: tzinfo, width: int | None = None
) -> Content:
    """The five warmup timestamps, absolute in ``tz`` and relative to ``now``.

    Empty when the response has none of them (the SDK shape).  A line wider
    than ``width`` puts its relative time whole on the next line, so "2" and
    "min ago" are never split apart by wrapping.
    """
    if warmup is None or all(getattr(warmup, name) is None for _, name in _TIMES):
        return Content()
    lines: list[Content] = []
    for label, name in _TIMES:
        when: datetime | None = getattr(warmup, name)
        if when is None:
            lines.append(
                Content.assemble((label.ljust(_LABEL_WIDTH), LABEL), " ", (MISSING, MUTED))
            )
            continue
        if name == "next_scheduled_action_at":
            rel = Content.styled(countdown(when, now), f"bold {gauges.ACCENT}")
        else:
            rel = Content.styled(since(when, now), MUTED)
        head = Content.assemble(
            (label.ljust(_LABEL_WIDTH), LABEL), " ", short_absolute(when, now, tz)
        )
        line = Content.assemble(head, "  ", rel)
        if width is None or line.cell_length <= width:
            lines.append(line)
        else:
            lines.append(head)
            lines.append(Content.assemble(" " * (_LABEL_WIDTH + 1), rel))
    return Content("\n").join(lines)


def summary_content(ctx: PanelContext, bar_width: int = BAR_WIDTH) -> Content:
    """Badge and headline, then the score gauge and the progress bar."""
    assessment = ctx.assessment
    style = CONDITION_STYLE[assessment.condition]
    text = assessment.headline
    for prefix in ("blocked: ", "paused: "):
        if text.startswith(prefix):
            # The reason has its own loud line just below; say it only once.
            text = prefix.rstrip(": ")
    headline = Content.assemble(
        (condition_badge(assessment.condition), f"bold reverse {style}"),
        " ",
        (_text(text, REASON_MAX), f"bold {style}"),
    )
    warmup = ctx.status.sms_warmup if ctx.status else None
    score = warmup.health_score if warmup else None
    progress = warmup.progress_percent if warmup else None
    return Content("\n").join(
        [
            headline,
            Content.assemble(
                ("Score    ", LABEL), gauges.gauge(score, bar_width, judged=score_is_judged(warmup))
            ),
            Content.assemble(("Progress ", LABEL), gauges.progress(progress, bar_width)),
        ]
    )


def state_tokens(warmup: SmsWarmup | None) -> list[Content]:
    """Readiness state, health status, console label and tone."""
    ui = warmup.ui_state if warmup else None
    tokens: list[Content] = []
    for label, value in (
        ("State", warmup.status if warmup else None),
        ("Health", warmup.health_status if warmup else None),
        ("Label", ui.label if ui else None),
    ):
        if value:
            tokens.append(gauges.labelled(label, _text(value), "bold"))
    tone = ui.tone if ui else None
    if tone:
        tokens.append(
            gauges.labelled("Tone", _text(tone), f"bold {CONDITION_STYLE[tone_condition(tone)]}")
        )
    return tokens


def identity_tokens(status: PhoneNumberStatus | None, number: str | None) -> list[Content]:
    """Which number this is, its id and where it is homed."""
    warmup = status.sms_warmup if status else None
    shown = (status.number if status else None) or (warmup.phone_number if warmup else None)
    tokens: list[Content] = []
    if shown and shown != number:
        # The selected number is in the status bar already; a different one is news.
        tokens.append(gauges.labelled("Number", format_number(_text(shown))))
    if warmup and warmup.phone_number_id:
        # Ids are long UUIDs: the first part is enough to tell them apart on screen.
        tokens.append(gauges.labelled("ID", clean(warmup.phone_number_id, max_len=14)))
    location: Location | None = status.location if status else None
    if location is not None:
        place = location.location or location.canonical_city
        for label, value in (
            ("Location", place),
            ("State", location.state or location.canonical_state),
            ("Country", location.country_code),
            ("Zone", location.time_zone_id),
            ("Coordinates", coordinate_text(location.coordinate)),
            ("Coordinates from", source_text(location.coordinate_source)),
            ("Zone from", source_text(location.time_zone_source)),
        ):
            if value:
                tokens.append(gauges.labelled(label, _text(value)))
    return tokens


def coordinate_text(coordinate: Coordinate | None) -> str | None:
    """``38.9072, -77.0369``; None unless both halves are known."""
    if coordinate is None or coordinate.latitude is None or coordinate.longitude is None:
        return None
    return f"{coordinate.latitude:.4f}, {coordinate.longitude:.4f}"


def source_text(source: LocationSource | None) -> str | None:
    """How a location value was resolved: ``method (query)``."""
    if source is None or not (source.method or source.query):
        return None
    if source.method and source.query:
        return f"{source.method} ({source.query})"
    return source.method or source.query


def reason_content(kind: str, reason: str | None) -> Content:
    """A pause or block reason as its own loud line; empty when there is none."""
    text = _text(reason, REASON_MAX).strip()
    if not text:
        return Content()
    mark = "✗ BLOCKED" if kind == "block" else "❚❚ PAUSED"
    return Content.assemble((mark, "bold"), "  ", text)


class HealthPanel(PartsPanel):
    """Warmup health of the selected number; scrolls when the terminal is small."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = "Warmup health"
        self._ctx: PanelContext | None = None
        self._now: datetime | None = None

    def compose(self) -> ComposeResult:
        yield part("health-summary", text=WAITING)
        yield part("health-block", "health-reason -critical")
        yield part("health-pause", "health-reason -warning")
        yield TokenFlow(id="health-state")
        yield part("health-description")
        yield TokenFlow(id="health-flags")
        yield part("health-times")
        yield TokenFlow(id="health-identity", classes="health-secondary")
        yield part("health-trends", "health-secondary")

    def show(self, ctx: PanelContext) -> None:
        """Draw ``ctx``: the whole panel, or a calm placeholder before any data."""
        self._ctx = self.last_ctx = ctx
        self._now = ctx.now
        status = ctx.status
        warmup = status.sms_warmup if status else None
        self.mark(
            stale=ctx.stale,
            empty=status is None,
            condition=ctx.assessment.condition if status else None,
        )
        if status is None:
            self.set_part("health-summary", Content.styled(WAITING, MUTED))
        else:
            # "Progress " before the bar, " 100/100" after it.
            bar_width = self.fit(17, least=4, most=BAR_WIDTH, default=BAR_WIDTH)
            self.set_part("health-summary", summary_content(ctx, max(bar_width, 4)))
        self.set_part(
            "health-block", reason_content("block", warmup.block_reason if warmup else None)
        )
        self.set_part(
            "health-pause", reason_content("pause", warmup.pause_reason if warmup else None)
        )
        flows = {
            "health-state": state_tokens(warmup) if status else [],
            "health-flags": flag_tokens(warmup) if status else [],
            "health-identity": identity_tokens(status, ctx.number) if status else [],
        }
        for part_id, tokens in flows.items():
            self.set_flow(part_id, tokens)
        ui = warmup.ui_state if warmup else None
        description = _text(ui.description if ui else None, REASON_MAX)
        self.set_part("health-description", Content(description))
        self._draw_times()

    def redraw(self) -> None:
        # A redraw must not move the clock back to the last poll's time.
        if self._ctx is not None:
            now = self._now or self._ctx.now
            self.show(replace(self._ctx, now=now))

    def set_trends(self, content: Content | None) -> None:
        """Fill the ``#health-trends`` spot (history sparklines); ``None`` hides it."""
        self.set_part("health-trends", content or Content())

    def tick(self, now: datetime) -> None:
        """Move relative times and the countdown; repaints only if their text changed."""
        self._now = now
        self._draw_times()

    def seconds_until_times_change(self, now: datetime, horizon: float) -> float:
        """When the relative times shown here next read differently (``horizon`` at most)."""
        ctx = self._ctx
        if ctx is None or ctx.status is None:
            return horizon
        warmup, tz = ctx.status.sms_warmup, ctx.tz
        return seconds_until_change(
            lambda offset: times_content(warmup, now + timedelta(seconds=offset), tz).plain,
            horizon,
        )

    def _draw_times(self) -> None:
        ctx = self._ctx
        if ctx is None or ctx.status is None or self._now is None:
            self.set_part("health-times", Content())
            return
        width = self.fit(0, least=1, most=1000, default=0) or None
        self.set_part(
            "health-times", times_content(ctx.status.sms_warmup, self._now, ctx.tz, width)
        )
