"""The dashboard's actions: what its keys and palette commands do.

A part of :class:`~leadping_tui.ui.screens.dashboard.DashboardScreen` (which
binds the keys), kept apart so the screen module stays readable.
"""

from __future__ import annotations

from datetime import date

from textual.widgets import ContentSwitcher, TabbedContent

from leadping_tui.api.errors import InternalError
from leadping_tui.api.query import StatusQuery
from leadping_tui.phone import format_number
from leadping_tui.refresh.intervals import describe_interval
from leadping_tui.times import clock
from leadping_tui.ui.fleet_table import FleetSnapshot
from leadping_tui.ui.screens.dashboard_state import DashboardState
from leadping_tui.ui.widgets.watchlist_pane import WatchlistPane
from leadping_tui.ui.widgets.watchlist_sidebar import WatchlistSidebar


class DashboardActions(DashboardState):
    """The dashboard's ``action_*`` methods (mixed into ``DashboardScreen``)."""

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
        raw = await self.raw_view()
        switcher = self.query_one(ContentSwitcher)
        switcher.current = "panels" if switcher.current == "raw" else "raw"
        if switcher.current == "raw":
            result = self.results.get(self.selected) if self.selected else None
            raw.show_raw(result.raw if result else None)
            self.set_focus(raw)

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
            self.set_focus(pane.sidebar)
        elif self.focused is None or pane in self.focused.ancestors:
            await self._focus_active_table()

    async def _focus_active_table(self) -> None:
        from leadping_tui.ui.widgets.stable_table import StableTable

        await self._mount_deferred()  # the tabs, before their active pane is read
        tabs = self.query_one(TabbedContent)
        await self.tab_table(tabs.active)
        active = tabs.active_pane
        if active is not None:
            self.set_focus(active.query_one(StableTable))

    def keep_focus_visible(self) -> None:
        """After a resize hid the focused pane (the sidebar below 70 columns), focus one shown.

        Textual drops the focus of a widget that is hidden; left on nothing,
        the focus is shown nowhere and the arrows move nothing.
        """
        if self.focused is not None and self.focused in self.focus_chain:
            return
        if self.deferred_ready:
            self.call_later(self._focus_active_table)
        elif self.focus_chain:
            self.set_focus(self.focus_chain[0])

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

    async def action_filter_events(self) -> None:
        from leadping_tui.ui.widgets.event_log import EventLog

        await self._show_tab("tab-events")
        self.query_one(EventLog).action_open_filter()

    def action_toggle_trend_span(self) -> None:
        self._trend_span = "7d" if self._trend_span == "24h" else "24h"
        self._draw_trends(self._panel_context())

    async def action_show_tab(self, tab: str) -> None:
        """Show a tab and put the focus on its table, so arrows and Enter work at once."""
        from leadping_tui.ui.widgets.stable_table import StableTable

        await self._show_tab(tab)
        table = self.query_one(f"#{tab} StableTable", StableTable)
        # Screen.set_focus, here and for each key's focus: now, not later as
        # Widget.focus does (on a later turn). A focus that lands after the
        # next key undoes that key: the raw view or a filter box loses it, or
        # its tab is shown again (a focus in a tab's pane switches to that tab).
        self.set_focus(table)

    async def _show_tab(self, tab: str) -> None:
        await self.tab_table(tab)
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
        from leadping_tui.logs.redact import default_redactor

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


def _today() -> date:
    """Today in the local zone, from the app's one clock."""
    return clock.now_utc().astimezone().date()
