"""What happens around each fetched status: history, alerts and their marks.

Kept out of the screen so the dashboard only draws.  History and alert rules
live in ``store/history.py`` and ``alerts/``; this module wires them to the
app's notices, the terminal bell and the sidebar's unseen-alert marks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from leadping_tui.api.client import FetchResult
from leadping_tui.api.errors import LeadPingError

if TYPE_CHECKING:
    from leadping_tui.ui.app import LeadPingApp


class WatchEvents:
    """Records statuses and raises alerts for every watched number."""

    def __init__(self, app: LeadPingApp) -> None:
        self.app = app
        self._unseen: set[str] = set()

    def open(self) -> None:
        """Open the history database (called once the dashboard starts)."""

    def close(self) -> None:
        """Close the history database."""

    def status(self, result: FetchResult) -> None:
        """A status arrived: record it and raise any alerts."""

    def failure(self, number: str, error: LeadPingError) -> None:
        """A fetch failed (no alert: the status line already says why)."""

    def has_unseen(self, number: str) -> bool:
        return number in self._unseen

    def mark_seen(self, number: str) -> None:
        self._unseen.discard(number)
