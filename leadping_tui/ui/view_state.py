"""What the status bar and a sidebar row should say, derived from plain data.

Pure functions: the dashboard gathers the facts (last result, last error,
the scheduler's view of the number) and these decide the words and marks.
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo

from leadping_tui.api.condition import Assessment, Condition, score_is_judged
from leadping_tui.api.errors import LeadPingError
from leadping_tui.api.models import PhoneNumberStatus, SmsWarmup
from leadping_tui.api.result import FetchResult
from leadping_tui.phone import format_number
from leadping_tui.refresh.scheduler import NumberState
from leadping_tui.terminal.safe_text import clean
from leadping_tui.times.timefmt import relative, zone_label
from leadping_tui.ui.error_text import error_line
from leadping_tui.ui.watchlist_view import NOT_READ_YET, RowState
from leadping_tui.ui.widgets.status_bar import BarState

EMPTY_HINT = "No numbers yet: press a to add one."


def sidebar_score(warmup: SmsWarmup | None) -> float | None:
    """The score to show; a number that has not started reports 0, meaning "none yet"."""
    return warmup.health_score if warmup is not None and score_is_judged(warmup) else None


def short_error(error: LeadPingError) -> str:
    """Why a number's data is not fresh, in a word or two, for its sidebar row.

    The status bar says the whole story for the selected number.
    """
    status = getattr(error, "status", None)
    if error.kind in ("auth", "forbidden") or status in (401, 403):
        return "auth"
    if error.kind == "not_found" or status == 404:
        return "unknown number"
    return {
        "rate_limited": "rate limited",
        "network": "offline",
        "timeout": "offline",
        "rejected": "refused",
        "internal": "bug",
    }.get(error.kind, "stale")


def state_word(warmup: SmsWarmup | None, condition: Condition) -> str:
    """The number's state in words: what the API calls it, else the condition."""
    if warmup is not None:
        if warmup.block_reason and warmup.block_reason.strip():
            return "Blocked"
        if warmup.pause_reason and warmup.pause_reason.strip():
            return "Paused"
        status = _spaced(clean(warmup.status or "", max_len=24))
        if status.lower() in ("paused", "blocked"):
            return status
        if condition in (Condition.WARNING, Condition.CRITICAL) and warmup.health_status:
            return _spaced(clean(warmup.health_status, max_len=24))
        if warmup.ui_state is not None and warmup.ui_state.label:
            return _spaced(clean(warmup.ui_state.label, max_len=24))
        if warmup.status:
            return _spaced(clean(warmup.status, max_len=24))
    return CONDITION_WORDS[condition]


#: The state in words when the API names none (the badge's UNKN is no word for a row).
CONDITION_WORDS = {
    Condition.OK: "OK",
    Condition.WARNING: "Warning",
    Condition.CRITICAL: "Critical",
    Condition.UNKNOWN: "Unknown",
}


def _spaced(name: str) -> str:
    """``NeedsAttention``, ``needs_attention``, ``In Progress`` → ``Needs attention``, ...

    Only words that are plain capitalised are lowered, so ``SMS ready`` keeps its SMS.
    """
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).replace("_", " ").split()
    if not words:
        return name
    rest = [w.lower() if w[:1].isupper() and w[1:].islower() else w for w in words[1:]]
    return " ".join([words[0][:1].upper() + words[0][1:], *rest])


def updated_text(received_at: datetime, now: datetime) -> str:
    """How old the shown data is, to the minute.

    Seconds would change the status bar every second of every session; the
    LIVE/LOADING mark already shows each refresh as it happens.
    """
    if abs((now - received_at).total_seconds()) < 60:
        return "updated just now"
    return f"updated {relative(received_at, now)}"


def row_state(
    result: FetchResult | None,
    assessment: Assessment | None,
    error: LeadPingError | None,
    state: NumberState | None,
    *,
    stale: bool,
    alert: bool,
    listed: PhoneNumberStatus | None = None,
    mark: str | None = None,
) -> RowState:
    """One sidebar row: condition, score, loading/stale marks, alert, error code.

    ``listed`` is the number's organisation-listing row (as a slim status),
    used when it is fresher than ``result``; ``mark`` is "new" or "gone".
    """
    if listed is not None:
        warmup = listed.sms_warmup
    else:
        warmup = result.status.sms_warmup if result else None
    condition = assessment.condition if assessment else Condition.UNKNOWN
    return RowState(
        condition=condition,
        word=(
            state_word(warmup, condition)
            if result is not None or listed is not None
            else NOT_READ_YET
        ),
        score=sidebar_score(warmup),
        loading=bool(state and state.in_flight),
        stale=stale or error is not None,
        alert=alert,
        error=short_error(error) if error else None,
        progress=warmup.progress_percent if warmup is not None else None,
        mark=mark,
    )


def bar_state(
    number: str | None,
    *,
    label: str,
    result: FetchResult | None,
    error: LeadPingError | None,
    state: NumberState | None,
    paused: bool,
    stale: bool,
    window: str,
    interval: str = "",
    demo: bool = False,
    now: datetime,
    monotonic_now: float,
    tz: tzinfo,
    note: str = "",
) -> BarState:
    """The status bar for the selected number (or the empty-watchlist hint)."""
    zone = zone_label(tz)
    if number is None:
        return BarState(
            window=window,
            zone=zone,
            mode="",
            message=note or EMPTY_HINT,
            interval=interval,
            demo=demo,
        )
    if state is not None and state.in_flight:
        mode = "loading"
    elif paused:
        mode = "paused"
    elif error is not None or stale:
        mode = "stale"
    else:
        mode = "live"
    updated = updated_text(result.received_at, now) if result else "not loaded yet"
    message, level = error_line(number, error, state, monotonic_now) if error else ("", "")
    if note and not message:
        # Import progress, or the listing fallback: said in the bar for a while.
        message, level = note, "warning"
    return BarState(
        number=format_number(number),
        label=label,
        mode=mode,
        updated=updated,
        window=window,
        interval=interval,
        zone=zone,
        demo=demo,
        message=message,
        message_level=level or "warning",
        paused=paused,
    )
