"""Drawing the dashboard: the panels, the sidebar rows and the status bar.

Everything here draws from the screen's state and does no I/O. A part of
:class:`~leadping_tui.ui.screens.dashboard.DashboardScreen`, kept apart so the
screen module stays readable.
"""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta, tzinfo
from functools import partial

from textual.css.query import NoMatches
from textual.css.scalar import Unit
from textual.widget import Widget
from textual.widgets import ContentSwitcher, TabbedContent
from textual.worker import WorkType

from leadping_tui.refresh.intervals import describe_interval
from leadping_tui.times import clock
from leadping_tui.times.timefmt import resolve_timezone, seconds_until_change
from leadping_tui.ui.screens.dashboard_state import DashboardState
from leadping_tui.ui.screens.panel_fit import PanelFit
from leadping_tui.ui.view import PanelContext
from leadping_tui.ui.view_state import bar_state, row_state
from leadping_tui.ui.widgets.capacity_panel import CapacityPanel
from leadping_tui.ui.widgets.health_panel import HealthPanel
from leadping_tui.ui.widgets.metrics_panel import MetricsPanel
from leadping_tui.ui.widgets.status_bar import BarState, StatusBar
from leadping_tui.ui.widgets.watchlist_sidebar import WatchlistSidebar

# The screen repaints when some text on it would read differently, not on a
# fixed beat; it still looks at least this often (a changed wall clock, say).
TICK_MAX = 60.0
TICK_MIN = 0.25
#: The tabs keep at least this many rows (tab bar, note, header, four rows);
#: the top panels get what their content needs within the rest.
MIN_TABS_ROWS = 8
MIN_TOP_ROWS = 5
#: A panel squeezed by its neighbour still shows its border and two lines.
MIN_PANEL_ROWS = 4


