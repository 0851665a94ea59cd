"""The "Metrics" panel: SMS warmup counters, opt-outs and traffic, each with its window.

Opt-out and traffic metrics cover a window the API chose (``windowDays`` from
``windowStartedAt``); every group says which, so a number is never read
without the period it counts.  The SDK shape's traffic ``trend`` is drawn as
two sparklines (SMS sent, failures) between the first and last bucket labels
and the last bucket's end; every count of every bucket is in the "Traffic
trend" tab (:mod:`leadping_tui.ui.widgets.trend_table`).
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from textual.app import ComposeResult
from textual.content import Content

from leadping_tui.api.condition import Condition
from leadping_tui.api.models import OptOutMetrics, SmsWarmup, TrafficMetrics, TrendBucket
from leadping_tui.terminal.safe_text import clean
from leadping_tui.times.timefmt import absolute
from leadping_tui.ui.view import PanelContext
from leadping_tui.ui.widgets import gauges
from leadping_tui.ui.widgets.gauges import (
    CONDITION_STYLE,
    LABEL,
    MUTED,
    PartsPanel,
    TokenFlow,
    part,
)

WAITING = "No data yet"
ABSENT = "No metrics in this response"
#: More buckets than this are squeezed to the newest ones; a sparkline wider
#: than the panel would wrap into nonsense.
TREND_MAX_BUCKETS = 48


def _stat(label: str, value: str, style: str = "bold") -> Content:
    return gauges.labelled(label, value, style)


def window_title(title: str, days: int | None, started: datetime | None, tz: tzinfo) -> Content:
    """``Opt-outs · 7 d since 2026-11-20``: the window a group counts over."""
    parts: list[str] = []
    if days is not None:
        parts.append(f"{days:,} d")
    if started is not None:
        parts.append(f"since {absolute(started, tz)[:10]}")
    window = " ".join(parts) if parts else "window not given"
    return Content.assemble((title, "bold underline"), " ", (f"· {window}", MUTED))


def sms_tokens(warmup: SmsWarmup | None) -> list[Content]:
    """The SMS warmup counters and delivery success rate; none at all in the SDK shape."""
    if warmup is None:
        return []
    counts = (
        ("sent", warmup.sent_count),
        ("received", warmup.received_count),
        ("delivered", warmup.delivered_count),
        ("failures", warmup.failure_count),
        ("carrier rejections", warmup.carrier_rejection_count),
        ("opt-out signals", warmup.opt_out_signal_count),
        ("spam signals", warmup.spam_signal_count),
    )
    rate = warmup.delivery_success_rate
    if rate is None and all(value is None for _, value in counts):
        return []
    tokens = [_stat(label, gauges.count(value)) for label, value in counts]
    tokens.append(_stat("delivery success", gauges.percent(rate)))
    return tokens


def opt_out_tokens(metrics: OptOutMetrics) -> list[Content]:
    """Distinct contacts, opt-outs and the opt-out rate over the window."""
    return [
        _stat("contacted", gauges.count(metrics.distinct_contacted_count)),
        _stat("opt-outs", gauges.count(metrics.opt_out_count)),
        _stat("opt-out rate", gauges.percent(metrics.opt_out_rate_percent)),
    ]


def traffic_tokens(metrics: TrafficMetrics) -> list[Content]:
    """SMS, MMS and call counts over the window (MMS and call detail: SDK shape only)."""
    tokens = [
        _stat("SMS sent", gauges.count(metrics.sms_sent_count)),
        _stat("SMS failed", gauges.count(metrics.sms_failed_count)),
    ]
    if metrics.mms_sent_count is not None or metrics.mms_failed_count is not None:
        tokens += [
            _stat("MMS sent", gauges.count(metrics.mms_sent_count)),
            _stat("MMS failed", gauges.count(metrics.mms_failed_count)),
        ]
    tokens += [
        _stat("calls placed", gauges.count(metrics.call_placed_count)),
        _stat("calls failed", gauges.count(metrics.call_failed_count)),
    ]
    for label, value in (
        ("connected", metrics.call_connected_count),
        ("short", metrics.call_short_count),
        ("invalid number", metrics.call_invalid_number_count),
    ):
        if value is not None:
            tokens.append(_stat(label, gauges.count(value)))
    return tokens


def _bucket_label(bucket: TrendBucket, tz: tzinfo) -> str:
    if bucket.label:
        return clean(bucket.label, max_len=20)
    if bucket.start_at is not None:
        return absolute(bucket.start_at, tz)[5:16]
    return "?"


def _ends(bucket: TrendBucket, tz: tzinfo) -> str:
    # A label names the bucket's start; its endAt says where the trend stops.
    return f" (to {absolute(bucket.end_at, tz)[5:16]})" if bucket.end_at is not None else ""


def trend_content(trend: list[TrendBucket], tz: tzinfo, width: int | None = None) -> Content:
    """SMS sent and failures per bucket as sparklines, first and last labels around them.

    Within ``width`` the newest buckets are kept, so each sparkline and its
    "max" stay on one line; the title puts its range on a line of its own
    rather than wrap inside it.
    """
    most = TREND_MAX_BUCKETS
    if width is not None:
        # "SMS sent " (9 cells) before the sparkline, " max 12,345" after it.
        most = max(4, min(most, width - 9 - 11))
    buckets = [bucket for bucket in trend][-most:]
    if not buckets:
        return Content()
    first, last = _bucket_label(buckets[0], tz), _bucket_label(buckets[-1], tz)
    failures = [
        None
        if bucket.sms_failed_count is None and bucket.mms_failed_count is None
        else (bucket.sms_failed_count or 0) + (bucket.mms_failed_count or 0)
        for bucket in buckets
    ]
    sent = [bucket.sms_sent_count for bucket in buckets]
    label_width = max(len("SMS sent"), len("failures"))
    title = Content.styled(f"Trend · {len(buckets)} buckets", "bold underline")
    short_title = Content.styled("Trend", "bold underline")
    span = Content.styled(f"{first} → {last}{_ends(buckets[-1], tz)}", MUTED)
    short_span = Content.styled(f"{first} → {last}", MUTED)
    # The longest heading that fits on one line; the Trend tab has every figure.
    choices = [
        Content.assemble(title, " ", span),
        Content.assemble(short_title, " ", span),
        Content.assemble(title, " ", short_span),
        Content.assemble(short_title, " ", short_span),
    ]
    fitting = [c for c in choices if width is None or c.cell_length <= width]
    heading = fitting[0] if fitting else Content("\n").join([title, span])
    return Content("\n").join(
        [
            heading,
            Content.assemble(
                ("SMS sent".ljust(label_width), LABEL),
                " ",
                gauges.sparkline(sent),
                f" max {gauges.count(max((v for v in sent if v is not None), default=None))}",
            ),
            Content.assemble(
                ("failures".ljust(label_width), LABEL),
                " ",
                gauges.sparkline(failures, CONDITION_STYLE[Condition.CRITICAL]),
                f" max {gauges.count(max((v for v in failures if v is not None), default=None))}",
            ),
        ]
    )


class MetricsPanel(PartsPanel):
    """Counters of the selected number, each group with the window it covers."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = "Metrics"

    def compose(self) -> ComposeResult:
        yield part("metrics-waiting", text=WAITING)
        yield part("metrics-sms-title", "metrics-title")
        yield TokenFlow(id="metrics-sms")
        yield part("metrics-optout-title", "metrics-title")
        yield TokenFlow(id="metrics-optout")
        yield part("metrics-traffic-title", "metrics-title")
        yield TokenFlow(id="metrics-traffic")
        yield part("metrics-trend")

    def show(self, ctx: PanelContext) -> None:
        """Draw the metrics in ``ctx``, or a placeholder before any data."""
        self.last_ctx = ctx
        status = ctx.status
        self.mark(stale=ctx.stale, empty=status is None, condition=None)
        warmup = status.sms_warmup if status else None
        opt_outs = status.opt_out_metrics if status else None
        traffic = status.traffic_metrics if status else None
        sms = sms_tokens(warmup)
        note = WAITING if status is None else "" if sms or opt_outs or traffic else ABSENT
        self.set_part("metrics-waiting", Content.styled(note, MUTED))
        self.set_part(
            "metrics-sms-title",
            Content.assemble(
                ("SMS warmup", "bold underline"), (" · totals, no window given", MUTED)
            )
            if sms
            else Content(),
        )
        self.set_flow("metrics-sms", sms)
        self.set_part(
            "metrics-optout-title",
            window_title("Opt-outs", opt_outs.window_days, opt_outs.window_started_at, ctx.tz)
            if opt_outs
            else Content(),
        )
        self.set_flow("metrics-optout", opt_out_tokens(opt_outs) if opt_outs else [])
        same_window = (
            opt_outs is not None
            and traffic is not None
            and (opt_outs.window_days, opt_outs.window_started_at)
            == (traffic.window_days, traffic.window_started_at)
        )
        if same_window and opt_outs is not None:
            # One title for both groups: the window is said once.
            self.set_part(
                "metrics-optout-title",
                window_title("Window", opt_outs.window_days, opt_outs.window_started_at, ctx.tz),
            )
        self.set_part(
            "metrics-traffic-title",
            window_title("Traffic", traffic.window_days, traffic.window_started_at, ctx.tz)
            if traffic and not same_window
            else Content(),
        )
        self.set_flow("metrics-traffic", traffic_tokens(traffic) if traffic else [])
        width = self.fit(0, least=1, most=1000, default=0) or None
        self.set_part(
            "metrics-trend", trend_content(traffic.trend, ctx.tz, width) if traffic else Content()
        )
