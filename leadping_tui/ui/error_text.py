"""One calm line per failure: what happened, what we do next, what you can do."""

from __future__ import annotations

import math

from leadping_tui.api.errors import LeadPingError
from leadping_tui.phone import format_number
from leadping_tui.refresh.backoff import PROBE_AFTER
from leadping_tui.refresh.scheduler import NumberState
from leadping_tui.times.timefmt import duration


def _retry(state: NumberState | None, now: float) -> str:
    if state is None or state.retry_at is None:
        return "retrying soon"
    if state.retry_at == math.inf:
        return "not retrying until you press r"
    wait = state.retry_at - now
    return f"next try in {duration(wait)}" if wait >= 1 else "retrying now"


def error_line(
    number: str, error: LeadPingError, state: NumberState | None, now: float
) -> tuple[str, str]:
    """The status-bar message and its level (``warning`` or ``error``)."""
    retry = _retry(state, now)
    kind = error.kind
    if kind == "rate_limited":
        long_hold = (
            state is not None and state.retry_at is not None and state.retry_at - now > PROBE_AFTER
        )
        # A capped hour-long Retry-After must not lock the user out: say so.
        probe = " r may try once a minute after the 429." if long_hold else ""
        return (
            f"Rate limited by the API: {retry}.{probe} Showing the last good data.",
            "warning",
        )
    if kind == "auth":
        return f"{error.message} {error.hint} Will retry: {retry}.", "error"
    if not error.retryable:
        # A 403 or a 400: the same request gets the same answer; say what to do.
        return f"{error.message} {error.hint} Press r to try again.", "error"
    if kind == "not_found":
        return (
            f"{format_number(number)} is not in your organisation (404). "
            "Check the number, or remove it with Delete.",
            "error",
        )
    if kind == "timeout":
        return f"Slow or unreachable: {error.message} {retry.capitalize()}.", "warning"
    if kind == "network":
        return f"Offline: {error.message} {retry.capitalize()}.", "warning"
    if kind == "internal":
        return f"{error.message} {error.hint}", "error"
    return f"{error.message} {retry.capitalize()}.", "warning"
