"""Alerts: rules that decide what deserves attention, and the log of raised alerts.

Nothing here imports Textual; the UI shows alerts and writes the bell and
notification sequences from :mod:`leadping_tui.terminal.terminal_seq`.
"""

from __future__ import annotations

from leadping_tui.alerts.alert_log import AlertLog
from leadping_tui.alerts.rules import Alert, AlertEngine, AlertRules

__all__ = ["Alert", "AlertEngine", "AlertLog", "AlertRules"]
