"""Every field of one alert, or of one timeline entry (a state change).

Both come from the local history, not the API: the alert log's line and the
recorded transition hold a few fields, all shown here whole. The tables cut
the old and new values, and the alert's message, to fit their columns.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Any, ClassVar

from textual.binding import BindingType

from leadping_tui.alerts import Alert
from leadping_tui.alerts.alert_log import alert_to_json
from leadping_tui.api.condition import Condition
from leadping_tui.store.history import Transition
from leadping_tui.ui.dialogs import row_detail as rd

_SEVERITY_STYLE = {
    Condition.CRITICAL: "bold $text-error",
    Condition.WARNING: "bold $text-warning",
}


def _utc(when: datetime) -> str:
    return when.astimezone(UTC).isoformat().replace("+00:00", "Z")


def alert_lines(alert: Alert, tz: tzinfo, now: datetime) -> list[rd.DetailLine]:
    """The alert's fields, one per line (its message is the dialog's long text)."""
    severity = alert.severity
    return [
        rd.DetailLine("When", rd.when(alert.at, tz, now)),
        rd.DetailLine("Number", rd.phone(alert.number)),
        rd.DetailLine(
            "Severity",
            f"{severity.symbol} {severity.word}  ({severity.value})",
            _SEVERITY_STYLE.get(severity, ""),
        ),
        rd.DetailLine("Kind", rd.text(alert.kind)),
        rd.DetailLine("Title", rd.text(alert.title)),
        rd.DetailLine("Key", rd.text(alert.key)),
    ]


class AlertDetailScreen(rd.RowDetail):
    """Every field of one alert from the alert log, and its whole message."""

    BINDINGS: ClassVar[list[BindingType]] = rd.detail_bindings("alert_detail", "Copy alert")

    def __init__(self, alert: Alert, *, tz: tzinfo, now: datetime) -> None:
        super().__init__(
            "Alert",
            alert_lines(alert, tz, now),
            what="alert",
            as_json=alert_to_json(alert),
            long_text=rd.LongText("Message", alert.message, "(no message)"),
        )
        self.alert = alert


def transition_json(change: Transition) -> dict[str, Any]:
    return {
        "number": change.number,
        "at": _utc(change.at),
        "field": change.field,
        "old": change.old,
        "new": change.new,
    }


def transition_lines(change: Transition, tz: tzinfo, now: datetime) -> list[rd.DetailLine]:
    """The change's fields, one per line; the old and new values whole."""
    field = rd.text(change.field)
    return [
        rd.DetailLine("When", rd.when(change.at, tz, now)),
        rd.DetailLine("Number", rd.phone(change.number)),
        rd.DetailLine("What", f"{field.replace('_', ' ')}  ({field})"),
        rd.DetailLine("From", rd.text(change.old)),
        rd.DetailLine("To", rd.text(change.new)),
    ]


class TransitionDetailScreen(rd.RowDetail):
    """Every field of one timeline entry: what changed, when, from what to what."""

    BINDINGS: ClassVar[list[BindingType]] = rd.detail_bindings("timeline_detail", "Copy change")

    def __init__(self, change: Transition, *, tz: tzinfo, now: datetime) -> None:
        super().__init__(
            "Timeline entry",
            transition_lines(change, tz, now),
            what="change",
            as_json=transition_json(change),
        )
        self.change = change
