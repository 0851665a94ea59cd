"""What the exporter knows about one number: the values of its last good read.

A :class:`Reading` is immutable; each poll makes a new one, so the HTTP
threads that serve scrapes never see half an update.  The condition comes
from :func:`leadping_tui.api.condition.assess`, the same rule the dashboard,
the alerts and ``leadping-tui status`` use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from leadping_tui.api.condition import Condition, assess, score_is_judged
from leadping_tui.api.models import PhoneNumberStatus

KNOWN_STATES = ("not_started", "in_progress", "paused", "blocked", "ready")
"""The readiness states the SDK types (``Not Started`` ... ``Ready``), as label values."""

UNKNOWN_STATE = "unknown"
"""The state label when the API has not said (never read, or the seed shape)."""

_MAX_STATE_LEN = 48
_NOT_SLUG = re.compile(r"[^a-z0-9]+")

WINDOW_COUNTS: tuple[tuple[str, str], ...] = (
    ("sms_sent", "SMS sent"),
    ("sms_failed", "SMS that failed"),
    ("mms_sent", "MMS sent"),
    ("mms_failed", "MMS that failed"),
    ("calls_placed", "calls placed"),
    ("calls_failed", "calls that failed"),
    ("calls_connected", "calls that connected"),
    ("opt_outs", "opt-outs"),
    ("contacted", "distinct contacts messaged"),
)
"""The window counts exported, as (key, what it counts)."""


def state_slug(text: str | None) -> str:
    """A readiness state as a stable label value: ``In Progress`` -> ``in_progress``.

    Unknown values are kept (slugged and shortened, so a hostile value cannot
    blow up a label); an empty or missing one is ``unknown``.
    """
    if text is None:
        return UNKNOWN_STATE
    slug = _NOT_SLUG.sub("_", text.strip().lower()).strip("_")[:_MAX_STATE_LEN].strip("_")
    return slug or UNKNOWN_STATE


@dataclass(frozen=True)
class Reading:
    """One number's exported values.  ``None`` means "not reported": no sample."""

    number: str
    label: str = ""
    up: bool = False
    """The latest poll succeeded."""
    condition: Condition = Condition.UNKNOWN
    state: str = UNKNOWN_STATE
    health_score: float | None = None
    progress_percent: float | None = None
    opt_out_rate_percent: float | None = None
    delivery_success_rate_percent: float | None = None
    messages_possible: float | None = None
    calls_possible: float | None = None
    window_days: float | None = None
    counts: dict[str, float | None] = field(default_factory=dict)
    last_success: float | None = None
    """Unix time of the last successful poll."""
    last_error: float | None = None
    """Unix time of the last failed poll."""

    def failed(self, at: float) -> Reading:
        """The same values, marked down, with the error time moved to ``at``."""
        return replace(self, up=False, last_error=at)

    def relabelled(self, label: str) -> Reading:
        return replace(self, label=label)


def _num(value: float | int | None) -> float | None:
    return None if value is None else float(value)


def reading_from_status(
    number: str,
    status: PhoneNumberStatus,
    *,
    label: str,
    at: float,
    last_error: float | None = None,
) -> Reading:
    """The reading for a status received at unix time ``at``."""
    warmup = status.sms_warmup
    traffic = status.traffic_metrics
    opt_outs = status.opt_out_metrics
    state_text = None
    if warmup is not None:
        state_text = warmup.status or (warmup.ui_state.label if warmup.ui_state else None)
    # A number that has not started has a score of 0 meaning "no data": leave it out
    # rather than let a "score < 40" rule page someone.
    score = warmup.health_score if warmup is not None and score_is_judged(warmup) else None
    counts: dict[str, float | None] = {
        "sms_sent": _num(traffic.sms_sent_count) if traffic else None,
        "sms_failed": _num(traffic.sms_failed_count) if traffic else None,
        "mms_sent": _num(traffic.mms_sent_count) if traffic else None,
        "mms_failed": _num(traffic.mms_failed_count) if traffic else None,
        "calls_placed": _num(traffic.call_placed_count) if traffic else None,
        "calls_failed": _num(traffic.call_failed_count) if traffic else None,
        "calls_connected": _num(traffic.call_connected_count) if traffic else None,
        "opt_outs": _num(opt_outs.opt_out_count) if opt_outs else None,
        "contacted": _num(opt_outs.distinct_contacted_count) if opt_outs else None,
    }
    window = (traffic.window_days if traffic else None) or (
        opt_outs.window_days if opt_outs else None
    )
    return Reading(
        number=number,
        label=label,
        up=True,
        condition=assess(status).condition,
        state=state_slug(state_text),
        health_score=score,
        progress_percent=warmup.progress_percent if warmup else None,
        opt_out_rate_percent=opt_outs.opt_out_rate_percent if opt_outs else None,
        delivery_success_rate_percent=warmup.delivery_success_rate if warmup else None,
        messages_possible=_num(status.messages_possible),
        calls_possible=_num(status.calls_possible),
        window_days=_num(window),
        counts=counts,
        last_success=at,
        last_error=last_error,
    )
