"""The dashboard's fetch results: which window to ask for, and what an answer changes.

A part of :class:`~leadping_tui.ui.screens.dashboard.DashboardScreen`, kept
apart so the screen module stays readable. A status or a failure is recorded
with the scheduler first (so the next poll is planned), then kept as the
number's last good status or error, and drawn if the number is on screen.
"""

from __future__ import annotations

from textual import on

from leadping_tui.api.condition import assess
from leadping_tui.api.errors import InternalError
from leadping_tui.api.query import StatusQuery
from leadping_tui.api.result import FetchResult
from leadping_tui.ui.messages import FetchFailed, StatusFetched
from leadping_tui.ui.screens.dashboard_state import DashboardState
from leadping_tui.ui.widgets.health_panel import HealthPanel


class DashboardResults(DashboardState):
    """The dashboard's handling of fetch results (mixed into ``DashboardScreen``)."""

    def _query_for(self, number: str) -> StatusQuery:
        """The window to fetch ``number`` for.

        Background numbers always use the baseline (default) window, which is
        what alerts and trends compare.  The selected number uses the window
        on screen; while that is another one, and once it is shown, a
        baseline fetch replaces one poll per background interval, so the
        selected number keeps its alerts while the user browses.
        """
        baseline = self.lp_app.watch_events.baseline
        if number != self.selected:
            return baseline
        shown = self.results.get(number)
        if self.window_query == baseline or shown is None or shown.query != self.window_query:
            return self.window_query
        scheduler = self.lp_app.scheduler
        every = max(
            self.lp_app.settings.background_refresh_seconds, self.lp_app.runtime.refresh_seconds
        )
        last = self._baseline_at.get(number)
        if last is None or scheduler.clock() - last >= every:
            return baseline
        return self.window_query

    @on(StatusFetched)
    def _on_status(self, message: StatusFetched) -> None:
        result = message.result
        number = result.number
        scheduler = self.lp_app.scheduler
        if number not in self.labels:
            scheduler.record_cancelled(number)
            return
        scheduler.record_success(number)
        if result.query == self.lp_app.watch_events.baseline:
            self._baseline_at[number] = scheduler.clock()
        shown = self.results.get(number)
        if (
            number == self.selected
            and result.query != self.window_query
            and shown is not None
            and shown.query == self.window_query
        ):
            # A baseline check while the user browses another window: it feeds
            # the alerts; the panels keep the window on screen.
            if not result.unchanged:
                self.lp_app.note_status(result)
            self._wake()
            return
        if (
            result.unchanged
            and shown is not None
            and shown.status is result.status
            and number not in self.errors
        ):
            self._same_status(result)
            return
        self.results[number] = result
        self.assessments[number] = assess(result.status)
        self.trail.record(number, self.assessments[number].condition)
        self.errors.pop(number, None)
        self.lp_app.note_status(result)
        if result.query != self.window_query and number == self.selected:
            # Answered for a window the user has since left: fetch again.
            scheduler.request_now(number)
        self._show_outcome(number)

    def _show_outcome(self, number: str, *, redraw: bool = True) -> None:
        """Draw what an answer or a failure changed: its row, and the panels if selected."""
        self._update_row(number)
        if number == self.selected:
            if redraw:
                self._draw()
            self._tick()
            self._start_deferred()
        self._wake()

    def _same_status(self, result: FetchResult) -> None:
        """The same bytes as the answer on screen: nothing to validate, record or redraw.

        Only its time moves on ("updated just now"), and the row's loading mark goes.
        """
        number = result.number
        self.results[number] = result
        redraw = False
        if number == self.selected:
            drawn = self.query_one(HealthPanel).last_ctx
            redraw = drawn is None or drawn.number != number or drawn.stale
        self._show_outcome(number, redraw=redraw)

    @on(FetchFailed)
    def _on_failed(self, message: FetchFailed) -> None:
        number = message.number
        error = message.error
        scheduler = self.lp_app.scheduler
        # Always recorded, even for a number just removed: a 429 holds everyone.
        retry_after = getattr(error, "retry_after", None)
        scheduler.record_failure(
            number,
            retry_after=retry_after,
            rate_limited=error.kind == "rate_limited",
            retryable=error.retryable,
        )
        if number not in self.labels:
            return
        self.errors[number] = error
        if isinstance(error, InternalError):
            from leadping_tui.logs.redact import default_redactor

            if self.bug_details is None:
                self.notify(error.hint, title=error.message, severity="error", timeout=30)
            self.bug_details = default_redactor.redact(error.details)
        self.lp_app.note_failure(number, error)
        self._show_outcome(number)
