"""The dashboard: watchlist sidebar, status panels, event log and the poll loop.

The screen owns what the user is looking at (selected number, window, last
good status per number) and hands it to the panels in one batch.  Fetching is
done by :class:`~leadping_tui.ui.poller.Poller` workers that post typed
messages back here; panels never do I/O.
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.css.scalar import Unit
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Footer, Static, TabbedContent, TabPane

from leadping_tui import clock
from leadping_tui.api.condition import Assessment, assess
from leadping_tui.api.errors import InternalError, LeadPingError
from leadping_tui.api.query import StatusQuery
from leadping_tui.api.result import FetchResult
from leadping_tui.phone import format_number
from leadping_tui.refresh.intervals import describe_interval
from leadping_tui.store.watchlist import Watchlist
from leadping_tui.timefmt import resolve_timezone, seconds_until_change
from leadping_tui.ui import keymap
from leadping_tui.ui.fleet_sync import FleetSync
from leadping_tui.ui.fleet_table import ConditionTrail, FleetSnapshot
from leadping_tui.ui.messages import FetchFailed, ListingFailed, ListingPageFetched, StatusFetched
from leadping_tui.ui.poller import Poller
from leadping_tui.ui.view import PanelContext
from leadping_tui.ui.view_state import bar_state, row_state
from leadping_tui.ui.watchlist_view import SortOrder
from leadping_tui.ui.widgets.actions_table import ActionsTable, StableTable
from leadping_tui.ui.widgets.capacity_panel import CapacityPanel
from leadping_tui.ui.widgets.event_log import EventLog
from leadping_tui.ui.widgets.health_panel import HealthPanel
from leadping_tui.ui.widgets.history_tables import AlertsTable, TimelineTable
from leadping_tui.ui.widgets.metrics_panel import MetricsPanel
from leadping_tui.ui.widgets.raw_view import RawView
from leadping_tui.ui.widgets.status_bar import BarState, StatusBar
from leadping_tui.ui.widgets.trend_table import TrendTable
from leadping_tui.ui.widgets.watchlist_pane import WatchlistPane
from leadping_tui.ui.widgets.watchlist_sidebar import WatchlistSidebar

if TYPE_CHECKING:
    from leadping_tui.ui.host import DashboardHost

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
MIN_WIDTH = 40
MIN_HEIGHT = 12
#: Seconds after mounting when the tabs are mounted even if no status came.
DEFERRED_FALLBACK = 1.0
#: Seconds after the first status's refresh before the tabs mount (a frame or so).
AFTER_PAINT = 0.05


class DashboardScreen(Screen[None]):
    """Everything about the watched numbers, on one screen."""

    # Where the focus goes when nothing has it (after a dialog): the list, else the tab's table.
    AUTO_FOCUS = "#sidebar, TabPane StableTable"

    # Every dashboard key is bound here, on the screen, so it works whatever
    # has focus (a box being typed into keeps its own keys). See ui/keymap.py.
    BINDINGS = keymap.bindings("screen")

    def __init__(self) -> None:
        super().__init__()
        self.results: dict[str, FetchResult] = {}
        self.errors: dict[str, LeadPingError] = {}
        self.selected: str | None = None
        self.labels: dict[str, str] = {}
        self.assessments: dict[str, Assessment] = {}
        self.window_query = StatusQuery()
        self._tick_timer: Timer | None = None
        self.next_tick_in = 0.0
        """Seconds until the screen next looks at the time (when some text will change)."""
        self._drawn_stale: dict[str, bool] = {}
        self._poller: Poller | None = None
        self._zone_name = "local"
        self._trend_span = "24h"
        self.bug_details: str | None = None
        self.trail = ConditionTrail()
        # Scheduler time of each number's last status for the baseline window.
        self._baseline_at: dict[str, float] = {}
        self.fleet_sync = FleetSync(self)
        self._deferred_started = False
        self._deferred_ready = asyncio.Event()
        self._deferred_timer: Timer | None = None

    @property
    def lp_app(self) -> DashboardHost:
        """The app, as the services the dashboard uses (the app module opens this one)."""
        return cast("DashboardHost", self.app)

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status-bar")
        yield Static(
            f"Terminal too small: need {MIN_WIDTH}×{MIN_HEIGHT}. Enlarge it or press q to quit.",
            id="too-small",
        )
        with Horizontal(id="body"):
            yield WatchlistPane(id="sidebar-pane")
            with ContentSwitcher(initial="panels", id="main"), Vertical(id="panels"):
                with Horizontal(id="top-panels"):
                    yield HealthPanel(id="health")
                    with Vertical(id="side-panels"):
                        yield CapacityPanel(id="capacity")
                        yield MetricsPanel(id="metrics")
                # The tabs and the raw view are mounted once the first
                # status is painted (see _mount_deferred): the status first.
                yield Vertical(id="tabs-slot")
        yield Footer()

    # -- start-up -------------------------------------------------------------

    @property
    def deferred_ready(self) -> bool:
        """Whether the tabs' tables and the raw view are mounted."""
        return self._deferred_ready.is_set()

    def _start_deferred(self) -> None:
        """Mount the tabs and the raw view once the frame being drawn is out."""
        if not self._deferred_started:
            # After the refresh the frame is only scheduled (Textual writes it on
            # its own timer): wait a little longer so the status is on screen first.
            self.call_after_refresh(
                self.set_timer, AFTER_PAINT, self._mount_deferred, name="deferred-mount"
            )

    async def _mount_deferred(self) -> None:
        """Mount the widgets the first status does not need (once; callers wait for it)."""
        if self._deferred_started:
            await self._deferred_ready.wait()
            return
        self._deferred_started = True
        if self._deferred_timer is not None:
            self._deferred_timer.stop()
        await self.query_one("#tabs-slot", Vertical).mount(_tabs())
        await self.query_one(ContentSwitcher).add_content(RawView(id="raw"))
        self._deferred_ready.set()
        self._draw_tab(self._panel_context())

    def on_mount(self) -> None:
        app = self.lp_app
        self._zone_name = app.settings.timezone
        self.window_query = app.initial_query
        watchlist = app.watchlist
        self._apply_watchlist(watchlist)
        sidebar = self.query_one(WatchlistSidebar)
        sidebar.set_order(SortOrder(app.settings.watchlist_order))
        sidebar.set_watchlist(watchlist)
        self._poller = Poller(
            self,
            app.scheduler,
            lambda: app.client,
            self._query_for,
            self.fleet_sync.next_query,
            on_start=self._on_fetches_started,
        )
        self.fleet_sync.start()
        self._select(
            watchlist.selected or (watchlist.numbers()[0] if watchlist.numbers() else None)
        )
        # Paint the first frame before the first request goes out.
        self.call_after_refresh(self._poller.start)
        if self.selected is None:
            self._start_deferred()
        else:
            # No status soon (a slow or failing server): mount the rest anyway.
            self._deferred_timer = self.set_timer(
                DEFERRED_FALLBACK, self._start_deferred, name="deferred-fallback"
            )
        self._tick()
        sidebar.focus()

    def on_unmount(self) -> None:
        if self._poller is not None:
            self._poller.stop()

    # -- watchlist ------------------------------------------------------------

    def _apply_watchlist(self, watchlist: Watchlist) -> None:
        self.labels = {entry.number: entry.label for entry in watchlist.entries}
        self.lp_app.scheduler.set_numbers(watchlist.numbers())
        for gone in set(self.results) - set(self.labels):
            self.results.pop(gone, None)
            self.errors.pop(gone, None)
            self.assessments.pop(gone, None)
        self.trail.forget(self.labels)

    @on(WatchlistSidebar.Selected)
    def _on_selected(self, message: WatchlistSidebar.Selected) -> None:
        if message.number != self.selected:
            self._select(message.number)
            # An add posts Selected before Changed: the number is not in the
            # app's list yet, and saving that change records the selection.
            if message.number in self.lp_app.watchlist:
                self.lp_app.remember_selection(message.number)

    @on(WatchlistSidebar.Changed)
    def _on_watchlist_changed(self, message: WatchlistSidebar.Changed) -> None:
        merged = self.lp_app.save_watchlist(message.watchlist)
        self._apply_watchlist(merged)
        self.query_one(WatchlistSidebar).set_watchlist(merged)
        for number in merged.numbers():
            self._update_row(number)
        if self.selected not in self.labels:
            self._select(merged.selected or (merged.numbers()[0] if merged.numbers() else None))
        elif message.reason == "add" and merged.selected:
            self._select(merged.selected)
        self._wake()
        # A new label belongs in the status bar now, not at the next tick.
        self._tick()

    def replace_watchlist(self, watchlist: Watchlist) -> None:
        """Save a watchlist made by an import or by following the organisation (once)."""
        merged = self.lp_app.save_watchlist(watchlist)
        self._apply_watchlist(merged)
        self.query_one(WatchlistSidebar).set_watchlist(merged)
        for number in merged.numbers():
            self._update_row(number)
        if self.selected not in self.labels:
            self._select(merged.selected or (merged.numbers()[0] if merged.numbers() else None))
        self._wake()
        self._tick()

    def fleet_progress(self) -> None:
        """An import's page arrived: the status bar's progress line moves on."""
        self._tick()

    def fleet_changed(self) -> None:
        """A listing round ended: redraw the rows it changed and the marked ones."""
        sync = self.fleet_sync
        for number in self.lp_app.fleet.changed | sync.new_numbers | sync.gone_numbers:
            if number in self.labels:
                self._update_row(number)
        self._tick()

    @on(ListingPageFetched)
    def _on_listing_page(self, message: ListingPageFetched) -> None:
        self.fleet_sync.page_arrived(message.page, message.generation)
        self._wake()

    @on(ListingFailed)
    def _on_listing_failed(self, message: ListingFailed) -> None:
        self.fleet_sync.failed(message.error, message.generation)
        self._wake()

    def jump_to(self, number: str) -> None:
        """Select ``number`` as if the user had moved to it in the sidebar."""
        if number in self.labels:
            self.query_one(WatchlistSidebar).show_number(number)

    def refresh_rows(self, numbers: set[str]) -> None:
        for number in numbers & set(self.labels):
            self._update_row(number)

    def _select(self, number: str | None) -> None:
        self.selected = number
        if number is not None:
            self.lp_app.watch_events.mark_seen(number)
            self.fleet_sync.seen(number)
        self.lp_app.scheduler.select(number)
        self._draw()
        # Start the fetch first, so the bar says LOADING rather than LIVE.
        self._wake()
        self._tick()

    # -- fetch results -------------------------------------------------------------

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
        self._update_row(number)
        if number == self.selected:
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
        self._update_row(number)
        if number == self.selected:
            drawn = self.query_one(HealthPanel).last_ctx
            if drawn is None or drawn.number != number or drawn.stale:
                self._draw()
            self._tick()
            self._start_deferred()
        self._wake()

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
            from leadping_tui.redact import default_redactor

            if self.bug_details is None:
                self.notify(error.hint, title=error.message, severity="error", timeout=30)
            self.bug_details = default_redactor.redact(error.details)
        self.lp_app.note_failure(number, error)
        self._update_row(number)
        if number == self.selected:
            self._draw()
            self._tick()
            self._start_deferred()
        self._wake()

    def _wake(self) -> None:
        if self._poller is not None:
            self._poller.wake()

    # -- drawing -------------------------------------------------------------

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
                self.query_one(RawView).show_raw(result.raw if result else None)
            self._draw_trends(ctx)
            self._draw_tab(ctx)
        self.call_after_refresh(self._fit_top_panels)

    def _fit_top_panels(self) -> None:
        """Give the top panels the rows their content needs; the tabs get the rest.

        Heights follow the content, not fixed numbers: at 120x40 every panel
        shows whole, and a taller terminal gives its extra rows to the event
        log only once the panels have all they need.
        """
        top = self.query_one("#top-panels")
        available = self.query_one("#panels").size.height - MIN_TABS_ROWS
        health = self.query_one(HealthPanel)
        if available <= 0 or not health.size.width:
            return
        capacity = self.query_one(CapacityPanel)
        metrics = self.query_one(MetricsPanel)
        side_shown = self.query_one("#side-panels").display
        capacity_rows = capacity.rows_needed() if side_shown else 0
        side_rows = capacity_rows + metrics.rows_needed() if side_shown else 0
        rows = max(min(max(health.rows_needed(), side_rows), available), MIN_TOP_ROWS)
        if side_rows > rows:
            # Not everything fits: share the column by need, each part scrolls.
            share = rows * capacity_rows // side_rows
            capacity_rows = max(min(share, rows - MIN_PANEL_ROWS), min(MIN_PANEL_ROWS, rows // 2))
        _set_rows(top, rows)
        if side_shown:
            _set_rows(capacity, capacity_rows)

    def on_resize(self) -> None:
        self.call_after_refresh(self._relayout)

    def _relayout(self) -> None:
        self._draw_trends(self._panel_context())
        self._fit_top_panels()

    def _draw_trends(self, ctx: PanelContext) -> None:
        """The health panel's trend lines: from the local history, not the API.

        The history is read on its store thread; the lines appear when it answers.
        """
        if ctx.number is None:
            self.query_one(HealthPanel).set_trends(None)
            return
        self.run_worker(
            self._load_trends(ctx.number, self._trend_span, ctx.now),
            group="trends",
            exclusive=True,
            exit_on_error=False,
        )

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
        active = self.query_one(TabbedContent).active
        if active == "tab-events":
            self.query_one(EventLog).show(ctx)
        elif active == "tab-actions":
            self.query_one(ActionsTable).show(ctx)
        elif active == "tab-trend":
            self.query_one(TrendTable).show(ctx)
        elif ctx.number is None:
            return
        elif active == "tab-timeline":
            self.run_worker(
                self._load_timeline(ctx.number, ctx.tz),
                group="timeline",
                exclusive=True,
                exit_on_error=False,
            )
        elif active == "tab-alerts":
            self.run_worker(
                self._load_alerts(ctx.tz), group="alerts", exclusive=True, exit_on_error=False
            )

    async def _load_alerts(self, tz: tzinfo) -> None:
        events = self.lp_app.watch_events
        alerts = await events.thread.run(events.recent_alerts)
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
            self.query_one(TimelineTable).show_transitions(found, tz)

    @on(TabbedContent.TabActivated)
    def _on_tab(self, _event: TabbedContent.TabActivated) -> None:
        self._draw_tab(self._panel_context())

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
        scheduler = self.lp_app.scheduler
        now = scheduler.clock()
        soonest = TICK_MAX
        for number in self.labels:
            if scheduler.is_stale(number) != self._drawn_stale.get(number):
                self._update_row(number)
            state = scheduler.state(number)
            if state is not None and state.last_success_at is not None:
                flips_in = state.last_success_at + 2 * scheduler.interval_for(number) - now
                if flips_in > 0:
                    soonest = min(soonest, flips_in)
        return soonest

    def _on_fetches_started(self, numbers: list[str]) -> None:
        """Loading marks, the moment their fetches go out."""
        for number in numbers:
            if number in self.labels:
                self._update_row(number)
        if self.selected in numbers:
            self._tick()

    # -- actions ---------------------------------------------------------------

    def action_refresh(self) -> None:
        if self.selected is None:
            self.notify("Add a number first: press a.", severity="warning")
            return
        scheduler = self.lp_app.scheduler
        wait = scheduler.request_now(self.selected)
        # r cuts any backoff short; what can still make it wait is the API's
        # Retry-After after a 429, or the request budget: say which, and how long.
        error = self.errors.get(self.selected)
        if wait <= 0.5 or (error is not None and error.kind == "rate_limited"):
            pass  # going now, or the status bar already counts the 429's wait down
        elif scheduler.rate_limited_until is not None:
            self.notify(
                f"Rate limited by the API (Retry-After): refreshing in {wait:.0f} s.",
                severity="warning",
            )
        else:
            self.notify(f"Request budget used up: refreshing in {wait:.0f} s.")
        self._wake()
        self._tick()

    @property
    def interval(self) -> float:
        """Seconds between refreshes of the selected number (as set, before focus stretching)."""
        return self.lp_app.refresh_seconds

    def action_interval(self, direction: int) -> None:
        """Refresh the selected number less (+1) or more (-1) often; saved to the settings."""
        from leadping_tui.refresh.intervals import shortest_interval, step_interval

        app = self.lp_app
        settings = app.settings
        shortest = shortest_interval(
            settings.requests_per_minute,
            max(len(self.labels) - 1, 0),
            settings.background_refresh_seconds,
        )
        chosen = step_interval(self.interval, direction, shortest)
        if chosen == self.interval:
            limit = "the shortest the request budget allows" if direction < 0 else "the longest"
            self.notify(f"Already {describe_interval(chosen)}: {limit}.")
            return
        app.set_refresh_seconds(chosen)
        self._wake()
        self._tick()

    def action_toggle_pause(self) -> None:
        scheduler = self.lp_app.scheduler
        scheduler.set_paused(not scheduler.paused)
        self._wake()
        self._tick()

    def set_query(self, query: StatusQuery) -> None:
        if query == self.window_query:
            return
        self.window_query = query
        if self.selected is not None:
            self.lp_app.scheduler.request_now(self.selected)
        self._draw()
        self._wake()
        self._tick()

    def action_window(self, direction: int) -> None:
        self.set_query(self.window_query.step_preset(direction))

    def action_shift(self, direction: int) -> None:
        self.set_query(self.window_query.shifted(direction, today=_today()))

    def action_reset_window(self) -> None:
        self.set_query(StatusQuery.window(self.lp_app.settings.default_window_days))

    def action_date_range(self) -> None:
        from leadping_tui.ui.dialogs.date_range import DateRangeDialog

        def chosen(query: StatusQuery | None) -> None:
            if query is not None:
                self.set_query(query)

        self.app.push_screen(DateRangeDialog(self.window_query, _today()), chosen)

    async def action_toggle_raw(self) -> None:
        await self._mount_deferred()
        switcher = self.query_one(ContentSwitcher)
        switcher.current = "panels" if switcher.current == "raw" else "raw"
        if switcher.current == "raw":
            result = self.results.get(self.selected) if self.selected else None
            self.query_one(RawView).show_raw(result.raw if result else None)
            self.query_one(RawView).focus()

    def action_toggle_zone(self) -> None:
        self._zone_name = "UTC" if self._zone_name.lower() != "utc" else "local"
        self._draw()
        self._tick()

    def action_add_number(self) -> None:
        self.query_one(WatchlistSidebar).action_add()

    def action_edit_label(self) -> None:
        self.query_one(WatchlistSidebar).action_edit_label()

    def action_remove_number(self) -> None:
        self.query_one(WatchlistSidebar).action_remove()

    def action_move_number(self, delta: int) -> None:
        self.query_one(WatchlistSidebar).action_move(delta)

    def action_show_help(self) -> None:
        from leadping_tui.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.lp_app.settings.keys))

    async def action_toggle_sidebar(self) -> None:
        # The focus follows, so it is never left on nothing: Textual would then
        # give it to the first focusable widget after a dialog, even the
        # hidden filter box, and typed keys would vanish into it.
        pane = self.query_one(WatchlistPane)
        pane.display = not pane.display
        if pane.display:
            pane.sidebar.focus()
        elif self.focused is None or pane in self.focused.ancestors:
            await self._mount_deferred()
            active = self.query_one(TabbedContent).active_pane
            if active is not None:
                active.query_one(StableTable).focus()

    def action_cycle_order(self) -> None:
        self.query_one(WatchlistPane).cycle_order()

    def action_filter_watchlist(self) -> None:
        self.query_one(WatchlistPane).open_filter()

    def action_show_fleet(self) -> None:
        from leadping_tui.ui.screens.fleet import FleetScreen, dashboard_snapshot

        def chosen(number: str | None) -> None:
            if number is not None:
                self.query_one(WatchlistPane).show_number(number)

        def snapshot() -> FleetSnapshot:
            return dashboard_snapshot(
                self.labels,
                self.results,
                self.query_one(WatchlistSidebar),
                self.lp_app.fleet,
                self.trail,
            )

        self.app.push_screen(FleetScreen(snapshot), chosen)

    @on(WatchlistPane.OrderChanged)
    def _on_order_changed(self, message: WatchlistPane.OrderChanged) -> None:
        self.lp_app.remember_order(message.order.value)

    async def action_filter_events(self) -> None:
        await self._show_tab("tab-events")
        self.query_one(EventLog).action_open_filter()

    def action_toggle_trend_span(self) -> None:
        self._trend_span = "7d" if self._trend_span == "24h" else "24h"
        self._draw_trends(self._panel_context())

    async def action_show_tab(self, tab: str) -> None:
        """Show a tab and put the focus on its table, so arrows and Enter work at once."""
        await self._show_tab(tab)
        table = self.query_one(f"#{tab} StableTable", StableTable)
        self.call_after_refresh(table.focus)

    async def _show_tab(self, tab: str) -> None:
        await self._mount_deferred()
        self.query_one(ContentSwitcher).current = "panels"
        self.query_one(TabbedContent).active = tab

    def action_export(self) -> None:
        from leadping_tui.ui.dialogs.export_dialog import export_with_dialog

        result = self.results.get(self.selected) if self.selected else None
        if result is None:
            self.notify("Nothing to export yet: no status has arrived.", severity="warning")
            return
        export_with_dialog(self, result)

    def action_import_organisation(self) -> None:
        """Add every number of the organisation to the watchlist."""
        self.fleet_sync.request_import()
        self._wake()
        self._tick()

    def action_remove_gone(self) -> None:
        """Remove the watched numbers gone from the organisation, after asking."""
        self.fleet_sync.confirm_remove_gone()

    def action_copy_error(self) -> None:
        """Copy the selected number's API error (per the error-kind table), else the last bug."""
        from leadping_tui.api.errors import error_details
        from leadping_tui.redact import default_redactor

        error = self.errors.get(self.selected) if self.selected else None
        if error is not None and not isinstance(error, InternalError):
            details = f"number: {self.selected}\n{error_details(error)}"
            self.lp_app.copy_to_clipboard(default_redactor.redact(details))
            self.notify(
                f"Copied the details of the {error.kind} error (the API key is masked).",
                markup=False,
            )
            return
        if self.bug_details is None:
            self.notify("No errors to copy.")
            return
        self.lp_app.copy_to_clipboard(self.bug_details)
        self.notify("Copied the error details (the API key is masked).")

    def action_enter_key(self) -> None:
        """Enter a new API key in the app (the 401 hint offers this)."""
        from leadping_tui.ui.dialogs.api_key import ApiKeyDialog

        error = self.errors.get(self.selected) if self.selected else None
        reason = error.message if error is not None and error.kind == "auth" else ""
        self.app.push_screen(
            ApiKeyDialog(self.lp_app.runtime.paths.settings_file, reason), self._key_entered
        )

    def _key_entered(self, key: str | None) -> None:
        if not key:
            return
        self.lp_app.use_api_key(key)
        if self._poller is not None:
            self._poller.client = None  # built again, with the new key, on the next fetch
        for number in self.labels:
            if number in self.errors and self.errors[number].kind in ("auth", "forbidden"):
                self.lp_app.scheduler.request_now(number, fixed=True)
        self._wake()
        self._tick()

    def action_copy_number(self) -> None:
        if self.selected:
            self.lp_app.copy_to_clipboard(self.selected)
            self.notify(f"Copied {format_number(self.selected)}")


def _tabs() -> TabbedContent:
    """The tabs under the panels, built to be mounted after the first status."""
    tabs = TabbedContent(id="tabs")
    for title, pane_id, table in (
        ("Events", "tab-events", EventLog(id="events")),
        ("Warmup actions", "tab-actions", ActionsTable(id="actions")),
        ("Trend", "tab-trend", TrendTable(id="trend")),
        ("Timeline", "tab-timeline", TimelineTable(id="timeline")),
        ("Alerts", "tab-alerts", AlertsTable(id="alerts")),
    ):
        tabs.compose_add_child(TabPane(title, table, id=pane_id))
    return tabs


def _set_rows(widget: Widget, rows: int) -> None:
    """Set a fixed height, only when it changes (a change costs a layout)."""
    height = widget.styles.height
    if height is None or height.unit is not Unit.CELLS or height.value != rows:
        widget.styles.height = rows


def _today() -> date:
    """Today in the local zone, from the app's one clock."""
    return clock.now_utc().astimezone().date()
