"""Tables fed by the local history: a number's transitions and the alert log."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, tzinfo

from rich.text import Text
from textual.screen import ModalScreen

from leadping_tui.alerts import Alert
from leadping_tui.phone import format_number
from leadping_tui.store.history import Transition
from leadping_tui.terminal.safe_text import literal
from leadping_tui.times import clock
from leadping_tui.times.timefmt import absolute
from leadping_tui.ui.widgets.stable_table import StableTable, TableRow

TIMELINE_EMPTY = "no changes recorded yet"
ALERTS_EMPTY = "no alerts yet"

CELL_MAX = 80


class TimelineTable(StableTable):
    """State changes, pauses, blocks and their reasons for one number, newest first."""

    COLUMNS = (("When", 19), ("What", 14), ("From", 30), ("To", 30))

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._changes: dict[str, Transition] = {}
        self._tz: tzinfo = UTC

    def show_transitions(self, transitions: Sequence[Transition], tz: tzinfo) -> None:
        rows = []
        self._changes = {}
        self._tz = tz
        for index, change in enumerate(reversed(transitions)):
            key = f"{change.at.isoformat()}#{index}"
            self._changes[key] = change
            rows.append(
                TableRow(
                    key,
                    (
                        Text(absolute(change.at, tz, with_seconds=True)),
                        Text(change.field.replace("_", " ")),
                        literal(change.old or "—", max_len=CELL_MAX),
                        literal(change.new or "—", max_len=CELL_MAX),
                    ),
                )
            )
        self.set_title(
            f"Timeline · {len(rows)} changes" if rows else f"Timeline · {TIMELINE_EMPTY}"
        )
        self.set_rows(rows)

    def detail_for(self, key: str) -> ModalScreen[None] | None:
        change = self._changes.get(key)
        if change is None:
            return None
        from leadping_tui.ui.dialogs.history_detail import TransitionDetailScreen

        return TransitionDetailScreen(change, tz=self._tz, now=clock.now_utc())


class AlertsTable(StableTable):
    """The alert log, newest first, for every watched number."""

    # The number has its own column: the alert's title without it fits in 22.
    COLUMNS = (("When", 19), ("Number", 15), ("Alert", 22), ("Details", 80))

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._alerts: dict[str, Alert] = {}
        self._tz: tzinfo = UTC

    def show_alerts(self, alerts: Sequence[Alert], tz: tzinfo) -> None:
        rows = []
        self._alerts = {}
        self._tz = tz
        for index, alert in enumerate(reversed(alerts)):
            severity = alert.severity
            key = f"{alert.key}#{alert.at.isoformat()}#{index}"
            self._alerts[key] = alert
            rows.append(
                TableRow(
                    key,
                    (
                        Text(absolute(alert.at, tz, with_seconds=True)),
                        Text(format_number(alert.number)),
                        Text(f"{severity.symbol} {_short_title(alert)}"),
                        literal(alert.message, max_len=CELL_MAX * 2),
                    ),
                )
            )
        self.set_title(f"Alerts · {len(rows)}" if rows else f"Alerts · {ALERTS_EMPTY}")
        self.set_rows(rows)

    def detail_for(self, key: str) -> ModalScreen[None] | None:
        alert = self._alerts.get(key)
        if alert is None:
            return None
        from leadping_tui.ui.dialogs.history_detail import AlertDetailScreen

        return AlertDetailScreen(alert, tz=self._tz, now=clock.now_utc())


def _short_title(alert: Alert) -> str:
    """``health score dropped``: the title without the number the row already shows."""
    title = alert.title.replace(alert.number, "").strip()
    return title or alert.kind.replace("_", " ")
