"""The dashboard: watchlist sidebar, status panels, event log and the poll loop.

The screen owns what the user is looking at (selected number, window, last
good status per number) and hands it to the panels in one batch.  Fetching is
done by :class:`~leadping_tui.ui.poller.Poller` workers that post typed
messages back here; panels never do I/O.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.timer import Timer
from textual.widget import MountError, Widget
from textual.widgets import ContentSwitcher, Static, TabbedContent, TabPane

from leadping_tui.api.condition import Assessment
from leadping_tui.api.errors import LeadPingError
from leadping_tui.api.query import StatusQuery
from leadping_tui.api.result import FetchResult
from leadping_tui.store.watchlist import Watchlist
from leadping_tui.ui import keymap
from leadping_tui.ui.breakpoints import StyledAtMount
from leadping_tui.ui.fleet_sync import FleetSync
from leadping_tui.ui.fleet_table import ConditionTrail
from leadping_tui.ui.messages import ListingFailed, ListingPageFetched
from leadping_tui.ui.poller import Poller
from leadping_tui.ui.screens.dashboard_actions import DashboardActions
from leadping_tui.ui.screens.dashboard_drawing import DashboardDrawing
from leadping_tui.ui.screens.dashboard_results import DashboardResults
from leadping_tui.ui.screens.panel_fit import PanelFit
from leadping_tui.ui.watchlist_view import SortOrder
from leadping_tui.ui.widgets.capacity_panel import CapacityPanel
from leadping_tui.ui.widgets.health_panel import HealthPanel
from leadping_tui.ui.widgets.metrics_panel import MetricsPanel
from leadping_tui.ui.widgets.status_bar import StatusBar
from leadping_tui.ui.widgets.watchlist_pane import WatchlistPane
from leadping_tui.ui.widgets.watchlist_sidebar import WatchlistSidebar

if TYPE_CHECKING:
    from leadping_tui.ui.host import DashboardHost
    from leadping_tui.ui.widgets.raw_view import RawView

#: A fetch shows as loading only when it has not answered within this long.
LOADING_MARK_DELAY = 0.5
MIN_WIDTH = 40
MIN_HEIGHT = 12
#: Seconds after mounting when start-up finishes (the tabs mount) even if no status came.
DEFERRED_FALLBACK = 1.0


class DashboardScreen(StyledAtMount, DashboardActions, DashboardDrawing, DashboardResults):
    """Everything about the watched numbers, on one screen.

    Given its breakpoint classes before its widgets mount, and not restyled
    again on its first resume (ui/breakpoints.py): 150 style applications,
    half the start's.
    """

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
        # A number the filter moved the highlight to, shown once the list is drawn.
        self._filter_pick: str | None = None
        self.labels: dict[str, str] = {}
        self.assessments: dict[str, Assessment] = {}
        self.window_query = StatusQuery()
        self._tick_timer: Timer | None = None
        self.next_tick_in = 0.0
        """Seconds until the screen next looks at the time (when some text will change)."""
        self._drawn_stale: dict[str, bool] = {}
        self._held_fit: PanelFit | None = None
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
        self._awaiting_display = False
        self._startup_finished = False

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
        # So is the footer (ten widgets with its keys); its row is kept for it.
        yield Vertical(id="footer-slot")

    # -- start-up -------------------------------------------------------------
    #
    # The first frame holds the status bar, the sidebar and the selected
    # number's panels. Once the first status (or failure) is drawn and that
    # frame is out, start-up finishes (_finish_startup): the poller goes on
    # with the listing and the background polls, the footer, the tabs and
    # the raw view mount, and the app ends its start-up (garbage collection).

    @property
    def deferred_ready(self) -> bool:
        """Whether the footer, the tabs' tables and the raw view are mounted."""
        return self._deferred_ready.is_set()

    @property
    def startup_finished(self) -> bool:
        """Whether start-up is over: the first status painted (or none came in time)."""
        return self._startup_finished

    def _start_deferred(self) -> None:
        """The selected number's first outcome is drawn: finish start-up once it is displayed."""
        if not self._startup_finished and not self._awaiting_display:
            self._awaiting_display = True
            self.lp_app.after_display(self._finish_startup)

    async def _finish_startup(self) -> None:
        """Start what the first status did not need (once)."""
        if self._startup_finished:
            return
        self._startup_finished = True
        if self._deferred_timer is not None:
            self._deferred_timer.stop()
        if self._poller is not None:
            self._poller.release()
        # The history (SQLite) and the alert log open now, and what reads them
        # is drawn: the trend lines (a history tab too, if a key mounted the tabs).
        self.lp_app.watch_events.open()
        with contextlib.suppress(NoMatches):
            ctx = self._panel_context()
            self._draw_trends(ctx)
            if self.deferred_ready and self.query_one(TabbedContent).active in (
                "tab-timeline",
                "tab-alerts",
            ):
                self._draw_tab(ctx)
        await self._mount_deferred()
        self.lp_app.end_startup()

    async def _mount_deferred(self) -> None:
        """Mount the widgets the first status does not need (once; callers wait for it)."""
        if self._deferred_started:
            await self._deferred_ready.wait()
            return
        self._deferred_started = True
        # Imported here: the footer and the tables (DataTable) are not needed
        # for the first status. The raw view comes with its key (raw_view).
        from leadping_tui.ui.widgets.quiet_footer import QuietFooter

        try:
            await self.query_one("#footer-slot", Vertical).mount(QuietFooter())
            # A footer shows keys once told that the bindings changed.
            self.refresh_bindings()
            await self.query_one("#tabs-slot", Vertical).mount(_tabs())
        except (NoMatches, MountError):
            # The screen is closing (quit as start-up ends): its slots are gone,
            # or still there but being taken down, which refuses new children.
            return
        self._deferred_ready.set()
        # The app may be closing (the tabs already gone): nothing to draw then.
        with contextlib.suppress(NoMatches):
            self._draw_tab(self._panel_context())
        self.call_after_refresh(self.lp_app.note_tabs_mounted)

    async def raw_view(self) -> RawView:
        """The raw JSON view, mounted (hidden) the first time it is asked for.

        Most sessions never open it, and a TextArea costs as much to mount
        as all the tabs (a quarter of a settled start's CPU).
        """
        from leadping_tui.ui.widgets.raw_view import RawView

        await self._mount_deferred()
        found = self.query(RawView)
        if found:
            return found.first()
        view = RawView(id="raw")
        await self.query_one(ContentSwitcher).add_content(view)
        return view

    async def tab_table(self, pane_id: str) -> None:
        """Mount the table of tab ``pane_id`` if it has none yet (once the tabs are mounted)."""
        await self._mount_deferred()
        try:
            pane = self.query_one(f"#{pane_id}", TabPane)
        except NoMatches:
            return  # the screen is closing
        if pane_id in LAZY_TABS and not pane.children:
            await pane.mount(_lazy_table(pane_id))

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
            early=app.take_early_status,
            early_wait=app.settings.request_deadline_seconds,
            early_parse=app.parse_early_status,
        )
        self.fleet_sync.start()
        first = watchlist.selected or (watchlist.numbers()[0] if watchlist.numbers() else None)
        if app.early_status_pending:
            # Its answer is on its way or here: the first frame can show it.
            self._select(first, draw=False)
            self._poller.start()
            if not self._poller.adopted_early:
                self._draw()  # the waiting panels until it lands
        else:
            self._select(first)
            # Paint the first frame before the first request goes out.
            self.call_after_refresh(self._poller.start)
        if self.selected is None:
            self._start_deferred()
        else:
            # No status soon (a slow or failing server): finish start-up anyway.
            self._deferred_timer = self.set_timer(
                DEFERRED_FALLBACK, self._finish_startup, name="deferred-fallback"
            )
        if not self._poller.adopted_early:
            # An adopted answer is drawn and ticked when its StatusFetched lands, before
            # the first frame: drawing the waiting panels first only to replace them
            # cost a layout, a panel fit and two ticks (~15-20 ms of start-up CPU).
            self._tick()
        self.set_focus(sidebar)

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
        if message.by_filter:
            # Typing into the filter hid the selected number. The narrowed list
            # and the typed character go out in this key's frame; the new
            # number's panels and its fetch follow after it. Drawn with them,
            # the key's frame waited for the panels' layout (~40 ms with 1,000
            # numbers), and for its status too when that landed first. Typing
            # on before then shows only the last match.
            self._filter_pick = message.number
            self.call_after_refresh(self._show_filter_pick)
            return
        self._filter_pick = None
        self._pick(message.number)

    def _show_filter_pick(self) -> None:
        number, self._filter_pick = self._filter_pick, None
        if number is not None:
            self._pick(number)

    def _pick(self, number: str) -> None:
        if number != self.selected:
            self._select(number)
            # An add posts Selected before Changed: the number is not in the
            # app's list yet, and saving that change records the selection.
            if number in self.lp_app.watchlist:
                self.lp_app.remember_selection(number)

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

    def _select(self, number: str | None, *, draw: bool = True) -> None:
        self.selected = number
        if number is not None:
            self.lp_app.watch_events.mark_seen(number)
            self.fleet_sync.seen(number)
        self.lp_app.scheduler.select(number)
        if not draw:
            return  # start-up: on_mount draws once it knows whether the early answer is here
        self._draw()
        # Start the fetch first, so the bar says LOADING rather than LIVE.
        self._wake()
        self._tick()

    # -- the poll loop (its answers: DashboardResults) -------------------------------

    def _wake(self) -> None:
        if self._poller is not None:
            self._poller.wake()

    def wake_poller(self) -> None:
        """Let the poller look at the schedule now (a benchmark moved its clock)."""
        self._wake()

    def on_resize(self) -> None:
        self.call_after_refresh(self._relayout)
        self.call_after_refresh(self.keep_focus_visible)

    @on(TabbedContent.TabActivated)
    def _on_tab(self, _event: TabbedContent.TabActivated) -> None:
        self._draw_tab(self._panel_context())

    def _on_fetches_started(self, numbers: list[str]) -> None:
        """Loading marks for fetches still out after a moment.

        A refresh over a good link answers in milliseconds: marking it would
        flash LOADING and a sidebar mark on every refresh, which is most of
        what an idle dashboard would write to the terminal.
        """
        self.set_timer(LOADING_MARK_DELAY, lambda: self._mark_still_loading(numbers))

    def _mark_still_loading(self, numbers: list[str]) -> None:
        for number in numbers:
            if number in self.labels:
                self._update_row(number)
        if self.selected in numbers:
            self._tick()

    @property
    def interval(self) -> float:
        """Seconds between refreshes of the selected number (as set, before focus stretching)."""
        return self.lp_app.refresh_seconds

    @on(WatchlistPane.OrderChanged)
    def _on_order_changed(self, message: WatchlistPane.OrderChanged) -> None:
        self.lp_app.remember_order(message.order.value)