class DashboardDrawing(DashboardState):
    """How the dashboard draws (mixed into ``DashboardScreen``)."""

    def _panel_context(self) -> PanelContext:
        number = self.selected
        result = self.results.get(number) if number else None
        stale = number is not None and (
            self.lp_app.scheduler.is_stale(number)
            or number in self.errors
            or (result is not None and result.query != self.window_query)
        )
        return PanelContext(
            status=result.status if result else None,
            now=clock.now_utc(),
            tz=resolve_timezone(self._zone_name),
            stale=bool(stale),
            number=number,
        )

    def _draw(self) -> None:
        ctx = self._panel_context()
        result = self.results.get(self.selected) if self.selected else None
        with self.app.batch_update():
            self.query_one(HealthPanel).show(ctx)
            self.query_one(CapacityPanel).show(ctx)
            self.query_one(MetricsPanel).show(ctx)
            if self.query_one(ContentSwitcher).current == "raw" and self.deferred_ready:
                from leadping_tui.ui.widgets.raw_view import RawView

                self.query_one(RawView).show_raw(result.raw if result else None)
            self._draw_trends(ctx)
            self._draw_tab(ctx)
        self.call_after_refresh(self._fit_top_panels)

    def _draw_trends(self, ctx: PanelContext) -> None:
        """The health panel's trend lines: from the local history, not the API.

        The history is read on its store thread; the lines appear when it answers.
        """
        if ctx.number is None:
            self.query_one(HealthPanel).set_trends(None)
            return
        if not self.lp_app.watch_events.opened:
            return  # drawn once the history opens, after the first status
        number, span, now = ctx.number, self._trend_span, ctx.now
        self._load_latest("trends", partial(self._load_trends, number, span, now))

    def _load_latest(self, group: str, work: WorkType[None]) -> None:
        """Run ``work`` in place of the group's previous load.

        ``work`` is a partial of a coroutine function, not a coroutine: a load
        replaced before it starts then leaves no coroutine never awaited.
        (Textual runs a plain callable such as a lambda as a thread, not a
        coroutine, so it must be a partial or the function itself.)
        """
        self.run_worker(work, group=group, exclusive=True, exit_on_error=False)

    async def _load_trends(self, number: str, span: str, now: datetime) -> None:
        from leadping_tui.ui.trends import trend_content

        events = self.lp_app.watch_events
        health = self.query_one(HealthPanel)
        width = health.fit(0, least=1, most=1000, default=0) or None
        window = events.baseline.describe()
        content = await events.read(
            lambda history: trend_content(history, number, span, now, width=width, window=window)
        )
        if self.selected == number:
            health.set_trends(content)
            # The trends changed the health panel's height.
            self.call_after_refresh(self._fit_top_panels)

    def _draw_tab(self, ctx: PanelContext) -> None:
        """Only the visible tab's table is filled; the others catch up when shown."""
        if not self.deferred_ready:
            return  # drawn when they are mounted
        # Imported with the tabs (after the first status); cached by now.
        from leadping_tui.ui.widgets.actions_table import ActionsTable
        from leadping_tui.ui.widgets.event_log import EventLog
        from leadping_tui.ui.widgets.trend_table import TrendTable

        tabs = self.query_one(TabbedContent)
        active = tabs.active
        pane = tabs.active_pane
        if pane is not None and not pane.children:
            # Shown by a click or the tab row's own keys: its table comes first.
            self.call_later(self._mount_tab_and_draw, active)
            return
        if active == "tab-events":
            self.query_one(EventLog).show(ctx)
        elif active == "tab-actions":
            self.query_one(ActionsTable).show(ctx)
        elif active == "tab-trend":
            self.query_one(TrendTable).show(ctx)
        elif ctx.number is None:
            return
        elif active == "tab-timeline":
            number, tz = ctx.number, ctx.tz
            self._load_latest("timeline", partial(self._load_timeline, number, tz))
        elif active == "tab-alerts":
            tz = ctx.tz
            self._load_latest("alerts", partial(self._load_alerts, tz))

    async def _mount_tab_and_draw(self, tab: str) -> None:
        await self.tab_table(tab)
        with contextlib.suppress(NoMatches):  # the screen is closing
            tabs = self.query_one(TabbedContent)
            pane = tabs.active_pane
            if tabs.active == tab and pane is not None and pane.children:
                self._draw_tab(self._panel_context())

    async def _load_alerts(self, tz: tzinfo) -> None:
        events = self.lp_app.watch_events
        alerts = await events.thread.run(events.recent_alerts)
        from leadping_tui.ui.widgets.history_tables import AlertsTable

        self.query_one(AlertsTable).show_alerts(alerts, tz)

    async def _load_timeline(self, number: str, tz: tzinfo) -> None:
        from leadping_tui.store.history import History, HistoryError, Transition

        def transitions(history: History | None) -> list[Transition]:
            if history is None:
                return []
            try:
                return history.transitions(number)
            except HistoryError:
                return []

        found = await self.lp_app.watch_events.read(transitions)
        if self.selected == number:
            from leadping_tui.ui.widgets.history_tables import TimelineTable

            self.query_one(TimelineTable).show_transitions(found, tz)

    def _update_row(self, number: str) -> None:
        scheduler = self.lp_app.scheduler
        result = self.results.get(number)
        assessment = self.assessments.get(number)
        listed = self.lp_app.fleet.get(number)
        error = self.errors.get(number)
        listed_status = None
        if listed is not None and (result is None or listed.received_at > result.received_at):
            # The organisation listing saw this number more recently than its status.
            assessment, error, listed_status = listed.assessment, None, listed.status
        stale = scheduler.is_stale(number)
        self._drawn_stale[number] = stale
        row = row_state(
            result,
            assessment,
            error,
            scheduler.state(number),
            stale=stale,
            alert=self.lp_app.has_unseen_alert(number),
            listed=listed_status,
            mark=self.fleet_sync.mark(number),
        )
        self.query_one(WatchlistSidebar).set_row_state(number, row)

    def _bar(self, now: datetime, monotonic_now: float) -> BarState:
        """The status bar as it reads at ``now`` (a pure function of the screen's state)."""
        number = self.selected
        scheduler = self.lp_app.scheduler
        return bar_state(
            number,
            label=self.labels.get(number, "") if number else "",
            result=self.results.get(number) if number else None,
            error=self.errors.get(number) if number else None,
            state=scheduler.state(number) if number else None,
            paused=scheduler.paused,
            stale=scheduler.is_stale(number) if number else False,
            window=self.window_query.describe(),
            interval=describe_interval(self.interval),
            demo=self.lp_app.is_demo,
            now=now,
            monotonic_now=monotonic_now,
            tz=resolve_timezone(self._zone_name),
            note=self.fleet_sync.note,
        )

    def _tick(self) -> None:
        """Bring time-dependent text up to date, then sleep until some of it changes."""
        now = clock.now_utc()
        scheduler = self.lp_app.scheduler
        monotonic_now = scheduler.clock()
        bar = self._bar(now, monotonic_now)
        self.query_one(StatusBar).show(bar)
        wait = seconds_until_change(
            lambda offset: self._bar(now + timedelta(seconds=offset), monotonic_now + offset),
            TICK_MAX,
        )
        if self.selected is not None:
            health = self.query_one(HealthPanel)
            health.tick(now)
            self._fit_top_panels()
            wait = min(wait, health.seconds_until_times_change(now, TICK_MAX))
        wait = min(wait, self._sweep_stale_marks())
        if self._tick_timer is not None:
            self._tick_timer.stop()
        self.next_tick_in = max(wait, TICK_MIN)
        self._tick_timer = self.set_timer(self.next_tick_in, self._tick, name="tick")

    def _sweep_stale_marks(self) -> float:
        """Redraw rows whose stale mark flipped; seconds until the next one will."""
        marks, soonest = self.lp_app.scheduler.stale_marks(self.labels)
        for number, stale in marks.items():
            # A row never drawn is the sidebar's blank one, not stale: at start-up
            # that is every row, and repainting 1,000 of them cost ~30 ms there.
            if stale != self._drawn_stale.get(number, False):
                self._update_row(number)
        return TICK_MAX if soonest is None else min(TICK_MAX, soonest)

    def _fit_top_panels(self) -> None:
        """Give the top panels the rows their content needs; the tabs get the rest.

        Heights follow the content, not fixed numbers: at 120x40 every panel
        shows whole, and a taller terminal gives its extra rows to the event
        log only once the panels have all they need.

        While the selected number waits for its first status, the panels keep
        the heights of the last status shown (when the empty state fits in
        them): moving through numbers then changes no height, so neither the
        switch to the empty panels nor the status landing a moment later
        lays out and repaints the whole right side (~50 ms with 1,000 numbers).
        """
        top = self.query_one("#top-panels")
        available = self.query_one("#panels").size.height - MIN_TABS_ROWS
        health = self.query_one(HealthPanel)
        if available <= 0 or not health.size.width:
            return
        capacity = self.query_one(CapacityPanel)
        metrics = self.query_one(MetricsPanel)
        side_shown = self.query_one("#side-panels").display
        health_rows = health.rows_needed()
        capacity_rows = capacity.rows_needed() if side_shown else 0
        metrics_rows = metrics.rows_needed() if side_shown else 0
        fit = PanelFit(available, health.size.width, health_rows, capacity_rows, metrics_rows)
        waiting = self.selected is not None and self.selected not in self.results
        held = self._held_fit
        if waiting and held is not None and held.holds(fit):
            rows, capacity_rows = held.rows, held.capacity_rows
        else:
            side_rows = capacity_rows + metrics_rows
            rows = max(min(max(health_rows, side_rows), available), MIN_TOP_ROWS)
            if side_rows > rows:
                # Not everything fits: share the column by need, each part scrolls.
                share = rows * capacity_rows // side_rows
                capacity_rows = max(
                    min(share, rows - MIN_PANEL_ROWS), min(MIN_PANEL_ROWS, rows // 2)
                )
            if not waiting:
                self._held_fit = fit.given(rows, capacity_rows)
        _set_rows(top, rows)
        if side_shown:
            _set_rows(capacity, capacity_rows)

    def _relayout(self) -> None:
        self._draw_trends(self._panel_context())
        self._fit_top_panels()


def _set_rows(widget: Widget, rows: int) -> None:
    """Set a fixed height, only when it changes (a change costs a layout)."""
    height = widget.styles.height
    if height is None or height.unit is not Unit.CELLS or height.value != rows:
        widget.styles.height = rows
