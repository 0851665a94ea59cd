"""Plain-text and tabular views of one status, for the CLI and exports.

No Textual here: the one-shot ``status`` command must start fast and work in
a pipe.  Third-party text goes through :mod:`leadping_tui.terminal.safe_text`.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, tzinfo
from typing import Any

from leadping_tui.api.condition import Assessment
from leadping_tui.api.models import MessagingEvent, PhoneNumberStatus
from leadping_tui.api.query import StatusQuery
from leadping_tui.phone import format_number
from leadping_tui.terminal.safe_text import clean
from leadping_tui.times.timefmt import absolute, both


def fmt_int(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def fmt_pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} %"


def fmt_num(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def summary_row(number: str, status: PhoneNumberStatus, assessment: Assessment) -> dict[str, Any]:
    """One flat row of the main figures (CSV exports and ``--format csv``)."""
    warmup = status.sms_warmup
    optout = status.opt_out_metrics
    traffic = status.traffic_metrics
    return {
        "number": number,
        "condition": assessment.condition.value,
        "reason": clean(assessment.headline),
        "state": clean(warmup.status if warmup else None),
        "health_status": clean(warmup.health_status if warmup else None),
        "health_score": warmup.health_score if warmup else None,
        "progress_percent": warmup.progress_percent if warmup else None,
        "messages_possible": status.messages_possible,
        "messages_warmed": status.messages_warmed,
        "calls_possible": status.calls_possible,
        "warmup_calls_made": status.warmup_calls_made,
        "sent": warmup.sent_count if warmup else None,
        "delivered": warmup.delivered_count if warmup else None,
        "failures": warmup.failure_count if warmup else None,
        "delivery_success_rate": warmup.delivery_success_rate if warmup else None,
        "opt_out_count": optout.opt_out_count if optout else None,
        "opt_out_rate_percent": optout.opt_out_rate_percent if optout else None,
        "sms_sent_in_window": traffic.sms_sent_count if traffic else None,
        "window_days": (traffic.window_days if traffic else None)
        or (optout.window_days if optout else None),
        "pause_reason": clean(warmup.pause_reason if warmup else None),
        "block_reason": clean(warmup.block_reason if warmup else None),
    }


EVENT_COLUMNS = (
    "created_at",
    "label",
    "event_type",
    "direction",
    "from_phone_number",
    "to_phone_number",
    "provider_status",
    "is_opt_out",
    "text_preview",
    "id",
)


def event_row(event: MessagingEvent) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for column in EVENT_COLUMNS:
        value = getattr(event, column)
        if isinstance(value, datetime):
            row[column] = value.isoformat()
        elif isinstance(value, str):
            row[column] = clean(value)
        else:
            row[column] = value
    return row


def to_csv(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return ""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _csv_cell(value) for key, value in row.items()})
    return buffer.getvalue()


def _csv_cell(value: Any) -> Any:
    # A cell starting with = + - @ is run as a formula by spreadsheets.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and not _is_number(value):
        return "'" + value
    return "" if value is None else value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def text_summary(
    number: str,
    status: PhoneNumberStatus,
    assessment: Assessment,
    query: StatusQuery,
    *,
    now: datetime,
    tz: tzinfo,
    events: int = 5,
) -> str:
    """The readable summary ``leadping-tui status`` prints."""
    warmup = status.sms_warmup
    optout = status.opt_out_metrics
    traffic = status.traffic_metrics
    condition = assessment.condition
    lines = [
        f"{format_number(number)}  {condition.symbol} {condition.word}  "
        f"{clean(assessment.headline, max_len=80)}",
    ]
    if warmup is not None:
        lines.append(
            f"  health score {fmt_num(warmup.health_score)}/100   "
            f"progress {fmt_pct(warmup.progress_percent)}   "
            f"state {clean(warmup.status) or '—'}   health {clean(warmup.health_status) or '—'}"
        )
    window = traffic.window_days if traffic and traffic.window_days else None
    started = traffic.window_started_at if traffic else None
    lines.append(
        f"  window       {query.describe()}"
        + (f" (API used {window} d since {absolute(started, tz)})" if window else "")
    )
    lines.append(
        f"  capacity     messages possible {fmt_int(status.messages_possible)}, "
        f"warmed {fmt_int(status.messages_warmed)}; calls possible "
        f"{fmt_int(status.calls_possible)}, made {fmt_int(status.warmup_calls_made)}"
    )
    if warmup is not None:
        lines.append(
            f"  messages     sent {fmt_int(warmup.sent_count)}, received "
            f"{fmt_int(warmup.received_count)}, delivered {fmt_int(warmup.delivered_count)}, "
            f"failed {fmt_int(warmup.failure_count)}, carrier rejections "
            f"{fmt_int(warmup.carrier_rejection_count)}"
        )
        lines.append(
            f"  signals      opt-out {fmt_int(warmup.opt_out_signal_count)}, spam "
            f"{fmt_int(warmup.spam_signal_count)}, delivery success "
            f"{fmt_pct(warmup.delivery_success_rate)}"
        )
    if optout is not None:
        lines.append(
            f"  opt-outs     {fmt_int(optout.opt_out_count)} of "
            f"{fmt_int(optout.distinct_contacted_count)} contacted "
            f"({fmt_pct(optout.opt_out_rate_percent)}) over {fmt_int(optout.window_days)} d"
        )
    if traffic is not None:
        lines.append(
            f"  traffic      sms sent {fmt_int(traffic.sms_sent_count)}, failed "
            f"{fmt_int(traffic.sms_failed_count)}; calls placed "
            f"{fmt_int(traffic.call_placed_count)}, failed {fmt_int(traffic.call_failed_count)}"
        )
    if warmup is not None:
        for label, reason in (("PAUSED", warmup.pause_reason), ("BLOCKED", warmup.block_reason)):
            if reason:
                lines.append(f"  {label:<12} {clean(reason, max_len=200)}")
        if warmup.next_scheduled_action_at is not None:
            lines.append(f"  next action  {both(warmup.next_scheduled_action_at, now, tz)}")
    recent = sorted(
        status.recent_events,
        key=lambda event: event.created_at.timestamp() if event.created_at else float("-inf"),
        reverse=True,
    )[:events]
    if recent:
        lines.append("  recent events")
        for event in recent:
            marker = " OPT-OUT" if event.is_opt_out else ""
            lines.append(
                f"    {absolute(event.created_at, tz) or '—':<16}  "
                f"{clean(event.label, max_len=24):<24}  "
                f"{clean(event.provider_status, max_len=12):<12}"
                f"{marker}  {clean(event.text_preview, max_len=60)}"
            )
    return "\n".join(lines)