def _tabs() -> TabbedContent:
    """The tabs under the panels, built to be mounted after the first status.

    Only the events tab has its table from the start; the others get theirs
    when first shown (:meth:`DashboardScreen.tab_table`): four tables a
    session may never look at cost a quarter of a settled start's CPU.
    """
    from leadping_tui.ui.widgets.event_log import EventLog

    tabs = TabbedContent(id="tabs")
    tabs.compose_add_child(TabPane("Events", EventLog(id="events"), id="tab-events"))
    for pane_id, title in LAZY_TABS.items():
        tabs.compose_add_child(TabPane(title, id=pane_id))
    return tabs


#: The tabs whose table is made when the tab is first shown, and their titles.
LAZY_TABS = {
    "tab-actions": "Warmup actions",
    "tab-trend": "Trend",
    "tab-timeline": "Timeline",
    "tab-alerts": "Alerts",
}


def _lazy_table(pane_id: str) -> Widget:
    """The table of a tab in LAZY_TABS: ``tab-trend`` holds ``TrendTable#trend``."""
    from leadping_tui.ui.widgets.actions_table import ActionsTable
    from leadping_tui.ui.widgets.history_tables import AlertsTable, TimelineTable
    from leadping_tui.ui.widgets.trend_table import TrendTable

    tables: dict[str, type[Widget]] = {
        "tab-actions": ActionsTable,
        "tab-trend": TrendTable,
        "tab-timeline": TimelineTable,
        "tab-alerts": AlertsTable,
    }
    return tables[pane_id](id=pane_id.removeprefix("tab-"))
